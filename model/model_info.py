"""`ModelInfo`: what there is to show about a loaded model, as plain data.

The GUI thread never touches a live `Bert` (its torch modules belong to the worker thread that
runs them); the worker builds a ModelInfo (`Bert.info()`) and hands that over instead. This
module imports no torch, so the GUI thread can import it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .config import BertConfig
from .errors import CheckpointError
from .safe_read import FileKind, read_json, shown

# A model folder may carry its measured quality, so the app can say how far to trust the model:
# {"heldout_masked_token_accuracy": 0.389, "heldout_nsp_accuracy": 0.900, "measured_on": "...",
#  "command": "..."}; every key is optional. A bad file is ignored with a warning, never fatal.
EVALUATION_FILE = "evaluation.json"
EVALUATION_JSON = FileKind("an evaluation.json", CheckpointError, limit_mb=1)
_ACCURACY_KEYS = ("heldout_masked_token_accuracy", "heldout_nsp_accuracy")
_TEXT_KEYS = ("measured_on", "command")
MAX_NOTE_CHARS = 500  # a description, not a document


@dataclass(frozen=True)
class HeldoutEvaluation:
    """The figures of a model folder's evaluation.json, measured on text the model never saw."""

    masked_token_accuracy: float | None = None  # share of masked tokens predicted right (top 1)
    nsp_accuracy: float | None = None  # share of sentence pairs classed right (IsNext / NotNext)
    measured_on: str | None = None  # what text, how many tokens or pairs
    command: str | None = None  # how to measure it again


def read_evaluation(folder: str | Path | None) -> tuple[HeldoutEvaluation | None, str | None]:
    """(the folder's evaluation, None), (None, None) when it has none, or (None, a one-line warning)
    when its evaluation.json is unreadable or malformed: a model loads whatever that file holds."""
    if folder is None:
        return None, None
    path = Path(folder) / EVALUATION_FILE
    if not path.exists() and not path.is_symlink():
        return None, None
    ignored = "no held-out accuracy is shown; fix or delete the file"
    try:
        data = read_json(path, EVALUATION_JSON)
    except CheckpointError as exc:
        return None, f"{exc}; {ignored}"
    if not isinstance(data, dict):
        return None, f"{path}: is {shown(data)}, not an object of named figures; {ignored}"
    values: dict[str, Any] = {}
    for key in _ACCURACY_KEYS:
        value = data.get(key)
        if value is not None and not (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1
        ):
            return None, f"{path}: {key}: {shown(value)} is not a number from 0 to 1; {ignored}"
        values[key] = None if value is None else float(value)
    for key in _TEXT_KEYS:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and len(value) <= MAX_NOTE_CHARS):
            what = f"longer than {MAX_NOTE_CHARS} characters" if isinstance(value, str) else "not text"
            return None, f"{path}: {key}: {shown(value)} is {what}; {ignored}"
        values[key] = (value.strip() or None) if isinstance(value, str) else None
    evaluation = HeldoutEvaluation(
        values["heldout_masked_token_accuracy"],
        values["heldout_nsp_accuracy"],
        values["measured_on"],
        values["command"],
    )
    return (evaluation, None) if evaluation != HeldoutEvaluation() else (None, None)


def hub_repository_id(path: str | Path) -> str | None:
    """ "org/name" for a snapshot of the Hugging Face cache (.../models--org--name/snapshots/REVISION),
    whose own folder name is only a commit hash; None for any other folder."""
    snapshot = Path(path)
    repository = snapshot.parent.parent.name
    if snapshot.parent.name != "snapshots" or not repository.startswith("models--"):
        return None
    return repository.removeprefix("models--").replace("--", "/") or None


@dataclass(frozen=True, eq=False)  # a snapshot: compared by identity (it holds an array)
class ModelInfo:
    path: str | None  # the folder it was loaded from; None: built in memory
    config: BertConfig
    architecture: str  # the Hugging Face class that loads the same weights
    mlm: bool  # has a masked-LM head: can fill masks
    nsp: bool  # has a next-sentence head
    classifier: str | None  # None, "sequence" or "token"
    num_labels: int  # classes of the classifier
    parameter_count: int
    parameter_counts: dict[str, int]  # per component, in reading order (see Bert.parameter_counts)
    device: str  # "cpu", "cuda:0", ...
    dtype: str  # of the parameters: "float32", "float16", ...
    unk_token_id: int
    cls_token_id: int
    sep_token_id: int
    mask_token_id: int
    pad_token_id: int
    # (max_position_embeddings, hidden) float32, C-contiguous: a copy, not the live weight
    position_embedding_table: np.ndarray = field(repr=False)
    ignored_keys: tuple[str, ...] = ()  # checkpoint tensors with no place in the network
    warnings: tuple[str, ...] = ()  # one line each, said once at load
    # From the folder's evaluation.json (read_evaluation), None where it gives none:
    heldout_masked_accuracy: float | None = None  # masked-token accuracy (top 1) on held-out text
    heldout_nsp_accuracy: float | None = None  # next-sentence accuracy on held-out pairs
    quality_note: str | None = None  # what those were measured on
    quality_command: str | None = None  # the command that measures them

    @property
    def name(self) -> str:
        """For titles and the status bar: the folder's name, or the repository id ("google/bert_...")
        of a Hugging Face cache snapshot, whose folder is named by a commit hash."""
        if not self.path:
            return "model"
        return hub_repository_id(self.path) or Path(self.path).name

    @property
    def device_type(self) -> str:
        """ "cpu" or "cuda", without the index."""
        return self.device.split(":")[0]
