#!/usr/bin/env python3
"""Records what the safetensors files of a run-folder fixture hold, read without Spikeforge.

Usage: python3 tools/format-fixture/manifest.py FOLDER > FOLDER/manifest.tsv

For every *.safetensors file under FOLDER, one tab-separated line per metadata entry
(file, "metadata", key, value) and per tensor in the file's order (file, "tensor", name, dtype,
shape as comma-separated sizes, SHA-256 of its bytes as stored: little endian, c order). The safetensors layout is read with the standard library only: an 8-byte little
endian header length, a JSON header, the data. RecordedRunFolderTest compares what Spikeforge reads
with this record, so a reader that changes its interpretation of old files fails there.
"""

import hashlib
import json
import os
import struct
import sys


def describe(path):
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = []
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        start, end = entry["data_offsets"]
        tensors.append({"name": name, "dtype": entry["dtype"], "shape": entry["shape"],
                        "sha256": hashlib.sha256(data[start:end]).hexdigest()})
    return {"metadata": metadata, "tensors": tensors}


def line(*fields):
    for field in fields:
        if "\t" in field or "\n" in field:
            raise ValueError("a tab or newline in " + repr(field))
    return "\t".join(fields)


def main(folder):
    paths = []
    for root, _, names in os.walk(folder):
        paths += [os.path.join(root, name) for name in names if name.endswith(".safetensors")]
    for path in sorted(paths):
        file = os.path.relpath(path, folder)
        described = describe(path)
        for key, value in sorted(described["metadata"].items()):
            print(line(file, "metadata", key, value))
        for tensor in described["tensors"]:
            print(line(file, "tensor", tensor["name"], tensor["dtype"], ",".join(map(str, tensor["shape"])),
                       tensor["sha256"]))


if __name__ == "__main__":
    main(sys.argv[1])
