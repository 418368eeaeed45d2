"""Multi-head self-attention, with the attention probabilities available for inspection."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .config import BertConfig


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention over `num_attention_heads` heads (Hugging Face: `attention.self`).

    Three paths give the same output:
    - `need_weights=False`: `F.scaled_dot_product_attention`, the fused kernel (training, fill-mask);
    - `need_weights=True`: the explicit softmax, whose probabilities the inspector draws;
    - `forward_packed`: a padded batch with only its real tokens passed in (training on short
      sentences), the projections skipping the padding;
    - `forward_first` and `forward_first_packed`: the [CLS] row alone as the query, for the last
      layer of a sentence classifier, which reads nothing else.
    A head mask (layers x heads of 0/1 or weights) scales each head's probabilities, which
    switches a head off without touching the others.
    """

    def __init__(self, config: BertConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.head_dim
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_p = config.attention_probs_dropout_prob
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        return x.view(B, T, self.num_heads, self.head_dim).transpose(1, 2)  # (B, heads, T, head_dim)

    def _qkv(self, x: torch.Tensor) -> torch.Tensor:
        """query, key and value: (..., hidden) -> (..., 3 * hidden)."""
        return _stacked(x, self.query, self.key, self.value)

    def _kv(self, x: torch.Tensor) -> torch.Tensor:
        """key and value alone: (..., hidden) -> (..., 2 * hidden)."""
        return _stacked(x, self.key, self.value)

    def _attend(self, q, k, v, attention_bias, head_mask) -> torch.Tensor:
        context = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_bias, dropout_p=self.dropout_p if self.training else 0.0)
        if head_mask is not None:
            # softmax(...) @ v is linear in the probabilities, so scaling a head's output is
            # the same as scaling its probabilities: the fused path supports head masks too.
            context = context * head_mask.view(1, -1, 1, 1)
        return context  # (B, heads, T, head_dim)

    def forward_packed(self, x: torch.Tensor, keep: torch.Tensor, batch: int, length: int,
                       attention_bias: torch.Tensor, head_mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (N, hidden), the N real tokens of a padded (batch, length) batch in row-major order;
        keep: (N,) their flat positions in it. Returns the context vectors, (N, hidden).
        The projections run on the real tokens alone; only the attention itself needs the
        (batch, length) layout, with zeros at the padding, which the bias hides as keys."""
        N, C = x.shape
        qkv = self._qkv(x)  # (N, 3 * hidden)
        padded = qkv.new_zeros(batch * length, 3 * C).index_copy(0, keep, qkv)
        q, k, v = padded.view(batch, length, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        context = self._attend(q, k, v, attention_bias, head_mask)  # (B, heads, T, head_dim)
        return context.transpose(1, 2).reshape(batch * length, C).index_select(0, keep)

    def forward_first(self, x: torch.Tensor, attention_bias: torch.Tensor | None = None,
                      head_mask: torch.Tensor | None = None) -> torch.Tensor:
        """The context vector of position 0 ([CLS]) alone: x (B, T, hidden) -> (B, hidden).
        Every position is still a key and a value, but only one row is a query."""
        B, T, C = x.shape
        q = self.query(x[:, 0]).view(B, self.num_heads, 1, self.head_dim)  # (B, heads, 1, head_dim)
        k, v = self._kv(x).view(B, T, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        return self._attend(q, k, v, attention_bias, head_mask).reshape(B, C)

    def forward_first_packed(self, x: torch.Tensor, keep: torch.Tensor, firsts: torch.Tensor, batch: int,
                             length: int, attention_bias: torch.Tensor,
                             head_mask: torch.Tensor | None = None) -> torch.Tensor:
        """`forward_first` for the real tokens of a padded batch (see `forward_packed`);
        firsts: (B,) the rows of x that are each sequence's position 0. Returns (B, hidden)."""
        N, C = x.shape
        kv = self._kv(x)  # (N, 2 * hidden), bf16 under autocast while x may be fp32
        padded = kv.new_zeros(batch * length, 2 * C).index_copy(0, keep, kv)
        k, v = padded.view(batch, length, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q = self.query(x.index_select(0, firsts)).view(batch, self.num_heads, 1, self.head_dim)
        return self._attend(q, k, v, attention_bias, head_mask).reshape(batch, C)

    def forward(self, x: torch.Tensor, attention_bias: torch.Tensor | None = None,
                head_mask: torch.Tensor | None = None, need_weights: bool = False,
                probs_out: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        # x: (B, T, hidden); attention_bias: (B, 1, 1, T), 0 where attended and a large negative
        # number at padding; head_mask: (heads,); probs_out: an optional (B, heads, T, T) buffer
        # that receives the probabilities (inference only: it is written in place)
        B, T, C = x.shape
        if not need_weights and torch.is_grad_enabled():
            q, k, v = self._qkv(x).view(B, T, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
            context = self._attend(q, k, v, attention_bias, head_mask)  # (B, heads, T, head_dim)
            return context.transpose(1, 2).reshape(B, T, C), None

        q = self._split_heads(self.query(x))  # (B, heads, T, head_dim)
        k = self._split_heads(self.key(x))
        v = self._split_heads(self.value(x))
        if not need_weights:
            return self._attend(q, k, v, attention_bias, head_mask).transpose(1, 2).reshape(B, T, C), None
        # Scaling q (T x head_dim) is cheaper than scaling the (T x T) scores, and exact
        # for BERT's head_dim 64, whose scale 1/8 is a power of two.
        q = q * (self.head_dim ** -0.5)
        if probs_out is not None and not torch.is_grad_enabled():
            # Large inputs: every (B, heads, T, T) temporary costs a fresh allocation, so
            # the scores are built, masked and normalised inside the caller's buffer.
            probs = torch.matmul(q, k.transpose(-1, -2), out=probs_out)  # (B, heads, T, T)
            if attention_bias is not None:
                probs += attention_bias
            torch.softmax(probs, dim=-1, out=probs)
            if head_mask is not None:
                probs *= head_mask.view(1, -1, 1, 1)  # a switched-off head shows as all zeros
        else:
            scores = torch.matmul(q, k.transpose(-1, -2))  # (B, heads, T, T)
            if attention_bias is not None:
                scores = scores + attention_bias
            probs = scores.softmax(dim=-1)
            if head_mask is not None:
                probs = probs * head_mask.view(1, -1, 1, 1)
        context = torch.matmul(self.dropout(probs), v)  # (B, heads, T, head_dim)
        context = context.transpose(1, 2).reshape(B, T, C)  # (B, T, hidden): heads side by side again
        return context, probs


def _stacked(x: torch.Tensor, *projections: nn.Linear) -> torch.Tensor:
    """Several projections of x, concatenated on the last dimension. In training, one GEMM on
    the stacked weights (forward and backward about 25% faster than three on a CPU, measured at
    BERT-base size); at inference, where a sentence is a few rows and copying the weights would
    cost more than it saves, one GEMM each. The weights stay separate modules, as checkpoints
    name them."""
    if torch.is_grad_enabled():
        weight = torch.cat([p.weight for p in projections])  # (n * hidden, hidden)
        return F.linear(x, weight, torch.cat([p.bias for p in projections]))
    return torch.cat([p(x) for p in projections], dim=-1)
