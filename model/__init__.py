"""BERT Explorer's model core: a BERT written from scratch in PyTorch, Hugging Face checkpoint
compatibility, WordPiece tokenization and the inspection API. Never imports Qt.

    import model
    bert = model.load()                     # the bundled model, or model.load("path/to/folder")
    result = bert.inspect("The cat sat on the [MASK].")
    result.attentions.shape                 # (layers, heads, T, T)

`import model` is cheap: the names below are imported on first use (PEP 562), so the GUI thread
can import the pure modules (model.errors, model.safe_read, model.config, model.duration,
model.finetuning.datasets, ...) without loading torch, which only the worker threads import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# name -> the submodule that defines it
_EXPORTS = {
    "Attribution": "attribution",
    "BUNDLED_MODEL": "bert",
    "Bert": "bert",
    "load": "bert",
    "load_checkpoint": "checkpoint",
    "save_checkpoint": "checkpoint",
    "BertConfig": "config",
    "BertError": "errors",
    "CapabilityError": "errors",
    "CheckpointError": "errors",
    "ModelNotFoundError": "errors",
    "BertWithHeads": "heads",
    "HeadSpec": "heads",
    "Inspection": "inspection",
    "LogitLens": "inspection",
    "MaskPrediction": "inspection",
    "Prediction": "inspection",
    "attention_rollout": "rollout",
    "BertTokenizer": "tokenizer",
    "Encoding": "tokenizer",
}

__all__ = [  # the keys of _EXPORTS, written out for tools that read __all__ without running it
    "Attribution",
    "BUNDLED_MODEL",
    "Bert",
    "BertConfig",
    "BertError",
    "BertTokenizer",
    "BertWithHeads",
    "CapabilityError",
    "CheckpointError",
    "Encoding",
    "HeadSpec",
    "Inspection",
    "LogitLens",
    "MaskPrediction",
    "ModelNotFoundError",
    "Prediction",
    "attention_rollout",
    "load",
    "load_checkpoint",
    "save_checkpoint",
]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'model' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # what type checkers and editors see
    from .attribution import Attribution
    from .bert import BUNDLED_MODEL, Bert, load
    from .checkpoint import load_checkpoint, save_checkpoint
    from .config import BertConfig
    from .errors import BertError, CapabilityError, CheckpointError, ModelNotFoundError
    from .heads import BertWithHeads, HeadSpec
    from .inspection import Inspection, LogitLens, MaskPrediction, Prediction
    from .rollout import attention_rollout
    from .tokenizer import BertTokenizer, Encoding
