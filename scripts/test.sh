#!/usr/bin/env bash
# The README's test command: installs what is missing, starts redis-server and PostgreSQL on
# loopback in temp directories, builds, and runs the whole test suite (unit and integration,
# including the fixture replay against Fixtures/expected). Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-model.sh
scripts/check-module-graph.sh --self-test

cleanup() {
  [ -n "${REDIS_DIR:-}" ] && scripts/redis-tempdb.sh stop "$REDIS_DIR" || true
  [ -n "${PGDATA_DIR:-}" ] && scripts/pg-tempdb.sh stop "$PGDATA_DIR" || true
}
trap cleanup EXIT
eval "$(scripts/redis-tempdb.sh start)"
eval "$(scripts/pg-tempdb.sh start)"
export TEST_REDIS_URL="$REDIS_URL" DATABASE_URL PGDATA_DIR
unset REDIS_URL

swift build
export AI_WORKER_BIN="$(swift build --show-bin-path)/ai-worker"
# At most 4 tests at once: unbounded, every integration suite starts together and, on CI's
# 2 cores, dozens of daemons, mock clusters and debug-built pipelines starve each other past
# their deadlines (docs/testing.md). TEST_PARALLELISM overrides it.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${TEST_PARALLELISM:-4}"
swift test "$@"
