"""Which input tokens a prediction depends on: gradient x input and integrated gradients
(Sundararajan et al. 2017) for the token predicted at a [MASK] or a classifier's class.

The GUI thread reads the Attribution dataclass; the computation runs on the model worker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Attribution:
    """Per-input-token attribution of one output score. T = tokens. Arrays float32, C-contiguous."""

    tokens: list[str]  # the input's WordPiece tokens, [CLS] ... [SEP]
    special_tokens_mask: np.ndarray  # (T,) bool, [CLS]/[SEP]: the views can hide them and renormalise
    method: str  # "ig" (integrated gradients) or "grad" (gradient x input)
    target: str  # what is explained, in words, e.g. "'door' at position 6" or "class 'positive'"
    target_position: int  # the output position explained: the [MASK]'s, or 0 ([CLS]) for a classifier
    target_id: int  # the vocabulary id (fill-mask) or the class index (classifier)
    score: float  # the explained quantity at the input (the target's logit)
    baseline_score: float  # the same quantity at the baseline input
    scores: np.ndarray  # (T,) float32, each input token's attribution; for IG they sum to about score - baseline_score
    completeness_gap: float  # sum(scores) - (score - baseline_score): IG's error (shrinks as steps grow)
    steps: int  # integration steps (1 for gradient x input)
    baseline: str  # "pad" ([PAD] embedding at every non-special token) or "zero" (zero vectors)
