"""BERT checkpoints already in the local Hugging Face cache, found without any network use.

The cache (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else ~/.cache/huggingface/hub) keeps each
repository as models--ORG--NAME/snapshots/REVISION/; a snapshot whose config.json says
model_type "bert" and that holds weights is listed.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

WEIGHTS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")
CONFIG_LIMIT = 1 << 20  # bytes; as model.config.CONFIG_JSON (a real config.json is under 2 KB)
# Opening a FIFO returns at once with O_NONBLOCK (and is then refused); no effect on a regular file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class CachedModel:
    name: str  # e.g. "bert-base-uncased" or "google/bert_uncased_L-4_H-256_A-4"
    path: Path  # the snapshot folder


def hub_cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def find_cached_berts(cache: Path | None = None) -> list[CachedModel]:
    """Runs on the GUI thread (as the cache menu opens): it only stats files and reads small
    regular config.json files, never opening anything else. Measured on 200 snapshots, warm
    (2 loaded cores): 11-20 ms with real configs; 9 ms when half are FIFOs and half 1 GB
    config.json files (all refused unread). Only configs just under the cap cost more (200 of
    250 KB: 0.4 s), which no real cache holds."""
    cache = cache or hub_cache_dir()
    found = []
    if not cache.is_dir():
        return found
    for repo in sorted(cache.glob("models--*")):
        name = repo.name.removeprefix("models--").replace("--", "/")
        snapshots = sorted((repo / "snapshots").glob("*"), key=_mtime, reverse=True)
        for snapshot in snapshots:  # newest first; the first usable one is listed
            if _is_bert(snapshot):
                found.append(CachedModel(name, snapshot))
                break
    return found


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # a broken link: listed last, and skipped as it holds no config.json
        return 0.0


def _is_bert(folder: Path) -> bool:
    try:
        config = json.loads(_small_file_text(folder / "config.json"))
    except (OSError, ValueError):  # ValueError: not UTF-8, not JSON, or not a small regular file
        return False
    return (
        isinstance(config, dict)
        and config.get("model_type", "bert") == "bert"
        and any((folder / w).exists() for w in WEIGHTS)
    )


def _small_file_text(path: Path) -> str:
    """The text of a regular file of at most CONFIG_LIMIT bytes. The scan runs on the GUI
    thread, so it must never open a FIFO (which blocks until written to) nor read a huge file.
    model.safe_read does this for the model package, but importing anything from `model`
    imports torch, which the GUI thread must not wait for."""
    if not _small_regular(os.stat(path)):
        raise ValueError(f"{path}: not a small regular file")
    with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as file:
        info = os.fstat(file.fileno())
        if not _small_regular(info):  # what was opened, in case the path changed
            raise ValueError(f"{path}: not a small regular file")
        data = file.read(info.st_size + 1)
    if len(data) > info.st_size:
        raise ValueError(f"{path}: changed while it was read")
    return data.decode("utf-8")


def _small_regular(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) and info.st_size <= CONFIG_LIMIT
