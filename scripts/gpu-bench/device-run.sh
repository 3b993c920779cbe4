#!/usr/bin/env bash
# Runs on the lent GPU machine (see pack.sh): native PyTorch reference, the gradient check on the GPU, then the
# engine benchmarks on tfjs-webgpu through Dawn. Each part has its own time limit so one hang cannot eat the lease;
# results go to $OUT (or ./gpu-out) as they come.
#   bash scripts/gpu-bench/device-run.sh [torch] [check] [bench] [batching] [large] [profile] [cpuprof] [plan] [planstream] [plancheck] [plantune] [halfcheck]
#   (default: torch check bench batching profile)
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-gpu-out}"
mkdir -p "$out"
for f in .device/debs/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
export DREAMSTREAM_SWIFTSHADER=0
node_bin="$(command -v node || true)"
if [ -z "$node_bin" ]; then xz -dc .device/node.xz > /tmp/node && chmod +x /tmp/node && node_bin=/tmp/node; fi
dawn=.device/node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || xz -dc "$dawn.xz" > "$dawn"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv | tee "$out/gpu.txt"
"$node_bin" --version
part() { # name, seconds, command…
  local name=$1 limit=$2; shift 2
  echo "== $name"
  timeout "$limit" "$@" 2>&1 | grep -v "^Hi, looks like\|^====\|^$" | tee "$out/$name.txt"
  echo "== $name rc=${PIPESTATUS[0]}"
}
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(torch check bench batching profile)
bench=("$node_bin" .device/dist/bench.mjs --backends webgpu)
for p in "${parts[@]}"; do
  case "$p" in
    torch) part torch 90 python3 scripts/gpu-bench/torch_reference.py ;;
    check) part check 60 "$node_bin" .device/dist/gradient-check.mjs --size 128 ;;
    bench) part bench 200 "${bench[@]}" --sizes 224,512 --runs 10 --batch 30 --modes floor,dream,stream,pipelined,style ;;
    # tfjs-webgpu submits a command buffer every N dispatches (default 15); each submit costs JavaScript time.
    batching) for n in 15 60 250; do
        part "batching-$n" 60 "${bench[@]}" --sizes 512 --runs 5 --batch 30 --modes pipelined --flags "WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=$n"
      done ;;
    # Gallery sizes: how large a frame still streams at 30 frames a second.
    large) part large 150 "${bench[@]}" --sizes 768,1024 --runs 5 --batch 30 --modes dream,pipelined ;;
    # The recorded plan (engine/plan): host ms, steps/s in flight, dispatches and creations per step, for the dream
    # step (two objectives), the stream frame with its tail (zoomed, turned) and the whole style iteration.
    plan) part plan 280 "${bench[@]}" --sizes 224,512,768,1024 --runs 5 --batch 30 --modes plan ;;
    planstream) part planstream 120 "${bench[@]}" --sizes 512,1024 --runs 5 --batch 30 --modes dream,pipelined ;;
    # Tile choice: fewer workgroups wanted picks larger tiles (engine/plan/wgsl/gemm.ts).
    plantune) for w in 1 64 1024; do
        part "plantune-$w" 60 "${bench[@]}" --sizes 512,1024 --runs 5 --batch 30 --modes plan --flags "DREAMSTREAM_PLAN_WORKGROUPS=$w"
      done ;;
    plancheck) part plancheck 60 "$node_bin" .device/dist/plan-check.mjs 512 mixed3,mixed5 7 ;;
    # The f16 plan against f32 (engine/plan/precision.ts), with f16 products and with f16 storage alone, and the
    # plan rows of both beside f32's: only where the adapter has shader-f16 (half-check says so; the rows are f32).
    halfcheck) part halfcheck 90 "$node_bin" .device/dist/half-check.mjs 512 mixed3,mixed5 3
      grep -q '"shaderF16":true' "$out/halfcheck.txt" || continue
      part halfcheck-storage 90 "$node_bin" .device/dist/half-check.mjs 512 mixed3,mixed5 3 --precision f16-storage
      for f in "" "DREAMSTREAM_PLAN_F16_PRODUCTS=false" "DREAMSTREAM_PLAN_F16=false"; do
        part "halfplan-${f:-f16}" 120 "${bench[@]}" --sizes 512,1024 --runs 5 --batch 30 --modes plan ${f:+--flags "$f"}
      done ;;
    profile) part profile 90 "${bench[@]}" --sizes 224,512 --runs 3 --modes profile ;;
    # A JavaScript CPU profile of the pipelined stream: where the time goes when the GPU waits on dispatch.
    cpuprof) part cpuprof 90 "$node_bin" --cpu-prof --cpu-prof-dir="$out" --cpu-prof-interval 200 .device/dist/bench.mjs \
      --backends webgpu --sizes 512 --runs 5 --batch 30 --modes pipelined ;;
    *) echo "unknown part $p" >&2 ;;
  esac
done
