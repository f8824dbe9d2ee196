#!/usr/bin/env python3
"""Expected values for vecgrad's convolution and pooling ops, computed by PyTorch in float64.

  python3 conv_reference.py > conv-reference.txt

The file is plain text (one line per field, see main), read by a few lines of Java. For each case it holds the float32 inputs (NHWC images x, a Keras-layout kernel (kh, kw, in, out),
a bias, and an output weighting g), and PyTorch's float64 results: the forward output y (NHWC) and the
gradients of sum(g * y) with respect to x, the kernel and the bias. vecgrad's ConvReferenceTest reads it,
so the Java tests do not need Python.

TensorFlow's "same" padding (Keras 3's TF backend) puts an odd pad's extra row at the bottom and its extra
column at the right; PyTorch's integer padding is symmetric, so the pad is applied here explicitly with
F.pad, then the op runs with padding 0. Max pooling pads with -inf (padded cells are never the maximum);
TF's "same" average pooling divides by the number of cells inside the image, done here as the window sums
of the padded input divided by the window sums of a padded mask of ones.

Inputs come from a torch.Generator seeded with SEED, float32 values in [-1, 1), written with 9 significant
digits so that Java reads back exactly those floats; results are written with 12.
"""

import sys

import torch
import torch.nn.functional as F

SEED = 20261205
N, H, W, C = 3, 11, 13, 3


def out_len(n, k, s, padding, d=1):
    e = (k - 1) * d + 1
    return (n + s - 1) // s if padding == "same" else (n - e) // s + 1


def tf_pads(n, k, s, padding, d=1):
    """(before, after) as TensorFlow places them."""
    if padding == "valid":
        return 0, 0
    e = (k - 1) * d + 1
    total = max((out_len(n, k, s, padding, d) - 1) * s + e - n, 0)
    return total // 2, total - total // 2


def rand(gen, *shape):
    return (torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1)


def flat(t):
    """float32 inputs: 9 significant digits read back as the same float32; float64 results: 12, far below
    the tolerance of the test, which compares float32 computations with them."""
    digits = "%.9g" if t.dtype == torch.float32 else "%.12g"
    return [float(digits % v) for v in t.detach().reshape(-1).tolist()]


def conv_case(gen, name, kh, kw, f, strides, padding, dilation):
    x32 = rand(gen, N, H, W, C)
    k32 = rand(gen, kh, kw, C, f)
    b32 = rand(gen, f)
    x = x32.double().requires_grad_()
    k = k32.double().requires_grad_()
    b = b32.double().requires_grad_()
    top, bottom = tf_pads(H, kh, strides[0], padding, dilation[0])
    left, right = tf_pads(W, kw, strides[1], padding, dilation[1])
    xp = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
    y = F.conv2d(xp, k.permute(3, 2, 0, 1), b, stride=tuple(strides), dilation=tuple(dilation))
    y = y.permute(0, 2, 3, 1)
    g32 = rand(gen, *y.shape)
    (y * g32.double()).sum().backward()
    return {"name": name, "op": "conv2d", "kernel_size": [kh, kw], "strides": strides, "padding": padding,
            "dilation": dilation, "pads": [top, bottom, left, right],
            "x_shape": list(x32.shape), "x": flat(x32), "kernel_shape": list(k32.shape), "kernel": flat(k32),
            "bias": flat(b32), "y_shape": list(y.shape), "g": flat(g32), "y": flat(y),
            "dx": flat(x.grad), "dkernel": flat(k.grad), "dbias": flat(b.grad)}


def pool_case(gen, name, op, pool, strides, padding):
    x32 = rand(gen, N, H, W, C)
    x = x32.double().requires_grad_()
    top, bottom = tf_pads(H, pool[0], strides[0], padding)
    left, right = tf_pads(W, pool[1], strides[1], padding)
    xn = x.permute(0, 3, 1, 2)
    pads = (left, right, top, bottom)
    if op == "max_pool2d":
        y = F.max_pool2d(F.pad(xn, pads, value=float("-inf")), tuple(pool), tuple(strides))
    else:
        sums = F.avg_pool2d(F.pad(xn, pads), tuple(pool), tuple(strides), divisor_override=1)
        counts = F.avg_pool2d(F.pad(torch.ones_like(xn), pads), tuple(pool), tuple(strides), divisor_override=1)
        y = sums / counts
    y = y.permute(0, 2, 3, 1)
    g32 = rand(gen, *y.shape)
    (y * g32.double()).sum().backward()
    return {"name": name, "op": op, "pool_size": pool, "strides": strides, "padding": padding,
            "pads": [top, bottom, left, right], "x_shape": list(x32.shape), "x": flat(x32),
            "y_shape": list(y.shape), "g": flat(g32), "y": flat(y), "dx": flat(x.grad)}


def main():
    gen = torch.Generator().manual_seed(SEED)
    cases = [
        conv_case(gen, "conv 3x3 stride 1 valid", 3, 3, 4, [1, 1], "valid", [1, 1]),
        conv_case(gen, "conv 3x3 stride 2 valid", 3, 3, 2, [2, 2], "valid", [1, 1]),
        conv_case(gen, "conv 5x5 stride 2 same", 5, 5, 4, [2, 2], "same", [1, 1]),
        conv_case(gen, "conv 4x2 stride (1, 2) same: odd pads bottom and right", 4, 2, 3, [1, 2], "same", [1, 1]),
        conv_case(gen, "conv 2x2 stride 1 same: the whole pad at the bottom and right", 2, 2, 2, [1, 1], "same", [1, 1]),
        conv_case(gen, "conv 3x3 dilation 2 same", 3, 3, 2, [1, 1], "same", [2, 2]),
        conv_case(gen, "conv 3x2 dilation (2, 3) valid", 3, 2, 3, [1, 1], "valid", [2, 3]),
        pool_case(gen, "max 2x2 stride 2 valid", "max_pool2d", [2, 2], [2, 2], "valid"),
        pool_case(gen, "max 2x2 stride 2 same: odd pad bottom and right", "max_pool2d", [2, 2], [2, 2], "same"),
        pool_case(gen, "max 3x3 stride 2 same", "max_pool2d", [3, 3], [2, 2], "same"),
        pool_case(gen, "avg 3x3 stride 2 valid", "avg_pool2d", [3, 3], [2, 2], "valid"),
        pool_case(gen, "avg 2x2 stride 2 same: counts only cells inside", "avg_pool2d", [2, 2], [2, 2], "same"),
        pool_case(gen, "avg 3x2 stride (1, 3) same", "avg_pool2d", [3, 2], [1, 3], "same"),
    ]
    out = sys.stdout
    out.write("# written by test-data/conv/conv_reference.py with torch %s, results in float64\n" % torch.__version__)
    out.write("# one case per block: 'case NAME', then one line per field: KEY VALUE...\n")
    for case in cases:
        out.write("case %s\n" % case.pop("name"))
        for key, value in case.items():
            values = value if isinstance(value, list) else [value]
            out.write(key + " " + " ".join(repr(v) if isinstance(v, float) else str(v) for v in values) + "\n")


if __name__ == "__main__":
    main()
