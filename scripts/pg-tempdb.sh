#!/usr/bin/env bash
# A throw-away PostgreSQL server in a fresh temp directory, on 127.0.0.1, trust auth on loopback.
#
#   scripts/pg-tempdb.sh start            start a new server; prints DATABASE_URL=... and PGDATA_DIR=...
#   scripts/pg-tempdb.sh stop DIR         stop the server of DIR and delete DIR
#   scripts/pg-tempdb.sh halt DIR         stop the server of DIR, keep its data (tests: "database down")
#   scripts/pg-tempdb.sh resume DIR       start the halted server of DIR again, on the same port
#
# Usage from a shell:  eval "$(scripts/pg-tempdb.sh start)"; export DATABASE_URL PGDATA_DIR
# Binaries: Debian's `postgresql` package (/usr/lib/postgresql/NN/bin), installed with apt-get when
# missing. initdb refuses to run as root: as root the server runs as the `postgres` user (created
# when missing). Readiness is awaited with pg_isready under a deadline (PG_TEMPDB_DEADLINE seconds,
# default 60). Everything but the two result lines goes to standard error.
set -euo pipefail

DEADLINE="${PG_TEMPDB_DEADLINE:-60}"

log() { printf 'pg-tempdb: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/pg_isready" ]]; then
            echo "$dir"; return 0
        fi
    done
    return 1
}

ensure_bindir() {
    local dir
    if dir="$(find_bindir)"; then echo "$dir"; return 0; fi
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql and not root to install them (apt-get install postgresql)"
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; } \
        || die "apt-get install postgresql failed"
    dir="$(find_bindir)" || die "postgresql installed but no server binaries under /usr/lib/postgresql"
    echo "$dir"
}

# The account the server runs as: ourselves, or `postgres` when we are root.
server_user() {
    if [[ "$(id -u)" != 0 ]]; then id -un; return 0; fi
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres >&2 \
            || die "cannot create the postgres user"
    fi
    echo postgres
}

as_server_user() {
    local user="$1"; shift
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return 0
    fi
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    die "no free port found"
}

wait_ready() {
    local bindir="$1" dir="$2" port="$3"
    local start=$SECONDS
    while (( SECONDS - start < DEADLINE )); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1; then
            return 0
        fi
        # The server process exited: no point waiting for the deadline.
        if ! as_server_user "$(cat "$dir/user")" "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
            # pg_ctl status can lag right after start; give the log a look only after the first second.
            if (( SECONDS - start >= 2 )); then return 1; fi
        fi
        # Poll interval of the readiness probe, not a synchronization sleep.
        sleep 0.1
    done
    return 1
}

start_server() {
    local bindir="$1" dir="$2" port="$3" user
    user="$(cat "$dir/user")"
    as_server_user "$user" "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -W \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir/socket" >&2 || return 1
    wait_ready "$bindir" "$dir" "$port"
}

cmd_start() {
    local bindir user dir port attempt
    bindir="$(ensure_bindir)"
    user="$(server_user)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/pg-tempdb.XXXXXX")"
    mkdir -p "$dir/data" "$dir/socket"
    echo "$user" > "$dir/user"
    echo "$bindir" > "$dir/bindir"
    chmod 755 "$dir"
    if [[ "$(id -u)" == 0 ]]; then chown -R "$user" "$dir"; fi
    as_server_user "$user" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    cat >> "$dir/data/postgresql.conf" <<'EOF'
# pg-tempdb: a disposable test server
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
log_min_messages = warning
EOF
    # A free port can be taken between probing and binding: try a few.
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        echo "$port" > "$dir/port"
        if start_server "$bindir" "$dir" "$port"; then
            echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
            echo "PGDATA_DIR=$dir"
            return 0
        fi
        log "start on port $port failed (attempt $attempt); server log:"
        tail -n 20 "$dir/server.log" >&2 || true
        as_server_user "$user" "$bindir/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1 || true
    done
    die "PostgreSQL did not become ready within ${DEADLINE}s (data in $dir)"
}

check_dir() {
    local dir="$1"
    [[ -n "$dir" && -f "$dir/port" && -f "$dir/bindir" && -d "$dir/data" ]] || die "$dir is not a pg-tempdb directory"
}

cmd_halt() {
    local dir="$1"; check_dir "$dir"
    local bindir; bindir="$(cat "$dir/bindir")"
    as_server_user "$(cat "$dir/user")" "$bindir/pg_ctl" stop -D "$dir/data" -m fast -w -t "$DEADLINE" >&2 || true
}

cmd_resume() {
    local dir="$1"; check_dir "$dir"
    start_server "$(cat "$dir/bindir")" "$dir" "$(cat "$dir/port")" || die "PostgreSQL in $dir did not become ready within ${DEADLINE}s"
}

cmd_stop() {
    local dir="$1"; check_dir "$dir"
    cmd_halt "$dir"
    rm -rf -- "$dir"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; cmd_stop "$2" ;;
    halt) [[ $# -eq 2 ]] || die "usage: $0 halt DIR"; cmd_halt "$2" ;;
    resume) [[ $# -eq 2 ]] || die "usage: $0 resume DIR"; cmd_resume "$2" ;;
    *) die "usage: $0 start | stop DIR | halt DIR | resume DIR" ;;
esac
