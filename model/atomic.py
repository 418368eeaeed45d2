"""Atomic writes: a file or a folder appears whole or not at all.

A crash, a kill, a power cut or a full disk mid-write leaves the previous version in place.

A file is written beside its destination, flushed to disk, then renamed over it: one rename,
atomic on every platform.

A folder (a model) cannot be replaced by one rename onto a non-empty folder, so the new one is
written into a hidden sibling, `.NAME.xxxxxxxx.tmp`, and then:
- where the system can swap two paths in one step (Linux's renameat2(RENAME_EXCHANGE), macOS's
  renamex_np(RENAME_SWAP)), the two folders are exchanged: at every moment NAME is the old model
  or the new one, and the sibling, now holding the old one, is removed;
- elsewhere (Windows, file systems without the exchange), the old folder is renamed aside to
  `.NAME.xxxxxxxx.old` and the new one renamed in. A kill between those two renames leaves no
  NAME, but a complete old model beside it: `recover_interrupted_save` renames it back, and every
  save runs it first, as does every open (model/checkpoint.py).
Leftovers of interrupted saves (a half-written `.tmp`, an `.old` whose removal was cut short)
are removed by the next save to the same place. One save at a time to one folder: a second
writer's temporary folder would be taken for a leftover.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))  # mkstemp makes the file private (0600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)  # the rename itself must reach the disk too


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling folder to fill; on success it takes `path`'s place (see the
    module's docstring for how). On error, or if killed at any point, `path` holds its previous
    contents, or, where it did not exist, nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_save(path, remove_leftovers=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        _give_default_permissions(tmp)
        _fsync_tree(tmp)  # every file on disk before the folder becomes the model
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        if not path.exists():
            os.rename(tmp, path)
        elif swap_paths(tmp, path):
            pass  # tmp now holds the previous model, removed below
        else:
            aside = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
            os.rmdir(aside)  # only its unique name is wanted: rename needs an absent or empty target
            os.rename(path, aside)
            os.rename(tmp, path)
            tmp = aside
    except BaseException:
        recover_interrupted_save(path)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_folder(path.parent)
    shutil.rmtree(tmp, ignore_errors=True)


# --- exchanging two paths in one step -------------------------------------------------------------

RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h
AT_FDCWD = -100  # linux/fcntl.h
_NOT_SUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _libc_function(name: str):
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError, TypeError):
        return None


_renameat2 = _libc_function("renameat2") if sys.platform.startswith("linux") else None  # glibc >= 2.28, musl
_renamex_np = _libc_function("renamex_np") if sys.platform == "darwin" else None


def swap_paths(a: Path, b: Path) -> bool:
    """Exchange two existing paths atomically. False where the platform or the file system
    cannot (the caller then falls back); any other failure raises OSError."""
    fa, fb = os.fsencode(a), os.fsencode(b)
    if _renameat2 is not None:
        result = _renameat2(AT_FDCWD, fa, AT_FDCWD, fb, RENAME_EXCHANGE)
    elif _renamex_np is not None:
        result = _renamex_np(fa, fb, RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _NOT_SUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


# --- recovery ------------------------------------------------------------------------------------


def leftovers_of(path: Path) -> list[Path]:
    """Hidden siblings that saves to `path` made and did not finish with, oldest first."""
    path = Path(path)
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.(tmp|old)")  # mkdtemp's names
    try:
        found = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return []
    return sorted(found, key=_modified)


def recover_interrupted_save(path: Path, remove_leftovers: bool = False) -> None:
    """Where a save was killed between renaming the old model aside and the new one in, put the
    old one back. With `remove_leftovers` (a save to `path` is about to start, so none is in
    flight), also remove what interrupted saves left. Failures are ignored: a read-only place
    simply stays as it is."""
    path = Path(path)
    leftovers = leftovers_of(path)
    if not path.exists():
        # An .old folder is a complete model (it was `path`, renamed whole). Older versions of
        # this module nested it as .old/previous.
        models = [p / "previous" if (p / "previous").is_dir() else p for p in leftovers if p.suffix == ".old"]
        models = [m for m in models if _holds_anything(m)]  # not a name reserved, then killed before use
        if models:
            with contextlib.suppress(OSError):
                os.rename(models[-1], path)
    if remove_leftovers:
        for leftover in leftovers:
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


def _holds_anything(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return False


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# --- durability and permissions --------------------------------------------------------------------


def _fsync_tree(folder: Path) -> None:
    for item in folder.rglob("*"):
        if item.is_file():
            with open(item, "rb") as f:
                os.fsync(f.fileno())
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make a folder's entries (a rename into it) durable; not possible on every platform."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _current_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


UMASK = _current_umask()  # read once, at import, not while worker threads may be creating files


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or a new file gets, as any file the user made would."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~UMASK


def _give_default_permissions(folder: Path) -> None:
    """mkdtemp makes the folder private (0700) and some writers make their files 0600; a saved
    model should have the permissions any folder the user made would have."""
    os.chmod(folder, 0o777 & ~UMASK)
    for item in folder.rglob("*"):
        os.chmod(item, (0o777 if item.is_dir() else 0o666) & ~UMASK)
