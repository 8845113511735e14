#ifndef AIWORKER_CRDKAFKA_SHIM_H
#define AIWORKER_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* rd_kafka_produceva takes a tagged-union array that Swift cannot build comfortably; this
   wrapper builds it. On success librdkafka owns `headers`; on failure the caller still does. */
static inline rd_kafka_error_t *shim_produce(rd_kafka_t *rk, const char *topic, int32_t partition,
                                             const void *key, size_t key_len,
                                             const void *value, size_t value_len,
                                             rd_kafka_headers_t *headers, void *opaque) {
    rd_kafka_vu_t vus[7];
    size_t n = 0;
    vus[n].vtype = RD_KAFKA_VTYPE_TOPIC; vus[n].u.cstr = topic; n++;
    vus[n].vtype = RD_KAFKA_VTYPE_PARTITION; vus[n].u.i32 = partition; n++;
    vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS; vus[n].u.i = RD_KAFKA_MSG_F_COPY; n++;
    if (key != NULL) {
        vus[n].vtype = RD_KAFKA_VTYPE_KEY; vus[n].u.mem.ptr = (void *)key; vus[n].u.mem.size = key_len; n++;
    }
    vus[n].vtype = RD_KAFKA_VTYPE_VALUE; vus[n].u.mem.ptr = (void *)value; vus[n].u.mem.size = value_len; n++;
    if (headers != NULL) {
        vus[n].vtype = RD_KAFKA_VTYPE_HEADERS; vus[n].u.headers = headers; n++;
    }
    vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[n].u.ptr = opaque; n++;
    return rd_kafka_produceva(rk, vus, n);
}

/* Partition list element access without pointer arithmetic in Swift. */
static inline rd_kafka_topic_partition_t *shim_partition_at(rd_kafka_topic_partition_list_t *list, int i) {
    return &list->elems[i];
}

#endif
