"""BERT's sizes, from BERT-tiny to BERT-large, without any weights: shapes, parameters per
component and memory.

The presets are those of Google's BERT README (Turc et al. 2019, "Well-Read Students Learn
Better", for the four small ones; Devlin et al. 2019 for base and large): the feed-forward is 4x
the hidden size, 512 positions, 2 segments. `size_report` builds the real pretraining network
(`BertWithHeads`: encoder, pooler, masked-LM and next-sentence heads) on torch's meta device, where
a tensor has a shape and no storage, so even BERT-large is built at once and allocates nothing.

`parameter_groups` is the one place parameters are grouped per component; `Bert.parameter_counts`
uses it too. `formula_counts` gives the same counts by arithmetic, for the GUI thread, which never
imports torch (tests/model/test_sizes.py checks the two agree for every preset).

This module imports torch only inside `size_report`, so the GUI thread may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import BertConfig
from .errors import BertError

if TYPE_CHECKING:
    from torch import nn

GOOGLE_VOCAB_SIZE = 30522  # bert-base-uncased's WordPiece vocabulary, which Google's presets use

# name -> (layers, hidden, heads): Google's BERT README table and the original paper.
PRESETS: dict[str, tuple[int, int, int]] = {
    "tiny": (2, 128, 2),
    "mini": (4, 256, 4),
    "small": (4, 512, 8),
    "medium": (8, 512, 8),
    "base": (12, 768, 12),
    "large": (24, 1024, 16),
}

# Upper bounds of a custom size. Generous (BERT-large is 24 x 1024 x 16, multilingual vocabularies
# reach 250k) but finite, so that nobody asks for a 10^12-parameter model: at these bounds a model
# has about 11 billion parameters (45 GB in fp32), which the meta device still builds at once.
LIMITS: dict[str, int] = {
    "num_hidden_layers": 48,
    "hidden_size": 4096,
    "num_attention_heads": 64,
    "intermediate_size": 16384,
    "vocab_size": 250_000,
    "max_position_embeddings": 8192,
}
FIELD_NAMES = {  # how a message names each field, as the GUI labels it
    "num_hidden_layers": "layers",
    "hidden_size": "hidden size",
    "num_attention_heads": "heads",
    "intermediate_size": "feed-forward size",
    "vocab_size": "vocabulary size",
    "max_position_embeddings": "positions",
}
# Adam in fp32 keeps, per parameter, the weight, its gradient and two moment estimates: 4 x 4 bytes.
TRAINING_BYTES_PER_PARAMETER = 16

# The pretraining model's components, in the order of the network (per layer: attention, then
# feed-forward). A classifier head, which a fine-tuned checkpoint has instead, comes last.
EMBEDDINGS, POOLER, MLM_HEAD, NSP_HEAD, CLASSIFIER = (
    "embeddings",
    "pooler",
    "masked-LM head",
    "next-sentence head",
    "classifier head",
)


def preset_config(name: str, vocab_size: int = GOOGLE_VOCAB_SIZE) -> BertConfig:
    """The config of a preset ("tiny" ... "large") with the given vocabulary size."""
    if name not in PRESETS:
        raise BertError(f"no BERT size named {name!r}; choose one of {', '.join(PRESETS)}")
    layers, hidden, heads = PRESETS[name]
    return custom_config(layers, hidden, heads, 4 * hidden, vocab_size, 512)


def custom_config(
    layers: int, hidden: int, heads: int, intermediate: int, vocab: int, positions: int = 512
) -> BertConfig:
    """A BertConfig of this size, or a one-line BertError naming the field at fault."""
    sizes = {
        "num_hidden_layers": layers,
        "hidden_size": hidden,
        "num_attention_heads": heads,
        "intermediate_size": intermediate,
        "vocab_size": vocab,
        "max_position_embeddings": positions,
    }
    for key, value in sizes.items():
        name = FIELD_NAMES[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise BertError(f"{name}: must be a whole number of at least 1, got {value!r}")
        if value > LIMITS[key]:
            raise BertError(f"{name}: {value:,} is above the limit of {LIMITS[key]:,} this explorer builds")
    if hidden % heads:
        raise BertError(
            f"hidden size {hidden} is not a multiple of heads {heads}: each head gets hidden/heads "
            "dimensions, so choose a hidden size the heads divide"
        )
    return BertConfig(**sizes)


def preset_name(config: BertConfig) -> str | None:
    """ "base" etc. when the config has a preset's shape (any vocabulary), else None."""
    for name, (layers, hidden, heads) in PRESETS.items():
        shape = (config.num_hidden_layers, config.hidden_size, config.num_attention_heads)
        if shape == (layers, hidden, heads) and config.intermediate_size == 4 * hidden:
            if config.max_position_embeddings == 512 and config.type_vocab_size == 2:
                return name
    return None


# --- grouping and counting ------------------------------------------------------------------


def component_of(parameter_name: str) -> str:
    """The component a parameter of BertWithHeads belongs to: "embeddings", "layer 3 attention",
    "layer 3 feed-forward", "pooler", "masked-LM head", "next-sentence head" or "classifier head"."""
    parts = parameter_name.split(".")
    if parts[:2] == ["bert", "embeddings"]:
        return EMBEDDINGS
    if parts[:2] == ["bert", "encoder"]:  # bert.encoder.layer.3.attention... / .intermediate / .output
        return f"layer {parts[3]} {'attention' if parts[4] == 'attention' else 'feed-forward'}"
    if parts[:2] == ["bert", "pooler"]:
        return POOLER
    if parts[:2] == ["cls", "predictions"]:
        return MLM_HEAD
    if parts[:2] == ["cls", "seq_relationship"]:
        return NSP_HEAD
    return CLASSIFIER


def parameter_groups(network: nn.Module) -> dict[str, int]:
    """Parameters per component, in the network's order. A tied weight (the MLM decoder is the
    word-embedding matrix) is counted once, where it first appears: with the embeddings."""
    counts: dict[str, int] = {}
    for name, p in network.named_parameters():  # each tensor once (named_parameters skips ties)
        group = component_of(name)
        counts[group] = counts.get(group, 0) + p.numel()
    return counts


def formula_counts(config: BertConfig) -> dict[str, int]:
    """The parameters per component of the pretraining network (BertForPreTraining: pooler, MLM
    and NSP heads) by arithmetic, without building anything: the same dict as parameter_groups."""
    H, F, V = config.hidden_size, config.intermediate_size, config.vocab_size

    def linear(n_in: int, n_out: int) -> int:
        return n_in * n_out + n_out  # weight + bias

    layer_norm = 2 * H  # scale and shift
    counts = {EMBEDDINGS: (V + config.max_position_embeddings + config.type_vocab_size) * H + layer_norm}
    for i in range(config.num_hidden_layers):
        counts[f"layer {i} attention"] = 4 * linear(H, H) + layer_norm  # query, key, value, output
        counts[f"layer {i} feed-forward"] = linear(H, F) + linear(F, H) + layer_norm
    counts[POOLER] = linear(H, H)
    decoder = 0 if config.tie_word_embeddings else H * V  # tied: the word-embedding matrix
    counts[MLM_HEAD] = linear(H, H) + layer_norm + decoder + V  # transform, decoder, output bias
    counts[NSP_HEAD] = linear(H, 2)
    return counts


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentSize:
    name: str  # "embeddings", "layer 0 attention", ...
    parameters: int  # its own parameters; a tied weight counts where it first appears
    weights: tuple[tuple[str, tuple[int, ...]], ...]  # its matrices: ("query", (768, 768)), ...
    vectors: int  # parameters in biases and LayerNorm scales and shifts (1-D tensors)
    tied: tuple[tuple[str, str], ...] = ()  # ("decoder", "word_embeddings"): shared, counted there


@dataclass(frozen=True)
class SizeReport:
    """A BERT of some size, measured on the meta device. Plain data: it may cross threads."""

    name: str  # "BERT-base", or "custom"
    config: BertConfig
    components: tuple[ComponentSize, ...]  # in the network's order
    tokens: int  # the sequence length the activation figure is for
    # What one forward pass of one sequence of `tokens` tokens returns when the inspector keeps
    # everything (in fp32): the hidden states after the embeddings and after every layer, every
    # head's attention map, and the masked-LM logits at every position. The working memory of
    # the pass itself (one layer's temporaries at a time) comes on top, and training keeps many
    # more intermediate tensors for the backward pass.
    activation_values: int

    @property
    def total(self) -> int:
        return sum(c.parameters for c in self.components)

    def count(self, *names: str) -> int:
        """The parameters of the named components (absent ones count 0)."""
        return sum(c.parameters for c in self.components if c.name in names)

    @property
    def encoder(self) -> int:
        """Embeddings and the Transformer layers: BertModel without its pooler."""
        return sum(c.parameters for c in self.components if c.name == EMBEDDINGS or c.name.startswith("layer "))

    @property
    def encoder_and_pooler(self) -> int:
        """BertModel as Hugging Face builds it, the figure usually quoted (110M for base)."""
        return self.encoder + self.count(POOLER)

    @property
    def fp32_bytes(self) -> int:
        return 4 * self.total

    @property
    def fp16_bytes(self) -> int:
        return 2 * self.total

    @property
    def training_bytes(self) -> int:
        """Weights, gradients and Adam's two moments, all fp32; activations not included."""
        return TRAINING_BYTES_PER_PARAMETER * self.total

    @property
    def activation_bytes(self) -> int:
        return 4 * self.activation_values


def activation_values(config: BertConfig, tokens: int) -> int:
    """Values one forward pass of `tokens` tokens returns with everything kept (see SizeReport):
    (layers + 1) hidden states of tokens x hidden, layers x heads attention maps of tokens x tokens,
    and tokens x vocabulary masked-LM logits."""
    T, L = tokens, config.num_hidden_layers
    hidden_states = (L + 1) * T * config.hidden_size
    attentions = L * config.num_attention_heads * T * T
    mlm_logits = T * config.vocab_size
    return hidden_states + attentions + mlm_logits


def check_tokens(config: BertConfig, tokens: int) -> None:
    """A one-line BertError unless a sequence of `tokens` tokens fits the config's positions."""
    if not 1 <= tokens <= config.max_position_embeddings:
        raise BertError(
            f"sequence length: {tokens:,} tokens must be from 1 to the {config.max_position_embeddings:,} positions"
        )


def size_report(config: BertConfig, tokens: int = 128, name: str | None = None) -> SizeReport:
    """Build the pretraining network of this config on the meta device and measure it. Imports
    torch: call it on a worker thread. `tokens` (1 to the config's positions) sets the activation
    figure."""
    import torch

    from .heads import BertWithHeads

    check_tokens(config, tokens)
    with torch.device("meta"):  # shapes only: no memory, no initialisation work
        network = BertWithHeads(config)
    counts = parameter_groups(network)
    weights: dict[str, list[tuple[str, tuple[int, ...]]]] = {group: [] for group in counts}
    vectors = dict.fromkeys(counts, 0)
    tied: dict[str, list[tuple[str, str]]] = {group: [] for group in counts}
    first_name: dict[int, str] = {}
    for full_name, p in network.named_parameters(remove_duplicate=False):
        group = component_of(full_name)
        short = short_name(full_name)
        if id(p) in first_name:  # a tied weight: listed where it is used, counted where it was first
            tied.setdefault(group, []).append((short, first_name[id(p)]))
            continue
        first_name[id(p)] = short
        if p.dim() >= 2:
            weights[group].append((short, tuple(p.shape)))
        else:
            vectors[group] += p.numel()
    components = tuple(
        ComponentSize(group, count, tuple(weights[group]), vectors[group], tuple(tied.get(group, ())))
        for group, count in counts.items()
    )
    label = name or (f"BERT-{preset_name(config)}" if preset_name(config) else "custom")
    return SizeReport(label, config, components, tokens, activation_values(config, tokens))


def short_name(parameter_name: str) -> str:
    """A parameter's name within its component, without ".weight": "bert.encoder.layer.0.attention
    .self.query.weight" -> "query", "...layer.0.output.dense.weight" -> "output.dense",
    "cls.seq_relationship.weight" -> "seq_relationship"."""
    parts = parameter_name.removesuffix(".weight").split(".")
    if parts[:2] == ["bert", "encoder"]:  # bert.encoder.layer.N.attention.self.query, ...layer.N.output.dense
        parts = parts[5:] if parts[4] == "attention" else parts[4:]
        parts = parts[1:] if parts[:1] == ["self"] else parts
    elif parts[:1] == ["bert"] or parts[:2] == ["cls", "predictions"]:
        parts = parts[2:]
    elif parts[:1] == ["cls"]:
        parts = parts[1:]
    return ".".join(parts) or parameter_name
