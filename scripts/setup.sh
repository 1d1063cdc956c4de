#!/bin/sh
# One-time set-up behind `npm start` and `npm test`: the Debian packages iceleak drives
# (browsers, nftables, iproute2, proxies, coturn for the benchmark), the npm dependencies
# and the build. Idempotent and quick when everything is already there.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="chromium firefox-esr nftables iproute2 tinyproxy microsocks coturn"
missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "iceleak setup: installing Debian packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends $missing >&2
    # coturn's package starts a TURN server on 3478; iceleak wants that port itself.
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi
    pkill -x turnserver 2>/dev/null || true
  else
    echo "iceleak setup: missing Debian packages:$missing" >&2
    echo "run as root: apt-get update && apt-get install -y$missing" >&2
    exit 2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "iceleak setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund >&2
fi

# Rebuild when any source is newer than the last build.
if [ ! -f dist/.built ] || [ -n "$(find src scripts package.json tsconfig.json tsconfig.build.json -newer dist/.built -type f 2>/dev/null | head -n 1)" ]; then
  echo "iceleak setup: building" >&2
  npm run --silent build >&2
  touch dist/.built
fi
