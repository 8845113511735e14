#!/usr/bin/env bash
# The README's run command: install what is missing, then run ai-worker (embedded broker
# with the fixture topics unless KAFKA_BROKERS is set). Extra arguments go to ai-worker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-model.sh
exec swift run ai-worker "$@"
