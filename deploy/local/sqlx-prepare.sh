#!/usr/bin/env bash
# Regenerates the offline query data (.sqlx/) that lets the workspace build without a
# database: migrates a scratch database, then builds with the macros online.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
server=${DATABASE_URL%/*}
db=maillage_sqlx_prepare
psql "$server/postgres" -qc "drop database if exists $db with (force)" -c "create database $db template template0 locale_provider icu icu_locale 'fr'"
for f in "$ROOT"/migrations/*.sql; do psql "$server/$db" -v ON_ERROR_STOP=1 -qf "$f"; done
rm -rf "$ROOT/.sqlx" && mkdir -p "$ROOT/.sqlx"
cargo clean -p maillage-db -p maillage-core-records -p maillage-notification -p maillage-gateway -p maillage-admin >/dev/null 2>&1 || true
SQLX_OFFLINE=false DATABASE_URL="$server/$db" cargo build --workspace --all-targets
psql "$server/postgres" -qc "drop database $db with (force)"
echo "query data written to .sqlx/ ($(ls "$ROOT/.sqlx" | wc -l) queries)"
