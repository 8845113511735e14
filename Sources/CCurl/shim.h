#ifndef AIWORKER_CCURL_SHIM_H
#define AIWORKER_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt is variadic; Swift needs one typed entry point per argument kind. */
static inline CURLcode shim_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode shim_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode shim_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
/* Callbacks: a C function pointer is not a `void *` in Swift. */
typedef size_t (*shim_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);
static inline CURLcode shim_curl_setopt_write_function(CURL *handle, shim_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode shim_curl_setopt_header_function(CURL *handle, shim_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
/* curl_easy_getinfo and curl_multi_setopt are variadic too. */
static inline CURLcode shim_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode shim_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
/* CURLMsg keeps the transfer's result in a union. */
static inline CURLcode shim_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}
#endif
