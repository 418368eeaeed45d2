"""Attention rollout (Abnar & Zuidema, 2020): how much each input token flows into each
position after l layers, following attention through the residual connections."""

from __future__ import annotations

import numpy as np


def attention_rollout(attentions: np.ndarray, add_residual: bool = True) -> np.ndarray:
    """attentions: (layers, heads, T, T)  ->  rollout (layers, T, T), float32.

    Per layer the heads are averaged; with `add_residual` the identity is mixed in
    (A' = 0.5 A + 0.5 I, rows renormalised), because the residual stream carries half of
    each token forward untouched. Rollout[l] = A'_l @ ... @ A'_0; every row sums to 1.
    """
    attentions = np.asarray(attentions)
    if attentions.ndim != 4 or attentions.shape[-1] != attentions.shape[-2]:
        raise ValueError(f"expected attentions of shape (layers, heads, T, T), got {attentions.shape}")
    layers, _, T, _ = attentions.shape
    eye = np.eye(T)
    rollout = np.empty((layers, T, T), dtype=np.float64)
    joint = eye
    for layer in range(layers):
        a = attentions[layer].mean(axis=0, dtype=np.float64)  # (T, T); one layer at a time in float64
        if add_residual:
            a = 0.5 * a + 0.5 * eye
        row_sums = a.sum(axis=-1, keepdims=True)
        a = np.divide(a, row_sums, out=np.zeros_like(a), where=row_sums > 0)  # switched-off heads sum to 0
        joint = a @ joint
        rollout[layer] = joint
    return rollout.astype(np.float32)
