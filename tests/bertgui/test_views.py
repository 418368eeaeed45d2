"""Pure helpers behind the views."""

from __future__ import annotations

import numpy as np

from bertgui.views.embeddings_view import position_similarity
from bertgui.views.hidden_states_view import pca_2d


def test_pca_projects_on_the_main_axes():
    rng = np.random.default_rng(0)
    direction = rng.standard_normal(16)
    x = np.outer(np.linspace(-5, 5, 20), direction) + 0.01 * rng.standard_normal((20, 16))
    xy, share = pca_2d(x.astype(np.float32))
    assert xy.shape == (20, 2) and xy.dtype == np.float32 and share[0] > 0.99
    assert abs(np.corrcoef(xy[:, 0], np.linspace(-5, 5, 20))[0, 1]) > 0.999


def test_pca_of_a_single_token():
    xy, share = pca_2d(np.ones((1, 8), dtype=np.float32))
    assert xy.shape == (1, 2) and np.all(xy == 0)


def test_position_similarity_is_cosine():
    w = np.array([[1, 0], [0, 2], [3, 3]], dtype=np.float32)
    s = position_similarity(w)
    assert np.allclose(np.diag(s), 1) and abs(s[0, 1]) < 1e-6 and np.isclose(s[0, 2], 1 / np.sqrt(2))


def test_thumbnails_of_long_inputs_are_block_averages():
    from bertgui.views.attention_view import thumbnail

    small = np.random.default_rng(0).random((40, 40)).astype(np.float32)
    assert thumbnail(small) is small
    big = np.random.default_rng(1).random((512, 512)).astype(np.float32)
    t = thumbnail(big)
    assert t.shape == (86, 86) and t.flags["C_CONTIGUOUS"]
    assert np.isclose(t[0, 0], big[:6, :6].mean())
