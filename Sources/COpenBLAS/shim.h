#ifndef AIWORKER_COPENBLAS_SHIM_H
#define AIWORKER_COPENBLAS_SHIM_H
/* Debian's OpenBLAS (libopenblas-serial-dev / libopenblas0-serial), through its CBLAS header.
 *
 * Threading: the ml tier calls sgemm from threads it owns (SentenceEncoder's EncoderExecutor),
 * one call per thread at a time, each call single-threaded. We install the serial build
 * (USE_THREAD=0): it starts no thread pool of its own, so a call never spins up or wakes
 * OpenBLAS worker threads that would compete with the tier's threads, the Kafka poll threads
 * and the cooperative pool for the 2 cores, and it is safe to call from several threads at
 * once. Parallelism comes from the executor running one batch per owned thread instead.
 * Where the alternatives system points libopenblas.so at the pthread or OpenMP build instead,
 * `shim_openblas_single_threaded` pins it to one thread per call, so behaviour is the same. */
#include <cblas.h>

static inline void shim_openblas_single_threaded(void) {
    openblas_set_num_threads(1);
}
#endif
