#!/usr/bin/env bash
# `make newcomer`: the README's two commands where a newcomer types them, on a Debian
# machine that has nothing. Builds a clean Debian root (debootstrap, minbase, then
# build-essential, git and ca-certificates; the host's Rust toolchain mounted read-only),
# clones this checkout's HEAD into it, and there runs `make test`, then `make run` on
# free ports with MAILLAGE_OWN_SERVICES=1, logs in through the development OpenID
# provider, enters a report due tomorrow, finds exactly one reminder in the local inbox
# (tests/newcomer.rs), and `make stop`.
#
# The bare root (before anything of Maillage's) is kept as a tarball under
# MAILLAGE_NEWCOMER_CACHE (default /var/cache/maillage-newcomer) with the crates cargo
# downloaded: both hold only what a newcomer's machine or crates.io would give again.
# Everything the two commands install is installed anew on every run.
#
# Needs root (debootstrap, chroot, mounts). MAILLAGE_NEWCOMER_SUITE picks the Debian
# release (default bookworm); MAILLAGE_NEWCOMER_KEEP=1 keeps the root afterwards.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=${MAILLAGE_NEWCOMER_SUITE:-bookworm}
CACHE=${MAILLAGE_NEWCOMER_CACHE:-/var/cache/maillage-newcomer}
BASE_PACKAGES="build-essential git ca-certificates"
# Bumped when the way the bare root is made changes, so a cached one is made again.
RECIPE=1
# Ports of the root's own servers, away from the defaults a developer's stack may hold.
ROOT_ENV=(MAILLAGE_OWN_SERVICES=1 MAILLAGE_PG_PORT=55442 MAILLAGE_REDIS_PORT=56389)
RUN_ENV=(MAILLAGE_PORT=18180 MAILLAGE_OIDC_PORT=18190 MAILLAGE_SMTP_PORT=11125 MAILLAGE_INBOX_PORT=11180)
CHECKOUT=/root/maillage

log() { printf '\n[newcomer] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'log "error: this step failed (exit $?): $BASH_COMMAND (deploy/local/newcomer.sh line $LINENO)"' ERR

[ "$(id -u)" = 0 ] || die "run as root: debootstrap, chroot and mount need it"
command -v debootstrap >/dev/null || bash "$ROOT/deploy/local/stack.sh" install debootstrap
command -v rustc >/dev/null || die "no Rust toolchain on this machine to lend the root"
started=$SECONDS

# The Debian mirror this machine's apt uses, so the root reaches the same one.
mirror() {
  local uri
  uri=$(grep -hs -m1 -E '^(URIs:|deb) ' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list \
    | grep -o -m1 -E 'https?://[^ ]+/debian' | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror)

# A root holds services of its own; every chroot into it carries the same environment.
in_root() {
  chroot "$WORK" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
    PATH=/opt/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt CARGO_TERM_COLOR=never \
    "${ROOT_ENV[@]}" "$@"
}

make_base() {
  local tarball=$1 fresh
  fresh=$(mktemp -d /var/tmp/maillage-newcomer-base.XXXXXX)
  chmod 755 "$fresh"
  log "making a bare Debian $SUITE root (debootstrap --variant=minbase, $MIRROR)"
  debootstrap --variant=minbase "$SUITE" "$fresh" "$MIRROR" >"$fresh.log" 2>&1 \
    || { tail -n 30 "$fresh.log" >&2; die "debootstrap failed (log: $fresh.log)"; }
  # No daemon starts when its package is installed, as in any container image.
  printf '#!/bin/sh\nexit 101\n' >"$fresh/usr/sbin/policy-rc.d"
  chmod +x "$fresh/usr/sbin/policy-rc.d"
  # The security and point-release updates, as on any installed Debian.
  cat >"$fresh/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SOURCES
  cp /etc/resolv.conf "$fresh/etc/resolv.conf"
  add_local_certificates "$fresh"
  chroot "$fresh" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c "apt-get update -qq && apt-get install -y -qq $BASE_PACKAGES && apt-get clean" >"$fresh.log" 2>&1 \
    || { tail -n 30 "$fresh.log" >&2; die "installing $BASE_PACKAGES in the root failed"; }
  mkdir -p "$(dirname "$tarball")"
  grep -q " $fresh/" /proc/mounts && die "something is still mounted in $fresh: not archiving it"
  tar -C "$fresh" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$fresh" "$fresh.log"
}

# This machine reaches the registries through certificate authorities of its own: a
# root must trust them too (a newcomer's machine needs none).
add_local_certificates() {
  local dir=$1
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$dir/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
    if [ -x "$dir/usr/sbin/update-ca-certificates" ]; then
      chroot "$dir" /usr/sbin/update-ca-certificates >/dev/null 2>&1
    fi
  fi
}

cleanup() {
  local status=$?
  [ -n "${WORK:-}" ] && [ -d "$WORK" ] || exit "$status"
  # Whatever still runs in the root (a service `make stop` missed after a failure).
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$WORK" ] && kill -9 "$pid" 2>/dev/null || true
  done
  sleep 1
  umount -R "$WORK/opt/rust" "$WORK/root/.cargo/registry" "$WORK/dev/shm" "$WORK/dev/pts" \
    "$WORK/dev" "$WORK/sys" "$WORK/proc" 2>/dev/null || true
  if [ -n "${MAILLAGE_NEWCOMER_KEEP:-}" ]; then log "root kept in $WORK"
  elif ! grep -q " $WORK/" /proc/mounts; then rm -rf "$WORK"; fi
  exit "$status"
}

key=$(printf '%s %s %s %s' "$SUITE" "$BASE_PACKAGES" "$MIRROR" "$RECIPE" | sha256sum | cut -c1-16)
tarball="$CACHE/base-$SUITE-$key.tar"
[ -f "$tarball" ] || make_base "$tarball"

WORK=$(mktemp -d /var/tmp/maillage-newcomer.XXXXXX)
trap cleanup EXIT
log "a clean Debian $SUITE root in $WORK (from $tarball)"
tar -C "$WORK" -xf "$tarball"
# mktemp made it 0700: as the root's / it must let every user in, as any / does.
chmod 755 "$WORK"
cp /etc/resolv.conf "$WORK/etc/resolv.conf"
add_local_certificates "$WORK"

mount -t proc proc "$WORK/proc"
mount -t sysfs sys "$WORK/sys"
mount --bind /dev "$WORK/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$WORK/dev/pts"
mount -t tmpfs -o mode=1777 shm "$WORK/dev/shm"
# The Rust toolchain, lent read-only, as a newcomer has their own.
mkdir -p "$WORK/opt/rust" "$WORK/root/.cargo/registry" "$CACHE/cargo-registry"
mount --bind "$(rustc --print sysroot)" "$WORK/opt/rust"
mount -o remount,bind,ro "$WORK/opt/rust"
mount --bind "$CACHE/cargo-registry" "$WORK/root/.cargo/registry"

git clone --quiet "$ROOT" "$WORK$CHECKOUT"
log "checkout $(git -C "$WORK$CHECKOUT" log -1 --format='%h %s' | cut -c1-80)"

log "make test, as a newcomer types it"
in_root bash -c "cd $CHECKOUT && make test"
log "make test passed ($((SECONDS - started)) s so far)"

log "make run, on free ports"
in_root "${RUN_ENV[@]}" bash -c "cd $CHECKOUT && make run"
log "the newcomer's first steps"
in_root "${RUN_ENV[@]}" MAILLAGE_URL=http://127.0.0.1:18180 MAILLAGE_INBOX_URL=http://127.0.0.1:11180 \
  bash -c "cd $CHECKOUT && SQLX_OFFLINE=true cargo run --quiet --locked -p maillage-e2e --example newcomer"
in_root "${RUN_ENV[@]}" bash -c "cd $CHECKOUT && make stop"
log "the two commands work on a clean Debian $SUITE ($((SECONDS - started)) s)"
