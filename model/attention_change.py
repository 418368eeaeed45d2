"""How much fine-tuning changed each head's attention: the two models read the same sentence
and, per layer and head, the Jensen-Shannon divergence between their attention rows is
averaged over the query tokens. 0 = the head attends exactly as before; ln 2 (about 0.69) =
every token now attends somewhere disjoint from where it did."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bert import Bert
from .errors import BertError


@dataclass
class AttentionChange:
    tokens: list[str]
    divergence: np.ndarray  # (layers, heads) float32, mean Jensen-Shannon divergence in nats, 0..ln 2
    base_attentions: np.ndarray  # (layers, heads, T, T) float32
    tuned_attentions: np.ndarray  # (layers, heads, T, T) float32

    def most_changed(self, count: int = 5) -> list[tuple[int, int, float]]:
        """(layer, head, divergence) of the heads that changed most, most first."""
        flat = np.argsort(self.divergence, axis=None)[::-1][:count]
        heads = self.divergence.shape[1]
        return [(int(i // heads), int(i % heads), float(self.divergence.flat[i])) for i in flat]


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Row-wise JS divergence (nats) over the last axis of two stacks of distributions."""
    p = p.astype(np.float64)
    q = q.astype(np.float64)
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> np.ndarray:
        # 0 * log(0 / m) is 0; where a > 0, m > 0 too.
        ratio = np.divide(a, m, out=np.ones_like(a), where=a > 0)
        return (a * np.log(ratio)).sum(-1)

    return 0.5 * kl(p) + 0.5 * kl(q)


def attention_change(base: Bert, tuned: Bert, text: str, text_b: str | None = None) -> AttentionChange:
    """Compare the attention of `tuned` (fine-tuned from `base`) with `base`'s on one input."""
    if (
        base.config.num_hidden_layers != tuned.config.num_hidden_layers
        or base.config.num_attention_heads != tuned.config.num_attention_heads
    ):
        raise BertError(
            "the two models have different numbers of layers or heads; compare a model with the one "
            "it was fine-tuned from"
        )
    a = base.inspect(text, text_b)
    b = tuned.inspect(text, text_b)
    if a.tokens != b.tokens:
        raise BertError(
            "the two models tokenize the text differently; compare a model with the one it was fine-tuned from"
        )
    divergence = jensen_shannon(a.attentions, b.attentions).mean(-1)  # (layers, heads): mean over query tokens
    return AttentionChange(a.tokens, divergence.astype(np.float32), a.attentions, b.attentions)
