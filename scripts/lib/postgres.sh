#!/usr/bin/env bash
# PostgreSQL 15 helpers for development and tests: a private cluster in a data folder, run as the
# `postgres` OS user (the server refuses to run as root), listening on 127.0.0.1 only, with trust
# authentication for the `postgres` role. Source it after (or instead of) common.sh:
#
#   pg_start DATA_DIR PORT          init the cluster if new, start it (or reuse it if running)
#   pg_start_tls DATA_DIR PORT CERT KEY
#                                   like pg_start, with ssl=on, the server certificate CERT and its
#                                   key KEY (PEM files, copied into the cluster), and TCP clients
#                                   accepted only over TLS (hostssl; hostnossl is rejected)
#   pg_stop DATA_DIR                fast shutdown (no error when it is not running)
#   pg_destroy DATA_DIR             stop it and delete its data folder
#   pg_create_database PORT NAME    create database NAME unless it exists
#   pg_url PORT NAME                prints postgres://postgres@127.0.0.1:PORT/NAME
#   pg_service_roles PORT NAME      creates the services' roles and schemas in database NAME
#                                   (service-roles.sql: each role owns its schema and nothing else)
#   pg_service_role SERVICE         prints the role of a service (user-service -> user_service)
#
# The server log goes to DATA_DIR/../postgres.log.
#
# If the `postgres` user cannot reach DATA_DIR (the repository lives under a folder such as /root
# that other users cannot enter), the cluster is kept in /var/tmp/lms-postgres/<id> instead and
# DATA_DIR becomes a symbolic link to it; the functions above follow that link.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_OS_USER="postgres"
PG_FALLBACK_ROOT="/var/tmp/lms-postgres"

# Runs a command as the postgres OS user, from / so that it never starts in a folder it cannot read.
as_postgres() {
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
}

# Prints the absolute form of a path whose parent may not exist yet (creates the parent).
pg_absolute_path() {
    local path="$1"
    mkdir -p "$(dirname "$path")"
    printf '%s/%s\n' "$(cd "$(dirname "$path")" && pwd -P)" "$(basename "$path")"
}

# Prints the folder the server really uses for DATA_DIR (following the fallback link).
pg_real_dir() {
    local data_dir
    data_dir="$(pg_absolute_path "$1")"
    if [[ -L "$data_dir" ]]; then
        readlink -f "$data_dir"
    else
        printf '%s\n' "$data_dir"
    fi
}

# Like pg_real_dir, but first moves the cluster to the fallback location when the postgres user
# cannot reach DATA_DIR's parent folder.
pg_prepare_dir() {
    local data_dir parent id fallback
    data_dir="$(pg_absolute_path "$1")"
    parent="$(dirname "$data_dir")"
    if [[ ! -L "$data_dir" ]] && ! as_postgres test -x "$parent"; then
        id="$(printf '%s' "$data_dir" | sha256sum | cut -c1-16)"
        fallback="$PG_FALLBACK_ROOT/$id"
        info "user $PG_OS_USER cannot enter $parent; keeping the cluster in $fallback"
        mkdir -p "$fallback"
        chmod 755 "$PG_FALLBACK_ROOT"
        rm -rf "$data_dir"
        ln -s "$fallback" "$data_dir"
    fi
    pg_real_dir "$data_dir"
}

# pg_is_running REAL_DIR: succeeds when a postmaster serves REAL_DIR. Checks the process's working
# folder (a postmaster runs in its data folder), so a postmaster.pid left by a killed server whose
# pid now belongs to another process is not mistaken for a running server.
pg_is_running() {
    local real_dir="$1" pid
    [[ -f "$real_dir/postmaster.pid" ]] || return 1
    pid="$(head -n 1 "$real_dir/postmaster.pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$real_dir" ]]
}

# Prints the port of the running server of REAL_DIR (line 4 of postmaster.pid).
pg_running_port() {
    sed -n 4p "$1/postmaster.pid"
}

pg_log_file() {
    printf '%s/postgres.log\n' "$(dirname "$(pg_absolute_path "$1")")"
}

# Creates a new cluster in REAL_DIR (deleting a half-made one left by an interrupted initdb).
pg_init() {
    local real_dir="$1" log="$2"
    if [[ -d "$real_dir" ]] && [[ -n "$(ls -A "$real_dir")" ]]; then
        warn "$real_dir has no PG_VERSION (interrupted initdb?); recreating it"
        rm -rf "${real_dir:?}"/* "${real_dir:?}"/.[!.]* 2>/dev/null || true
    fi
    mkdir -p "$real_dir"
    chown "$PG_OS_USER:" "$real_dir"
    chmod 700 "$real_dir"
    info "initdb $real_dir"
    as_postgres "$PG_BIN/initdb" -D "$real_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >>"$log" 2>&1 || {
        tail -n 30 "$log" >&2
        fail "initdb failed (log: $log)"
    }
}

pg_start() {
    local data_dir="$1" port="$2" real_dir log
    [[ "$port" =~ ^[0-9]+$ ]] || fail "pg_start: bad port '$port'"
    real_dir="$(pg_prepare_dir "$data_dir")"
    log="$(pg_log_file "$data_dir")"
    touch "$log"

    if pg_is_running "$real_dir"; then
        if [[ "$(pg_running_port "$real_dir")" == "$port" ]]; then
            info "PostgreSQL already running on 127.0.0.1:$port ($data_dir)"
            return 0
        fi
        info "PostgreSQL of $data_dir runs on another port; restarting it on $port"
        pg_stop "$data_dir"
    fi
    if [[ -f "$real_dir/postmaster.pid" ]]; then
        # Left by a server that was killed (SIGKILL, machine stop): no postmaster serves the folder.
        warn "removing stale $real_dir/postmaster.pid"
        rm -f "$real_dir/postmaster.pid"
    fi
    [[ -f "$real_dir/PG_VERSION" ]] || pg_init "$real_dir" "$log"
    chown -R "$PG_OS_USER:" "$real_dir"

    if port_in_use 127.0.0.1 "$port"; then
        fail "port $port on 127.0.0.1 is already in use; pick another one"
    fi
    info "starting PostgreSQL on 127.0.0.1:$port ($data_dir, log $log)"
    # Without -l the server writes to pg_ctl's stdout, which root opened on the log file, so the
    # postgres user needs no write access to the log's folder. pg_ctl detaches the server into its
    # own session, so a Ctrl-C in the terminal does not reach it.
    # Checkpoints: with PostgreSQL's defaults (max_wal_size 1GB) a 100,000-user import and a rule
    # backfill forced 35 checkpoints, after each of which the first change of every page writes the
    # whole page to the WAL (37 KB of WAL per enrollment); see docs/performance.md.
    # pg_stat_statements keeps 20,000 statements instead of 5,000: every test schema has statements
    # of its own, and a test that counts its statements must not see them evicted meanwhile.
    as_postgres "$PG_BIN/pg_ctl" -D "$real_dir" -w -t 60 \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=on -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=20000 -c max_wal_size=4GB -c checkpoint_timeout=15min -c wal_compression=lz4 ${PG_EXTRA_OPTIONS:-}" \
        start >>"$log" 2>&1 </dev/null || {
        tail -n 30 "$log" >&2
        fail "PostgreSQL did not start (log: $log)"
    }
}

pg_start_tls() {
    local data_dir="$1" port="$2" cert="$3" key="$4" real_dir log
    [[ -r "$cert" && -r "$key" ]] || fail "pg_start_tls: cannot read $cert or $key"
    real_dir="$(pg_prepare_dir "$data_dir")"
    log="$(pg_log_file "$data_dir")"
    touch "$log"
    pg_stop "$data_dir"
    [[ -f "$real_dir/PG_VERSION" ]] || pg_init "$real_dir" "$log"
    install -o "$PG_OS_USER" -m 0644 "$cert" "$real_dir/server.crt"
    install -o "$PG_OS_USER" -m 0600 "$key" "$real_dir/server.key"
    cat >"$real_dir/pg_hba.conf" <<'HBA'
# Written by pg_start_tls: local socket for the admin, TCP only over TLS.
local     all all                 trust
hostssl   all all 127.0.0.1/32    trust
hostnossl all all 0.0.0.0/0       reject
HBA
    chown "$PG_OS_USER:" "$real_dir/pg_hba.conf"
    PG_EXTRA_OPTIONS="-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key" pg_start "$data_dir" "$port"
}

pg_stop() {
    local real_dir pid
    real_dir="$(pg_real_dir "$1")"
    pg_is_running "$real_dir" || return 0
    info "stopping PostgreSQL ($1)"
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$real_dir" -m fast -w -t 60 stop >/dev/null 2>&1; then
        # Still up after a minute: immediate shutdown (SIGQUIT), then make sure it is gone.
        pid="$(head -n 1 "$real_dir/postmaster.pid" 2>/dev/null || true)"
        warn "fast shutdown timed out; sending SIGQUIT to postmaster $pid"
        if [[ -n "$pid" ]]; then kill -QUIT "$pid" 2>/dev/null || true; fi
        sleep 2
        if pg_is_running "$real_dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
}

pg_destroy() {
    local data_dir real_dir
    data_dir="$(pg_absolute_path "$1")"
    pg_stop "$data_dir"
    real_dir="$(pg_real_dir "$data_dir")"
    if [[ -L "$data_dir" && "$real_dir" == "$PG_FALLBACK_ROOT"/* ]]; then
        rm -rf "$real_dir"
    fi
    rm -rf "$data_dir"
}

# Runs psql against the cluster on PORT as role postgres (trust auth); extra arguments follow.
pg_psql() {
    local port="$1"
    shift
    PGCONNECT_TIMEOUT=10 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"
}

pg_create_database() {
    local port="$1" name="$2" exists
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "pg_create_database: bad database name '$name'"
    exists="$(pg_psql "$port" -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$name'")"
    if [[ "$exists" != 1 ]]; then
        info "creating database $name"
        pg_psql "$port" -d postgres -c "CREATE DATABASE \"$name\""
    fi
}

pg_url() {
    printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$1" "$2"
}

pg_service_roles() {
    local port="$1" name="$2"
    info "creating the service roles in database $name"
    PGOPTIONS="-c client_min_messages=warning" pg_psql "$port" -d "$name" -f "$(dirname "${BASH_SOURCE[0]}")/service-roles.sql"
}

pg_service_role() {
    printf '%s\n' "${1//-/_}"
}
