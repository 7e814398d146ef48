#!/usr/bin/env bash
# Makes sure the system packages the tests need are present before `npm test` runs:
#   chromium   - browser tests (driven by playwright-core)
#   bubblewrap - the sandbox that runs student code
#   redis-server - the grading queue's Redis backend (tests start their own on a free port)
# Installs them with apt-get when missing and we are allowed to (root, apt-get present); otherwise
# fails with the command to run. Idempotent: does nothing when all are already installed.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Tests need these system packages, which are missing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing them with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "Installed: ${missing[*]}"
else
  echo "Install them first, for example: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
