#!/usr/bin/env bash
# Packs what the GPU benchmark needs on a bare machine with a GPU but no Node, no npm and no network into .device/
# (git-ignored, well under 64 MiB): a Node binary, the engine benchmarks bundled into single files, the npm
# `webgpu` package (Dawn), the Vulkan loader and libglvnd (NVIDIA's Vulkan driver is loaded through libGLX_nvidia). public/models/ (from npm install) travels beside it.
# Then, on that machine: bash scripts/gpu-bench/device-run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
rm -rf "$out"
mkdir -p "$out/dist" "$out/debs" "$out/node_modules/webgpu/dist/linux-x64"
[ "$(uname -m)" = x86_64 ] || { echo "pack on x86_64: the GPU machine is x86_64" >&2; exit 1; }
[ -f public/models/inception_v3/model.json ] || node scripts/build-model-assets.mjs
for entry in scripts/bench.ts scripts/gpu-bench/gradient-check.ts scripts/gpu-bench/plan-check.ts scripts/gpu-bench/half-check.ts; do
  # The bundle sits two folders below the repository root, as the sources do, so the model path resolves the same.
  npx esbuild "$entry" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
    --external:webgpu --external:@tensorflow/tfjs-backend-wasm \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
    --outfile="$out/dist/$(basename "$entry" .ts).mjs"
done
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
(cd "$out/debs" && apt-get download libvulkan1 libglvnd0 libglx0 libegl1 libopengl0 libgl1 libgles2 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
exclude="$(git rev-parse --git-path info/exclude)"
mkdir -p "$(dirname "$exclude")"
grep -qxF "/$out/" "$exclude" 2>/dev/null || echo "/$out/" >> "$exclude"
du -sh "$out" public/models
