#!/usr/bin/env python3
"""A 6-5-4-3 MLP (ReLU, ReLU, softmax) in the Python standard library, to cross-check vecgrad's
Sequential.saveWeights / loadWeights / predict against an independent implementation.

  python3 mlp_stdlib.py write WEIGHTS PREDICTIONS   writes the weights below (safetensors, F32, named
                                                    dense/kernel, dense/bias, ..., dense_2/bias as vecgrad
                                                    names them) and a JSON file
                                                    {"inputs": [...], "probabilities": [...]}
  python3 mlp_stdlib.py predict WEIGHTS             reads a safetensors file holding those tensors (or
                                                    vecgrad 0.1's W1 b1 ... W3 b3) of these shapes and
                                                    prints the probabilities for INPUTS as JSON

Element i (row-major) of the j-th tensor (j from 1, in NAMES order) is the float32 nearest to
sin(0.7 * i + 1.3 * j) * 1.9. Input k, feature f is (k * 6 + f) % 7 / 7 * 2 - 0.6. The forward pass is
computed in float64 from the float32 weights.
"""

import json
import math
import struct
import sys

NAMES = [("dense/kernel", [6, 5]), ("dense/bias", [5]), ("dense_1/kernel", [5, 4]), ("dense_1/bias", [4]),
         ("dense_2/kernel", [4, 3]), ("dense_2/bias", [3])]
LEGACY = ["W1", "b1", "W2", "b2", "W3", "b3"]
INPUTS = [[(k * 6 + f) % 7 / 7 * 2 - 0.6 for f in range(6)] for k in range(4)]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def formula_weights():
    weights = {}
    for j, (name, shape) in enumerate(NAMES, start=1):
        n = 1
        for d in shape:
            n *= d
        weights[name] = (shape, [f32(math.sin(0.7 * i + 1.3 * j) * 1.9) for i in range(n)])
    return weights


def write_safetensors(path, weights):
    header, data = {}, bytearray()
    for name, (shape, values) in weights.items():
        begin = len(data)
        data += struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [begin, len(data)]}
    header["__metadata__"] = {"written_by": "mlp_stdlib.py"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    buffer = raw[8 + n:]
    weights = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit("mlp_stdlib.py: %s has dtype %s, expected F32" % (name, info["dtype"]))
        begin, end = info["data_offsets"]
        values = list(struct.unpack("<%df" % ((end - begin) // 4), buffer[begin:end]))
        weights[name] = (info["shape"], values)
    return weights


def dense(x, shape_values_w, shape_values_b, activation):
    (rows, cols), w = shape_values_w
    _, b = shape_values_b
    out = []
    for sample in x:
        z = [sum(sample[r] * w[r * cols + c] for r in range(rows)) + b[c] for c in range(cols)]
        if activation == "relu":
            z = [max(v, 0.0) for v in z]
        else:
            top = max(z)
            e = [math.exp(v - top) for v in z]
            s = sum(e)
            z = [v / s for v in e]
        out.append(z)
    return out


def predict(weights):
    if all(name in weights for name in LEGACY):
        weights = {new: weights[old] for (new, _), old in zip(NAMES, LEGACY)}
    for name, shape in NAMES:
        if name not in weights or weights[name][0] != shape:
            sys.exit("mlp_stdlib.py: expected %s of shape %s" % (name, shape))
    a = dense(INPUTS, weights["dense/kernel"], weights["dense/bias"], "relu")
    a = dense(a, weights["dense_1/kernel"], weights["dense_1/bias"], "relu")
    return dense(a, weights["dense_2/kernel"], weights["dense_2/bias"], "softmax")


def main(argv):
    if len(argv) == 4 and argv[1] == "write":
        weights = formula_weights()
        write_safetensors(argv[2], weights)
        with open(argv[3], "w") as f:
            json.dump({"inputs": INPUTS, "probabilities": predict(weights)}, f, indent=1)
            f.write("\n")
    elif len(argv) == 3 and argv[1] == "predict":
        print(json.dumps({"probabilities": predict(read_safetensors(argv[2]))}))
    else:
        sys.exit("usage: mlp_stdlib.py write WEIGHTS PREDICTIONS | predict WEIGHTS")


if __name__ == "__main__":
    main(sys.argv)
