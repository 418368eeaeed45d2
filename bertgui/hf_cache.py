"""BERT checkpoints already in the local Hugging Face cache, found without any network use.

The cache (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else ~/.cache/huggingface/hub) keeps each
repository as models--ORG--NAME/snapshots/REVISION/; a snapshot whose config.json says
model_type "bert" and that holds weights is listed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

WEIGHTS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")


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
    cache = cache or hub_cache_dir()
    found = []
    if not cache.is_dir():
        return found
    for repo in sorted(cache.glob("models--*")):
        name = repo.name.removeprefix("models--").replace("--", "/")
        snapshots = sorted((repo / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for snapshot in snapshots:  # newest first; the first usable one is listed
            if _is_bert(snapshot):
                found.append(CachedModel(name, snapshot))
                break
    return found


def _is_bert(folder: Path) -> bool:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(config, dict) and config.get("model_type", "bert") == "bert"
            and any((folder / w).exists() for w in WEIGHTS))
