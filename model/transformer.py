"""The encoder: post-LN Transformer layers (as BERT), stacked, and the pooler.

Module names follow Hugging Face's BERT (`attention.self`, `attention.output`,
`intermediate`, `output`, `LayerNorm`) so a checkpoint's state_dict loads as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from . import fast_paths
from .attention import BertSelfAttention
from .config import BertConfig
from .embeddings import BertEmbeddings, EmbeddingParts

ACTIVATIONS = {
    "gelu": F.gelu,  # exact erf GELU, as the original BERT
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "relu": F.relu,
}


class AddNorm(nn.Module):
    """Project a sub-layer's output back to hidden_size, dropout, add the residual, LayerNorm.

    Post-LN as in BERT: LayerNorm(x + Dropout(W h)). Hugging Face's `output` blocks: BertSelfOutput
    (`attention.output`, after self-attention) and BertOutput (`output`, the feed-forward's W2).
    """

    def __init__(self, in_features: int, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(in_features, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, h: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(residual + self.dropout(self.dense(h)))  # (..., hidden)


class BertAttention(nn.Module):
    """Self-attention and its Add & Norm (Hugging Face: `attention`)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.self = BertSelfAttention(config)
        self.output = AddNorm(config.hidden_size, config)

    def forward(self, x, attention_bias=None, head_mask=None, need_weights=False, probs_out=None):
        context, probs = self.self(x, attention_bias, head_mask, need_weights, probs_out)  # (B, T, hidden)
        return self.output(context, x), probs


class BertIntermediate(nn.Module):
    """The first half of the feed-forward FFN(x) = W2 act(W1 x + b1) + b2, applied to every
    position alone (Hugging Face: `intermediate`); W2 and the residual are the layer's `output`."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)
        self.act = ACTIVATIONS[config.hidden_act]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.dense(x))  # (B, T, intermediate)


class BertLayer(nn.Module):
    """One post-LN Transformer layer: self-attention, Add & Norm, feed-forward, Add & Norm."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.attention = BertAttention(config)
        self.intermediate = BertIntermediate(config)
        self.output = AddNorm(config.intermediate_size, config)

    def forward(self, x, attention_bias=None, head_mask=None, need_weights=False, probs_out=None):
        a, probs = self.attention(x, attention_bias, head_mask, need_weights, probs_out)  # (B, T, hidden)
        return self.output(self.intermediate(a), a), probs  # (B, T, hidden)


class BertEncoder(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(config) for _ in range(config.num_hidden_layers))


class BertPooler(nn.Module):
    """tanh(W h_[CLS] + b): the sentence vector that NSP and sequence classification read."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dense(hidden[:, 0]))  # (B, hidden)


@dataclass
class EncoderOutput:
    last_hidden_state: torch.Tensor  # (B, T, hidden); (B, 1, hidden) with first_token_only
    hidden_states: torch.Tensor | None  # (layers + 1, B, T, hidden); [0] = embedding output
    attentions: torch.Tensor | None  # (layers, B, heads, T, T)
    embedding_parts: EmbeddingParts | None  # token, segment, position summands


def attention_bias_from_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, T) of 1 = token, 0 = padding  ->  (B, 1, 1, T) additive bias for the scores."""
    bias = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
    return bias


class BertModel(nn.Module):
    """Embeddings, the encoder stack and (optionally) the pooler (Hugging Face: `bert`)."""

    def __init__(self, config: BertConfig, add_pooling_layer: bool = True):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.encoder = BertEncoder(config)
        self.pooler = BertPooler(config) if add_pooling_layer else None

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        head_mask: torch.Tensor | None = None,
        output_attentions: bool = False,
        output_hidden_states: bool = False,
        output_embedding_parts: bool = False,
        first_token_only: bool = False,
    ) -> EncoderOutput:
        # input_ids, token_type_ids, attention_mask: (B, T); head_mask: (layers, heads) or None.
        # first_token_only: the caller reads position 0 ([CLS]) of the last layer and nothing
        # else (a sentence classifier), so last_hidden_state may be (B, 1, hidden).
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x, parts = self.embeddings(input_ids, token_type_ids, keep_parts=output_embedding_parts)  # (B, T, hidden)
        bias = None
        if attention_mask is not None and not bool(attention_mask.all()):
            bias = attention_bias_from_mask(attention_mask, x.dtype)  # (B, 1, 1, T); only padded batches need one

        # Training-speed paths (fast_paths.py), the same outputs for less work: a padded batch
        # runs on its real tokens alone, a sentence classifier's last layer on [CLS] alone.
        # Attention maps need every position, and hidden states every position of every layer.
        first_token_only = first_token_only and not (output_attentions or output_hidden_states)
        if not output_attentions and (bias is not None or first_token_only):
            x, hidden_states = fast_paths.encode(
                list(self.encoder.layer), x, bias, attention_mask, head_mask, output_hidden_states, first_token_only
            )
            return EncoderOutput(x, hidden_states, None, parts)

        L, H = self.config.num_hidden_layers, self.config.num_attention_heads
        B, T, C = x.shape
        # Outputs go straight into one tensor each (no per-layer list to stack and copy later).
        hidden_states = x.new_empty((L + 1, B, T, C)) if output_hidden_states else None
        attentions = x.new_empty((L, B, H, T, T)) if output_attentions else None
        if hidden_states is not None:
            hidden_states[0] = x
        for i, layer in enumerate(self.encoder.layer):
            layer_head_mask = None if head_mask is None else head_mask[i]  # (heads,)
            probs_out = None if attentions is None else attentions[i]  # filled in place at inference
            x, probs = layer(x, bias, layer_head_mask, output_attentions, probs_out)  # (B, T, hidden)
            if attentions is not None and probs is not probs_out:
                attentions[i] = probs  # the autograd path allocates its own
            if hidden_states is not None:
                hidden_states[i + 1] = x
        return EncoderOutput(x, hidden_states, attentions, parts)
