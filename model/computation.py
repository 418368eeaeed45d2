"""How one encoder layer computes, step by step: every intermediate the model used, as NumPy.

The Computation tab draws these. They are the numbers of the model's own forward pass, not a
re-derivation: recomputing the layer's output from them gives the model's hidden state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import BertError


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


def trace_layer(
    network,
    layer: int,
    hidden_states,
    tokens: list[str],
    attention_bias=None,
    head_mask=None,
) -> LayerTrace:
    """Run encoder layer `layer` of `network` (a BertWithHeads) step by step on its input and keep
    every intermediate. hidden_states: the layer's input, a (T, C) or (1, T, C) tensor;
    attention_bias: None, (T,) or (1, 1, 1, T) as BertModel builds it; head_mask: None or (H,).

    It calls the layer's own submodules in the order BertLayer.forward does, so the numbers are
    the model's. Dropout is left out: it is the identity at inference, which is what is shown.
    """
    # torch is imported here, not at the top: the GUI thread imports this module for the
    # dataclasses and neuron_view, and must not load torch.
    import torch

    with torch.no_grad():
        block = network.bert.encoder.layer[layer]
        attention = block.attention.self
        H, d = attention.num_heads, attention.head_dim
        x = hidden_states.reshape(1, -1, H * d)  # (1, T, C): batched as the model runs it, same kernels
        T, C = x.shape[1], x.shape[2]
        bias = torch.zeros(T, dtype=x.dtype, device=x.device) if attention_bias is None else attention_bias.reshape(T)
        mask = torch.ones(H, dtype=x.dtype, device=x.device) if head_mask is None else head_mask.reshape(H).to(x)

        def heads(linear) -> torch.Tensor:  # (1, T, C) -> (1, H, T, d)
            return linear(x).view(1, T, H, d).transpose(1, 2)

        q, k, v = heads(attention.query), heads(attention.key), heads(attention.value)  # each (1, H, T, d)
        scale = d**-0.5
        # As BertSelfAttention does: q is scaled before q k^T (exact when the scale is a power
        # of two, as BERT's 1/8), so the scores are bit for bit the model's.
        scores = (q * scale) @ k.transpose(-1, -2)  # (1, H, T, T)
        probabilities = torch.softmax(scores + bias, dim=-1) * mask.view(1, H, 1, 1)  # (1, H, T, T)
        context = probabilities @ v  # (1, H, T, d)
        concatenated = context.transpose(1, 2).reshape(1, T, C)  # heads side by side again
        attention_output = block.attention.output.dense(concatenated)  # (1, T, C)
        attention_residual = x + attention_output
        attention_normed = block.attention.output.LayerNorm(attention_residual)
        intermediate_linear = block.intermediate.dense(attention_normed)  # (1, T, I)
        intermediate = block.intermediate.act(intermediate_linear)
        ffn_output = block.output.dense(intermediate)  # (1, T, C)
        ffn_residual = attention_normed + ffn_output
        output = block.output.LayerNorm(ffn_residual)

        return LayerTrace(
            layer=layer,
            tokens=list(tokens),
            scale=float(scale),
            x=_numpy(x[0]),
            query=_numpy(q[0]),
            key=_numpy(k[0]),
            value=_numpy(v[0]),
            scores=_numpy(scores[0]),
            attention_bias=_numpy(bias),
            head_mask=_numpy(mask),
            probabilities=_numpy(probabilities[0]),
            context=_numpy(context[0]),
            concatenated=_numpy(concatenated[0]),
            attention_output=_numpy(attention_output[0]),
            attention_residual=_numpy(attention_residual[0]),
            attention_normed=_numpy(attention_normed[0]),
            intermediate_linear=_numpy(intermediate_linear[0]),
            intermediate=_numpy(intermediate[0]),
            ffn_output=_numpy(ffn_output[0]),
            ffn_residual=_numpy(ffn_residual[0]),
            output=_numpy(output[0]),
            activation=network.config.hidden_act,
        )


def neuron_view(trace: LayerTrace, head: int, query_index: int) -> NeuronView:
    """How query token `query_index` of head `head` scores every key, dimension by dimension.
    Pure NumPy (the GUI thread may call it). A head or token out of range raises BertError."""
    heads, tokens = trace.query.shape[0], trace.query.shape[1]
    if not 0 <= head < heads:
        raise BertError(f"head {head} does not exist: layer {trace.layer} has heads 0 to {heads - 1}")
    if not 0 <= query_index < tokens:
        raise BertError(f"token {query_index} does not exist: the input has tokens 0 to {tokens - 1}")
    query = trace.query[head, query_index]  # (d,)
    keys = trace.key[head]  # (T, d)
    products = query * keys  # (T, d): dimension j's share of each q . k
    return NeuronView(
        layer=trace.layer,
        head=head,
        query_index=query_index,
        query=np.ascontiguousarray(query),
        keys=np.ascontiguousarray(keys),
        products=np.ascontiguousarray(products, dtype=np.float32),
        scores=np.ascontiguousarray(products.sum(-1) * np.float32(trace.scale), dtype=np.float32),
        probabilities=np.ascontiguousarray(trace.probabilities[head, query_index]),
    )


def _numpy(t) -> np.ndarray:
    return np.ascontiguousarray(t.detach().float().cpu().numpy(), dtype=np.float32)
