"""Opening a user's file without hanging or flooding memory.

A path from the user (or from a downloaded folder) can name a named pipe, a device or a
socket: opening a FIFO blocks until something writes to it, and /dev/zero never ends, so a
reader thread would hang for ever. And a file can be far larger than its kind ever is: a
1 GB config.json is not a config, but parsing it holds the GIL for seconds, freezing the
window. So every file is checked first: it must be a regular file (symbolic links are
followed) no larger than its kind's limit, and it is opened without blocking, then checked
again through the open descriptor, so a file swapped in between is caught too. JSON is parsed
with its two other ways to fail bounded (a number of thousands of digits, nesting thousands deep),
and a value quoted in a message is cut short (`shown`), so every refusal stays one short line.

Pure Python (no imports from this package), so that nothing here loads torch or Qt. The GUI
thread still cannot import it without torch (importing `model.safe_read` runs model/__init__),
so bertgui/hf_cache.py has its own few lines for the one file it reads.
"""

from __future__ import annotations

import json
import math
import os
import stat
from dataclasses import dataclass
from typing import Any, BinaryIO

MB = 1 << 20

# O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (the check then
# refuses it); it changes nothing for a regular file's reads. O_BINARY (Windows only): bytes as
# they are, no newline translation.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

_NOT_A_FILE = (  # (test, what it is) for the stat modes that are not regular files
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class FileKind:
    """What a file is for, as the messages about it say it."""

    name: str  # "a config.json"
    error: type[Exception]  # raised for every problem, with a one-line message
    limit_mb: int | None = None  # None for files that are streamed or memory-mapped (weights)
    if_missing: str = "choose a file that exists"

    @property
    def limit(self) -> int | None:
        """In bytes."""
        return None if self.limit_mb is None else self.limit_mb * MB


def size_text(n: int) -> str:
    """'1.0 GB', '12 MB', '640 KB': binary units, as file managers show them, rounded up, so a
    file one byte over a 1 MB limit is '1.1 MB', not '1.0 MB'."""
    for unit, size in (("GB", 1 << 30), ("MB", MB), ("KB", 1 << 10)):
        if n >= size:
            return f"{math.ceil(10 * n / size) / 10:.1f} {unit}" if n < 10 * size else f"{-(-n // size)} {unit}"
    return f"{n} bytes"


def check_file(path: str | os.PathLike, kind: FileKind) -> int:
    """The file's size, after checking it is a regular file within the kind's limit. For a
    file a library opens by its path (tokenizers, safetensors, torch)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise kind.error(f"{path}: missing; {kind.if_missing}") from None
    except OSError as exc:  # a symbolic link loop, a folder without permission, a name too long
        raise kind.error(f"{path}: cannot read ({exc.strerror or exc})") from None
    _check_stat(path, info, kind)
    return info.st_size


def open_file(path: str | os.PathLike, kind: FileKind) -> BinaryIO:
    """The checked file, open for reading in binary; the caller closes it."""
    check_file(path, kind)  # before opening: opening some devices does things
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise kind.error(f"{path}: cannot read ({exc.strerror or exc})") from None
    file = os.fdopen(fd, "rb")
    try:
        _check_stat(path, os.fstat(fd), kind)  # what was opened, in case the path changed since
    except BaseException:
        file.close()
        raise
    return file


def read_bytes(path: str | os.PathLike, kind: FileKind) -> bytes:
    """The whole checked file; reads at most limit + 1 bytes, so a file that grew is refused too."""
    with open_file(path, kind) as file:
        try:
            data = file.read() if kind.limit is None else file.read(kind.limit + 1)
        except OSError as exc:
            raise kind.error(f"{path}: cannot read ({exc.strerror or exc})") from None
    if kind.limit is not None and len(data) > kind.limit:  # it grew since it was checked
        raise _too_large(path, f"over {kind.limit_mb} MB", kind)
    return data


def read_text(path: str | os.PathLike, kind: FileKind) -> str:
    """The whole checked file as UTF-8 text."""
    data = read_bytes(path, kind)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise kind.error(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None


def _check_stat(path: str | os.PathLike, info: os.stat_result, kind: FileKind) -> None:
    if not stat.S_ISREG(info.st_mode):
        what = next((name for test, name in _NOT_A_FILE if test(info.st_mode)), "a special file")
        raise kind.error(f"{path}: is {what}, not a file; {kind.name} must be a regular file")
    if kind.limit is not None and info.st_size > kind.limit:
        raise _too_large(path, size_text(info.st_size), kind)


def _too_large(path: str | os.PathLike, size: str, kind: FileKind) -> Exception:
    return kind.error(f"{path}: is {size}; {kind.name} is at most {kind.limit_mb} MB")


# --- JSON -------------------------------------------------------------------------------------

# Longer integers are refused before Python converts them: no field of a model's files needs more
# digits (the longest real one is transformers' model_max_length, int(1e30): 31 digits), and past
# 4,300 Python's own refusal is a ValueError that advises raising the limit.
MAX_JSON_DIGITS = 100
SHOWN_CHARS = 40  # of a value quoted in a message: a 1 MB string is not echoed whole


class JSONProblem(ValueError):
    """Why a text is not usable JSON, in a few words (no file name: the caller adds it)."""


def loads(text: str | bytes) -> Any:
    """json.loads, failing only with JSONProblem: bad syntax, bad UTF-8, an integer longer than
    MAX_JSON_DIGITS, or nesting deeper than Python's recursion limit (about 1,000)."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except JSONProblem:
        raise
    except RecursionError:
        raise JSONProblem("JSON nested too deep (a model's files nest a few levels)") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise JSONProblem(f"not valid JSON ({clip(str(exc), 80)})") from None


def read_json(path: str | os.PathLike, kind: FileKind) -> Any:
    """The checked file, parsed; every problem is kind.error with one line naming the file."""
    text = read_text(path, kind)
    try:
        return loads(text)
    except JSONProblem as exc:
        raise kind.error(f"{path}: {exc}") from None


def shown(value: Any) -> str:
    """A JSON value as a message quotes it: scalars as JSON writes them, cut to SHOWN_CHARS;
    arrays and objects by their size (printing a nested one could be huge, or recurse too deep)."""
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    if isinstance(value, int) and value.bit_length() > 4 * MAX_JSON_DIGITS:
        return "a huge integer"  # not from a file; converting it to text could raise (over 4,300 digits)
    try:
        return clip(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):  # not a JSON value (a Python object handed to a validator)
        return type(value).__name__


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_DIGITS:
        raise JSONProblem(f"a number of {len(digits):,} digits; no field of a model's files is that long")
    return int(digits)


def clip(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
