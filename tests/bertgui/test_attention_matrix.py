"""The one rule the Attention and Head views share for hiding [CLS]/[SEP]."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bertgui.views.attention_matrix import restricted, shown_tokens


def inspection(special):
    return SimpleNamespace(tokens=["t"] * len(special), special_tokens_mask=np.array(special, dtype=bool))


def test_specials_are_dropped_unless_nothing_else_is_left():
    assert shown_tokens(inspection([1, 0, 0, 1]), hide_special=True).tolist() == [1, 2]
    assert shown_tokens(inspection([1, 0, 0, 1]), hide_special=False).tolist() == [0, 1, 2, 3]
    assert shown_tokens(inspection([1, 1]), hide_special=True).tolist() == [0, 1]


def test_kept_rows_are_renormalised_and_empty_or_broken_rows_stay_so():
    matrix = np.array([[0.5, 0.25, 0.25], [0.0, 0.0, 0.0], [0.2, np.nan, 0.4]], dtype=np.float32)
    shown = restricted(matrix, np.array([1, 2]))
    assert shown.dtype == np.float32 and shown.flags.c_contiguous
    np.testing.assert_array_equal(shown[0], [0.0, 0.0])  # a switched-off head's row
    assert np.isnan(shown[1]).all()  # drawn as non-finite, not as a plausible weight
    np.testing.assert_allclose(restricted(matrix, np.array([0, 1, 2])), matrix)  # nothing dropped: as it is
    np.testing.assert_allclose(restricted(matrix, np.array([0, 2])), [[2 / 3, 1 / 3], [1 / 3, 2 / 3]], rtol=1e-6)
