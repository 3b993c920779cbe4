"""Native reference: InceptionV3 to Keras `mixed3` (torchvision Mixed_6a), forward plus the input gradient of
0.5*mean(a^2), the work of one dream step. Random weights: the time does not depend on their values. On a GPU
(device-run.sh) timed with CUDA events; on the CPU (`python3 torch_reference.py cpu`, e.g. Debian's python3-torch
and python3-torchvision) with every core, so the wasm figures can be compared on the same machine the same day.
Prints one JSON line per row."""
import json
import os
import statistics
import sys
import time

import torch
from torchvision.models import inception_v3

DEVICE = sys.argv[1] if len(sys.argv) > 1 else 'cuda'
torch.backends.cudnn.benchmark = True
torch.set_num_threads(os.cpu_count() or 1)
net = inception_v3(weights=None, aux_logits=False, init_weights=False).eval().to(DEVICE)
trunk = torch.nn.Sequential(
    net.Conv2d_1a_3x3, net.Conv2d_2a_3x3, net.Conv2d_2b_3x3, net.maxpool1,
    net.Conv2d_3b_1x1, net.Conv2d_4a_3x3, net.maxpool2,
    net.Mixed_5b, net.Mixed_5c, net.Mixed_5d, net.Mixed_6a,
)
for p in trunk.parameters():
    p.requires_grad_(False)


def step(x):
    x = x.detach().requires_grad_(True)
    a = trunk(x)
    (0.5 * a.square().mean()).backward()
    return x.grad


def bench(size, tf32, channels_last, runs=50):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    trunk.to(memory_format=fmt)
    x = torch.rand(1, 3, size, size, device='cuda').mul(2).sub(1).contiguous(memory_format=fmt)
    for _ in range(10):
        step(x)
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        step(x)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    med = statistics.median(times)
    return {'bench': 'torch mixed3 forward+input-gradient', 'size': size, 'tf32': tf32, 'channels_last': channels_last,
            'median_ms': round(med, 3), 'min_ms': round(min(times), 3), 'steps_per_s': round(1000 / med, 1),
            'device': torch.cuda.get_device_name(0), 'torch': torch.__version__}


def bench_cpu(size, runs=10):
    x = torch.rand(1, 3, size, size).mul(2).sub(1)
    for _ in range(3):
        step(x)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step(x)
        times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    return {'bench': 'torch mixed3 forward+input-gradient', 'size': size, 'device': 'cpu', 'threads': torch.get_num_threads(),
            'median_ms': round(med, 1), 'min_ms': round(min(times), 1), 'steps_per_s': round(1000 / med, 2), 'torch': torch.__version__}


for size in (224, 512):
    if DEVICE == 'cpu':
        print(json.dumps(bench_cpu(size)), flush=True)
        continue
    for tf32 in (False, True):
        print(json.dumps(bench(size, tf32, channels_last=False)), flush=True)
    print(json.dumps(bench(size, True, channels_last=True)), flush=True)
