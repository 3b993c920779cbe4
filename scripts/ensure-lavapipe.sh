#!/usr/bin/env bash
# The f16 plan's test needs a WebGPU adapter with shader-f16, and on a machine without a GPU the one there is is
# Mesa's lavapipe (a Vulkan driver on the CPU) from Mesa 25: Debian 12's own Mesa 22 is too old for Dawn, and
# SwiftShader has no f16. This puts lavapipe from bookworm-backports into node_modules/.cache/lavapipe (nothing is
# installed system-wide) and writes its Vulkan ICD file there: tests/helpers/lavapipe.ts points Dawn at it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=node_modules/.cache/lavapipe
lib="$dir/root/usr/lib/x86_64-linux-gnu"
icd="$dir/lvp_icd.json"
# Loads only where every library it needs is here or on the system.
usable() { [ -f "$icd" ] && ! LD_LIBRARY_PATH="$lib" ldd "$lib/libvulkan_lvp.so" | grep -q 'not found'; }
usable && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1 || [ "$(uname -m)" != x86_64 ]; then
  echo "The f16 plan test needs Mesa 25's lavapipe: run this script as root on Debian 12 (x86_64), or see README." >&2
  exit 1
fi
echo "fetching Mesa's lavapipe (bookworm-backports) for the f16 plan test…"
apt_dir="$(mktemp -d)"
mkdir -p "$apt_dir/lists/partial"
echo "deb http://deb.debian.org/debian bookworm-backports main" > "$apt_dir/sources.list"
apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$apt_dir/lists" -qq)
apt-get "${apt_opts[@]}" update
(cd "$apt_dir" && apt-get "${apt_opts[@]}" download mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports)
rm -rf "$dir" && mkdir -p "$dir"
for deb in "$apt_dir"/*.deb; do dpkg -x "$deb" "$dir/root"; done
rm -rf "$apt_dir"
# The ICD file names the driver by its absolute path, so no system directory is searched.
sed "s#\"library_path\": \"[^\"]*\"#\"library_path\": \"$(realpath "$lib")/libvulkan_lvp.so\"#" "$dir/root/usr/share/vulkan/icd.d/lvp_icd.json" > "$icd"
# Its other libraries (LLVM, xcb) come with Debian's own Mesa.
if ! usable; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mesa-vulkan-drivers >/dev/null; fi
usable || { echo "lavapipe from bookworm-backports does not load here: $(LD_LIBRARY_PATH="$lib" ldd "$lib/libvulkan_lvp.so" | grep 'not found' | head -1)" >&2; exit 1; }
