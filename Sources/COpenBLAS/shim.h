#ifndef AIWORKER_COPENBLAS_SHIM_H
#define AIWORKER_COPENBLAS_SHIM_H
/* Debian's OpenBLAS, pthread build (libopenblas-pthread-dev / libopenblas0-pthread), through its
 * CBLAS header.
 *
 * Threading: the ml tier calls sgemm from threads it owns (SentenceEncoder's EncoderExecutor,
 * one or two), several at once, each call single-threaded: `shim_openblas_single_threaded`
 * (openblas_set_num_threads(1), called before the first sgemm) makes every call run on the
 * calling thread, so OpenBLAS's own pool (one idle thread on a 2-core machine) never competes
 * with the tier's threads, the Kafka poll threads and the cooperative pool; parallelism comes
 * from the executor running one batch per owned thread.
 * Why not Debian's serial build (libopenblas0-serial), which has no pool at all: it is not safe
 * for concurrent calls. Two threads running sgemm at once got results off by up to 0.16 in 8 to
 * 29 of 320 embeddings, in two of three runs (the pthread build: identical in five of five);
 * Tests/SentenceEncoderTests/ConcurrentBLASTests.swift holds that. */
#include <cblas.h>

static inline void shim_openblas_single_threaded(void) {
    openblas_set_num_threads(1);
}
#endif
