#!/usr/bin/env bash
# The long chaos runs (not part of the test command): the release ai-worker through the shared
# harness ../shared/bench/chaos (replicas SIGKILLed, SIGTERMed, added and removed, brokers down
# or slow, injected request errors), beside the C passthrough for reference figures, with two
# and three replicas, and a paced backpressure run (MAX_IN_FLIGHT=50, a tier of ~20 ms per
# event). Every run is bounded (3,000 events, a 120 s settle at most). Results are appended to
# $CHAOS_RESULTS/results.txt (default /tmp/chaos-results).
#
#   [CHAOS_AI_WORKER=path] [CHAOS_LOG_LEVEL=info] scripts/chaos.sh [--replicas "2 3"] [--scenario all|kill9,term,...] [--repeat N] [--no-reference] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
REPLICAS="2 3" SCENARIO=all REPEAT=1 REFERENCE=1 KEEP=()
while [ $# -gt 0 ]; do
    case "$1" in
        --replicas) REPLICAS=$2; shift 2 ;;
        --scenario) SCENARIO=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --no-reference) REFERENCE=0; shift ;;
        --keep) KEEP=(--keep); shift ;;
        *) echo "chaos.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
HARNESS=${CHAOS_HARNESS:-../shared/bench/chaos}
[ -x "$HARNESS/chaos.sh" ] || { echo "chaos.sh: the shared harness is not at $HARNESS" >&2; exit 2; }
scripts/install-deps.sh
export CHAOS_PY=${CHAOS_PY:-/tmp/venv-chaos/bin/python}
[ -x "$CHAOS_PY" ] || { python3 -m venv "$(dirname "$(dirname "$CHAOS_PY")")" && "$(dirname "$CHAOS_PY")/pip" install -q confluent-kafka; }
# CHAOS_AI_WORKER runs a given binary (e.g. a copy, so that rebuilding does not change it mid-run).
if [ -n "${CHAOS_AI_WORKER:-}" ]; then
    BIN=$CHAOS_AI_WORKER
else
    swift build -c release --product ai-worker
    BIN="$(swift build -c release --show-bin-path)/ai-worker"
fi
# The mock needs these consumer settings (../shared/bench/perf/README.md); logs at warning
# unless CHAOS_LOG_LEVEL says otherwise (info shows every stop step, with --keep).
# The runs test the processing core: the ml tier is off unless CHAOS_ML_TIER=on (on a 2-core
# machine shared with builds, the encoder's CPU would otherwise decide the stalls).
MOCK="session.timeout.ms=6000,heartbeat.interval.ms=500,fetch.wait.max.ms=10"
WORKER="env LOG_LEVEL=${CHAOS_LOG_LEVEL:-warning} HTTP_PORT=0 SHUTDOWN_TIMEOUT_MS=10000 ML_TIER=${CHAOS_ML_TIER:-off} KAFKA_CONSUMER_CONFIG=$MOCK $BIN"
make -s -C "$HARNESS"
for run in $(seq "$REPEAT"); do
    for replicas in $REPLICAS; do
        if [ "$REFERENCE" = 1 ]; then
            "$HARNESS/chaos.sh" --worker "${CHAOS_BUILD:-/tmp/chaos-build}/passthrough" --name "passthrough-r$replicas" --replicas "$replicas" --scenario "$SCENARIO" "${KEEP[@]}" || true
        fi
        "$HARNESS/chaos.sh" --worker "$WORKER" --name "ai-worker-r$replicas" --replicas "$replicas" --scenario "$SCENARIO" "${KEEP[@]}" || true
    done
done
# Backpressure across rebalances: a small in-flight bound, a tier that takes 20 ms per event
# (scripts/fake-llm.py as the LLM provider, answering every message after 20 ms, with the LLM
# asked for every message), replicas joining and leaving.
FAKE_LOG=$(mktemp)
sleep 100000 | python3 scripts/fake-llm.py > "$FAKE_LOG" 2>&1 &
trap 'pkill -P $$ sleep 2>/dev/null || true; rm -f "$FAKE_LOG"' EXIT
for _ in $(seq 100); do grep -q "^PORT=" "$FAKE_LOG" && break; sleep 0.1; done
PORT=$(sed -n 's/^PORT=//p' "$FAKE_LOG" | head -1)
curl -s -X POST "http://127.0.0.1:$PORT/_control/chaos" -d '{"scenarios": ["slow"], "delay_ms": 20}' > /dev/null
SLOW="env MAX_IN_FLIGHT=50 LLM_PROVIDER=openai LLM_BASE_URL=http://127.0.0.1:$PORT/chaos/v1 LLM_API_KEY=test LLM_MODEL=fake LLM_PRICES=fake=0/0 LLM_CONFIDENCE_THRESHOLD=1 $WORKER"
"$HARNESS/chaos.sh" --worker "$SLOW" --name "ai-worker-backpressure" --replicas 2 --scenario churn,term "${KEEP[@]}" || true
