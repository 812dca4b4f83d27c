#!/usr/bin/env bash
# Installs `redis-server` (Debian package) for the BullMQ queue engine's tests: they start
# their own server on a free loopback port, without persistence, and stop it afterwards.
# Idempotent: does nothing when redis-server is already there. Called by test-all.sh (CI).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "[setup-redis] $(redis-server --version | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "[setup-redis] redis-server is missing and this is not a Debian/Ubuntu machine: install Redis >= 6.2 yourself" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "[setup-redis] apt-get install redis-server"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The package's own service is not needed (the tests start their own servers); leave it as the system set it up.
echo "[setup-redis] $(redis-server --version | head -1)"
