#!/usr/bin/env python3
"""Writes the small IDX fixtures in this folder (good and bad), with the Python standard library only.

Run from anywhere: python3 test-data/idx/make_fixtures.py
The values are written here independently of vecgrad's writer, so the Java tests that read these
files check the reader against a second implementation. README.md lists each file.
"""
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = {"ubyte": (0x08, "B"), "sbyte": (0x09, "b"), "short": (0x0B, "h"),
         "int": (0x0C, "i"), "float": (0x0D, "f"), "double": (0x0E, "d")}


def idx(kind, dims, values):
    code, fmt = TYPES[kind]
    header = struct.pack(">BBBB", 0, 0, code, len(dims)) + struct.pack(">%dI" % len(dims), *dims)
    return header + struct.pack(">%d%s" % (len(values), fmt), *values)


def gz(data):
    # mtime=0 so that the output does not depend on when the script ran
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    # good files
    write("ubyte_2x3.idx", idx("ubyte", [2, 3], [0, 1, 2, 253, 254, 255]))
    write("sbyte_4.idx.gz", gz(idx("sbyte", [4], [-128, -1, 0, 127])))
    write("short_2x2.idx", idx("short", [2, 2], [-32768, -1, 1, 32767]))
    write("int_2x1x2.idx.gz", gz(idx("int", [2, 1, 2], [-2147483648, -1, 0, 2147483647])))
    write("float_3.idx", idx("float", [3], [1.5, -0.0, 3.4028234663852886e38]))
    write("double_2.idx.gz", gz(idx("double", [2], [0.1, -2.5e-300])))

    # bad headers
    write("empty.idx", b"")
    write("short_header.idx", bytes([0, 0, 0x08]))
    write("short_dims.idx", bytes([0, 0, 0x08, 3]) + struct.pack(">I", 2) + b"\x00")
    write("bad_magic.idx", bytes([1, 0, 0x08, 1]) + struct.pack(">I", 1) + b"\x05")
    write("unknown_type.idx", bytes([0, 0, 0x0A, 1]) + struct.pack(">I", 1) + b"\x05")
    write("rank0.idx", bytes([0, 0, 0x08, 0]) + b"\x05")
    write("zero_dim.idx", bytes([0, 0, 0x08, 2]) + struct.pack(">II", 2, 0))
    write("huge_dim.idx", bytes([0, 0, 0x08, 1]) + struct.pack(">I", 0xFFFFFFFF) + b"\x05")
    write("overflow_product.idx", bytes([0, 0, 0x08, 3]) + struct.pack(">III", 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF))

    # bad sizes: 46340 * 46340 ints = 8.6 GB declared over a 16-byte file
    write("beyond_file.idx", bytes([0, 0, 0x0C, 2]) + struct.pack(">II", 46340, 46340) + b"\x00" * 4)
    write("truncated.idx", idx("ubyte", [2, 3], [0, 1, 2, 3, 4, 5])[:-2])
    write("trailing.idx", idx("ubyte", [3], [7, 8, 9]) + b"\x0a\x0b")
    write("trailing.idx.gz", gz(idx("ubyte", [3], [7, 8, 9]) + b"\x0a\x0b"))
    # 2,000,000,000 bytes declared, 100 present: must fail without allocating the declared size
    write("lying_header.idx.gz", gz(bytes([0, 0, 0x08, 1]) + struct.pack(">I", 2000000000) + bytes(100)))

    # bad gzip streams
    good = gz(idx("int", [64], list(range(64))))
    write("truncated.idx.gz", good[:len(good) // 2])
    block = bytearray(good)
    block[10] |= 0x06  # BTYPE = 11, a reserved deflate block type (RFC 1951, 3.2.3)
    write("corrupt_deflate.idx.gz", bytes(block))
    crc = bytearray(good)
    crc[-8] ^= 0xFF  # first byte of the CRC-32 in the gzip trailer (RFC 1952, 2.3)
    write("bad_crc.idx.gz", bytes(crc))


if __name__ == "__main__":
    main()
