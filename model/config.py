"""BertConfig: the hyper-parameters of a BERT, with Hugging Face's field names.

Read from and written to `config.json`, so a Hugging Face BERT folder's config loads as
it is and what we save loads in `transformers`. Keys we do not use are kept in `extra`
and written back unchanged.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import CheckpointError
from .safe_read import FileKind, read_json, shown

# A real config.json is under 2 KB; parsing a huge one holds the GIL (1 GB: a window frozen 2-3.6 s).
CONFIG_JSON = FileKind("a config.json", CheckpointError, limit_mb=1, if_missing="a model folder needs a config.json")

SUPPORTED_POSITION_TYPES = ("absolute", "sinusoidal")
SUPPORTED_ACTIVATIONS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu")
SIZES = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "max_position_embeddings",
    "type_vocab_size",
)
PROBABILITIES = ("hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout")
# Every size in config.json is checked against the tensors that hold it (checkpoint.check_sizes),
# except the sinusoidal table's, which no file holds: it is computed at load (positions x
# hidden_size in float64, then float32), so 4e6 positions at hidden 768 would take 25 GB. Capped
# at 8,192: 16 times BERT's 512, and more than the inspector can use (attention over 8,192 tokens
# is a 256 MB matrix per head and layer); the table then costs at most 64 MB at hidden 1,024.
MAX_SINUSOIDAL_POSITIONS = 8192


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
    pad_token_id: int | None = 0  # id of [PAD] (no gradient to its embedding); None: none
    position_embedding_type: str = "absolute"  # "absolute" (learned, BERT) or "sinusoidal" (fixed, Vaswani et al.)
    classifier_dropout: float | None = None  # dropout before a classifier head; None = hidden_dropout_prob
    tie_word_embeddings: bool = True  # MLM decoder shares the word-embedding matrix
    id2label: dict[int, str] | None = None  # class names of a classification head
    architectures: list[str] | None = None  # the Hugging Face class the checkpoint was saved from
    model_type: str = "bert"  # Hugging Face's family name; only "bert" is accepted
    extra: dict[str, Any] = field(default_factory=dict)  # unknown config.json keys, kept for round trips

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def label2id(self) -> dict[str, int] | None:
        return None if self.id2label is None else {v: k for k, v in self.id2label.items()}

    def validate(self, source: str = "config.json") -> None:
        """Raise CheckpointError, one line naming `source` and the field, unless every field has a
        value this package can build and run (types and ranges; the sizes are checked against the
        weights' tensors by the loader, before anything is built)."""

        def bad(name: str, problem: str) -> CheckpointError:
            return CheckpointError(f"{source}: {name}: {problem}")

        if self.model_type != "bert":
            raise bad(
                "model_type",
                f'{shown(self.model_type)} is not supported; BERT Explorer opens BERT checkpoints (model_type "bert")',
            )
        for name in SIZES:
            value = getattr(self, name)
            if not _is_int(value) or value <= 0:
                raise bad(name, f"must be a positive integer, got {shown(value)}; correct it")
        if self.hidden_size % self.num_attention_heads:
            raise bad(
                "hidden_size",
                f"{self.hidden_size} is not a multiple of num_attention_heads "
                f"{self.num_attention_heads}; correct one of them",
            )
        if self.position_embedding_type not in SUPPORTED_POSITION_TYPES:
            raise bad(
                "position_embedding_type",
                f"{shown(self.position_embedding_type)} is not supported; "
                f"use one of {', '.join(SUPPORTED_POSITION_TYPES)}",
            )
        if self.position_embedding_type == "sinusoidal" and self.max_position_embeddings > MAX_SINUSOIDAL_POSITIONS:
            raise bad(
                "max_position_embeddings",
                f"{self.max_position_embeddings} is more than the "
                f"{MAX_SINUSOIDAL_POSITIONS} a sinusoidal table is built for; lower it",
            )
        if self.hidden_act not in SUPPORTED_ACTIVATIONS:
            raise bad(
                "hidden_act",
                f"{shown(self.hidden_act)} is not supported; use one of {', '.join(SUPPORTED_ACTIVATIONS)}",
            )
        for name in PROBABILITIES:
            value = getattr(self, name)
            if value is None and name == "classifier_dropout":
                continue  # the classifier uses hidden_dropout_prob
            if not (_is_number(value) and 0 <= value <= 1):
                raise bad(name, f"must be a probability from 0 to 1, got {shown(value)}; correct it")
        if not (_is_number(self.layer_norm_eps) and self.layer_norm_eps > 0):
            raise bad("layer_norm_eps", f"must be a positive number, got {shown(self.layer_norm_eps)}; correct it")
        if not (_is_number(self.initializer_range) and self.initializer_range >= 0):
            raise bad(
                "initializer_range", f"must be a number of at least 0, got {shown(self.initializer_range)}; correct it"
            )
        if self.pad_token_id is not None and not (
            _is_int(self.pad_token_id) and 0 <= self.pad_token_id < self.vocab_size
        ):
            raise bad(
                "pad_token_id",
                f"must be a token id below vocab_size {self.vocab_size}, got {shown(self.pad_token_id)}; correct it",
            )
        if not isinstance(self.tie_word_embeddings, bool):
            raise bad("tie_word_embeddings", f"must be true or false, got {shown(self.tie_word_embeddings)}")
        if self.architectures is not None and not (
            isinstance(self.architectures, list) and all(isinstance(a, str) for a in self.architectures)
        ):
            raise bad("architectures", f"must be a list of class names, got {shown(self.architectures)}")
        if self.id2label is not None and not _is_label_table(self.id2label):
            raise bad("id2label", 'must map the class ids "0" to "N-1" to names (strings); correct it')

    # --- config.json ---------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BertConfig":
        """The config a parsed config.json describes, unvalidated (see validate)."""
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known and k != "label2id"}
        if "model_type" not in data:
            kwargs["model_type"] = "bert"
        labels = kwargs.get("id2label")
        # JSON's keys are strings: "0", "1", ... Anything else is left for validate to refuse
        # (ten digits at most: no model has a billion classes, and int() of thousands would raise).
        if isinstance(labels, dict) and all(isinstance(k, str) and k.isdecimal() and len(k) < 10 for k in labels):
            kwargs["id2label"] = {int(k): v for k, v in labels.items()}
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
        data = read_json(path, CONFIG_JSON)
        if not isinstance(data, dict):
            raise CheckpointError(
                f"{path}: expected a JSON object, got {shown(data)}; a config.json maps fields to values"
            )
        config = cls.from_dict(data)
        config.validate(str(path))
        return config

    def to_json_string(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON's true is not 1 here


def _is_number(value: Any) -> bool:
    """A finite int or float (NaN and Infinity parse as floats, and fail every range check but !=)."""
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _is_label_table(labels: Any) -> bool:
    return (
        isinstance(labels, dict)
        and all(_is_int(k) for k in labels)
        and set(labels) == set(range(len(labels)))
        and all(isinstance(v, str) for v in labels.values())
    )
