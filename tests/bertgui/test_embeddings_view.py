"""The Embeddings view as a learner reads it: the four heatmaps side by side with every token
labelled, colour scales centred on 0 that show typical values, and the value under the cursor."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF

from bertgui.views.token_axis import ordinal
from model.inspection import Inspection

WORDS = ["the", "cat", "sat", "on", "##ation", ",", "library", "[MASK]", "."]
SIZES = {"1200x800": (924, 557), "1920x1080": (1644, 837)}  # the view's room in a window of that size


def sentence(n: int) -> list[str]:
    return ["[CLS]"] + [WORDS[i % len(WORDS)] for i in range(n - 2)] + ["[SEP]"]


def embeddings_inspection(tokens: list[str], hidden: int = 256) -> Inspection:
    """Embeddings like a trained model's: mostly small values and a few large ones."""
    rng = np.random.default_rng(len(tokens))
    T = len(tokens)

    def vectors(scale: float) -> np.ndarray:
        v = rng.standard_normal((T, hidden)).astype(np.float32) * scale
        v[:, 7] = 40 * scale  # one outlying dimension, as real embeddings have
        return v

    parts = [vectors(0.05), vectors(0.01), vectors(0.02), vectors(1.0)]
    empty = np.zeros((1, 1, T, T), dtype=np.float32)
    return Inspection(
        text=" ".join(tokens),
        text_b=None,
        tokens=tokens,
        input_ids=np.arange(T),
        segment_ids=np.zeros(T, dtype=np.int64),
        offsets=np.zeros((T, 2), dtype=np.int32),
        special_tokens_mask=np.array([t in ("[CLS]", "[SEP]") for t in tokens]),
        truncated=False,
        token_embeddings=parts[0],
        segment_embeddings=parts[1],
        position_embeddings=parts[2],
        normalized_sum=parts[3],
        hidden_states=parts[3][None],
        attentions=empty,
        head_mask=np.ones((1, 1), dtype=np.float32),
        fill_mask=[],
        mlm_available=False,
        nsp_is_next=None,
    )


def settled(view):
    """The view once painting no longer changes its layout: an axis that chose bigger or smaller labels
    resizes, which moves the plots, which the next paint catches up with."""
    from PySide6.QtWidgets import QApplication

    def state():
        boxes = [plot.getViewBox() for plot in view._plots.values()]
        return [(box.sceneBoundingRect(), box.viewRange()) for box in boxes]

    for _ in range(10):
        before = state()
        view.grab()
        QApplication.processEvents()
        if state() == before:
            break
    return view


@pytest.fixture
def every_mouse_move():
    """pyqtgraph drops a mouse move that follows the last within 10 ms; a test's moves come faster."""
    import pyqtgraph as pg

    limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOptions(mouseRateLimit=-1)
    yield
    pg.setConfigOptions(mouseRateLimit=limit)


@pytest.fixture
def shown_view(qtbot):
    from bertgui.views.embeddings_view import EmbeddingsView

    def show(tokens: list[str], size: tuple[int, int] = SIZES["1200x800"]) -> EmbeddingsView:
        view = EmbeddingsView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.show_inspection(embeddings_inspection(tokens))
        return settled(view)

    return show


def rows_labelled(drawn_tick_labels, view) -> list[str]:
    return [text for rect, text in sorted(drawn_tick_labels(view.token_axis), key=lambda item: item[0].center().y())]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("n_tokens", [9, 60])
def test_every_token_is_labelled_beside_the_four_heatmaps(qtbot, shown_view, drawn_tick_labels, n_tokens, size):
    tokens = sentence(n_tokens)
    view = shown_view(tokens, SIZES[size])
    assert rows_labelled(drawn_tick_labels, view) == tokens
    assert view.labels_note.isHidden()
    token_view = view._plots["token"].getViewBox()
    for key in ("segment", "position", "sum"):  # the other heatmaps' rows line up with the labelled one
        other = view._plots[key].getViewBox()
        assert other.viewRange()[1] == token_view.viewRange()[1]
        assert abs(other.sceneBoundingRect().top() - token_view.sceneBoundingRect().top()) < 1


def test_128_tokens_are_labelled_every_kth_with_a_note_and_each_one_zoomed_in(qtbot, shown_view, drawn_tick_labels):
    tokens = [f"w{i}" for i in range(128)]
    view = shown_view(tokens)
    step = view.token_axis.layout.step
    assert step > 1 and rows_labelled(drawn_tick_labels, view) == tokens[::step]
    qtbot.waitUntil(lambda: view.labels_note.text().startswith(f"Every {ordinal(step)} token"), timeout=5_000)
    assert view.labels_note.isVisible()
    view._plots["sum"].getViewBox().setYRange(60, 90, padding=0)  # zoomed in on any heatmap: all follow
    assert rows_labelled(drawn_tick_labels, view) == tokens[60:90]


def test_colour_scales_are_centred_on_zero_and_show_typical_values(qtbot, shown_view):
    view = shown_view(sentence(9))
    r = embeddings_inspection(sentence(9))
    parts = np.concatenate(
        [np.abs(a).ravel() for a in (r.token_embeddings, r.segment_embeddings, r.position_embeddings)]
    )
    bound = np.percentile(parts, 99)
    for key in ("token", "segment", "position"):
        assert np.allclose(view.images[key].levels, (-bound, bound))
    assert np.allclose(view.parts_colorbar.levels(), (-bound, bound))
    assert bound < parts.max() / 5  # the outlying dimension no longer washes the rest out
    sum_bound = np.percentile(np.abs(r.normalized_sum), 99)
    assert np.allclose(view.images["sum"].levels, (-sum_bound, sum_bound))
    assert "99%" in view.scale_note.text() and view.scale_note.isVisible()


def test_non_finite_values_leave_the_scale_finite():
    from bertgui.views.embeddings_view import symmetric_bound

    a = np.array([[np.nan, np.inf, -np.inf, 0.5, -0.25]], dtype=np.float32)
    assert np.isfinite(symmetric_bound(a)) and 0.25 <= symmetric_bound(a) <= 0.5
    assert symmetric_bound(np.full((2, 2), np.nan, dtype=np.float32)) > 0
    assert symmetric_bound(np.zeros((3, 3), dtype=np.float32)) > 0


def test_the_value_under_the_cursor_is_written_beside_it(qtbot, shown_view, every_mouse_move):
    tokens = sentence(9)
    view = shown_view(tokens)
    image = view.images["token"]
    pixel = view.plots.mapFromScene(image.mapToScene(QPointF(5.5, 2.5)))  # token 2, about dimension 5
    qtbot.mouseMove(view.plots.viewport(), QPoint(1, 1))  # from outside the map, whatever an earlier test left
    qtbot.mouseMove(view.plots.viewport(), pixel)
    qtbot.waitUntil(lambda: view.cursor_values["token"].text() != "", timeout=20_000)
    hovered = image.mapFromScene(view.plots.mapToScene(pixel))  # a pixel spans several of the 256 dimensions
    row, dimension = int(hovered.y()), int(hovered.x())
    assert row == 2 and view.cursor_values["token"].text() == (
        f"{tokens[2]}, dimension {dimension}: {image.image[2, dimension]:.3f}"
    )
    label = view.cursor_values["token"].item.sceneBoundingRect()
    assert view.plots.sceneRect().contains(label)  # wider than the narrow heatmap, and whole


def test_no_plot_carries_an_auto_range_button(qtbot, shown_view):
    view = shown_view(sentence(9))
    for plot in [*view._plots.values(), view.norm_plot, view.similarity_plot]:
        assert not plot.autoBtn.isVisible()
