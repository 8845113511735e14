#!/usr/bin/env bash
# Stops one worker N times the way ../shared/bench/chaos/chaos.sh does (its start_replica,
# stop_replica and alive(), copied), on a fresh mock, and prints each stop's verdict and how long
# after the SIGTERM it was reached. A "K" reached in well under the harness's 30 s wait is the
# harness's own race, not a worker that failed to exit: its wait loop ends when /proc/PID/stat
# shows the exited worker as a zombie, and its second look counts awk's failure to open the file
# of a process reaped in between as "alive" (see docs/chaos-runs.md).
#
#   scripts/chaos-stop-probe.sh "WORKER COMMAND" [N]     (scripts/chaos.sh builds the mock first)
set -euo pipefail
WORKER=$1 N=${2:-40}
MOCK="${CHAOS_BUILD:-/tmp/chaos-build}/mockbroker"
[ -x "$MOCK" ] || { echo "chaos-stop-probe: no mock at $MOCK (run make -C ../shared/bench/chaos)" >&2; exit 2; }
WORK=$(mktemp -d)
"$MOCK" -b 3 -p 3 -f "$WORK/bootstrap" > /dev/null 2> "$WORK/mock.log" &
MB=$!
trap 'kill $MB 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/bootstrap" ] && break; sleep 0.1; done
BROKERS=$(cat "$WORK/bootstrap")
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ if ($3 == "Z") exit 0; exit 1 }' "/proc/$1/stat" 2>/dev/null; }
for n in $(seq "$N"); do
    ( export KAFKA_BROKERS="$BROKERS"; exec bash -c "exec $WORKER" ) >> "$WORK/worker.log" 2>&1 &
    p=$!
    sleep 5
    t0=$(date +%s.%N)
    kill -TERM "$p" 2>/dev/null || true
    i=0
    while alive "$p" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    if alive "$p"; then kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; RC=K; else RC=0; wait "$p" 2>/dev/null || RC=$?; fi
    echo "stop $n: exit $RC, decided $(echo "$(date +%s.%N) - $t0" | bc) s after SIGTERM"
done
