"""The layer step-through draws the trace's own numbers: the chosen head's q, k, v, the chosen
query's scores, weights and context, each Add & Norm for the chosen token, the feed-forward
neurons (the chosen token's most active first), every formula with the real shapes; a new
selection redraws exactly the rows it should, and a trace that does not fit is one message."""

from __future__ import annotations

import time

import numpy as np
import pytest

from bertgui.views.computation.layer_steps import STEPS, LayerStepsView, top_neurons
from model.computation import LayerTrace

WORDS = ["the", "cat", "sat", "on", "the", "mat", "."]


def fake_trace(T: int = 9, H: int = 4, d: int = 16, I: int = 64, layer: int = 1, seed: int = 0) -> LayerTrace:  # noqa: E741
    """A trace of random numbers that fit together as a post-LN layer's do (softmax rows sum to 1,
    the context is the weighted sum of the values, LayerNorm rows have mean 0 and spread 1)."""
    rng = np.random.default_rng(seed)
    C = H * d

    def r(*shape: int) -> np.ndarray:
        return np.ascontiguousarray(rng.standard_normal(shape), dtype=np.float32)

    def f32(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a, dtype=np.float32)

    def layer_norm(a: np.ndarray) -> np.ndarray:
        return (a - a.mean(-1, keepdims=True)) / a.std(-1, keepdims=True)

    query, key, value, x = r(H, T, d), r(H, T, d), r(H, T, d), r(T, C)
    scale = 1.0 / np.sqrt(d)
    scores = np.einsum("htd,hsd->hts", query, key) * scale
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    context = weights @ value
    attention_output = r(T, C)
    residual = x + attention_output
    normed = layer_norm(residual)
    linear = r(T, I)
    intermediate = 0.5 * linear * (1 + np.tanh(0.7978845608 * (linear + 0.044715 * linear**3)))
    ffn_output = r(T, C)
    tokens = ["[CLS]"] + [WORDS[i % len(WORDS)] for i in range(T - 2)] + ["[SEP]"]
    return LayerTrace(
        layer=layer,
        tokens=tokens,
        scale=float(scale),
        x=x,
        query=query,
        key=key,
        value=value,
        scores=f32(scores),
        attention_bias=np.zeros(T, dtype=np.float32),
        head_mask=np.ones(H, dtype=np.float32),
        probabilities=f32(weights),
        context=f32(context),
        concatenated=f32(context.transpose(1, 0, 2).reshape(T, C)),
        attention_output=attention_output,
        attention_residual=f32(residual),
        attention_normed=f32(normed),
        intermediate_linear=linear,
        intermediate=f32(intermediate),
        ffn_output=ffn_output,
        ffn_residual=f32(normed + ffn_output),
        output=f32(layer_norm(normed + ffn_output)),
        activation="gelu",
    )


@pytest.fixture
def view(qtbot):
    v = LayerStepsView()
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    return v


def drawn(image_item) -> np.ndarray:
    return image_item.image


def test_every_step_has_a_formula_with_the_shapes_and_a_paragraph(view):
    view.set_trace(fake_trace(T=9, H=4, d=64, I=1024))
    formulas = {key: card.formula.text() for key, card in view.cards.items()}
    assert "Q = X W_Q + b_Q   (9, 256) x (256, 256) -> (9, 256) -> 4 heads x (9, 64)" in formulas["qkv"]
    assert "(64,) · (9, 64) -> (9,)" in formulas["scores"] and "√64" in formulas["scores"]
    assert "GELU(h W_1 + b_1)   (9, 256) x (256, 1024) -> (9, 1024)" in formulas["neurons"]
    assert "(9, 1024) x (1024, 256) -> (9, 256)" in formulas["ffn"]
    assert "input of layer 2" in formulas["output"]
    assert "widens its vector to 1,024 neurons" in view.cards["neurons"].explanation.text()
    view.set_trace(fake_trace(T=9, H=4, d=64, I=3072))
    assert "widens its vector to 3,072 neurons" in view.cards["neurons"].explanation.text()
    for key, card in view.cards.items():
        assert card.formula.text(), key
        assert len(card.explanation.text().split()) >= 20, key  # a paragraph, not a label


def test_selection_draws_the_chosen_head_and_query(view):
    t = fake_trace()
    view.set_trace(t)
    view.set_selection(2, 5)
    np.testing.assert_array_equal(drawn(view.q_map.image), t.query[2])
    np.testing.assert_array_equal(drawn(view.k_map.image), t.key[2])
    np.testing.assert_array_equal(drawn(view.v_map.image), t.value[2])
    np.testing.assert_array_equal(view.score_bars.values, t.scores[2, 5])
    np.testing.assert_array_equal(view.softmax_bars.values, t.probabilities[2, 5])
    np.testing.assert_array_equal(drawn(view.context_map.image), t.context[2, 5][None, :])
    np.testing.assert_array_equal(
        drawn(view.norm1_map.image), np.stack([t.attention_residual[5], t.attention_normed[5]])
    )
    np.testing.assert_array_equal(drawn(view.norm2_map.image), np.stack([t.ffn_residual[5], t.output[5]]))
    np.testing.assert_array_equal(drawn(view.x_map.image), t.x)
    for heatmap in (view.x_map, view.q_map, view.concat_map, view.attention_output_map, view.ffn_map, view.output_map):
        assert heatmap.marked_row == 5 and heatmap.row_frame.rect().top() == 5
    block = view.concat_map.block_frame.rect()
    assert (block.left(), block.width()) == (2 * 16, 16) and view.concat_map.block_frame.isVisible()
    best = t.tokens[int(np.argmax(t.scores[2, 5]))]
    assert view.cards["scores"].note.text().endswith(f"the key of '{best}' best.")

    view.set_selection(0, 1)  # another head and token: the rows follow
    np.testing.assert_array_equal(drawn(view.q_map.image), t.query[0])
    np.testing.assert_array_equal(view.softmax_bars.values, t.probabilities[0, 1])
    assert view.output_map.marked_row == 1 and view.concat_map.block_frame.rect().left() == 0


def test_arrays_are_float32_c_contiguous_on_symmetric_levels(view):
    t = fake_trace()
    view.set_trace(t)
    view.set_selection(1, 3)
    for heatmap in (view.x_map, view.q_map, view.context_map, view.norm1_map, view.neuron_map, view.output_map):
        image = drawn(heatmap.image)
        assert image.dtype == np.float32 and image.flags["C_CONTIGUOUS"]
        low, high = heatmap.image.getLevels()
        assert low == -high and high > 0
        assert tuple(heatmap.colorbar.levels()) == (low, high)


def test_feed_forward_shows_the_chosen_tokens_most_active_neurons(view, qtbot):
    t = fake_trace(I=3072)
    view.set_trace(t)
    view.set_selection(0, 4)
    columns = view.neuron_columns
    assert len(columns) == 64
    activations = t.intermediate[4, columns]
    assert np.all(np.diff(activations) <= 0)  # largest first
    assert columns[0] == np.argmax(t.intermediate[4])
    assert activations[-1] >= np.sort(t.intermediate[4])[-64]
    np.testing.assert_array_equal(drawn(view.neuron_map.image), t.intermediate[:, columns])
    assert view.neuron_map.plot.getAxis("bottom")._tokens[:2] == [str(c) for c in columns[:2]]

    view.set_selection(0, 6)  # the chosen token decides which neurons
    np.testing.assert_array_equal(view.neuron_columns, top_neurons(t.intermediate, 6, 64))

    view.neuron_combo.setCurrentIndex(view.neuron_combo.findData(0))  # all, in order
    np.testing.assert_array_equal(drawn(view.neuron_map.image), t.intermediate)
    np.testing.assert_array_equal(view.neuron_columns, np.arange(3072))


def test_mask_note_says_why_padding_gets_a_large_negative(view):
    t = fake_trace()
    view.set_trace(t)
    note = view.cards["mask"].note.text()
    assert "0 for all 9 tokens" in note
    assert "padding" in view.cards["mask"].explanation.text() and "negative" in view.cards["mask"].explanation.text()
    t.attention_bias[-2:] = -10000.0
    view.set_trace(t)
    assert "2 of 9 tokens are masked" in view.cards["mask"].note.text()


def test_switched_off_head_is_said(view):
    t = fake_trace()
    t.head_mask[1] = 0
    t.probabilities[1] = 0
    view.set_trace(t)
    view.set_selection(1, 2)
    assert "switched off" in view.cards["softmax"].note.text()


def test_bad_trace_and_out_of_range_selection_do_not_crash(view):
    t = fake_trace()
    t.key = t.key[:, :-1]  # one token short
    view.set_trace(t)
    assert "key" in view.message.text() and view.trace is None and not view.scroll.isVisible()
    view.set_selection(1, 1)  # nothing to draw: no crash
    good = fake_trace()
    view.set_trace(good)
    assert view.scroll.isVisible()
    view.set_selection(99, 99)  # clamped to the last head and token
    assert (view.head, view.query) == (3, 8)
    np.testing.assert_array_equal(view.softmax_bars.values, good.probabilities[3, 8])


def test_go_to_step_scrolls_to_the_card(view, qtbot):
    view.set_trace(fake_trace())
    qtbot.wait(10)
    index = list(STEPS).index("norm2")
    view.step_combo.activated.emit(index)
    assert view.scroll.verticalScrollBar().value() == min(
        view.cards["norm2"].y(), view.scroll.verticalScrollBar().maximum()
    )
    assert view.scroll.verticalScrollBar().value() > 0
    assert view.step_combo.currentIndex() == index  # the box names the step at the top
    view.scroll.verticalScrollBar().setValue(0)
    assert view.step_combo.currentIndex() == 0


@pytest.mark.parametrize(
    "name, sizes",
    [("bundled model", dict(T=10, H=4, d=64, I=1024)), ("BERT-base at T=128", dict(T=128, H=12, d=64, I=3072))],
)
def test_switching_head_or_query_is_quick(view, qtbot, name, sizes):
    """Prints the time a new selection takes to redraw (no timed assertion: machines differ)."""
    from PySide6.QtWidgets import QApplication

    t = fake_trace(**sizes)
    start = time.perf_counter()
    view.set_trace(t)
    trace_ms = 1000 * (time.perf_counter() - start)
    view.grab()
    selections = [(h % sizes["H"], (3 * h) % sizes["T"]) for h in range(1, 11)]
    update, painted = [], []
    for head, query in selections:
        start = time.perf_counter()
        view.set_selection(head, query)
        update.append(time.perf_counter() - start)
        QApplication.processEvents()
        view.grab()  # the visible cards painted again
        painted.append(time.perf_counter() - start)
    print(
        f"\n{name}: set_trace {trace_ms:.0f} ms; set_selection median {1000 * np.median(update):.1f} ms "
        f"(max {1000 * max(update):.1f}), with repaint median {1000 * np.median(painted):.1f} ms"
    )
    np.testing.assert_array_equal(view.softmax_bars.values, t.probabilities[selections[-1]])


def test_renders_to_png(view, tmp_path):
    view.set_trace(fake_trace())
    path = tmp_path / "steps.png"
    assert view.grab().save(str(path)) and path.stat().st_size > 10_000
