"""Reading and writing Hugging Face-layout BERT folders.

A folder holds config.json, vocab.txt and/or tokenizer.json, and the weights as
model.safetensors (preferred), a sharded model.safetensors.index.json, or pytorch_model.bin
(read only with `torch.load(weights_only=True)`: a checkpoint is untrusted input and must
never run code). Our module names are Hugging Face's, so the only translation needed is
the table of historical spellings below.

Loading is all-or-nothing: every tensor is checked against the config before the network
is built, and any problem raises CheckpointError naming the file and the tensor.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .atomic import atomic_directory, recover_interrupted_save
from .config import BertConfig
from .errors import CheckpointError, ModelNotFoundError, one_line
from .heads import BertWithHeads, HeadSpec
from .safe_read import FileKind, check_file, read_text
from .tokenizer import BertTokenizer

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")

# The one translation table: historical spellings of a state_dict key -> ours (Hugging Face's).
KEY_RENAMES = (
    (".gamma", ".weight"),  # LayerNorm in checkpoints converted from the original TensorFlow BERT
    (".beta", ".bias"),
)
TRUNK_PREFIXES = ("embeddings.", "encoder.", "pooler.")  # BertModel saves its keys without "bert."
DROPPED_KEYS = ("bert.embeddings.position_ids", "bert.embeddings.token_type_ids")  # buffers, not weights
DECODER_BIAS = "cls.predictions.decoder.bias"  # an alias of cls.predictions.bias
DECODER_WEIGHT = "cls.predictions.decoder.weight"  # tied to the word embeddings when the config says so

WEIGHTS = FileKind("a weights file", CheckpointError)  # any size (models are large), but a regular file
# A BERT-large index is about 25 KB; parsing a huge one would hold the GIL (see config.CONFIG_JSON).
WEIGHTS_INDEX = FileKind("a safetensors index", CheckpointError, limit_mb=1)


@dataclass
class LoadedCheckpoint:
    network: BertWithHeads
    config: BertConfig
    tokenizer: BertTokenizer
    weights_file: Path
    ignored_keys: list[str] = field(default_factory=list)  # tensors we have no place for (e.g. a QA head)


def find_weights(folder: Path) -> Path:
    for name in WEIGHT_FILES:
        if os.path.lexists(folder / name):  # the first one there, checked: a FIFO is refused, not passed over
            check_file(folder / name, WEIGHTS)
            return folder / name
    raise CheckpointError(f"{folder}: no weights file; expected one of {', '.join(WEIGHT_FILES)}")


def read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """The raw tensors of a weights file. Never unpickles code."""
    if path.name.endswith(".index.json"):
        text = read_text(path, WEIGHTS_INDEX)
        try:
            index = json.loads(text)
            shards = sorted(set(index["weight_map"].values()))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise CheckpointError(f"{path}: not a valid safetensors index ({exc})") from None
        tensors: dict[str, torch.Tensor] = {}
        for shard in shards:
            shard_path = path.parent / shard
            if not os.path.lexists(shard_path):
                raise CheckpointError(f"{shard_path}: missing; {path.name} lists it")
            tensors.update(read_state_dict(shard_path))
        return tensors
    check_file(path, WEIGHTS)  # safetensors and torch open the path themselves: a FIFO would block them
    if path.suffix == ".safetensors":
        try:
            return load_file(str(path), device="cpu")
        except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
            raise CheckpointError(f"{path}: truncated or corrupt safetensors file ({one_line(exc)})") from None
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # zip errors, EOF, legacy formats, and the weights-only refusal
        if type(exc).__name__ == "UnpicklingError":  # weights_only=True met something other than tensors
            raise CheckpointError(f"{path}: refused: the file holds code or objects other than tensors, "
                                  f"and checkpoints are never unpickled ({one_line(exc)})") from None
        raise CheckpointError(f"{path}: not a readable PyTorch checkpoint ({one_line(exc)})") from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path}: expected a mapping of names to tensors")
    return state


def normalize_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rewrite any historical spelling to ours (see KEY_RENAMES) and drop buffers."""
    out: dict[str, torch.Tensor] = {}
    for key, tensor in state.items():
        for old, new in KEY_RENAMES:
            if key.endswith(old):
                key = key[: -len(old)] + new
        if key.startswith(TRUNK_PREFIXES):
            key = "bert." + key
        if key in DROPPED_KEYS:
            continue
        out[key] = tensor
    if DECODER_BIAS in out:
        bias = out.pop(DECODER_BIAS)
        out.setdefault("cls.predictions.bias", bias)
    return out


def infer_heads(state: dict[str, torch.Tensor], config: BertConfig, source: Path) -> HeadSpec:
    classifier = None
    num_labels = 0
    if "classifier.weight" in state:
        archs = " ".join(config.architectures or [])
        classifier = "token" if "TokenClassification" in archs else "sequence"
        num_labels = int(state["classifier.weight"].shape[0])
        if config.id2label is not None and len(config.id2label) != num_labels:
            raise CheckpointError(f"{source}: tensor 'classifier.weight' has {num_labels} classes but config.json "
                                  f"names {len(config.id2label)} labels")
    return HeadSpec(mlm="cls.predictions.transform.dense.weight" in state,
                    nsp="cls.seq_relationship.weight" in state,
                    classifier=classifier, num_labels=num_labels,
                    pooler="bert.pooler.dense.weight" in state)


def load_checkpoint(folder: str | Path) -> LoadedCheckpoint:
    folder = Path(folder).expanduser()
    recover_interrupted_save(folder)  # a save killed mid-swap left the complete old model beside it
    if not folder.exists():
        raise ModelNotFoundError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise CheckpointError(f"{folder}: not a folder; choose the folder that holds config.json")
    config = BertConfig.from_json_file(folder / "config.json")
    weights_file = find_weights(folder)
    state = normalize_keys(read_state_dict(weights_file))
    heads = infer_heads(state, config, weights_file)
    if config.id2label is None and heads.classifier:
        config.id2label = {i: f"LABEL_{i}" for i in range(heads.num_labels)}

    with torch.device("meta"):  # shapes only: the checkpoint's tensors become the parameters below
        network = BertWithHeads(config, heads)
    expected = network.state_dict()
    tied = heads.mlm and config.tie_word_embeddings
    if tied:
        expected.pop(DECODER_WEIGHT)
        state.pop(DECODER_WEIGHT, None)  # as in transformers: a tied config uses the embeddings
    for key, target in expected.items():
        if key not in state:
            raise CheckpointError(f"{weights_file}: tensor '{key}' is missing")
        if tuple(state[key].shape) != tuple(target.shape):
            raise CheckpointError(f"{weights_file}: tensor '{key}' has shape {tuple(state[key].shape)} "
                                  f"but config.json implies {tuple(target.shape)}")
        if not state[key].is_floating_point():
            raise CheckpointError(f"{weights_file}: tensor '{key}' has dtype {state[key].dtype}, expected floating point")
    ignored = sorted(k for k in state if k not in expected)
    # assign=True adopts the loaded tensors instead of copying them into freshly initialised
    # ones, so a checkpoint costs its size in memory once, not twice.
    network.load_state_dict({k: state[k].float() for k in expected}, strict=False, assign=True)
    network.tie_weights()
    network.bert.embeddings.materialize_buffers()
    network.eval()

    tokenizer = BertTokenizer.from_folder(folder, config.max_position_embeddings)
    if tokenizer.vocab_size > config.vocab_size:
        raise CheckpointError(f"{folder}: the tokenizer has {tokenizer.vocab_size} tokens but config.json's "
                              f"vocab_size is {config.vocab_size}")
    return LoadedCheckpoint(network, config, tokenizer, weights_file, ignored)


# What a model folder may hold: the files a save writes and those Hugging Face's tools put beside
# them. A save replaces the folder whole, so a folder holding anything else (the user's notes, a
# subfolder, a model card) is refused rather than emptied.
MODEL_FILE_NAMES = frozenset({
    "config.json", "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
    "pytorch_model.bin.index.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
    "special_tokens_map.json", "added_tokens.json",
})
SHARD_NAME = re.compile(r"(model|pytorch_model)-\d+-of-\d+\.(safetensors|bin)")
NAMES_LISTED = 5  # a refusal names this many of the other files, then counts the rest


def files_not_of_a_model(folder: Path) -> list[str]:
    """The entries of `folder` a save would destroy: anything but a model's own files."""
    others = [p.name + ("/" if p.is_dir() else "") for p in folder.iterdir()
              if not (p.name in MODEL_FILE_NAMES or SHARD_NAME.fullmatch(p.name)) or not p.is_file()]
    return sorted(others)


def check_output_folder(folder: str | Path, source: str | Path | None = None) -> None:
    """Before any work, refuse a destination that saving would destroy or cannot write: a model
    folder is replaced whole, so it may be new, empty or an earlier model's, but may not hold
    anything else, nor be the `source` model being read; and its parent must take new folders
    (the save writes a sibling there, then swaps it in). Each refusal is one line that names
    the folder and the reason."""
    folder = Path(folder).expanduser()
    if source is not None and folder.resolve() == Path(source).expanduser().resolve():
        raise CheckpointError(f"{folder}: is the model being read; choose another folder for the result")
    if folder.exists() and not folder.is_dir():
        raise CheckpointError(f"{folder}: is a file; choose a folder for the model")
    if folder.is_dir():
        try:
            others = files_not_of_a_model(folder)
        except OSError as exc:
            raise CheckpointError(f"{folder}: cannot be read ({exc.strerror or exc}); choose another folder") from None
        if others:
            named = ", ".join(others[:NAMES_LISTED]) + (f" and {len(others) - NAMES_LISTED} more"
                                                         if len(others) > NAMES_LISTED else "")
            raise CheckpointError(f"{folder}: holds files that are not part of a model ({named}); saving replaces "
                                  f"the folder whole, so choose a new or empty folder, or move them out")
    probe_writable(folder.parent, folder)


def probe_writable(parent: Path, folder: Path) -> None:
    """Create `parent` if need be and write and remove a probe file there, so an impossible
    output is found before a run, not after it."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{folder.name}.", suffix=".probe")
        try:
            os.write(fd, b"probe")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise CheckpointError(f"{folder}: cannot be written ({exc.strerror or exc}); choose another folder") from None


def save_checkpoint(network: BertWithHeads, tokenizer: BertTokenizer, folder: str | Path,
                    dtype: torch.dtype = torch.float32) -> Path:
    """Write a Hugging Face-layout folder atomically: config.json, model.safetensors,
    vocab.txt, tokenizer.json, tokenizer_config.json. `transformers` loads it as is.
    An earlier model there is replaced; a folder holding anything else is refused (see check_output_folder)."""
    folder = Path(folder).expanduser()
    check_output_folder(folder)
    config = network.config
    config.architectures = [network.heads.architecture]
    state = {k: v.detach().to("cpu", dtype).contiguous() for k, v in network.state_dict().items()}
    if network.heads.mlm and config.tie_word_embeddings:
        state.pop(DECODER_WEIGHT)  # shared with the word embeddings; the loader ties it back
    try:
        with atomic_directory(folder) as tmp:
            (tmp / "config.json").write_text(config.to_json_string(), encoding="utf-8")
            save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
            tokenizer.save(tmp)
    except OSError as exc:
        raise CheckpointError(f"{folder}: could not write the model ({exc.strerror or exc})") from None
    return folder

