"""The Computation tab: its panels, the shared selection, the layer it asks the controller for,
and the embeddings step drawing the chosen token's own vectors."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def bundled():
    import model

    bert = model.load(device="cpu")
    return bert.info(), bert.inspect("the cat sat on the mat")


def fake_trace(layer: int, tokens: int, heads: int = 4, hidden: int = 256, intermediate: int = 1024):
    """A LayerTrace of random numbers with the right shapes: the view draws, it does not check."""
    from model.computation import LayerTrace

    rng = np.random.default_rng(layer)
    d = hidden // heads

    def a(*shape):
        return np.ascontiguousarray(rng.standard_normal(shape), dtype=np.float32)

    probabilities = np.exp(a(heads, tokens, tokens))
    probabilities /= probabilities.sum(-1, keepdims=True)
    return LayerTrace(
        layer=layer,
        tokens=[f"t{i}" for i in range(tokens)],
        scale=1 / np.sqrt(d),
        x=a(tokens, hidden),
        query=a(heads, tokens, d),
        key=a(heads, tokens, d),
        value=a(heads, tokens, d),
        scores=a(heads, tokens, tokens),
        attention_bias=np.zeros(tokens, dtype=np.float32),
        head_mask=np.ones(heads, dtype=np.float32),
        probabilities=np.ascontiguousarray(probabilities, dtype=np.float32),
        context=a(heads, tokens, d),
        concatenated=a(tokens, hidden),
        attention_output=a(tokens, hidden),
        attention_residual=a(tokens, hidden),
        attention_normed=a(tokens, hidden),
        intermediate_linear=a(tokens, intermediate),
        intermediate=a(tokens, intermediate),
        ffn_output=a(tokens, hidden),
        ffn_residual=a(tokens, hidden),
        output=a(tokens, hidden),
        activation="gelu",
    )


@pytest.fixture
def view(qtbot, bundled):
    from PySide6.QtWidgets import QTabWidget, QWidget

    from bertgui.views.computation import ComputationView

    info, r = bundled
    tabs = QTabWidget()  # shown and hidden as in the window
    qtbot.addWidget(tabs)
    v = ComputationView()
    v.set_model(info)
    v.set_inspection(r)
    tabs.addTab(QWidget(), "other")
    tabs.addTab(v, "Computation")
    tabs.resize(1280, 760)
    tabs.show()
    return tabs, v


def test_showing_and_hiding_the_tab_asks_for_a_layer_then_none(qtbot, view):
    tabs, v = view
    with qtbot.waitSignal(v.layerWanted) as wanted:
        tabs.setCurrentIndex(1)
    assert wanted.args == [0]
    with qtbot.waitSignal(v.layerWanted) as wanted:
        v.layer_combo.setCurrentIndex(3)
    assert wanted.args == [3]
    with qtbot.waitSignal(v.layerWanted) as wanted:
        tabs.setCurrentIndex(0)
    assert wanted.args == [None]


def test_clicking_a_layer_in_the_diagram_opens_its_steps_and_asks_for_it(qtbot, view):
    from bertgui.views.computation.computation_view import ARCHITECTURE, EMBEDDINGS, LAYER_STEPS

    tabs, v = view
    tabs.setCurrentIndex(1)
    assert v.panel() == ARCHITECTURE
    assert len(v.diagram.block_items("attention")) == 4
    assert f"(T={len(v.inspection.tokens)}, 256)" in v.diagram.arrow_texts
    with qtbot.waitSignal(v.layerWanted) as wanted:
        v.diagram.blockClicked.emit("attention", 2)
    assert wanted.args == [2] and v.layer() == 2 and v.panel() == LAYER_STEPS
    v.set_panel(ARCHITECTURE)
    v.diagram.blockClicked.emit("embeddings", -1)
    assert v.panel() == EMBEDDINGS
    v.diagram.blockClicked.emit("heads", -1)
    assert "masked-LM head" in v.message.text()


def test_traces_of_the_chosen_layer_are_kept_late_ones_dropped(qtbot, view):
    tabs, v = view
    tabs.setCurrentIndex(1)
    v.layer_combo.setCurrentIndex(1)
    t = len(v.inspection.tokens)
    v.set_trace(fake_trace(0, t))  # asked for before the layer changed
    assert v.trace is None
    trace = fake_trace(1, t)
    v.set_trace(trace)
    assert v.trace is trace


def test_neuron_view_opens_on_the_asked_head_and_token(qtbot, view):
    from bertgui.views.computation.computation_view import NEURONS

    tabs, v = view
    v.show_neuron_view(2, 3, 4)
    assert (v.layer(), v.head(), v.query(), v.panel()) == (2, 3, 4, NEURONS)
    assert v.token_combo.currentText() == f"4: {v.inspection.tokens[4]}"


def test_embedding_step_draws_the_chosen_tokens_vectors(qtbot, view):
    tabs, v = view
    r = v.inspection
    v.token_combo.setCurrentIndex(3)
    step = v.embedding_step
    expected = [
        r.token_embeddings[3],
        r.segment_embeddings[3],
        r.position_embeddings[3],
        r.token_embeddings[3] + r.segment_embeddings[3] + r.position_embeddings[3],
        r.normalized_sum[3],
    ]
    np.testing.assert_allclose(step.rows, np.stack(expected), rtol=1e-6)
    np.testing.assert_allclose(step.image.image, step.rows[:4])  # what the heatmap holds
    np.testing.assert_allclose(step.normed_image.image, step.rows[4:])  # LayerNorm's row, its own scale
    np.testing.assert_allclose(step.norms, np.linalg.norm(np.stack(expected), axis=1), rtol=1e-5)
    assert r.tokens[3] in step.token_label.text()
    with qtbot.waitSignal(v.openEmbeddingsTabRequested):
        step.open_button.click()


def test_sinusoidal_table_is_the_transformers_formula():
    from bertgui.views.computation.embedding_step import sinusoidal_table

    table = sinusoidal_table(7, 8)
    pos, i = 5, 1
    assert table[pos, 2 * i] == pytest.approx(np.sin(pos / 10000 ** (2 * i / 8)))
    assert table[pos, 2 * i + 1] == pytest.approx(np.cos(pos / 10000 ** (2 * i / 8)))
    assert table.dtype == np.float32 and table.flags.c_contiguous
