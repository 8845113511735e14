#!/usr/bin/env bash
# The whole chain locally, as three processes: `ai-worker broker --load-fixtures` (the embedded
# broker with the fixture topics), `ai-worker` and `backend-worker` against it, and a throw-away
# PostgreSQL on loopback. Ctrl-C stops all of them and removes the database; while it runs, look
# at the rows with the psql line it prints. Extra arguments go to backend-worker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product ai-worker
swift build --product backend-worker
BIN="$(swift build --show-bin-path)"

WORK="$(mktemp -d)"
PIDS=()
# Stopped in reverse order of start (backend-worker, ai-worker, then the broker), each drained
# before the next; the daemons run in their own sessions so that Ctrl-C reaches only this script.
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  [ -n "${PGDATA_DIR:-}" ] && scripts/pg-tempdb.sh stop "$PGDATA_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

eval "$(scripts/pg-tempdb.sh start)"

# The broker prints KAFKA_BROKERS=… and the mock's consumer tuning (KAFKA_CONSUMER_CONFIG=…)
# on standard output once it is up.
mkfifo "$WORK/broker.out"
setsid "$BIN/ai-worker" broker --load-fixtures >"$WORK/broker.out" &
PIDS+=($!)
exec 3<"$WORK/broker.out"
read -r BROKERS_LINE <&3
read -r TUNING_LINE <&3
export "${BROKERS_LINE?}" "${TUNING_LINE?}"
echo "Embedded broker: KAFKA_BROKERS=$KAFKA_BROKERS"

setsid "$BIN/ai-worker" &
PIDS+=($!)
DATABASE_URL="$DATABASE_URL" setsid "$BIN/backend-worker" "$@" &
PIDS+=($!)
echo "PostgreSQL: psql '$DATABASE_URL' -c 'select lead_id, intent_type, lead_quality, lead_score from leads'"
wait -n "${PIDS[@]}"
