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


def test_label_step_is_the_smallest_power_of_two_without_overlap():
    from bertgui.views.token_axis import label_step

    assert label_step([10.0] * 20, px_per_token=20) == 1  # 10 px labels, 4 px gap, 20 px a token
    assert label_step([30.0] * 20, px_per_token=20) == 2  # 34 px needed between centres: every 2nd
    assert label_step([80.0, 10.0, 10.0, 10.0, 10.0], px_per_token=20) == 4  # one long label thins all
    assert label_step([10.0, 80.0, 10.0], px_per_token=20) == 2  # unless the step skips it
    assert label_step([500.0] * 3, px_per_token=1) == 4  # nothing fits: the first label alone
    assert label_step([10.0], px_per_token=1) == 1


def _drawn_token_labels(
    qtbot, drawn_tick_labels, n_tokens: int, width: int, aspect_locked: bool = False, inverted: bool = False
) -> list[str]:
    import pyqtgraph as pg

    from bertgui.views.token_axis import TokenAxis

    plot = pg.PlotWidget(axisItems={"bottom": TokenAxis("bottom")})
    qtbot.addWidget(plot)
    plot.resize(width, 300)
    if aspect_locked:  # like the attention map: the image covers only part of the axis
        plot.getViewBox().setAspectLocked(True)
    plot.getViewBox().invertX(inverted)  # like the heatmaps' token rows, which read top to bottom
    plot.setXRange(0, n_tokens, padding=0)
    plot.setYRange(0, n_tokens, padding=0)
    axis = plot.getPlotItem().getAxis("bottom")
    axis.set_tokens([f"w{i}" for i in range(n_tokens)])
    plot.show()
    qtbot.waitExposed(plot)
    drawn = drawn_tick_labels(axis)
    rects = sorted((rect for rect, _ in drawn), key=lambda r: r.left())
    assert all(a.right() <= b.left() for a, b in zip(rects, rects[1:])), "labels overlap"
    return [text for _, text in drawn]


def test_a_short_sentence_labels_every_token(qtbot, drawn_tick_labels):
    assert sorted(_drawn_token_labels(qtbot, drawn_tick_labels, 16, 800)) == sorted(f"w{i}" for i in range(16))


def test_a_long_input_labels_an_even_subset_without_overlap(qtbot, drawn_tick_labels):
    labels = _drawn_token_labels(qtbot, drawn_tick_labels, 200, 400)
    step = int(labels[1][1:]) - int(labels[0][1:])
    assert len(labels) >= 5 and step > 1 and all(int(label[1:]) % step == 0 for label in labels)


def test_an_inverted_axis_labels_its_tokens(qtbot, drawn_tick_labels):
    assert len(_drawn_token_labels(qtbot, drawn_tick_labels, 16, 800, inverted=True)) == 16


def test_labels_do_not_overlap_where_an_image_covers_part_of_the_axis(qtbot, drawn_tick_labels):
    # 300 px high and aspect-locked: the x range widens past the image
    labels = _drawn_token_labels(qtbot, drawn_tick_labels, 120, 800, aspect_locked=True)
    assert 5 <= len(labels) < 120
