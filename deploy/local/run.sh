#!/usr/bin/env bash
# `make run` / `make stop`: the whole of Maillage on this machine, with a development
# OpenID provider (demo accounts) and a mail inbox in the browser. Data lives in .stack/
# (or in the PostgreSQL the environment points at) and survives `make stop`.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK="$ROOT/.stack"
LOGS="$STACK/logs"
PIDS="$STACK/pids"
GATEWAY_PORT=${MAILLAGE_PORT:-8080}
CORE_PORT=$((GATEWAY_PORT + 1))
NOTIFICATION_PORT=$((GATEWAY_PORT + 2))
OIDC_PORT=${MAILLAGE_OIDC_PORT:-8090}
SMTP_PORT=${MAILLAGE_SMTP_PORT:-1025}
INBOX_PORT=${MAILLAGE_INBOX_PORT:-1080}
BASE="http://127.0.0.1:$GATEWAY_PORT"

log() { printf '[run] %s\n' "$*" >&2; }
trap 'log "error: this step failed (exit $?): $BASH_COMMAND (deploy/local/run.sh line $LINENO)"' ERR

stop() {
  for pidfile in "$PIDS"/*.pid; do
    [ -f "$pidfile" ] || continue
    alive "$(basename "$pidfile" .pid)" && kill "$(cat "$pidfile")" 2>/dev/null \
      && log "stopped $(basename "$pidfile" .pid)" || true
    rm -f "$pidfile" "${pidfile%.pid}.started"
  done
  bash "$ROOT/deploy/local/stack.sh" down
}

# Whether NAME's process is still there and is the one started: a pid file outlives a
# killed process, a killed process not yet reaped still answers `kill -0`, and its number
# may have been given to another program since (the start time tells them apart).
alive() {
  local name=$1 pid stat
  [ -f "$PIDS/$name.pid" ] && [ -f "$PIDS/$name.started" ] || return 1
  pid=$(cat "$PIDS/$name.pid")
  stat=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || return 1
  # After the command's name: the state (1st field), the start time (20th).
  [ "$(cut -d' ' -f1 <<<"$stat")" != "Z" ] &&
    [ "$(cut -d' ' -f20 <<<"$stat")" = "$(cat "$PIDS/$name.started")" ]
}

# Starts a long-running process in the background, its output in .stack/logs/NAME.log.
launch() {
  local name=$1; shift
  if alive "$name"; then
    log "$name already running"; return
  fi
  nohup "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
  sed 's/.*) //' "/proc/$!/stat" | cut -d' ' -f20 >"$PIDS/$name.started"
}

wait_for() {
  local name=$1 url=$2
  for _ in $(seq 120); do
    curl -fsS -o /dev/null -H "Accept: text/html" "$url" 2>/dev/null && return 0
    alive "$name" || break
    sleep 0.5
  done
  tail -n 20 "$LOGS/$name.log" >&2
  log "error: $name did not start (log: $LOGS/$name.log)"; return 1
}

start() {
  mkdir -p "$LOGS" "$PIDS"
  bash "$ROOT/deploy/local/stack.sh" up
  if [ ! -d "$ROOT/deploy/local/maildev/node_modules/maildev" ]; then
    log "installing the local mail inbox (npm ci)"
    (cd "$ROOT/deploy/local/maildev" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  # The servers' URLs, and the PATH with the Node.js the provider and the inbox need.
  # shellcheck source=/dev/null
  source "$STACK/env"
  [ -f "$STACK/internal-secret" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$STACK/internal-secret"
  # Seals the client secrets of workspaces' own identity providers.
  [ -f "$STACK/identity-key" ] || head -c 32 /dev/urandom | base64 >"$STACK/identity-key"

  log "building the services"
  (cd "$ROOT" && SQLX_OFFLINE=true cargo build --bins --quiet)
  local bin="$ROOT/target/debug"

  # One database, "maillage", next to whatever the server already holds.
  local server=${DATABASE_URL%/*} hostport
  hostport=${server#*://}; hostport=${hostport#*@}
  psql "$server/postgres" -Atqc "select 1 from pg_database where datname = 'maillage'" | grep -q 1 \
    || psql "$server/postgres" -qc "create database maillage template template0 locale_provider icu icu_locale 'fr'"
  export DATABASE_URL="$server/maillage"
  "$bin/maillage-admin" migrate
  "$bin/maillage-admin" tenant create --slug demo --name "Association Démo" --kind association \
    --admin-email camille.martin@demo.maillage.test --if-absent
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qf "$ROOT/deploy/local/demo.sql"

  export REDIS_NAMESPACE=maillage INTERNAL_AUTH_SECRET
  INTERNAL_AUTH_SECRET=$(cat "$STACK/internal-secret")
  launch oidc env OIDC_PORT="$OIDC_PORT" OIDC_CLIENT_ID=maillage-gateway OIDC_CLIENT_SECRET=maillage-dev-secret \
    OIDC_REDIRECT_URIS="$BASE/auth/callback" OIDC_POST_LOGOUT_REDIRECT_URIS="$BASE/?logged_out=1" node "$ROOT/deploy/oidc/provider.mjs"
  launch inbox "$ROOT/deploy/local/maildev/node_modules/.bin/maildev" --smtp "$SMTP_PORT" --ip 127.0.0.1 \
    --web "$INBOX_PORT" --web-ip 127.0.0.1 --mail-directory "$STACK/mail"
  launch core-records env CORE_RECORDS_DATABASE_URL="postgres://maillage_core@$hostport/maillage" \
    CORE_RECORDS_BIND="127.0.0.1:$CORE_PORT" "$bin/core-records"
  launch notification env NOTIFICATION_DATABASE_URL="postgres://maillage_notification@$hostport/maillage" \
    NOTIFICATION_BIND="127.0.0.1:$NOTIFICATION_PORT" SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
    PUBLIC_BASE_URL="$BASE" NOTIFICATION_CONSUMER_NAME=local "$bin/notification"
  wait_for oidc "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"
  launch gateway env GATEWAY_DATABASE_URL="postgres://maillage_gateway@$hostport/maillage" \
    GATEWAY_BIND="127.0.0.1:$GATEWAY_PORT" PUBLIC_BASE_URL="$BASE" CORE_RECORDS_URL="http://127.0.0.1:$CORE_PORT" \
    OIDC_ISSUER_URL="http://127.0.0.1:$OIDC_PORT" OIDC_CLIENT_ID=maillage-gateway OIDC_CLIENT_SECRET=maillage-dev-secret \
    IDENTITY_SECRETS_KEY="$(cat "$STACK/identity-key")" WORKSPACE_ISSUERS_MAY_BE_LOCAL=true \
    "$bin/gateway"
  wait_for core-records "http://127.0.0.1:$CORE_PORT/readyz"
  wait_for notification "http://127.0.0.1:$NOTIFICATION_PORT/readyz"
  wait_for gateway "$BASE/readyz"
  wait_for inbox "http://127.0.0.1:$INBOX_PORT/"

  cat <<MSG

  Maillage is running.

    Application   $BASE
    Demo login    camille   (any password)   — owner of the workspace "Association Démo"
                  dominique, sacha           — accounts without a workspace yet
    Mail inbox    http://127.0.0.1:$INBOX_PORT
    Logs          .stack/logs/

  Stop everything with: make stop   (your data stays for the next make run)

MSG
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
