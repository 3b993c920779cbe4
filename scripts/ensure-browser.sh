#!/usr/bin/env bash
# The tests need a system Chromium (Playwright cannot download its own browser here) and the Vulkan loader
# (WebGPU in Node finds SwiftShader, shipped with Chromium, through it). Installs Debian's packages when they
# are missing and we may (root + apt); otherwise says what to do.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$browser" ] || missing+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || missing+=(libvulkan1)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} for the tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing ${missing[*]}: install them (e.g. 'sudo apt-get install ${missing[*]}'), or set CHROMIUM_PATH." >&2
exit 1
