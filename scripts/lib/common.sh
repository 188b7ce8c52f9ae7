#!/usr/bin/env bash
# Shared helpers for the scripts in scripts/. Source it, do not run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Provides LMS_ROOT (the repository root), logging (info, warn, fail), ensure_packages,
# ensure_swift, free_port, port_in_use and wait_for_port.

# Guard against being sourced twice (run sources common.sh and postgres.sh, which sources it too).
if [[ -n "${LMS_COMMON_SH_LOADED:-}" ]]; then
    return 0
fi
LMS_COMMON_SH_LOADED=1

# The repository root: two levels above this file (scripts/lib/common.sh).
# shellcheck disable=SC2034 # used by the scripts that source this file
LMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

# --- logging --------------------------------------------------------------------------------------

# Log lines go to stderr so that functions can print results on stdout.
info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# --- packages -------------------------------------------------------------------------------------

# Packages installed by ensure_packages in this process (setup prints them).
LMS_INSTALLED_PACKAGES=()

# Whether the Debian package lists were refreshed in this process already.
LMS_APT_UPDATED=0

apt_install() {
    [[ $# -gt 0 ]] || return 0
    [[ "$(id -u)" -eq 0 ]] || fail "need root to install: $* (run as root or install them by hand)"
    command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; install by hand: $*"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the lists only when something is missing, and only once per run.
    if [[ "$LMS_APT_UPDATED" -eq 0 ]]; then
        info "apt-get update"
        apt-get update -qq </dev/null
        LMS_APT_UPDATED=1
    fi
    info "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" </dev/null
    LMS_INSTALLED_PACKAGES+=("$@")
}

# ensure_packages [COMMAND[:PACKAGE] ...]
#
# Makes sure librdkafka-dev (pkg-config name rdkafka), kcat, pkg-config and curl are installed,
# plus every extra COMMAND given (checked with `command -v`; the Debian package defaults to the
# command's name, `COMMAND:PACKAGE` names another one, e.g. `shellcheck` or `python3:python3-minimal`).
# Calls apt only when a check fails.
ensure_packages() {
    local missing=() spec cmd pkg
    for spec in pkg-config:pkg-config kcat:kcat curl:curl python3:python3 "$@"; do
        cmd="${spec%%:*}"
        pkg="${spec#*:}"
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    # pkg-config itself may be among the missing ones, so check librdkafka after installing those.
    if [[ ${#missing[@]} -gt 0 ]]; then
        apt_install "${missing[@]}"
    fi
    if ! pkg-config --exists rdkafka; then
        apt_install librdkafka-dev
    fi
    pkg-config --exists rdkafka || fail "librdkafka-dev installed but pkg-config cannot find rdkafka"
}

# Puts the Swift toolchain on PATH if it is installed at /opt/swift but not on PATH
# (CI shells are not login shells).
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || fail "swift not found (expected on PATH or at /opt/swift/usr/bin)"
}

# --- ports ----------------------------------------------------------------------------------------

# Prints a TCP port on 127.0.0.1 that is free right now (the kernel picks it).
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# port_in_use HOST PORT: succeeds when something accepts TCP connections on HOST:PORT.
port_in_use() {
    # bash's /dev/tcp opens a connection; the subshell closes it again.
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for_port HOST PORT TIMEOUT_SECONDS: waits until HOST:PORT accepts connections.
wait_for_port() {
    local host="$1" port="$2" timeout="$3"
    local deadline=$((SECONDS + timeout))
    until port_in_use "$host" "$port"; do
        if ((SECONDS >= deadline)); then
            warn "nothing listening on $host:$port after ${timeout}s"
            return 1
        fi
        sleep 0.2
    done
}
