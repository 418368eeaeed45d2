"""The table of contents of a .safetensors file, read without reading any tensor.

The format: an 8-byte little-endian length N, then N bytes of JSON giving each tensor's dtype,
shape and byte range in the data that follows (plus an optional "__metadata__" entry). Reading
that alone lets the loader check config.json's sizes against the real tensors before it builds
a module or maps any data.

Every entry is checked against the file: its byte range lies inside the data and holds exactly
shape x dtype bytes. So any tensor with elements is no larger than the file, and a shape read
here can be trusted as far as the file's size: a header cannot claim a 10^12-row table.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .safe_read import MB, FileKind, JSONProblem, loads, open_file, shown, size_text

# BERT-large's header is about 50 KB (400 tensors); the safetensors library's own cap is 100 MB,
# whose parsing would hold the GIL for seconds. For a sharded model, the shards' headers together.
HEADER_LIMIT = 16 * MB

DTYPES = {  # safetensors' names -> torch's
    "BOOL": torch.bool,
    "U8": torch.uint8,
    "I8": torch.int8,
    "I16": torch.int16,
    "U16": torch.uint16,
    "I32": torch.int32,
    "U32": torch.uint32,
    "I64": torch.int64,
    "U64": torch.uint64,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F32": torch.float32,
    "F64": torch.float64,
    "F8_E4M3": torch.float8_e4m3fn,
    "F8_E5M2": torch.float8_e5m2,
}


@dataclass(frozen=True)
class TensorInfo:
    """A tensor as its header describes it; `shape` and `dtype` as a torch.Tensor has them."""

    shape: tuple[int, ...]
    dtype: torch.dtype


class _Corrupt(ValueError):
    """What is wrong with the header, in a few words."""


def read_header(path: Path, kind: FileKind, limit: int = HEADER_LIMIT) -> tuple[int, dict[str, TensorInfo]]:
    """(the header's length in bytes, each tensor's name -> TensorInfo), or kind.error with one
    line naming the file. Reads 8 + at most `limit` bytes, however large the file."""
    with open_file(path, kind) as file:
        size = os.fstat(file.fileno()).st_size
        try:
            length = int.from_bytes(_read(file, 8), "little")
            if 8 + length > size:
                raise _Corrupt(f"its header claims {length} bytes but the file has {size}")
            if length > limit:  # a real, huge header: refused unparsed
                raise kind.error(
                    f"{path}: its header (the tensor list) is {size_text(length)}; a model's "
                    f"headers are at most {HEADER_LIMIT // MB} MB together"
                )
            header = loads(_read(file, length))
            if not isinstance(header, dict):
                raise _Corrupt(f"its header is {shown(header)}, not an object")
            data_length = size - 8 - length
            return length, {
                name: _tensor_info(name, entry, data_length) for name, entry in header.items() if name != "__metadata__"
            }
        except (_Corrupt, JSONProblem) as exc:
            raise kind.error(f"{path}: truncated or corrupt safetensors file ({exc}); get the file again") from None
        except OSError as exc:
            raise kind.error(f"{path}: cannot read ({exc.strerror or exc})") from None


def _read(file, n: int) -> bytes:
    data = file.read(n)
    if len(data) < n:  # the file shrank since its size was read
        raise _Corrupt("it ends inside its header")
    return data


def _tensor_info(name: str, entry: Any, data_length: int) -> TensorInfo:
    def corrupt(problem: str) -> _Corrupt:
        return _Corrupt(f"tensor {shown(name)}: {problem}")

    if not isinstance(entry, dict):
        raise corrupt(f"{shown(entry)}, not an object")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise corrupt(f"unknown dtype {shown(dtype)}")
    if not (isinstance(shape, list) and all(_is_count(d) for d in shape)):
        raise corrupt(f"shape {shown(shape)} is not a list of sizes")
    if not (
        isinstance(offsets, list)
        and len(offsets) == 2
        and all(_is_count(o) for o in offsets)
        and offsets[0] <= offsets[1] <= data_length
    ):
        raise corrupt(f"its bytes are not within the file's {data_length}")
    needed = math.prod(shape) * DTYPES[dtype].itemsize
    if offsets[1] - offsets[0] != needed:
        raise corrupt(f"{offsets[1] - offsets[0]} bytes, but its shape needs {needed}")
    return TensorInfo(tuple(shape), DTYPES[dtype])


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
