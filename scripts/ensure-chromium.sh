#!/usr/bin/env bash
# The browser tests drive a system Chromium (Playwright cannot download its own browser here). Installs Debian's
# chromium when it is missing and we may (root + apt); otherwise says what to do.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium at $browser: install one (e.g. 'sudo apt-get install chromium') or set CHROMIUM_PATH." >&2
exit 1
