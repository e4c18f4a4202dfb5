"""Minimal safetensors writer and reader (the `safetensors` package is not needed).

Format: an 8-byte little-endian unsigned header length N, N bytes of JSON
``{"__metadata__": {str: str}, name: {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}}``
(padded with spaces to a multiple of 8), then the raw little-endian C-order data, each tensor's
byte range relative to the end of the header. Tensors are laid out as safetensors.torch.save_file
lays them out: by dtype, wider first, then by name.
"""

from __future__ import annotations

import json
import struct
from typing import Dict, Mapping, Optional, Tuple

import torch

_DTYPES = {
    torch.float64: ("F64", "<f8"),
    torch.float32: ("F32", "<f4"),
    torch.int64: ("I64", "<i8"),
    torch.int32: ("I32", "<i4"),
}
# safetensors' own dtype order (increasing alignment); files list wider types first
_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
          "I64", "U64"]


def save(path: str, tensors: Mapping[str, torch.Tensor], metadata: Optional[Mapping[str, str]] = None) -> int:
    """Writes the tensors; returns the file size in bytes."""
    entries = []
    for name, tensor in tensors.items():
        if tensor.dtype not in _DTYPES:
            raise ValueError(f"{name}: unsupported dtype {tensor.dtype}")
        code, numpy_type = _DTYPES[tensor.dtype]
        data = tensor.detach().cpu().contiguous().numpy().astype(numpy_type).tobytes()
        entries.append((code, name, list(tensor.shape), data))
    entries.sort(key=lambda e: (-_ORDER.index(e[0]), e[1].encode("utf-8")))
    header: Dict[str, object] = {}
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in sorted(metadata.items())}
    offset = 0
    for code, name, shape, data in entries:
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * ((8 - len(header_bytes) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for _, _, _, data in entries:
            f.write(data)
    return 8 + len(header_bytes) + offset


def load(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """Reads a file written by save (or any F64/F32/I64/I32 safetensors file)."""
    by_code = {code: (dtype, numpy_type) for dtype, (code, numpy_type) in _DTYPES.items()}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    import numpy

    for name, entry in header.items():
        dtype, numpy_type = by_code[entry["dtype"]]
        begin, end = entry["data_offsets"]
        array = numpy.frombuffer(data[begin:end], dtype=numpy_type).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy()).to(dtype)
    return tensors, metadata
