"""BertConfig: the hyper-parameters of a BERT, with Hugging Face's field names.

Read from and written to `config.json`, so a Hugging Face BERT folder's config loads as
it is and what we save loads in `transformers`. Keys we do not use are kept in `extra`
and written back unchanged.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import CheckpointError
from .safe_read import FileKind, read_text

# A real config.json is under 2 KB; parsing a huge one holds the GIL (1 GB: a window frozen 2-3.6 s).
CONFIG_JSON = FileKind("a config.json", CheckpointError, limit_mb=1, if_missing="a model folder needs a config.json")

SUPPORTED_POSITION_TYPES = ("absolute", "sinusoidal")
SUPPORTED_ACTIVATIONS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu")


@dataclass
class BertConfig:
    vocab_size: int = 30522  # rows of the word (token) embedding matrix and of the MLM decoder
    hidden_size: int = 768  # width of every token vector between layers
    num_hidden_layers: int = 12  # number of Transformer encoder layers
    num_attention_heads: int = 12  # heads per layer; hidden_size must be a multiple of it
    intermediate_size: int = 3072  # inner width of the position-wise feed-forward network
    hidden_act: str = "gelu"  # feed-forward activation; BERT uses the exact (erf) GELU
    hidden_dropout_prob: float = 0.1  # dropout on embeddings and on each residual branch
    attention_probs_dropout_prob: float = 0.1  # dropout on the attention probabilities
    max_position_embeddings: int = 512  # longest input in tokens, [CLS] and [SEP] included
    type_vocab_size: int = 2  # number of segments (A/B) in the segment embedding
    initializer_range: float = 0.02  # std of the normal init of weights (training from scratch)
    layer_norm_eps: float = 1e-12  # epsilon of every LayerNorm
    pad_token_id: int = 0  # id of [PAD]
    position_embedding_type: str = "absolute"  # "absolute" (learned, BERT) or "sinusoidal" (fixed, Vaswani et al.)
    classifier_dropout: float | None = None  # dropout before a classifier head; None = hidden_dropout_prob
    tie_word_embeddings: bool = True  # MLM decoder shares the word-embedding matrix
    id2label: dict[int, str] | None = None  # class names of a classification head
    architectures: list[str] | None = None  # the Hugging Face class the checkpoint was saved from
    model_type: str = "bert"  # Hugging Face's family name; only "bert" is accepted
    extra: dict[str, Any] = field(default_factory=dict)  # unknown config.json keys, kept for round trips

    def __post_init__(self) -> None:
        if self.id2label is not None:
            self.id2label = {int(k): str(v) for k, v in self.id2label.items()}

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def label2id(self) -> dict[str, int] | None:
        return None if self.id2label is None else {v: k for k, v in self.id2label.items()}

    def validate(self, source: str = "config.json") -> None:
        """Raise CheckpointError with one line if the numbers cannot describe a BERT."""

        def bad(msg: str) -> CheckpointError:
            return CheckpointError(f"{source}: {msg}")

        if self.model_type != "bert":
            raise bad(
                f"model_type '{self.model_type}' is not supported; BERT Explorer opens BERT checkpoints (model_type 'bert')"
            )
        for name in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                     "intermediate_size", "max_position_embeddings", "type_vocab_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise bad(f"'{name}' must be a positive integer, got {value!r}")
        if self.hidden_size % self.num_attention_heads:
            raise bad(
                f"hidden_size {self.hidden_size} is not a multiple of num_attention_heads {self.num_attention_heads}"
            )
        if self.position_embedding_type not in SUPPORTED_POSITION_TYPES:
            raise bad(
                f"position_embedding_type '{self.position_embedding_type}' is not supported "
                f"(use one of {', '.join(SUPPORTED_POSITION_TYPES)})"
            )
        if self.hidden_act not in SUPPORTED_ACTIVATIONS:
            raise bad(f"hidden_act '{self.hidden_act}' is not supported (use one of {', '.join(SUPPORTED_ACTIVATIONS)})")

    # --- config.json ---------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BertConfig":
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known and k != "label2id"}
        if "model_type" not in data:
            kwargs["model_type"] = "bert"
        return cls(**kwargs, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        if self.id2label is None:
            data.pop("id2label")
        else:
            data["id2label"] = {str(k): v for k, v in self.id2label.items()}
            data["label2id"] = self.label2id
        if data["classifier_dropout"] is None:
            data.pop("classifier_dropout")
        if data["architectures"] is None:
            data.pop("architectures")
        return {**extra, **data}

    @classmethod
    def from_json_file(cls, path: Path) -> "BertConfig":
        text = read_text(path, CONFIG_JSON)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise CheckpointError(f"{path}: expected a JSON object")
        try:
            config = cls.from_dict(data)
        except TypeError as exc:
            raise CheckpointError(f"{path}: {exc}") from None
        config.validate(str(path))
        return config

    def to_json_string(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"
