"""What the Attention and Head views draw of an attention matrix when [CLS]/[SEP] are hidden:
the other tokens' rows and columns, each row renormalised to sum to 1 again, so the weights
read as "of the attention this token pays to words, how much goes where"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import model


def shown_tokens(r: model.Inspection, hide_special: bool, firsts: np.ndarray | None = None) -> np.ndarray:
    """Indices of the rows shown: all of them, or all but the specials (all of them again when
    only specials would be left). Rows are the tokens, or (firsts given: the token index of each
    word's first piece) the words."""
    special = np.asarray(r.special_tokens_mask, dtype=bool)
    if firsts is not None:
        special = special[firsts]
    if hide_special:
        keep = np.flatnonzero(~special)
        if len(keep):
            return keep
    return np.arange(len(special))


def restricted(matrix: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The (n, n) float32 block of `matrix` at `keep`; when tokens were dropped, each row
    renormalised to sum to 1. A switched-off head's rows (all 0) stay 0; a row holding NaN stays
    NaN, for the view to draw as it draws non-finite values."""
    if len(keep) != len(matrix):
        matrix = matrix[np.ix_(keep, keep)]
        sums = matrix.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore"):  # inf / inf in a row of a broken checkpoint: NaN, as intended
            matrix = np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums != 0)
    return np.ascontiguousarray(matrix, dtype=np.float32)
