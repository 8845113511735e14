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
#endif
