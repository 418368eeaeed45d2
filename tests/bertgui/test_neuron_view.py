"""The neuron view draws q, every key, q x k elementwise, the scores and the attention weights of
the trace for the chosen head and query; a long input shows its most attended keys unless all
are asked for; a selection changes the rows drawn; bad input is one line."""

from __future__ import annotations

import time

import numpy as np
import pytest

from bertgui.views.computation.neuron_view import TOP_KEYS, NeuronPanel, shown_keys
from model.computation import neuron_view

from .test_layer_steps import fake_trace  # the same well-formed random traces


@pytest.fixture
def panel(qtbot):
    p = NeuronPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    return p


def bar_widths(bars) -> np.ndarray:
    return np.asarray(bars.opts["width"], dtype=np.float32)


def test_neuron_view_is_the_traces_own_numbers():
    t = fake_trace()
    v = neuron_view(t, 2, 5)
    np.testing.assert_array_equal(v.products, t.query[2, 5][None, :] * t.key[2])
    np.testing.assert_allclose(v.scores, t.scores[2, 5], rtol=1e-5, atol=1e-6)  # the model's q . k * scale
    np.testing.assert_array_equal(v.probabilities, t.probabilities[2, 5])
    for a in (v.query, v.keys, v.products, v.scores, v.probabilities):
        assert a.dtype == np.float32 and a.flags["C_CONTIGUOUS"]


def test_draws_query_keys_products_scores_and_weights(panel):
    t = fake_trace()
    panel.set_trace(t)
    panel.set_selection(2, 5)
    np.testing.assert_array_equal(panel.shown, np.arange(9))
    np.testing.assert_array_equal(panel.query_image.image, t.query[2, 5][None, :])
    np.testing.assert_array_equal(panel.key_image.image, t.key[2])
    np.testing.assert_array_equal(panel.product_image.image, t.query[2, 5] * t.key[2])
    scores = t.query[2, 5] @ t.key[2].T * t.scale
    np.testing.assert_allclose(bar_widths(panel.score_bars), np.abs(scores), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(panel.score_bars.opts["x0"]), np.minimum(scores, 0), rtol=1e-5)
    np.testing.assert_array_equal(bar_widths(panel.weight_bars), t.probabilities[2, 5])
    assert [label.toPlainText() for label in panel._weight_labels[:9]] == [f"{w:.2f}" for w in t.probabilities[2, 5]]
    assert panel.key_plot.getAxis("left")._tokens == t.tokens
    assert panel.query_frame.isVisible() and panel.query_frame.rect().top() == 5  # the query's own key
    low, high = panel.product_image.getLevels()
    assert low == -high > -np.inf
    assert "head 2" in panel.title.text() and t.tokens[5] in panel.title.text()

    panel.set_selection(0, 1)  # another head and query: the rows follow
    np.testing.assert_array_equal(panel.product_image.image, t.query[0, 1] * t.key[0])
    np.testing.assert_array_equal(bar_widths(panel.weight_bars), t.probabilities[0, 1])
    assert panel.query_frame.rect().top() == 1


def test_long_input_shows_the_most_attended_keys_or_all(panel, qtbot):
    t = fake_trace(T=128, H=12, d=64, I=256)
    panel.set_trace(t)
    panel.set_selection(3, 40)
    weights = t.probabilities[3, 40]
    top = np.sort(np.argsort(-weights)[:TOP_KEYS])
    np.testing.assert_array_equal(panel.shown, top)
    np.testing.assert_array_equal(panel.key_image.image, t.key[3][top])
    np.testing.assert_array_equal(bar_widths(panel.weight_bars), weights[top])
    assert panel.key_plot.getAxis("left")._tokens == [t.tokens[j] for j in top]
    assert f"{weights[top].sum():.2f} of the attention" in panel.keys_note.text()
    assert panel.show_all.isEnabled()

    panel.show_all.setChecked(True)
    np.testing.assert_array_equal(panel.shown, np.arange(128))
    np.testing.assert_array_equal(panel.product_image.image, t.query[3, 40] * t.key[3])
    assert panel.canvas.minimumHeight() > panel.scroll.viewport().height()  # the rows scroll
    assert "All 128 keys" in panel.keys_note.text()


def test_shown_keys():
    weights = np.array([0.1, 0.5, 0.05, 0.3, 0.05], dtype=np.float32)
    np.testing.assert_array_equal(shown_keys(weights, False, top=2), [1, 3])
    np.testing.assert_array_equal(shown_keys(weights, True, top=2), np.arange(5))
    np.testing.assert_array_equal(shown_keys(weights, False, top=8), np.arange(5))


def test_masked_keys_and_switched_off_head_are_said(panel):
    t = fake_trace()
    t.attention_bias[-2:] = -10000.0
    t.head_mask[1] = 0
    t.probabilities[1] = 0
    panel.set_trace(t)
    panel.set_selection(1, 0)
    assert "2 padding token(s) are masked" in panel.keys_note.text()
    assert "switched off" in panel.title.text()


def test_bad_trace_is_one_line_and_selection_is_clamped(panel):
    t = fake_trace()
    t.scores = t.scores[:, :, :3]
    panel.set_trace(t)
    assert "scores" in panel.title.text() and not panel.scroll.isVisible()
    panel.set_selection(1, 1)  # nothing drawn: no crash
    good = fake_trace()
    panel.set_trace(good)
    panel.set_selection(-3, 50)
    assert (panel.head, panel.query) == (0, 8)
    np.testing.assert_array_equal(bar_widths(panel.weight_bars), good.probabilities[0, 8])


@pytest.mark.parametrize(
    "name, sizes", [("bundled model", dict(T=10, H=4, d=64)), ("BERT-base, T=128", dict(T=128, H=12, d=64))]
)
def test_switching_is_quick(panel, name, sizes):
    """Prints the time a new selection takes (no timed assertion: machines differ)."""
    from PySide6.QtWidgets import QApplication

    t = fake_trace(I=128, **sizes)
    panel.set_trace(t)
    panel.show_all.setChecked(True)
    times = []
    for h in range(1, 11):
        start = time.perf_counter()
        panel.set_selection(h % sizes["H"], (7 * h) % sizes["T"])
        QApplication.processEvents()
        panel.grab()
        times.append(time.perf_counter() - start)
    print(f"\nneuron view, {name}, all keys: selection + repaint median {1000 * np.median(times):.1f} ms")
    np.testing.assert_array_equal(bar_widths(panel.weight_bars), t.probabilities[10 % sizes["H"], 70 % sizes["T"]])
