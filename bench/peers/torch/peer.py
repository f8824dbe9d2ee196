#!/usr/bin/python3
"""The PyTorch peer of bench/compare.sh: trains the comparison's MLP or convnet on MNIST and prints
one `COMPARE {json}` line.

    /usr/bin/python3 bench/peers/torch/peer.py --model mlp|cnn --epochs 5 --threads 2
        [--data test-data/mnist] [--train-limit N] [--test-limit N] [--seed 42]

Run it with Debian's python3-torch (1.13, OpenBLAS), OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset and
OMP_WAIT_POLICY=PASSIVE (bench/compare.sh sets that up).

The same workload as vecgrad and the TF Java peer, in PyTorch's own idiom:
- Glorot uniform (torch.nn.init.xavier_uniform_, the same fans as Keras' glorot_uniform, also for
  conv kernels: in*kh*kw and out*kh*kw), zero biases.
- Softmax + categorical cross-entropy as CrossEntropyLoss on the logits, mean over the batch.
- torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-7). It adds eps to sqrt(v_hat), Keras
  (keras/src/optimizers/adam.py) to sqrt(v) before the bias correction: the same update up to
  eps * sqrt(1 - beta2^t), far below float32 noise for these gradients.
- Batches of 128 from a permutation drawn each epoch, the last partial batch kept; validation on the
  last 10% of the training set after each epoch, in batches of 128 (Keras' fit).
- The convnet in NCHW (PyTorch's layout); its flatten order differs from Keras' NHWC, which changes
  no amount of work.
"""
import time

_T_START = time.time()

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

BATCH = 128


def read_idx(path, magic, limit):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got = struct.unpack(">i", data[:4])[0]
    if got != magic:
        raise SystemExit(f"peer.py: {path}: expected IDX magic {magic}, got {got}")
    n = min(struct.unpack(">i", data[4:8])[0], limit)
    if magic == 2051:
        rows, cols = struct.unpack(">ii", data[8:16])
        if (rows, cols) != (28, 28):
            raise SystemExit(f"peer.py: {path}: expected 28x28 images, got {rows}x{cols}")
        return np.frombuffer(data, dtype=np.uint8, count=n * 784, offset=16).reshape(n, 784)
    return np.frombuffer(data, dtype=np.uint8, count=n, offset=8)


def network(model):
    if model == "mlp":
        net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                            nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    else:
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def blas_library():
    """The BLAS this process loaded (Debian picks it through update-alternatives), from /proc/self/maps."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    with open("/proc/self/maps") as maps:
        names = {line.split()[-1] for line in maps if "blas" in line}
    return ",".join(sorted(os.path.realpath(n) for n in names)) or "none found"


def evaluate(net, loss_fn, x, y):
    net.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for at in range(0, len(y), BATCH):
            xb, yb = x[at:at + BATCH], y[at:at + BATCH]
            logits = net(xb)
            loss_sum += loss_fn(logits, yb).item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
    net.train()
    return loss_sum / len(y), correct / len(y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--train-limit", type=int, default=60000)
    p.add_argument("--test-limit", type=int, default=10000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", default="test-data/mnist")
    a = p.parse_args()
    if a.epochs < 1 or a.threads < 1:
        raise SystemExit(f"peer.py: --epochs and --threads must be at least 1, got {a.epochs} and {a.threads}")
    t0 = os.environ.get("COMPARE_T0_MS")
    # Python's start, torch's import included: the analogue of the JVM's start.
    startup = time.time() - int(t0) / 1e3 if t0 else -1.0
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)

    blas = blas_library()
    if "openblas" not in blas:
        raise SystemExit(f"peer.py: expected PyTorch on OpenBLAS (apt-get install libopenblas0-pthread), got BLAS {blas}")

    load_start = time.perf_counter()
    shape = (-1, 784) if a.model == "mlp" else (-1, 1, 28, 28)
    x_all = torch.from_numpy(read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"), 2051, a.train_limit)
                             .astype(np.float32) / 255.0).reshape(shape)
    y_all = torch.from_numpy(read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"), 2049, a.train_limit)
                             .astype(np.int64))
    x_test = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"), 2051, a.test_limit)
                              .astype(np.float32) / 255.0).reshape(shape)
    y_test = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz"), 2049, a.test_limit)
                              .astype(np.int64))
    n_train = len(y_all) - int(round(len(y_all) * 0.1))  # the last 10% validate
    x_train, y_train = x_all[:n_train], y_all[:n_train]
    x_val, y_val = x_all[n_train:], y_all[n_train:]
    load = time.perf_counter() - load_start

    setup_start = time.perf_counter()
    net = network(a.model)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    gen = torch.Generator().manual_seed(a.seed)
    setup = time.perf_counter() - setup_start

    epoch_s = []
    train_start = time.perf_counter()
    net.train()
    for _ in range(a.epochs):
        epoch_start = time.perf_counter()
        order = torch.randperm(n_train, generator=gen)
        loss_sum = 0.0
        for at in range(0, n_train, BATCH):
            idx = order[at:at + BATCH]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        train_loss = loss_sum / n_train
        val_loss, val_acc = evaluate(net, loss_fn, x_val, y_val)
        epoch_s.append(time.perf_counter() - epoch_start)
    train = time.perf_counter() - train_start
    test_loss, test_acc = evaluate(net, loss_fn, x_test, y_test)
    print("COMPARE " + json.dumps({
        "system": "torch", "model": a.model, "config": f"torch-{a.model}-t{a.threads}", "threads": a.threads,
        "version": f"PyTorch {torch.__version__}, {os.path.basename(blas)}", "epochs": a.epochs, "train_samples": n_train,
        "startup_s": round(startup, 4), "load_s": round(load, 4), "setup_s": round(setup, 4),
        "train_s": round(train, 4), "epoch_s": [round(e, 4) for e in epoch_s],
        "train_loss": round(train_loss, 5), "val_loss": round(val_loss, 5), "val_acc": round(val_acc, 5),
        "test_loss": round(test_loss, 5), "test_acc": round(test_acc, 5)}), flush=True)


if __name__ == "__main__":
    main()
