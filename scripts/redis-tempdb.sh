#!/usr/bin/env bash
# Starts redis-server in a fresh temp directory on 127.0.0.1 and a free port.
#   eval "$(scripts/redis-tempdb.sh start)"   → REDIS_URL, REDIS_DIR
#   scripts/redis-tempdb.sh stop "$REDIS_DIR"
set -euo pipefail
case "${1:-start}" in
start)
  dir=$(mktemp -d /tmp/ai-worker-redis.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
    --logfile "$dir/redis.log" --save "" --appendonly no >/dev/null
  deadline=$((SECONDS + 20))
  until redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; do
    [ $SECONDS -lt $deadline ] || { echo "redis-server did not start; see $dir/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "REDIS_URL=redis://127.0.0.1:$port/0"
  echo "REDIS_DIR=$dir"
  ;;
stop)
  dir=${2:?usage: redis-tempdb.sh stop DIR}
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "usage: redis-tempdb.sh start|stop DIR" >&2; exit 2 ;;
esac
