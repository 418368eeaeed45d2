"""The encoder: post-LN Transformer layers (as BERT), stacked, and the pooler.

Module names follow Hugging Face's BERT (`attention.self`, `attention.output`,
`intermediate`, `output`, `LayerNorm`) so a checkpoint's state_dict loads as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .attention import MultiHeadAttention
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

    Post-LN as in BERT: LayerNorm(x + Dropout(W h)). Hugging Face calls this block `output`.
    """

    def __init__(self, in_features: int, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(in_features, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, h: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(residual + self.dropout(self.dense(h)))


class AttentionBlock(nn.Module):
    """Self-attention and its Add & Norm (Hugging Face: `attention`)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.self = MultiHeadAttention(config)
        self.output = AddNorm(config.hidden_size, config)

    def forward(self, x, attention_bias, head_mask, need_weights, probs_out=None):
        context, probs = self.self(x, attention_bias, head_mask, need_weights, probs_out)
        return self.output(context, x), probs


class PositionwiseFeedForward(nn.Module):
    """The first half of FFN(x) = W2 act(W1 x + b1) + b2, applied to every position alone
    (Hugging Face: `intermediate`); W2 and the residual are the layer's `output` AddNorm."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)
        self.act = ACTIVATIONS[config.hidden_act]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.dense(x))  # (B, T, intermediate)


class TransformerLayer(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.attention = AttentionBlock(config)
        self.intermediate = PositionwiseFeedForward(config)
        self.output = AddNorm(config.intermediate_size, config)

    def forward(self, x, attention_bias=None, head_mask=None, need_weights=False, probs_out=None):
        a, probs = self.attention(x, attention_bias, head_mask, need_weights, probs_out)  # (B, T, hidden)
        return self.output(self.intermediate(a), a), probs

    def _after_attention(self, context: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        a = self.attention.output(context, residual)  # (rows, hidden)
        return self.output(self.intermediate(a), a)

    def forward_packed(self, x, keep, batch, length, attention_bias, head_mask=None):
        """The same layer on the real tokens of a padded batch only: x (N, hidden), keep (N,)."""
        context = self.attention.self.forward_packed(x, keep, batch, length, attention_bias, head_mask)
        return self._after_attention(context, x)  # (N, hidden)

    def forward_first(self, x, attention_bias=None, head_mask=None):
        """The layer's output at position 0 alone: x (B, T, hidden) -> (B, hidden)."""
        context = self.attention.self.forward_first(x, attention_bias, head_mask)
        return self._after_attention(context, x[:, 0])

    def forward_first_packed(self, x, keep, firsts, batch, length, attention_bias, head_mask=None):
        """`forward_first` on the real tokens of a padded batch: x (N, hidden) -> (B, hidden)."""
        context = self.attention.self.forward_first_packed(x, keep, firsts, batch, length, attention_bias,
                                                           head_mask)
        return self._after_attention(context, x.index_select(0, firsts))


class BertEncoder(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(TransformerLayer(config) for _ in range(config.num_hidden_layers))


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


def _unpack(x: torch.Tensor, keep: torch.Tensor, batch: int, length: int) -> torch.Tensor:
    """(N, hidden) real-token rows -> (batch, length, hidden), zeros at the padding."""
    return x.new_zeros(batch * length, x.shape[-1]).index_copy(0, keep, x).view(batch, length, -1)


class BertModel(nn.Module):
    """Embeddings, the encoder stack and (optionally) the pooler (Hugging Face: `bert`)."""

    def __init__(self, config: BertConfig, add_pooling_layer: bool = True):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.encoder = BertEncoder(config)
        self.pooler = BertPooler(config) if add_pooling_layer else None

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None,
                attention_mask: torch.Tensor | None = None, head_mask: torch.Tensor | None = None,
                output_attentions: bool = False, output_hidden_states: bool = False,
                output_embedding_parts: bool = False, first_token_only: bool = False) -> EncoderOutput:
        # input_ids: (B, T); head_mask: (layers, heads) or None.
        # first_token_only: the caller reads position 0 ([CLS]) of the last layer and nothing
        # else (a sentence classifier), so the last layer computes that row alone (its
        # queries, attention output and feed-forward for one position instead of T; keys and
        # values still come from every position), and last_hidden_state is (B, 1, hidden).
        # The other outputs need every position, so they turn it off.
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x, parts = self.embeddings(input_ids, token_type_ids, keep_parts=output_embedding_parts)
        bias = None
        if attention_mask is not None and not bool(attention_mask.all()):
            bias = attention_bias_from_mask(attention_mask, x.dtype)  # only padded batches need one
        L, H = self.config.num_hidden_layers, self.config.num_attention_heads
        B, T, C = x.shape
        # Outputs go straight into one tensor each (no per-layer list to stack and copy later).
        hidden_states = x.new_empty((L + 1, B, T, C)) if output_hidden_states else None
        attentions = x.new_empty((L, B, H, T, T)) if output_attentions else None
        if hidden_states is not None:
            hidden_states[0] = x
        first_token_only = first_token_only and not (output_attentions or output_hidden_states)
        layers = list(self.encoder.layer)
        last = layers.pop() if first_token_only else None

        def mask_of(i: int) -> torch.Tensor | None:
            return None if head_mask is None else head_mask[i]

        # A padded batch: every position-wise part (projections, feed-forward, LayerNorm) runs on
        # the real tokens alone, which for a batch of short sentences is often half the work.
        # Padding positions come out as zeros. (A batch of padding alone takes the plain path.)
        keep = attention_mask.reshape(-1).nonzero().squeeze(1) if bias is not None and not output_attentions \
            else None  # (N,) flat positions of real tokens
        if keep is not None and len(keep) > 0:
            x = x.reshape(B * T, C).index_select(0, keep)  # (N, hidden)
            for i, layer in enumerate(layers):
                x = layer.forward_packed(x, keep, B, T, bias, mask_of(i))
                if hidden_states is not None:
                    hidden_states[i + 1] = _unpack(x, keep, B, T)
            if last is None:
                return EncoderOutput(_unpack(x, keep, B, T), hidden_states, attentions, parts)
            # Each sequence's position 0, as rows of x; a left-padded sequence has a zero row there.
            firsts = torch.searchsorted(keep, torch.arange(B, device=keep.device) * T).clamp(max=len(keep) - 1)
            first = last.forward_first_packed(x, keep, firsts, B, T, bias, mask_of(L - 1))  # (B, hidden)
            first = first * attention_mask[:, :1].to(first.dtype)  # zeros where position 0 is padding
            return EncoderOutput(first[:, None], None, None, parts)
        for i, layer in enumerate(layers):
            probs_out = attentions[i] if attentions is not None else None
            x, probs = layer(x, bias, mask_of(i), output_attentions, probs_out)
            if attentions is not None and probs is not probs_out:
                attentions[i] = probs  # the autograd path allocates its own
            if hidden_states is not None:
                hidden_states[i + 1] = x
        if last is not None:
            x = last.forward_first(x, bias, mask_of(L - 1))[:, None]  # (B, 1, hidden)
        return EncoderOutput(x, hidden_states, attentions, parts)
