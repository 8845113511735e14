#ifndef AIWORKER_CHIREDIS_SHIM_H
#define AIWORKER_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>

/* redisContext.errstr is a fixed array (a tuple in Swift): hand out a C string instead. */
static inline const char *shim_redis_errstr(const redisContext *context) {
    return context->errstr;
}
/* Timeouts in milliseconds (struct timeval by value is awkward from Swift). */
static inline redisContext *shim_redis_connect(const char *host, int port, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisConnectWithTimeout(host, port, tv);
}
static inline int shim_redis_set_timeout(redisContext *context, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisSetTimeout(context, tv);
}
#endif
