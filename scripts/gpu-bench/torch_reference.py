"""Native reference on the same GPU: InceptionV3 to Keras `mixed3` (torchvision Mixed_6a), forward plus the
input gradient of 0.5*mean(a^2), timed with CUDA events. Random weights: the time does not depend on their values.
Run by device-run.sh; prints one JSON line per row."""
import json
import statistics

import torch
from torchvision.models import inception_v3

torch.backends.cudnn.benchmark = True
net = inception_v3(weights=None, aux_logits=False, init_weights=False).eval().cuda()
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


for size in (224, 512):
    for tf32 in (False, True):
        print(json.dumps(bench(size, tf32, channels_last=False)), flush=True)
    print(json.dumps(bench(size, True, channels_last=True)), flush=True)
