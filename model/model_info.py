"""`ModelInfo`: what there is to show about a loaded model, as plain data.

The GUI thread never touches a live `Bert` (its torch modules belong to the worker thread that
runs them); the worker builds a ModelInfo (`Bert.info()`) and hands that over instead. This
module imports no torch, so the GUI thread can import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import BertConfig


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

    @property
    def name(self) -> str:
        """The folder's name, for titles and the status bar."""
        return Path(self.path).name if self.path else "model"

    @property
    def device_type(self) -> str:
        """ "cpu" or "cuda", without the index."""
        return self.device.split(":")[0]
