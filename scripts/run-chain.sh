#!/usr/bin/env bash
# The whole chain locally in one command: a throw-away PostgreSQL on loopback, then
# backend-worker without KAFKA_BROKERS, which starts the embedded broker, loads the fixture
# topics, runs ai-worker's pipeline and applies every result to PostgreSQL. Ctrl-C stops it
# and removes the database; while it runs, look at the rows with the psql line it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
eval "$(scripts/pg-tempdb.sh start)"
trap 'scripts/pg-tempdb.sh stop "$PGDATA_DIR" >/dev/null 2>&1 || true' EXIT
echo "PostgreSQL: psql '$DATABASE_URL' -c 'select lead_id, intent_type, lead_quality, lead_score from leads'"
DATABASE_URL="$DATABASE_URL" swift run backend-worker "$@"
