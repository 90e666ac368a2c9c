#!/usr/bin/env bash
# The local stack for `make run` and `make test`: installs what is missing, reuses the
# PostgreSQL and Redis servers the environment points at (DATABASE_URL, REDIS_URL) or
# that already listen on their standard ports, and otherwise starts private ones under
# .stack/ (git-ignored). Writes the resulting settings to .stack/env.
#
#   stack.sh tools     install missing system packages, the SMTP sink and the OpenID provider
#   stack.sh up        tools + PostgreSQL + Redis, then write .stack/env
#
# MAILLAGE_OWN_SERVICES=1 ignores servers already on the standard ports and always uses
# private ones (as on a machine that has none).
#   stack.sh down      stop what this script started
#   stack.sh install PACKAGE…   apt-get install, as root or through sudo
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK="$ROOT/.stack"
mkdir -p "$STACK"
PG_PORT=${MAILLAGE_PG_PORT:-55432}
REDIS_PORT=${MAILLAGE_REDIS_PORT:-56379}

log() { printf '[stack] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >&2
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# .stack/pg, unless the postgres user cannot reach the checkout (a home folder closed to
# others): then a folder of its own under /var/tmp, named after the checkout.
pg_data_dir() {
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$STACK" 2>/dev/null; then
    echo "$STACK/pg"
  else
    echo "/var/tmp/maillage-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
}

tools() {
  command -v psql >/dev/null || apt_install postgresql-client
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  # The browser tests drive Debian's Chromium through chromedriver.
  [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
  if [ ! -x "$STACK/venv/bin/python" ]; then
    python3 -m venv "$STACK/venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$STACK/venv"; }
  fi
  "$STACK/venv/bin/python" -c 'import aiosmtpd' 2>/dev/null \
    || "$STACK/venv/bin/pip" install -q aiosmtpd >&2
  # The OpenAPI document is checked by a real validator.
  "$STACK/venv/bin/python" -c 'import openapi_spec_validator' 2>/dev/null \
    || "$STACK/venv/bin/pip" install -q "openapi-spec-validator==0.7.*" >&2
  # Calendar feeds are checked by a real iCalendar parser.
  "$STACK/venv/bin/python" -c 'import icalendar' 2>/dev/null \
    || "$STACK/venv/bin/pip" install -q "icalendar==6.*" >&2
  # DKIM signatures are checked by a real verifier.
  "$STACK/venv/bin/python" -c 'import dkim' 2>/dev/null \
    || "$STACK/venv/bin/pip" install -q "dkimpy==1.*" >&2
  if [ ! -d "$ROOT/deploy/oidc/node_modules/oidc-provider" ]; then
    log "installing the development OpenID provider (npm ci)"
    (cd "$ROOT/deploy/oidc" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# Echoes a DATABASE_URL for a server that answers, starting one if needed.
postgres_url() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; return; fi
  if [ -z "${MAILLAGE_OWN_SERVICES:-}" ] && port_open 5432 && psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "postgres://postgres@127.0.0.1:5432/postgres"; return
  fi
  if ! port_open "$PG_PORT"; then
    [ -n "$(pg_bin_dir)" ] || apt_install postgresql
    local bin data
    bin=$(pg_bin_dir)
    data=$(pg_data_dir)
    # initdb and postgres refuse to run as root: run them as the postgres user.
    local run=()
    if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); mkdir -p "$data"; chown postgres "$data"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      log "creating a PostgreSQL cluster in $data"
      "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    log "starting PostgreSQL on port $PG_PORT"
    "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $data -c max_connections=300" start >/dev/null
  fi
  echo "postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

redis_url() {
  if [ -n "${REDIS_URL:-}" ]; then echo "$REDIS_URL"; return; fi
  if [ -z "${MAILLAGE_OWN_SERVICES:-}" ] && port_open 6379; then echo "redis://127.0.0.1:6379"; return; fi
  if ! port_open "$REDIS_PORT"; then
    command -v redis-server >/dev/null || apt_install redis-server
    mkdir -p "$STACK/redis"
    log "starting Redis on port $REDIS_PORT (append-only file in .stack/redis)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STACK/redis" --appendonly yes \
      --daemonize yes --pidfile "$STACK/redis/redis.pid" --logfile "$STACK/redis/redis.log"
    for _ in $(seq 50); do port_open "$REDIS_PORT" && break; sleep 0.1; done
  fi
  echo "redis://127.0.0.1:$REDIS_PORT"
}

up() {
  tools
  local db redis
  db=$(postgres_url)
  redis=$(redis_url)
  cat > "$STACK/env" <<ENV
export DATABASE_URL='$db'
export REDIS_URL='$redis'
export MAILLAGE_PYTHON='$STACK/venv/bin/python'
export MAILLAGE_OIDC_PROVIDER='$ROOT/deploy/oidc/provider.mjs'
ENV
  log "PostgreSQL: $db"
  log "Redis:      $redis"
}

down() {
  local bin
  bin=$(pg_bin_dir)
  local data
  data=$(pg_data_dir)
  if [ -f "$data/postmaster.pid" ] && [ -n "$bin" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null
    else "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null; fi
    log "PostgreSQL stopped"
  fi
  if [ -f "$STACK/redis/redis.pid" ]; then
    kill "$(cat "$STACK/redis/redis.pid")" 2>/dev/null || true
    rm -f "$STACK/redis/redis.pid"
    log "Redis stopped"
  fi
}

case "${1:-}" in
  tools) tools ;;
  up) up ;;
  down) down ;;
  install) shift; apt_install "$@" ;;
  *) echo "usage: $0 tools|up|down|install PACKAGE…" >&2; exit 2 ;;
esac
