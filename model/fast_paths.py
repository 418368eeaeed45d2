"""Training-speed shortcuts through the encoder: the same outputs as the reference forward
(`BertModel.forward`'s loop, `BertSelfAttention.forward`) for less work.

- packed: a padded batch with only its real tokens passed between layers. Every position-wise
  part (projections, feed-forward, LayerNorm) runs on the N real tokens alone, which for a
  batch of short sentences is often half the work; only the attention itself needs the
  (batch, length) layout, with zeros at the padding, which the bias hides as keys.
- first token: a sentence classifier reads position 0 ([CLS]) of the last layer and nothing
  else, so the last layer computes that row alone: its query, attention output and
  feed-forward for one position instead of T (keys and values still come from every position).
- both at once: the first-token last layer on a packed batch.

`encode` is what `BertModel.forward` calls; tests/model/test_fast_paths.py holds each path
against the reference. Padding positions come out as zeros, as does the [CLS] vector of a
sequence whose position 0 is padding (left padding).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from .attention import BertSelfAttention, stacked_linear

if TYPE_CHECKING:
    from .transformer import BertLayer


# ---- self-attention ----


def packed_self_attention(
    attn: BertSelfAttention,
    x: torch.Tensor,
    keep: torch.Tensor,
    batch: int,
    length: int,
    attention_bias: torch.Tensor,
    head_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """x: (N, hidden), the N real tokens of a padded (batch, length) batch in row-major order;
    keep: (N,) their flat positions in it. Returns the context vectors, (N, hidden)."""
    N, C = x.shape
    qkv = stacked_linear(x, attn.query, attn.key, attn.value)  # (N, 3 * hidden): real tokens only
    padded = qkv.new_zeros(batch * length, 3 * C).index_copy(0, keep, qkv)  # zeros at the padding
    q, k, v = padded.view(batch, length, 3, attn.num_heads, attn.head_dim).permute(2, 0, 3, 1, 4)
    context = attn.attend(q, k, v, attention_bias, head_mask)  # (B, heads, T, head_dim)
    return context.transpose(1, 2).reshape(batch * length, C).index_select(0, keep)


def first_token_self_attention(
    attn: BertSelfAttention,
    x: torch.Tensor,
    attention_bias: torch.Tensor | None = None,
    head_mask: torch.Tensor | None = None,
    row: int = 0,
) -> torch.Tensor:
    """The context vector of position 0 ([CLS]) alone: x (B, T, hidden) -> (B, hidden).
    Every position is still a key and a value, but only one row is a query (`row`: another
    position read alone, as attribution reads a [MASK])."""
    B, T, C = x.shape
    q = attn.query(x[:, row]).view(B, attn.num_heads, 1, attn.head_dim)  # (B, heads, 1, head_dim)
    kv = stacked_linear(x, attn.key, attn.value)  # (B, T, 2 * hidden)
    k, v = kv.view(B, T, 2, attn.num_heads, attn.head_dim).permute(2, 0, 3, 1, 4)  # (B, heads, T, head_dim)
    return attn.attend(q, k, v, attention_bias, head_mask).reshape(B, C)


def first_token_packed_self_attention(
    attn: BertSelfAttention,
    x: torch.Tensor,
    keep: torch.Tensor,
    firsts: torch.Tensor,
    batch: int,
    length: int,
    attention_bias: torch.Tensor,
    head_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """`first_token_self_attention` for the real tokens of a padded batch (see
    `packed_self_attention`); firsts: (B,) the rows of x that are each sequence's position 0.
    Returns (B, hidden)."""
    N, C = x.shape
    kv = stacked_linear(x, attn.key, attn.value)  # (N, 2 * hidden), bf16 under autocast while x may be fp32
    padded = kv.new_zeros(batch * length, 2 * C).index_copy(0, keep, kv)
    k, v = padded.view(batch, length, 2, attn.num_heads, attn.head_dim).permute(2, 0, 3, 1, 4)
    q = attn.query(x.index_select(0, firsts)).view(batch, attn.num_heads, 1, attn.head_dim)
    return attn.attend(q, k, v, attention_bias, head_mask).reshape(batch, C)


# ---- layers: the attention shortcut, then the layer's own Add & Norm and feed-forward ----


def _after_attention(layer: BertLayer, context: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
    """The rest of BertLayer.forward on any set of rows: (rows, hidden) -> (rows, hidden)."""
    a = layer.attention.output(context, residual)
    return layer.output(layer.intermediate(a), a)


def packed_layer(
    layer: BertLayer,
    x: torch.Tensor,
    keep: torch.Tensor,
    batch: int,
    length: int,
    attention_bias: torch.Tensor,
    head_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """BertLayer on the real tokens of a padded batch only: x (N, hidden), keep (N,) -> (N, hidden)."""
    context = packed_self_attention(layer.attention.self, x, keep, batch, length, attention_bias, head_mask)
    return _after_attention(layer, context, x)


def first_token_layer(
    layer: BertLayer,
    x: torch.Tensor,
    attention_bias: torch.Tensor | None = None,
    head_mask: torch.Tensor | None = None,
    row: int = 0,
) -> torch.Tensor:
    """BertLayer's output at position 0 (or `row`) alone: x (B, T, hidden) -> (B, hidden)."""
    context = first_token_self_attention(layer.attention.self, x, attention_bias, head_mask, row)
    return _after_attention(layer, context, x[:, row])


def first_token_packed_layer(
    layer: BertLayer,
    x: torch.Tensor,
    keep: torch.Tensor,
    firsts: torch.Tensor,
    batch: int,
    length: int,
    attention_bias: torch.Tensor,
    head_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """`first_token_layer` on the real tokens of a padded batch: x (N, hidden) -> (B, hidden)."""
    context = first_token_packed_self_attention(
        layer.attention.self, x, keep, firsts, batch, length, attention_bias, head_mask
    )
    return _after_attention(layer, context, x.index_select(0, firsts))


# ---- the encoder stack ----


def encode(
    layers: list[BertLayer],
    x: torch.Tensor,
    attention_bias: torch.Tensor | None,
    attention_mask: torch.Tensor | None,
    head_mask: torch.Tensor | None,
    output_hidden_states: bool,
    first_token_only: bool,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The encoder stack on the embeddings x (B, T, hidden), packed when there is padding
    (attention_bias not None) and with a first-token last layer if first_token_only (which needs
    output_hidden_states False). No attention maps. Returns last_hidden_state, (B, T, hidden) or
    (B, 1, hidden) if first_token_only, and the hidden states (layers + 1, B, T, hidden) or None."""
    B, T, C = x.shape
    body = layers[:-1] if first_token_only else layers
    keep = None  # (N,) flat positions of the real tokens in the (B, T) batch, row-major
    if attention_bias is not None:
        keep = attention_mask.reshape(-1).nonzero().squeeze(1)
        if len(keep) == 0:
            keep = None  # a batch of padding alone: nothing to pack, the plain layers run
    hidden_states = x.new_empty((len(layers) + 1, B, T, C)) if output_hidden_states else None
    if hidden_states is not None:
        hidden_states[0] = x

    def mask_of(i: int) -> torch.Tensor | None:
        return None if head_mask is None else head_mask[i]

    if keep is not None:
        x = x.reshape(B * T, C).index_select(0, keep)  # (N, hidden)
    for i, layer in enumerate(body):
        if keep is None:
            x = layer(x, attention_bias, mask_of(i))[0]  # (B, T, hidden)
        else:
            x = packed_layer(layer, x, keep, B, T, attention_bias, mask_of(i))  # (N, hidden)
        if hidden_states is not None:
            hidden_states[i + 1] = x if keep is None else unpack(x, keep, B, T)
    if not first_token_only:
        return (x if keep is None else unpack(x, keep, B, T)), hidden_states
    last, last_mask = layers[-1], mask_of(len(layers) - 1)
    if keep is None:
        return first_token_layer(last, x, attention_bias, last_mask)[:, None], None  # (B, 1, hidden)
    # Each sequence's position 0, as rows of x; a left-padded sequence has no real token there,
    # so it takes any row and its output is zeroed below.
    firsts = torch.searchsorted(keep, torch.arange(B, device=keep.device) * T).clamp(max=len(keep) - 1)
    first = first_token_packed_layer(last, x, keep, firsts, B, T, attention_bias, last_mask)  # (B, hidden)
    first = first * attention_mask[:, :1].to(first.dtype)  # zeros where position 0 is padding
    return first[:, None], None  # (B, 1, hidden)


def unpack(x: torch.Tensor, keep: torch.Tensor, batch: int, length: int) -> torch.Tensor:
    """(N, hidden) real-token rows -> (batch, length, hidden), zeros at the padding."""
    return x.new_zeros(batch * length, x.shape[-1]).index_copy(0, keep, x).view(batch, length, -1)
