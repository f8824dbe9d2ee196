#!/usr/bin/env python3
"""Predictions of a convnet saved by `mnist.jar --model cnn --save FILE`, computed independently of vecgrad.

Reads the safetensors file by its format (an 8-byte little-endian header length, a JSON header, raw
little-endian float32 data), takes the first N test images of an MNIST IDX file (raw or gzip), and runs
Keras' Simple MNIST convnet in float64 with NumPy only, in Keras' layout (channels last, conv kernels
(kh, kw, in, out), Flatten over (h, w, c) in that order):

    Conv2D(32, 3x3, relu, valid) -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu, valid) -> MaxPooling2D(2)
    -> Flatten -> Dropout(0.5) (the identity at inference) -> Dense(10, softmax)

Prints one line per image: the index, then the 10 probabilities with 17 significant digits.

    python3 cnn_predict.py MODEL.safetensors t10k-images-idx3-ubyte.gz N
"""
import gzip
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: expected F32, got {info['dtype']}")
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return tensors


def read_images(path, count):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x00000803:
        raise ValueError(f"{path}: expected IDX images (magic 0x803), got {magic:#x}")
    count = min(count, n)
    pixels = np.frombuffer(raw[16:16 + count * rows * cols], dtype=np.uint8)
    # As vecgrad's Mnist: pixel / 255 (in float32, then widened: the model's input is that float).
    images = (pixels.astype(np.float32) / np.float32(255)).astype(np.float64)
    return images.reshape(count, rows, cols, 1)


def conv2d_valid(x, kernel, bias):
    """x (n, h, w, c), kernel (kh, kw, c, f), bias (f) -> (n, h-kh+1, w-kw+1, f), by the definition."""
    n, h, w, c = x.shape
    kh, kw, kc, f = kernel.shape
    if kc != c:
        raise ValueError(f"kernel {kernel.shape} does not take {c} channels")
    oh, ow = h - kh + 1, w - kw + 1
    out = np.zeros((n, oh, ow, f))
    for i in range(kh):
        for j in range(kw):
            # every output position's input pixel at kernel offset (i, j), times that tap's (c, f) matrix
            out += np.einsum("nhwc,cf->nhwf", x[:, i:i + oh, j:j + ow, :], kernel[i, j])
    return out + bias


def max_pool2(x):
    """(n, h, w, c) -> (n, h // 2, w // 2, c): 2x2 windows, stride 2, valid (the odd last row/column dropped)."""
    n, h, w, c = x.shape
    oh, ow = h // 2, w // 2
    x = x[:, :2 * oh, :2 * ow, :].reshape(n, oh, 2, ow, 2, c)
    return x.max(axis=(2, 4))


def predict(t, x):
    a = np.maximum(conv2d_valid(x, t["conv2d/kernel"], t["conv2d/bias"]), 0)
    a = max_pool2(a)
    a = np.maximum(conv2d_valid(a, t["conv2d_1/kernel"], t["conv2d_1/bias"]), 0)
    a = max_pool2(a)
    a = a.reshape(a.shape[0], -1)
    z = a @ t["dense/kernel"] + t["dense/bias"]
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: cnn_predict.py MODEL.safetensors IMAGES-idx3-ubyte[.gz] N")
    tensors = read_safetensors(argv[1])
    p = predict(tensors, read_images(argv[2], int(argv[3])))
    for i, row in enumerate(p):
        print(i, " ".join(repr(float(v)) for v in row))


if __name__ == "__main__":
    main(sys.argv)
