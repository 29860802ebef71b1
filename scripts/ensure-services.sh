#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable for Mezha's tests and local runs.
#
#   PostgreSQL on ${PGHOST:-127.0.0.1}:${PGPORT:-5432}, user postgres, trust auth
#   Redis      on ${REDIS_HOST:-127.0.0.1}:${REDIS_PORT:-6379}
#
# Idempotent and quick when both already answer (a few probes, well under a second).
# Otherwise, for a local host only: install the missing server with apt-get, create
# a PostgreSQL cluster if there is none, trust loopback TCP logins in pg_hba.conf,
# start whatever is stopped, and wait up to SERVICES_WAIT_SECS (30) seconds.
# No Docker and no systemd needed: servers are started directly.
set -euo pipefail

PG_HOST="${PGHOST:-127.0.0.1}"
case "$PG_HOST" in /*) PG_HOST=127.0.0.1 ;; esac # PGHOST may name a socket dir
PG_PORT="${PGPORT:-5432}"
PG_USER=postgres
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
WAIT_SECS="${SERVICES_WAIT_SECS:-30}"

HBA_MARKER='# mezha: trust loopback TCP (added by scripts/ensure-services.sh)'

log() { printf 'ensure-services: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

is_local() {
    case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac
}

# Run as root, or through sudo when we are not root (e.g. a GitHub runner).
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif have sudo; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

port_open() { # host port
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

pg_ready() {
    if have pg_isready; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
    else
        port_open "$PG_HOST" "$PG_PORT"
    fi
}

redis_ready() {
    if have redis-cli; then
        [[ "$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
    else
        port_open "$REDIS_HOST" "$REDIS_PORT"
    fi
}

# A login as postgres over TCP with no password works (trust). Skipped without psql.
pg_login_ok() {
    have psql || return 0
    timeout 5 psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -w -Atqc 'select 1' \
        >/dev/null 2>&1
}

APT_UPDATED=0
apt_install() {
    have apt-get || die "cannot install $* : apt-get not found"
    export DEBIAN_FRONTEND=noninteractive
    if [[ $APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        as_root apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    as_root apt-get install -y -qq "$@" || die "apt-get install $* failed"
}

# ---------------------------------------------------------------- PostgreSQL

pg_server_installed() {
    have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# Prints "version cluster status" of the cluster to use: the one on $PG_PORT if any,
# else the first one. Prints nothing when there is no cluster.
pg_pick_cluster() {
    have pg_lsclusters || return 0
    pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '
        $3 == port && !found { found = $1 " " $2 " " $4 }
        NR == 1 { first = $1 " " $2 " " $4 }
        END { if (found) print found; else if (first) print first }'
}

pg_trust_loopback() { # version cluster
    local hba="/etc/postgresql/$1/$2/pg_hba.conf"
    [[ -f $hba ]] || die "$hba not found"
    grep -qxF "$HBA_MARKER" "$hba" && return 1 # already done; nothing changed
    log "trusting 127.0.0.1/32 and ::1/128 in $hba"
    local tmp
    tmp="$(mktemp)"
    {
        printf '%s\n' "$HBA_MARKER"
        printf 'host    all    all    127.0.0.1/32    trust\n'
        printf 'host    all    all    ::1/128         trust\n'
        printf '\n'
        cat "$hba"
    } >"$tmp"
    cat "$tmp" >"$hba" # keeps the file's owner and mode
    rm -f "$tmp"
    return 0
}

pg_ctl() { # action version cluster
    as_root pg_ctlcluster --skip-systemctl-redirect "$2" "$3" "$1"
}

start_postgres() {
    is_local "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (not a local host; not starting it)"
    if ! pg_server_installed; then
        apt_install postgresql
        # Debian's postinst may have created and even started the cluster.
        port_open "$PG_HOST" "$PG_PORT" && return 0
    fi

    local picked ver cluster status
    picked="$(pg_pick_cluster)"
    if [[ -z $picked ]]; then
        # Newest installed server version.
        ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)"
        [[ -n $ver ]] || die "no PostgreSQL server under /usr/lib/postgresql"
        log "creating PostgreSQL $ver cluster 'main' on port $PG_PORT"
        as_root pg_createcluster --port "$PG_PORT" "$ver" main >/dev/null ||
            die "pg_createcluster $ver main failed"
        picked="$ver main down"
    fi
    read -r ver cluster status <<<"$picked"

    # The socket directory lives on /run, which may have been wiped.
    if [[ ! -d /var/run/postgresql ]]; then
        as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    fi

    pg_trust_loopback "$ver" "$cluster" || true
    if [[ $status == online ]]; then
        log "cluster $ver/$cluster is online but $PG_HOST:$PG_PORT does not answer; reloading"
        pg_ctl reload "$ver" "$cluster" || true
    else
        log "starting PostgreSQL cluster $ver/$cluster"
        pg_ctl start "$ver" "$cluster" || die "pg_ctlcluster $ver $cluster start failed (see /var/log/postgresql/postgresql-$ver-$cluster.log)"
    fi
}

# The server answers but refuses a password-less login: fix pg_hba.conf if the
# server is a local cluster we manage, otherwise explain.
fix_postgres_login() {
    local picked ver cluster status
    picked="$(pg_pick_cluster)"
    read -r ver cluster status <<<"${picked:-- - -}"
    if is_local "$PG_HOST" && [[ $status == online ]] && pg_trust_loopback "$ver" "$cluster"; then
        pg_ctl reload "$ver" "$cluster" || true
        sleep 1
        pg_login_ok && return 0
    fi
    die "PostgreSQL at $PG_HOST:$PG_PORT answers but 'psql -h $PG_HOST -p $PG_PORT -U $PG_USER -w' fails; tests need trust auth for user $PG_USER over TCP"
}

# --------------------------------------------------------------------- Redis

start_redis() {
    is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT does not answer (not a local host; not starting it)"
    if ! have redis-server; then
        apt_install redis-server
        port_open "$REDIS_HOST" "$REDIS_PORT" && return 0
    fi
    log "starting redis-server on port $REDIS_PORT"
    # Run from / so that nothing lands in the caller's directory.
    (cd / && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
        --save "" --appendonly no >/dev/null) || die "redis-server failed to start"
}

# ---------------------------------------------------------------------- main

port_open "$PG_HOST" "$PG_PORT" || start_postgres
port_open "$REDIS_HOST" "$REDIS_PORT" || start_redis

deadline=$((SECONDS + WAIT_SECS))
until pg_ready && redis_ready; do
    if ((SECONDS >= deadline)); then
        pg_ready || log "PostgreSQL not ready at $PG_HOST:$PG_PORT (pg_isready failed); logs: /var/log/postgresql/"
        redis_ready || log "Redis not ready at $REDIS_HOST:$REDIS_PORT (PING got no PONG)"
        die "services did not become ready within ${WAIT_SECS}s"
    fi
    sleep 1
done

pg_login_ok || fix_postgres_login

log "PostgreSQL $PG_HOST:$PG_PORT and Redis $REDIS_HOST:$REDIS_PORT are ready"
