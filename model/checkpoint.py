"""Reading and writing Hugging Face-layout BERT folders.

A folder holds config.json, vocab.txt and/or tokenizer.json, and the weights as
model.safetensors (preferred), a sharded model.safetensors.index.json, or pytorch_model.bin
(read only with `torch.load(weights_only=True)`: a checkpoint is untrusted input and must
never run code). Our module names are Hugging Face's, so the only translation needed is
the table of historical spellings below.

Loading is all-or-nothing: every tensor is checked against the config before the network
is built, and any problem raises CheckpointError naming the file and the tensor. The checks
come before anything large is allocated: a safetensors file's header (its list of tensors) is
read first, and every size in config.json that decides what is built must be a tensor's size,
so no config can make the loader build what its weights do not hold. Nothing outside the model
folder is read: a shard index names plain file names beside it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .atomic import atomic_directory, recover_interrupted_save
from .config import BertConfig
from .errors import CheckpointError, ModelNotFoundError, one_line
from .folder_layout import MODEL_FILE_NAMES, SHARD_NAME, WEIGHT_FILES
from .heads import BertWithHeads, HeadSpec
from .safe_read import FileKind, check_file, clip, read_json, shown
from .safetensors_header import HEADER_LIMIT, TensorInfo, read_header
from .tokenizer import BertTokenizer

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
    ignored_keys: list[str] = field(default_factory=list)  # tensors we have no place for (e.g. a QA head)


def find_weights(folder: Path) -> Path:
    for name in WEIGHT_FILES:
        if os.path.lexists(folder / name):  # the first one there, checked: a FIFO is refused, not passed over
            check_file(folder / name, WEIGHTS)
            return folder / name
    raise CheckpointError(f"{folder}: no weights file; expected one of {', '.join(WEIGHT_FILES)}")


def read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """The raw tensors of a weights file. Never unpickles code; never reads outside the model folder."""
    if path.name.endswith(".index.json"):
        tensors: dict[str, torch.Tensor] = {}
        for shard in shard_paths(path):
            tensors.update(_read_safetensors(shard))
        return tensors
    if path.suffix == ".safetensors":
        return _read_safetensors(path)
    return _read_pytorch_bin(path)


def describe_weights(path: Path) -> dict[str, TensorInfo | torch.Tensor]:
    """Each tensor's shape and dtype, for checking before anything is built or read: from a
    safetensors file's header alone (a sharded model's headers within HEADER_LIMIT together).
    A pytorch_model.bin has no header, so its tensors, loaded (they describe themselves)."""
    if path.name.endswith(".index.json"):
        tensors: dict[str, TensorInfo] = {}
        budget = HEADER_LIMIT  # an index can name thousands of shards
        for shard in shard_paths(path):
            used, infos = read_header(shard, WEIGHTS, budget)
            tensors.update(infos)
            budget -= used
        return tensors
    if path.suffix == ".safetensors":
        return read_header(path, WEIGHTS)[1]
    return _read_pytorch_bin(path)


def shard_paths(index: Path) -> list[Path]:
    """The shard files an index names, each checked: a plain *.safetensors name (no folder part, so
    no ../ or absolute path, and never an index), a regular file, and inside the model folder once
    links are followed."""
    data = read_json(index, WEIGHTS_INDEX)
    weight_map = data.get("weight_map") if isinstance(data, dict) else None
    if not isinstance(weight_map, dict) or not weight_map:
        raise CheckpointError(f"{index}: weight_map: missing or empty; an index maps each tensor to its shard file")
    names = list(weight_map.values())
    for name in names:
        if not _is_shard_name(name):
            raise CheckpointError(
                f"{index}: weight_map: {shown(name)} is not a shard's name; shards are "
                "*.safetensors files beside the index"
            )
    return [_checked_shard(index, name) for name in sorted(set(names))]


def _is_shard_name(name: object) -> bool:
    # "/" and "\\" would reach into other folders, ":" is a Windows drive, NUL no file name at all.
    return (
        isinstance(name, str) and name.endswith(".safetensors") and not any(c in name for c in ("/", "\\", ":", "\0"))
    )


def _checked_shard(index: Path, name: str) -> Path:
    shard = index.parent / name
    if not os.path.lexists(shard):
        raise CheckpointError(f"{shard}: missing; {index.name} lists it")
    check_file(shard, WEIGHTS)  # a FIFO, a folder, a device or a link loop is refused here
    target = shard.resolve()
    if not any(target.is_relative_to(place) for place in _model_places(index.parent)):
        raise CheckpointError(
            f"{shard}: a link to {clip(str(target))}, outside the model folder; a shard must be a file in it"
        )
    return shard


def _model_places(folder: Path) -> list[Path]:
    """Where a model folder's files may really lie: in it, and, for a snapshot in Hugging Face's
    cache (models--ORG--NAME/snapshots/REVISION/), in the repository's blobs/, which every file
    of a snapshot is a link to."""
    folder = folder.resolve()
    return [folder, folder.parent.parent / "blobs"] if folder.parent.name == "snapshots" else [folder]


def _read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    check_file(path, WEIGHTS)  # safetensors opens the path itself: a FIFO would block it
    try:
        return load_file(str(path), device="cpu")
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(
            f"{path}: truncated or corrupt safetensors file ({clip(one_line(exc), 80)}); get the file again"
        ) from None


def _read_pytorch_bin(path: Path) -> dict[str, torch.Tensor]:
    check_file(path, WEIGHTS)  # torch opens the path itself: a FIFO would block it
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # zip errors, EOF, legacy formats, and the weights-only refusal
        # torch's refusal quotes its advice to load with weights_only=False: the one thing not to do.
        # (Matched by name: torch raises pickle's UnpicklingError, and this module never imports pickle.)
        if type(exc).__name__ == "UnpicklingError" and str(exc).startswith("Weights only load failed"):
            raise CheckpointError(
                f"{path}: refused: it holds Python objects other than tensors, and a checkpoint "
                "is never unpickled (it could run code); convert it to safetensors where it "
                "came from"
            ) from None
        raise CheckpointError(f"{path}: not a readable PyTorch checkpoint ({clip(one_line(exc), 80)})") from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()
    ):
        raise CheckpointError(f"{path}: expected a mapping of names to tensors; this is not a model's state_dict")
    for key, tensor in state.items():
        if not _stored_in_full(tensor):
            raise CheckpointError(
                f"{path}: tensor {shown(key)} is not stored in full (a sparse, quantized or "
                "repeating view); save the model again with plain tensors"
            )
    return state


def _stored_in_full(tensor: torch.Tensor) -> bool:
    """A dense tensor with bytes of its own for every element. torch.save keeps views, so a 2 KB
    file can hold a 10^9 x 32 tensor that repeats one row (stride 0): its shape would pass every
    size check, and using it would allocate the whole."""
    return (
        tensor.layout == torch.strided
        and not tensor.is_quantized
        and tensor.numel() * tensor.element_size() <= tensor.untyped_storage().nbytes()
    )


T = TypeVar("T")  # a tensor, or a TensorInfo describing one


def normalize_keys(state: dict[str, T]) -> dict[str, T]:
    """Rewrite any historical spelling to ours (see KEY_RENAMES) and drop buffers."""
    out: dict[str, T] = {}
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


def infer_heads(state: dict[str, TensorInfo | torch.Tensor], config: BertConfig, source: Path) -> HeadSpec:
    classifier = None
    num_labels = 0
    if "classifier.weight" in state:
        archs = " ".join(config.architectures or [])
        classifier = "token" if "TokenClassification" in archs else "sequence"
        shape = tuple(state["classifier.weight"].shape)
        if len(shape) != 2:
            raise CheckpointError(
                f"{source}: tensor 'classifier.weight' has shape {shape}; a classifier's is (classes, hidden_size)"
            )
        num_labels = shape[0]
        if config.id2label is not None and len(config.id2label) != num_labels:
            raise CheckpointError(
                f"{source}: tensor 'classifier.weight' has {num_labels} classes but config.json "
                f"names {len(config.id2label)} labels"
            )
    return HeadSpec(
        mlm="cls.predictions.transform.dense.weight" in state,
        nsp="cls.seq_relationship.weight" in state,
        classifier=classifier,
        num_labels=num_labels,
        pooler="bert.pooler.dense.weight" in state,
    )


def check_sizes(
    config: BertConfig, heads: HeadSpec, tensors: dict[str, TensorInfo | torch.Tensor], source: Path
) -> None:
    """Before any module is built: each size in config.json that decides what is built must be
    the size of a tensor in the file, so a config cannot make the loader build what no weights
    hold (10^6 layers took minutes to build even on the meta device). The layer count is backed
    by the last layer's tensor; the sinusoidal table, in no file, is capped by BertConfig.validate;
    num_attention_heads divides hidden_size."""
    h, last = config.hidden_size, config.num_hidden_layers - 1
    backing = [  # (tensor, the shape config.json gives it, the field that sets its first dimension)
        ("bert.embeddings.word_embeddings.weight", (config.vocab_size, h), "vocab_size"),
        ("bert.embeddings.token_type_embeddings.weight", (config.type_vocab_size, h), "type_vocab_size"),
        ("bert.encoder.layer.0.intermediate.dense.weight", (config.intermediate_size, h), "intermediate_size"),
        (f"bert.encoder.layer.{last}.output.dense.weight", (h, config.intermediate_size), "num_hidden_layers"),
    ]
    if config.position_embedding_type == "absolute":
        backing.append(
            (
                "bert.embeddings.position_embeddings.weight",
                (config.max_position_embeddings, h),
                "max_position_embeddings",
            )
        )
    if heads.classifier:
        backing.append(("classifier.weight", (heads.num_labels, h), "hidden_size"))
    for key, shape, name in backing:
        check_tensor(tensors, key, shape, source, needed_by=f"{name} ({getattr(config, name)})")


def check_tensor(
    tensors: dict[str, TensorInfo | torch.Tensor], key: str, shape: tuple[int, ...], source: Path, needed_by: str = ""
) -> None:
    """The tensor is there, with this shape, in a floating-point dtype; else one line naming it."""
    if key not in tensors:
        raise CheckpointError(
            f"{source}: tensor '{key}' is missing" + (f"; config.json's {needed_by} needs it" if needed_by else "")
        )
    found = tuple(tensors[key].shape)
    if found != shape:
        raise CheckpointError(f"{source}: tensor '{key}' has shape {found} but config.json implies {shape}")
    if not tensors[key].dtype.is_floating_point:
        raise CheckpointError(f"{source}: tensor '{key}' has dtype {tensors[key].dtype}, expected floating point")


def load_checkpoint(folder: str | Path) -> LoadedCheckpoint:
    folder = Path(folder).expanduser()
    recover_interrupted_save(folder)  # a save killed mid-swap left the complete old model beside it
    if not folder.exists():
        raise ModelNotFoundError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise CheckpointError(f"{folder}: not a folder; choose the folder that holds config.json")
    config = BertConfig.from_json_file(folder / "config.json")
    weights_file = find_weights(folder)
    described = normalize_keys(describe_weights(weights_file))
    heads = infer_heads(described, config, weights_file)
    check_sizes(config, heads, described, weights_file)
    if config.id2label is None and heads.classifier:
        config.id2label = {i: f"LABEL_{i}" for i in range(heads.num_labels)}

    with torch.device("meta"):  # shapes only: the checkpoint's tensors become the parameters below
        network = BertWithHeads(config, heads)
    expected = network.state_dict()
    tied = heads.mlm and config.tie_word_embeddings
    if tied:
        expected.pop(DECODER_WEIGHT)
    for key, target in expected.items():
        check_tensor(described, key, tuple(target.shape), weights_file)
    # A pytorch_model.bin was loaded to be described; a safetensors file is read only now that it fits.
    state = described if weights_file.suffix == ".bin" else normalize_keys(read_state_dict(weights_file))
    for key, target in expected.items():  # again: the file may have changed since its header was read
        check_tensor(state, key, tuple(target.shape), weights_file)
    if tied:
        state.pop(DECODER_WEIGHT, None)  # as in transformers: a tied config uses the embeddings
    ignored = sorted(k for k in state if k not in expected)
    # assign=True adopts the loaded tensors instead of copying them into freshly initialised
    # ones, so a checkpoint costs its size in memory once, not twice.
    network.load_state_dict({k: state[k].float() for k in expected}, strict=False, assign=True)
    network.tie_weights()
    network.bert.embeddings.materialize_buffers()
    network.eval()

    tokenizer = BertTokenizer.from_folder(folder, config.max_position_embeddings, config.vocab_size)
    return LoadedCheckpoint(network, config, tokenizer, ignored)


NAMES_LISTED = 5  # a refusal names this many of the other files, then counts the rest


def files_not_of_a_model(folder: Path) -> list[str]:
    """The entries of `folder` a save would destroy: anything but a model's own files."""
    others = [
        p.name + ("/" if p.is_dir() else "")
        for p in folder.iterdir()
        if not (p.name in MODEL_FILE_NAMES or SHARD_NAME.fullmatch(p.name)) or not p.is_file()
    ]
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
            named = ", ".join(others[:NAMES_LISTED]) + (
                f" and {len(others) - NAMES_LISTED} more" if len(others) > NAMES_LISTED else ""
            )
            raise CheckpointError(
                f"{folder}: holds files that are not part of a model ({named}); saving replaces "
                f"the folder whole, so choose a new or empty folder, or move them out"
            )
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


def save_checkpoint(
    network: BertWithHeads, tokenizer: BertTokenizer, folder: str | Path, dtype: torch.dtype = torch.float32
) -> Path:
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
    except Exception as exc:
        reason = _io_failure(exc)
        if reason is None:
            raise  # a bug, not a full disk: it must not pass for one
        raise CheckpointError(f"{folder}: could not write the model ({reason})") from None
    return folder


# safetensors and tokenizers report a failed write as their own exception quoting the OS's error:
# "Error while serializing: I/O error: No space left on device (os error 28)".
_OS_ERROR = re.compile(r"([^:]+) \(os error \d+\)")


def _io_failure(exc: Exception) -> str | None:
    """Why a write failed, as the OS says it; None if `exc` is no I/O error."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    found = _OS_ERROR.search(str(exc))
    return found.group(1).strip() if found else None
