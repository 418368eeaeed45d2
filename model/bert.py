"""`Bert`: a loaded checkpoint (network + tokenizer + config on a device), and `load()`.

This is the API the GUI, the CLI and scripts use; none of them run forward code of their own.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .attribution import Attribution, run_attribution
from .checkpoint import load_checkpoint, save_checkpoint
from .computation import LayerTrace, trace_layer
from .config import BertConfig
from .device import resolve_device
from .errors import BertError, CapabilityError, ModelNotFoundError
from .heads import BertWithHeads, HeadSpec
from .hub import resolve_local
from .inspection import Inspection, MaskPrediction, check_head_mask, run_inspection
from .model_info import ModelInfo, read_evaluation
from .resource_paths import resources_folder
from .sizes import parameter_groups
from .tokenizer import BertTokenizer, Encoding
from .word_tags import WordTag, tag_encoding

BUNDLED_MODEL = resources_folder() / "models" / "bert-mini-uncased"
NAMED_NON_FINITE = 3  # tensors named in the warning; the count says how many more


@dataclass
class _LayerInputs:
    """The last input trace_layer ran on, kept so that another layer of it costs one layer."""

    key: tuple  # (text, text_b, head mask bytes)
    tokens: list[str]
    hidden_states: torch.Tensor  # (layers + 1, 1, T, hidden) on the model's device
    head_weights: torch.Tensor | None  # (layers, heads) as the pass used them; None = all on


@dataclass
class Bert:
    network: BertWithHeads
    tokenizer: BertTokenizer
    config: BertConfig
    path: Path | None
    device: torch.device
    ignored_keys: list[str] = field(default_factory=list)  # checkpoint tensors with no place here (e.g. a QA head)
    warnings: list[str] = field(default_factory=list)  # one line each, said once at load (CLI: stderr, GUI: status bar)
    _layer_inputs: _LayerInputs | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def heads(self) -> HeadSpec:
        return self.network.heads

    def to(self, device: str | torch.device) -> "Bert":
        """Move to another device (in place) and return self."""
        self.device = resolve_device(device)
        self._layer_inputs = None  # its tensors are on the old device
        self.network.to(self.device)
        return self

    def tokenize(self, text: str, text_b: str | None = None) -> Encoding:
        return self.tokenizer.encode(text, text_b)

    def inspect(
        self,
        text: str,
        text_b: str | None = None,
        head_mask=None,
        top_k: int = 10,
        all_positions: bool = False,
        rollout: bool = False,
        logit_lens: bool = False,
        candidates: tuple[str, ...] = (),
        compare_all_heads_on: bool = False,
        masked_positions: bool = False,
        word_attentions: bool = False,
    ) -> Inspection:
        """One forward pass with everything captured; see Inspection. `all_positions` adds top-k
        predictions and the probability of the actual token at every position; `rollout` adds
        attention rollout; `logit_lens` adds the MLM head's top-k at each [MASK] after every layer
        (read from the same pass's hidden states). `candidates`, words, adds each one's probability
        and rank at every [MASK]; `compare_all_heads_on` adds the top-k with every head on when the
        head mask switches some off (one more pass); `masked_positions` adds the pseudo-log-likelihood
        scores (one more pass per text token, batched); `word_attentions` adds every head's attention
        between words (word mode; over a second for BERT-base at 512 tokens, so only on request)."""
        return run_inspection(
            self.network,
            self.tokenizer,
            self.device,
            text,
            text_b,
            head_mask,
            top_k,
            all_positions,
            rollout,
            logit_lens,
            candidates,
            compare_all_heads_on,
            masked_positions,
            word_attentions,
        )

    def attribute(
        self,
        text: str,
        text_b: str | None = None,
        *,
        position: int | None = None,
        token: str | None = None,
        label: str | None = None,
        method: str = "ig",
        steps: int = 32,
        baseline: str = "pad",
        head_mask=None,
    ) -> Attribution:
        """Which input tokens one output depends on (see model/attribution.py): integrated
        gradients ("ig", `steps` steps) or gradient x input ("grad") from a "pad" or "zero"
        baseline, with the head mask in force. Explained: the logit of `token` (default: the top
        prediction) at `position` (default: the first [MASK]); or, for a sequence classifier, the
        logit of class `label` (default: the most probable)."""
        return run_attribution(
            self.network,
            self.tokenizer,
            self.device,
            text,
            text_b,
            position=position,
            token=token,
            label=label,
            method=method,
            steps=steps,
            baseline=baseline,
            head_mask=head_mask,
        )

    @torch.inference_mode()
    def trace_layer(self, text: str, text_b: str | None, layer: int, head_mask=None) -> LayerTrace:
        """Every intermediate of encoder layer `layer` for this input (see LayerTrace), tokenized
        as `inspect` tokenizes it. The hidden states of the last input are kept, so another layer
        of the same text and head mask runs one layer, not the whole model."""
        layers = self.config.num_hidden_layers
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < layers:
            raise BertError(f"layer {layer!r} does not exist: this model has layers 0 to {layers - 1}")
        mask = check_head_mask(head_mask, layers, self.config.num_attention_heads)  # (layers, heads)
        key = (text, text_b, mask.tobytes())
        cached = self._layer_inputs
        if cached is None or cached.key != key:
            self._layer_inputs = None  # a failed pass below leaves no stale entry
            enc = self.tokenizer.encode(text, text_b)
            ids = torch.tensor([enc.ids], device=self.device)  # (1, T)
            segments = torch.tensor([enc.segment_ids], device=self.device)  # (1, T)
            # The same call as inspect's (attention maps on, no head mask when all are on), so
            # hidden_states[layer] is bit for bit the Inspection's.
            head_weights = None if bool((mask == 1).all()) else torch.from_numpy(mask).to(self.device)
            out = self.network.bert(
                ids, segments, head_mask=head_weights, output_attentions=True, output_hidden_states=True
            )
            cached = _LayerInputs(key, enc.tokens, out.hidden_states, head_weights)
            self._layer_inputs = cached
        layer = int(layer)
        layer_mask = None if cached.head_weights is None else cached.head_weights[layer]  # (heads,)
        # One unpadded input: no attention bias (trace_layer shows zeros).
        return trace_layer(self.network, layer, cached.hidden_states[layer, 0], cached.tokens, None, layer_mask)

    def fill_mask(self, text: str, text_b: str | None = None, top_k: int = 10, head_mask=None) -> list[MaskPrediction]:
        self.require_mlm()
        return self.inspect(text, text_b, head_mask=head_mask, top_k=top_k).fill_mask

    @torch.inference_mode()
    def classify(self, text: str, text_b: str | None = None) -> dict[str, float]:
        """Class probabilities of a sequence-classification checkpoint, label -> probability."""
        if self.heads.classifier != "sequence":
            raise CapabilityError(
                f"this model has no sequence-classification head (saved as "
                f"{self.heads.architecture}); fine-tune one first"
            )
        enc = self.tokenizer.encode(text, text_b)
        ids = torch.tensor([enc.ids], device=self.device)
        types = torch.tensor([enc.segment_ids], device=self.device)
        logits = self.network(ids, types, mlm_positions=False, nsp=False).classifier_logits[0]
        probabilities = logits.float().softmax(-1).tolist()
        return {self.config.id2label[i]: p for i, p in enumerate(probabilities)}

    @torch.inference_mode()
    def tag(self, text: str, text_b: str | None = None) -> list[WordTag]:
        """Each word's tag from a token-classification checkpoint (chunking, named entities): one
        forward pass to the classifier, without the inspection's attentions and hidden states."""
        if self.heads.classifier != "token":
            raise CapabilityError(
                f"this model has no token-classification head (saved as "
                f"{self.heads.architecture}); fine-tune one with --task tokens first"
            )
        enc = self.tokenizer.encode(text, text_b)
        ids = torch.tensor([enc.ids], device=self.device)
        types = torch.tensor([enc.segment_ids], device=self.device)
        logits = self.network(ids, types, mlm_positions=False, nsp=False).classifier_logits[0]
        return tag_encoding(logits.float().cpu().numpy(), enc, text, text_b, self.config.id2label)

    def require_mlm(self) -> None:
        if not self.heads.mlm:
            raise CapabilityError(
                f"this model has no MLM head (saved as {self.heads.architecture}), so it cannot "
                "fill masks; open a checkpoint saved with its masked-LM head"
            )

    def save(self, folder: str | Path, dtype: torch.dtype = torch.float32) -> Path:
        return save_checkpoint(self.network, self.tokenizer, folder, dtype)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.network.parameters())

    def parameter_counts(self) -> dict[str, int]:
        """Parameters per component, in reading order: embeddings, each layer's attention and
        feed-forward, pooler, heads. Tied weights are counted once (with the embeddings)."""
        return parameter_groups(self.network)

    def info(self) -> ModelInfo:
        """What there is to show about this model, as plain data another thread may read; with
        the measured quality its folder's evaluation.json states (a bad one adds a warning)."""
        heads, tok = self.heads, self.tokenizer
        evaluation, evaluation_warning = read_evaluation(self.path)
        return ModelInfo(
            path=str(self.path) if self.path is not None else None,
            config=copy.deepcopy(self.config),  # the reader's own: nothing the worker changes reaches it
            architecture=heads.architecture,
            mlm=heads.mlm,
            nsp=heads.nsp,
            classifier=heads.classifier,
            num_labels=heads.num_labels,
            parameter_count=self.parameter_count(),
            parameter_counts=self.parameter_counts(),
            device=str(self.device),
            dtype=str(next(self.network.parameters()).dtype).removeprefix("torch."),
            unk_token_id=tok.unk_token_id,
            cls_token_id=tok.cls_token_id,
            sep_token_id=tok.sep_token_id,
            mask_token_id=tok.mask_token_id,
            pad_token_id=tok.pad_token_id,
            position_embedding_table=self.position_embedding_table(),
            ignored_keys=tuple(self.ignored_keys),
            warnings=tuple(self.warnings) + ((evaluation_warning,) if evaluation_warning else ()),
            heldout_masked_accuracy=evaluation.masked_token_accuracy if evaluation else None,
            heldout_nsp_accuracy=evaluation.nsp_accuracy if evaluation else None,
            quality_note=evaluation.measured_on if evaluation else None,
            quality_command=evaluation.command if evaluation else None,
        )

    def position_embedding_table(self) -> np.ndarray:
        """(max_position_embeddings, hidden) float32: the learned or sinusoidal position vectors.
        A copy: on the CPU, .numpy() would share the live weight's memory."""
        weight = self.network.bert.embeddings.position_embeddings.weight.detach().float().cpu()
        return np.array(weight.numpy(), dtype=np.float32, order="C")


def load(path: str | Path | None = None, device: str | torch.device = "auto") -> Bert:
    """Load a Hugging Face-layout BERT folder; with no path, the bundled model. A path that is
    no folder but a Hub id (bert-base-uncased) opens its snapshot in the Hugging Face cache,
    without any network use (model.hub.download fetches it).

    Raises CheckpointError (one line, naming the file and tensor) for any bad folder.
    """
    if path is None:
        if not (BUNDLED_MODEL / "config.json").is_file():
            raise ModelNotFoundError(
                f"the bundled model is not installed at {BUNDLED_MODEL}; pass a model folder (--model DIR)"
            )
        path = BUNDLED_MODEL
    path = resolve_local(path)
    dev = resolve_device(device)
    ckpt = load_checkpoint(path)
    ckpt.network.to(dev)
    warning = non_finite_warning(ckpt.network, path)
    return Bert(
        ckpt.network, ckpt.tokenizer, ckpt.config, Path(path), dev, ckpt.ignored_keys, [warning] if warning else []
    )


def non_finite_parameters(network: torch.nn.Module) -> list[str]:
    """Names of the parameters holding NaN or Inf, in the network's order (tied ones once)."""
    named = list(network.named_parameters())
    # A sum is NaN or Inf wherever the tensor holds one, and costs several times less than
    # isfinite() over every element (measured on BERT-base's size on a CPU); a finite tensor whose
    # sum merely overflows is cleared by the exact check. The flags are read back in one transfer.
    suspect = torch.stack([~p.detach().sum().isfinite() for _, p in named]).tolist()
    return [name for (name, p), maybe in zip(named, suspect) if maybe and not torch.isfinite(p).all()]


def non_finite_warning(network: torch.nn.Module, path: str | Path) -> str | None:
    """The one-line warning for a checkpoint with NaN or Inf weights (a diverged training run, a
    broken conversion): every output would be NaN, and a user should hear why. None if all are finite."""
    names = non_finite_parameters(network)
    if not names:
        return None
    shown = ", ".join(names[:NAMED_NON_FINITE]) + (
        f" and {len(names) - NAMED_NON_FINITE} more" if len(names) > NAMED_NON_FINITE else ""
    )
    return (
        f"{path}: {len(names)} {'tensor holds' if len(names) == 1 else 'tensors hold'} NaN or Inf values "
        f"({shown}); its outputs will be meaningless"
    )
