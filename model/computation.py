"""How one encoder layer computes, step by step: every intermediate the model used, as NumPy.

The Computation tab draws these. They are the numbers of the model's own forward pass, not a
re-derivation: recomputing the layer's output from them gives the model's hidden state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LayerTrace:
    """One post-LN encoder layer for one input. T = tokens, H = heads, d = head_dim, C = hidden
    size, I = intermediate size. All float32, C-contiguous."""

    layer: int  # which layer, from 0
    tokens: list[str]  # the T word pieces, [CLS] ... [SEP]
    scale: float  # 1 / sqrt(head_dim), applied to q . k
    x: np.ndarray  # (T, C) the layer's input: hidden_states[layer]
    query: np.ndarray  # (H, T, d) x W_Q + b_Q, split into heads
    key: np.ndarray  # (H, T, d)
    value: np.ndarray  # (H, T, d)
    scores: np.ndarray  # (H, T, T) q . k * scale, before the mask
    attention_bias: np.ndarray  # (T,) added to every query's scores: 0 for a token, a large negative for padding
    head_mask: np.ndarray  # (H,) 1 = on, 0 = switched off; scales each head's probabilities
    probabilities: np.ndarray  # (H, T, T) softmax(scores + bias) * head_mask: the attention map
    context: np.ndarray  # (H, T, d) probabilities @ value
    concatenated: np.ndarray  # (T, C) the heads' contexts side by side
    attention_output: np.ndarray  # (T, C) concatenated W_O + b_O (attention.output.dense)
    attention_residual: np.ndarray  # (T, C) x + attention_output, before LayerNorm
    attention_normed: np.ndarray  # (T, C) LayerNorm(attention_residual) (attention.output.LayerNorm)
    intermediate_linear: np.ndarray  # (T, I) attention_normed W_1 + b_1 (intermediate.dense)
    intermediate: np.ndarray  # (T, I) GELU(intermediate_linear): which feed-forward neurons fire
    ffn_output: np.ndarray  # (T, C) intermediate W_2 + b_2 (output.dense)
    ffn_residual: np.ndarray  # (T, C) attention_normed + ffn_output, before LayerNorm
    output: np.ndarray  # (T, C) LayerNorm(ffn_residual) (output.LayerNorm) = hidden_states[layer + 1]
    activation: str  # the config's hidden_act ("gelu", ...), for the formula shown


@dataclass
class NeuronView:
    """BertViz's neuron view for one head and one query token: how q . k builds each score."""

    layer: int
    head: int
    query_index: int  # the query token's position
    query: np.ndarray  # (d,) its query vector
    keys: np.ndarray  # (T, d) every key vector
    products: np.ndarray  # (T, d) query * key, elementwise: each dimension's contribution
    scores: np.ndarray  # (T,) products.sum(-1) * scale = the pre-softmax scores (before the mask)
    probabilities: np.ndarray  # (T,) the attention weights this query gave (after mask and head mask)


def neuron_view(trace: LayerTrace, head: int, query_index: int) -> NeuronView:
    """How `head` of the traced layer scores every key for the token at `query_index`.

    Pure NumPy on the trace's own arrays: the products are each dimension's share of q . k, so
    their sum times the scale is the score the model computed (before the mask), and the
    probabilities are the attention weights it used (after the mask and the head mask)."""
    query = trace.query[head, query_index]  # (d,)
    keys = trace.key[head]  # (T, d)
    products = np.ascontiguousarray(query[None, :] * keys, dtype=np.float32)  # (T, d)
    scores = np.ascontiguousarray(products.sum(axis=-1) * trace.scale, dtype=np.float32)  # (T,)
    return NeuronView(
        layer=trace.layer,
        head=head,
        query_index=query_index,
        query=np.ascontiguousarray(query, dtype=np.float32),
        keys=np.ascontiguousarray(keys, dtype=np.float32),
        products=products,
        scores=scores,
        probabilities=np.ascontiguousarray(trace.probabilities[head, query_index], dtype=np.float32),
    )
