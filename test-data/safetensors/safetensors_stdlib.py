#!/usr/bin/env python3
"""Write and read safetensors files with the Python standard library only (struct, json).

An independent implementation of the format, to check vecgrad.io against:

  python3 safetensors_stdlib.py write FILE   writes the fixed tensors described below
  python3 safetensors_stdlib.py read FILE    checks FILE's structure and prints, as one line of
                                             JSON (sorted keys, ASCII), its header length, metadata,
                                             and per tensor (in data order) name, dtype, shape,
                                             data_offsets, sha256 of the raw data bytes and the sum
                                             of the values (a float64 sum, left to right)

`write` makes the weights of a tiny 4-3-2 network plus a scalar and an empty tensor. Element i
(row-major) of the j-th tensor in TENSORS (j from 1) is the float32 nearest to

    ((7 * i + j) % 13 - 6) / 13

The header lists the tensors in TENSORS order, not sorted, with "__metadata__" last, and uses
ensure_ascii (so the metadata's non-ASCII text arrives as \\uXXXX escapes, the emoji as a
surrogate pair): all legal, and all different from what vecgrad writes. The header is padded with
spaces to a multiple of 8 bytes, as the reference implementation does.
"""

import hashlib
import json
import struct
import sys

TENSORS = [
    ("dense_1/kernel", [4, 3]),
    ("dense_1/bias", [3]),
    ("dense_2/kernel", [3, 2]),
    ("dense_2/bias", [2]),
    ("temperature", []),
    ("unused", [0, 4]),
]

METADATA = {"format": "pt", "description": "tiny MLP 4\u21923\u21922 \U0001F9EA"}

SIZES = {"F32": 4}
MAX_HEADER = 100_000_000


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def value(j, i):
    return ((7 * i + j) % 13 - 6) / 13


def write(path):
    header = {}
    data = bytearray()
    for j, (name, shape) in enumerate(TENSORS, start=1):
        begin = len(data)
        for i in range(numel(shape)):
            data += struct.pack("<f", value(j, i))
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [begin, len(data)]}
    header["__metadata__"] = METADATA
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def fail(message):
    sys.exit("safetensors_stdlib.py: " + message)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        fail("duplicate keys in the header")
    return dict(pairs)


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > MAX_HEADER or 8 + n > len(raw):
        fail("bad header length %d for a file of %d bytes" % (n, len(raw)))
    header = json.loads(raw[8:8 + n].decode("utf-8"), object_pairs_hook=no_duplicates)
    if not isinstance(header, dict):
        fail("header is not a JSON object")
    buffer = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(v, str) for v in metadata.values()):
        fail("metadata values must be strings")
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    tensors = []
    position = 0
    for name, info in entries:
        if set(info) != {"dtype", "shape", "data_offsets"}:
            fail("tensor %r has fields %s" % (name, sorted(info)))
        if info["dtype"] not in SIZES:
            fail("tensor %r has dtype %s; this script reads F32 only" % (name, info["dtype"]))
        begin, end = info["data_offsets"]
        if begin != position or end < begin:
            fail("tensor %r data_offsets %r do not follow on from %d" % (name, [begin, end], position))
        count = numel(info["shape"])
        if end - begin != count * SIZES[info["dtype"]]:
            fail("tensor %r has %d bytes for shape %r" % (name, end - begin, info["shape"]))
        position = end
        chunk = buffer[begin:end]
        total = 0.0
        for (v,) in struct.iter_unpack("<f", chunk):
            total += v
        tensors.append({
            "name": name,
            "dtype": info["dtype"],
            "shape": info["shape"],
            "data_offsets": [begin, end],
            "sha256": hashlib.sha256(chunk).hexdigest(),
            "sum": total,
        })
    if position != len(buffer):
        fail("tensors cover %d of the %d data bytes" % (position, len(buffer)))
    print(json.dumps({"header_length": n, "metadata": metadata, "tensors": tensors},
                     sort_keys=True, separators=(",", ":"), ensure_ascii=True))


def main(argv):
    if len(argv) != 3 or argv[1] not in ("write", "read"):
        sys.exit("usage: safetensors_stdlib.py write|read FILE")
    (write if argv[1] == "write" else read)(argv[2])


if __name__ == "__main__":
    main(sys.argv)
