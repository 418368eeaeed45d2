"""Multi-head self-attention (Hugging Face: `attention.self`), with the attention maps on request.

The reference forward is below: the fused `F.scaled_dot_product_attention` when nobody reads
the probabilities (training, fill-mask), the explicit softmax when the inspector draws them.
Shortcuts for training (only the real tokens of a padded batch, only the [CLS] query in the
last layer) live in fast_paths.py and reuse `project`, `attend` and `stacked_linear`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .config import BertConfig


class BertSelfAttention(nn.Module):
    """softmax(Q K^T / sqrt(head_dim) + bias) V over `num_attention_heads` heads.

    A head mask (one 0/1 or weight per head) scales each head's probabilities, which switches
    a head off without touching the others.
    """

    def __init__(self, config: BertConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.head_dim
        # Three separate projections, as checkpoints name them (query.weight, key.weight, ...).
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_p = config.attention_probs_dropout_prob
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def forward(
        self,
        x: torch.Tensor,
        attention_bias: torch.Tensor | None = None,
        head_mask: torch.Tensor | None = None,
        need_weights: bool = False,
        probs_out: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        # x: (B, T, hidden); attention_bias: (B, 1, 1, T), 0 where attended and a large negative
        # number at padding; head_mask: (heads,); probs_out: an optional (B, heads, T, T) buffer
        # that receives the probabilities (inference only: it is written in place).
        # Returns the context vectors (B, T, hidden) and the probabilities if need_weights.
        B, T, C = x.shape
        q, k, v = self.project(x)  # each (B, heads, T, head_dim)
        if not need_weights:
            context = self.attend(q, k, v, attention_bias, head_mask)  # (B, heads, T, head_dim)
            return context.transpose(1, 2).reshape(B, T, C), None

        # The explicit softmax, whose probabilities are the attention maps.
        # Scaling q (T x head_dim) is cheaper than scaling the (T x T) scores, and exact for
        # BERT's head_dim 64, whose scale 1/8 is a power of two.
        q = q * (self.head_dim**-0.5)
        if probs_out is not None and not torch.is_grad_enabled():
            # Large inputs: every (B, heads, T, T) temporary costs a fresh allocation, so the
            # scores are built, masked and normalised inside the caller's buffer.
            probs = torch.matmul(q, k.transpose(-1, -2), out=probs_out)  # (B, heads, T, T)
            if attention_bias is not None:
                probs += attention_bias
            torch.softmax(probs, dim=-1, out=probs)
            if head_mask is not None:
                probs *= head_mask.view(1, -1, 1, 1)  # a switched-off head shows as all zeros
        else:
            scores = q @ k.transpose(-1, -2)  # (B, heads, T, T)
            if attention_bias is not None:
                scores = scores + attention_bias
            probs = scores.softmax(dim=-1)
            if head_mask is not None:
                probs = probs * head_mask.view(1, -1, 1, 1)
        context = self.dropout(probs) @ v  # (B, heads, T, head_dim)
        return context.transpose(1, 2).reshape(B, T, C), probs  # heads side by side again

    def project(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B, T, hidden) -> query, key and value, each (B, heads, T, head_dim)."""
        B, T, C = x.shape
        if torch.is_grad_enabled():  # training: one GEMM for the three (see stacked_linear)
            qkv = stacked_linear(x, self.query, self.key, self.value)  # (B, T, 3 * hidden)
            q, k, v = qkv.view(B, T, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
            return q, k, v
        # (B, T, hidden) -> (B, T, heads, head_dim) -> (B, heads, T, head_dim), no copy
        return tuple(
            p(x).view(B, T, self.num_heads, self.head_dim).transpose(1, 2) for p in (self.query, self.key, self.value)
        )

    def attend(
        self,
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        attention_bias: torch.Tensor | None,
        head_mask: torch.Tensor | None,
    ) -> torch.Tensor:
        """The fused kernel: q (B, heads, Tq, head_dim), k and v (B, heads, T, head_dim) ->
        the context vectors (B, heads, Tq, head_dim)."""
        context = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_bias, dropout_p=self.dropout_p if self.training else 0.0
        )
        if head_mask is not None:
            # softmax(...) @ v is linear in the probabilities, so scaling a head's output is the
            # same as scaling its probabilities: the fused path supports head masks too.
            context = context * head_mask.view(1, -1, 1, 1)
        return context


def stacked_linear(x: torch.Tensor, *projections: nn.Linear) -> torch.Tensor:
    """Several projections of x, concatenated on the last dimension. In training, one GEMM on
    the stacked weights (forward and backward about 25% faster than three on a CPU, measured at
    BERT-base size); at inference, where a sentence is a few rows and copying the weights would
    cost more than it saves, one GEMM each. The weights stay separate modules, as checkpoints
    name them."""
    if torch.is_grad_enabled():
        weight = torch.cat([p.weight for p in projections])  # (n * hidden, hidden)
        return F.linear(x, weight, torch.cat([p.bias for p in projections]))
    return torch.cat([p(x) for p in projections], dim=-1)
