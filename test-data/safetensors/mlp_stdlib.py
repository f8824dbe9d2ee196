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
  python3 mlp_stdlib.py model MODEL                 rebuilds the network a whole-model file describes
                                                    (Sequential.save: the "vecgrad.model" metadata, Dense
                                                    layers with relu, sigmoid, tanh, softmax or linear),
                                                    and prints {"inputs": [...], "outputs": [...]} for 4
                                                    inputs of its width, made by the formula below

Element i (row-major) of the j-th tensor (j from 1, in NAMES order) is the float32 nearest to
sin(0.7 * i + 1.3 * j) * 1.9. Input k, feature f is (k * F + f) % 7 / 7 * 2 - 0.6 with F features (6 here). The forward pass is
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
    return read_safetensors_and_metadata(path)[0]


def read_safetensors_and_metadata(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    buffer = raw[8 + n:]
    weights = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit("mlp_stdlib.py: %s has dtype %s, expected F32" % (name, info["dtype"]))
        begin, end = info["data_offsets"]
        values = list(struct.unpack("<%df" % ((end - begin) // 4), buffer[begin:end]))
        weights[name] = (info["shape"], values)
    return weights, metadata


def dense(x, shape_values_w, shape_values_b, activation):
    (rows, cols), w = shape_values_w
    _, b = shape_values_b
    out = []
    for sample in x:
        z = [sum(sample[r] * w[r * cols + c] for r in range(rows)) + b[c] for c in range(cols)]
        if activation == "relu":
            z = [max(v, 0.0) for v in z]
        elif activation == "sigmoid":
            z = [1.0 / (1.0 + math.exp(-v)) for v in z]
        elif activation == "tanh":
            z = [math.tanh(v) for v in z]
        elif activation == "linear":
            pass
        elif activation == "softmax":
            top = max(z)
            e = [math.exp(v - top) for v in z]
            s = sum(e)
            z = [v / s for v in e]
        else:
            sys.exit("mlp_stdlib.py: unknown activation %r" % activation)
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


def model(path):
    """The outputs of the whole model in PATH for 4 formula inputs, rebuilt from its metadata alone."""
    weights, metadata = read_safetensors_and_metadata(path)
    if "vecgrad.model" not in metadata:
        sys.exit("mlp_stdlib.py: %s holds no vecgrad.model metadata (a weights-only file)" % path)
    root = json.loads(metadata["vecgrad.model"])
    if root.get("class_name") != "Sequential" or root.get("format_version") != 1:
        sys.exit("mlp_stdlib.py: expected a Sequential of format_version 1")
    config = root["config"]
    if len(config["input_shape"]) != 1:
        sys.exit("mlp_stdlib.py: expected a rank-1 input shape, got %s" % config["input_shape"])
    width = config["input_shape"][0]
    inputs = [[(k * width + f) % 7 / 7 * 2 - 0.6 for f in range(width)] for k in range(4)]
    a = inputs
    for layer in config["layers"]:
        if layer["class_name"] != "Dense":
            sys.exit("mlp_stdlib.py: only Dense layers are rebuilt, got %s" % layer["class_name"])
        c = layer["config"]
        kernel = weights[c["name"] + "/kernel"]
        bias = weights[c["name"] + "/bias"]
        if kernel[0] != [len(a[0]), c["units"]] or bias[0] != [c["units"]]:
            sys.exit("mlp_stdlib.py: %s's weights do not fit its config" % c["name"])
        a = dense(a, kernel, bias, c["activation"])
    return {"inputs": inputs, "outputs": a}


def main(argv):
    if len(argv) == 4 and argv[1] == "write":
        weights = formula_weights()
        write_safetensors(argv[2], weights)
        with open(argv[3], "w") as f:
            json.dump({"inputs": INPUTS, "probabilities": predict(weights)}, f, indent=1)
            f.write("\n")
    elif len(argv) == 3 and argv[1] == "predict":
        print(json.dumps({"probabilities": predict(read_safetensors(argv[2]))}))
    elif len(argv) == 3 and argv[1] == "model":
        print(json.dumps(model(argv[2])))
    else:
        sys.exit("usage: mlp_stdlib.py write WEIGHTS PREDICTIONS | predict WEIGHTS | model MODEL")


if __name__ == "__main__":
    main(sys.argv)
