"""The Attention view as a learner reads it: every token labelled on both axes of the large map,
the grid labelled by layer and head with one colour bar and a frame around the chosen thumbnail,
rollout named and explained, and the weight under the cursor written beside it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from bertgui.views.token_axis import ordinal
from model.inspection import Inspection

WORDS = ["the", "cat", "sat", "on", "##ation", ",", "library", "[MASK]", "."]
SIZES = {"1200x800": (924, 557), "1920x1080": (1644, 837)}  # the view's room in a window of that size


def sentence(n: int) -> list[str]:
    return ["[CLS]"] + [WORDS[i % len(WORDS)] for i in range(n - 2)] + ["[SEP]"]


def fake_inspection(tokens: list[str], layers: int = 2, heads: int = 4, hidden: int = 32) -> Inspection:
    """An inspection of random but well-formed numbers: rows of attention sum to 1."""
    rng = np.random.default_rng(len(tokens))
    T = len(tokens)
    logits = rng.standard_normal((layers, heads, T, T)).astype(np.float32) * 2
    attentions = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    mixed = 0.5 * attentions.mean(axis=1) + 0.5 * np.eye(T, dtype=np.float32)
    rollout = np.stack([np.linalg.multi_dot([*mixed[: layer + 1][::-1], np.eye(T)]) for layer in range(layers)])
    vectors = [rng.standard_normal((T, hidden)).astype(np.float32) for _ in range(4)]
    return Inspection(
        text=" ".join(tokens),
        text_b=None,
        tokens=tokens,
        input_ids=np.arange(T),
        segment_ids=np.zeros(T, dtype=np.int64),
        offsets=np.zeros((T, 2), dtype=np.int32),
        special_tokens_mask=np.array([t in ("[CLS]", "[SEP]") for t in tokens]),
        truncated=False,
        token_embeddings=vectors[0],
        segment_embeddings=vectors[1] * 0.1,
        position_embeddings=vectors[2] * 0.5,
        normalized_sum=vectors[3],
        hidden_states=rng.standard_normal((layers + 1, T, hidden)).astype(np.float32),
        attentions=attentions.astype(np.float32),
        head_mask=np.ones((layers, heads), dtype=np.float32),
        fill_mask=[],
        mlm_available=False,
        nsp_is_next=None,
        rollout=rollout.astype(np.float32),
    )


def settled(view):
    """The view once painting no longer changes its layout: an axis that chose bigger or smaller labels
    resizes, which moves the plots, which the next paint catches up with."""
    from PySide6.QtWidgets import QApplication

    def state():
        boxes = [view.plot.getViewBox(), *(box for row in view._thumb_boxes for box in row)]
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
    from bertgui.views.attention_view import AttentionView

    def show(tokens: list[str], size: tuple[int, int] = SIZES["1200x800"]) -> AttentionView:
        view = AttentionView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.show_inspection(fake_inspection(tokens))
        return settled(view)

    return show


def in_order(drawn, along: str) -> list[str]:
    key = (lambda rect: rect.center().x()) if along == "x" else (lambda rect: rect.center().y())
    return [text for rect, text in sorted(drawn, key=lambda item: key(item[0]))]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("n_tokens", [9, 60])
def test_every_token_is_labelled_on_both_axes_of_the_large_map(qtbot, shown_view, drawn_tick_labels, n_tokens, size):
    tokens = sentence(n_tokens)
    view = shown_view(tokens, SIZES[size])
    assert in_order(drawn_tick_labels(view.plot.getAxis("left")), "y") == tokens  # rows read top to bottom
    assert in_order(drawn_tick_labels(view.plot.getAxis("bottom")), "x") == tokens
    assert view.labels_note.isHidden()


def test_128_tokens_are_labelled_every_kth_with_a_note_and_each_one_zoomed_in(
    qtbot, shown_view, drawn_tick_labels, every_mouse_move
):
    tokens = [f"w{i}" for i in range(128)]
    view = shown_view(tokens)
    left = view.plot.getAxis("left")
    step = left.layout.step
    assert step > 1 and in_order(drawn_tick_labels(left), "y") == tokens[::step]
    step = max(step, view.plot.getAxis("bottom").layout.step)
    qtbot.waitUntil(lambda: view.labels_note.text().startswith(f"Every {ordinal(step)} token"), timeout=5_000)
    assert not view.labels_note.isHidden()
    view.plot.getViewBox().setRange(xRange=(30, 50), yRange=(30, 50), padding=0)  # the mouse wheel's zoom
    assert in_order(drawn_tick_labels(left), "y") == tokens[30:50]
    assert in_order(drawn_tick_labels(view.plot.getAxis("bottom")), "x") == tokens[30:50]
    qtbot.waitUntil(lambda: view.labels_note.isHidden(), timeout=5_000)
    centre = view.large.mapFromScene(view.plot.getViewBox().sceneBoundingRect().center())
    qtbot.mouseClick(view.large.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click: click,
    qtbot.mouseDClick(view.large.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # then the second press
    qtbot.mouseRelease(view.large.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    x_range, y_range = view.plot.getViewBox().viewRange()
    assert np.allclose(x_range, (0, 128)) and np.allclose(y_range, (0, 128))


def test_the_large_map_fills_its_panel_and_has_no_auto_range_button(qtbot, shown_view):
    view = shown_view(sentence(9))
    box = view.plot.getViewBox().sceneBoundingRect()
    image = view.image.sceneBoundingRect()
    assert abs(image.height() - box.height()) < 2 and abs(image.width() - box.width()) < 2
    assert box.height() > 0.6 * view.large.height()
    assert not view.plot.autoBtn.isVisible()


def test_the_grid_is_labelled_by_layer_and_head_with_one_colour_bar(qtbot, shown_view):
    import pyqtgraph as pg

    view = shown_view(sentence(9))
    labels = {item.text for item in view.grid.ci.items if isinstance(item, pg.LabelItem)}
    assert labels == {"L0", "L1", "H0", "H1", "H2", "H3"}
    assert view.grid_colorbar in view.grid.ci.items
    top = float(view._inspection.attentions.max())
    assert np.allclose(view.grid_colorbar.levels(), (0, top)) and np.allclose(view._thumbs[1][2].levels, (0, top))


def test_the_selection_frame_surrounds_the_thumbnail_not_its_box(qtbot, shown_view):
    view = shown_view(sentence(9))
    view.select(1, 2)
    assert view.outlined_heads() == [(1, 2)]
    frame = view._frames[1][2].mapRectToScene(view._frames[1][2].rect())
    image = view._thumbs[1][2].sceneBoundingRect()
    box = view._thumb_boxes[1][2].sceneBoundingRect()
    assert abs(frame.height() - image.height()) < 1 and abs(frame.width() - image.width()) < 1
    assert box.height() > image.height() + 10 or box.width() > image.width() + 10  # the box alone was wrong


def test_rollout_names_all_heads_and_explains_itself(qtbot, shown_view):
    view = shown_view(sentence(9))
    view.select(1, 2)
    assert view.caption.isHidden()
    view.mode_combo.setCurrentIndex(view.mode_combo.findData("rollout"))
    assert not view.head_combo.isEnabled() and view.head_combo.currentText() == "All heads (rollout)"
    assert view.head_combo.currentData() == 2  # the chosen head is kept for when rollout is off
    assert not view.caption.isHidden()
    assert view.caption.text().startswith("Rollout to layer 1: how much each token's representation after layer 1")
    assert "layers 0-1" in view.caption.text() and "Abnar & Zuidema 2020" in view.caption.text()
    assert view.plot.titleLabel.text == "rollout to layer 1"
    assert view.outlined_heads() == [(layer, head) for layer in range(2) for head in range(4)]
    view.mode_combo.setCurrentIndex(view.mode_combo.findData("attention"))
    assert view.head_combo.isEnabled() and view.head_combo.currentText() == "Head 2" and view.caption.isHidden()


def test_the_weight_under_the_cursor_is_written_beside_it(qtbot, shown_view, every_mouse_move):
    tokens = sentence(9)
    view = shown_view(tokens)
    matrix, keep = view.current_matrix()
    scene_point = view.image.mapToScene(QPointF(3.5, 2.5))  # row 2 attends to column 3
    qtbot.mouseMove(view.large.viewport(), QPoint(1, 1))  # from outside the map, whatever an earlier test left
    qtbot.mouseMove(view.large.viewport(), view.large.mapFromScene(scene_point))
    qtbot.waitUntil(lambda: view.cursor_value.text() != "", timeout=5_000)
    assert view.cursor_value.text() == f"{tokens[2]} attends to {tokens[3]}: {matrix[2, 3]:.3f}"
    corner = view.cursor_value.item.pos()  # the text's top left corner, in the canvas
    assert 0 < corner.x() - scene_point.x() < 30 and 0 < corner.y() - scene_point.y() < 30  # below right of it
    view.mode_combo.setCurrentIndex(view.mode_combo.findData("rollout"))
    qtbot.mouseMove(view.large.viewport(), QPoint(1, 1))
    qtbot.waitUntil(lambda: view.cursor_value.text() == "", timeout=5_000)  # gone when the mouse leaves the map
    qtbot.mouseMove(view.large.viewport(), view.large.mapFromScene(view.image.mapToScene(QPointF(1.5, 7.5))))
    qtbot.waitUntil(lambda: "draws on" in view.cursor_value.text(), timeout=5_000)
    rollout, _ = view.current_matrix()
    assert view.cursor_value.text() == f"{tokens[7]} draws on {tokens[1]}: {rollout[7, 1]:.3f}"


def _right_click_cell(qtbot, view, row: float, col: float) -> None:
    point = view.large.mapFromScene(view.image.mapToScene(QPointF(col, row)))
    qtbot.mouseClick(view.large.viewport(), Qt.MouseButton.RightButton, pos=point)


def test_right_click_on_a_cell_offers_its_neuron_view(qtbot, shown_view):
    tokens = sentence(9)
    view = shown_view(tokens)
    view.select(1, 2)
    assert not view.neuron_hint.isHidden() and "Right-click a cell" in view.neuron_hint.text()
    _right_click_cell(qtbot, view, 3.5, 5.5)  # row 3 (the query) attends to column 5
    menu = view.neuron_menu
    assert menu is not None and menu.isVisible()
    (action,) = menu.actions()
    assert action.isEnabled() and "how this weight is computed" in action.text()
    assert f"{tokens[3]} attends to {tokens[5]}, layer 1, head 2" in action.text()
    with qtbot.waitSignal(view.neuronViewRequested, timeout=1_000) as blocker:
        action.trigger()
    assert blocker.args == [1, 2, 3]
    menu.close()


def test_neuron_view_request_names_the_token_when_specials_are_hidden(qtbot, shown_view):
    view = shown_view(sentence(9))
    view.select(0, 3)
    view.hide_special.setChecked(True)  # row 0 is now the first word, token 1
    assert view.cell_at(view.image.mapToScene(QPointF(0.5, 0.5))) == (1, 1)
    assert view.cell_at(view.image.mapToScene(QPointF(-3.0, 0.5))) is None  # off the map
    with qtbot.waitSignal(view.neuronViewRequested, timeout=1_000) as blocker:
        view.neuron_view_menu(*view.cell_at(view.image.mapToScene(QPointF(2.5, 4.5)))).actions()[0].trigger()
    assert blocker.args == [0, 3, 5]


def test_average_and_rollout_have_no_single_neuron_view(qtbot, shown_view):
    from bertgui.views.attention_view import AVERAGE

    view = shown_view(sentence(9))
    view.head_combo.setCurrentIndex(view.head_combo.findData(AVERAGE))
    (action,) = view.neuron_view_menu(2, 3).actions()
    assert not action.isEnabled() and "choose one head" in action.text()
    view.select(1, 1)
    view.mode_combo.setCurrentIndex(view.mode_combo.findData("rollout"))
    assert not view.neuron_view_menu(2, 3).actions()[0].isEnabled()


# --- word mode, the mean and the max of heads, heads coloured by a statistic ----------------------


def test_word_mode_shows_words_whose_rows_sum_to_1_with_the_rule_stated(qtbot, shown_view, drawn_tick_labels):
    from bertgui.views.word_units import words_rule
    from model.word_attention import group_word_pieces, word_attention

    tokens = sentence(9)  # "on ##ation" is one word
    view = shown_view(tokens)
    view.select(1, 2)
    assert view.words_caption.isHidden()
    with qtbot.waitSignal(view.wordModeToggled, check_params_cb=lambda on: on):
        view.words_box.setChecked(True)
    words = group_word_pieces(tokens)
    assert words.words == ["[CLS]", "the", "cat", "sat", "onation", ",", "library", "[SEP]"]
    matrix, keep = view.current_matrix()
    assert matrix.shape == (len(words.words),) * 2 and keep == list(range(len(words.words)))
    np.testing.assert_allclose(matrix.sum(axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(matrix, word_attention(view._inspection.attentions[1, 2], words), rtol=1e-6)
    settled(view)
    assert in_order(drawn_tick_labels(view.plot.getAxis("bottom")), "x") == words.words
    assert not view.words_caption.isHidden() and view.words_caption.text() == words_rule()
    assert "sum over its pieces" in words_rule() and "mean over its pieces" in words_rule()
    assert "sum over its pieces" in view.words_box.toolTip()
    grid = view._thumbs[1][2].image
    assert grid.shape == (len(words.words),) * 2  # the thumbnails are of words too
    view.hide_special.setChecked(True)  # words without [CLS]/[SEP], rows renormalised
    matrix, keep = view.current_matrix()
    assert keep == list(range(1, len(words.words) - 1))
    np.testing.assert_allclose(matrix.sum(axis=1), 1, atol=1e-5)


def test_a_sentence_without_split_words_shows_the_piece_matrix_in_word_mode(qtbot, shown_view):
    view = shown_view(["[CLS]", "the", "cat", "sat", ".", "[SEP]"])
    view.select(0, 1)
    pieces, keep = view.current_matrix()
    view.words_box.setChecked(True)
    words, word_keep = view.current_matrix()
    np.testing.assert_array_equal(words, pieces)
    assert word_keep == keep


def test_hover_and_clicks_name_words_in_word_mode(qtbot, shown_view, every_mouse_move):
    view = shown_view(sentence(9))
    view.select(0, 0)
    view.words_box.setChecked(True)
    settled(view)
    matrix, _ = view.current_matrix()
    point = view.image.mapToScene(QPointF(4.5, 6.5))  # "library" (word 6) attends to "onation" (word 4)
    assert view.cell_at(point) == (6, 4)
    qtbot.mouseMove(view.large.viewport(), QPoint(1, 1))
    qtbot.mouseMove(view.large.viewport(), view.large.mapFromScene(point))
    qtbot.waitUntil(lambda: view.cursor_value.text() != "", timeout=5_000)
    assert view.cursor_value.text() == f"library attends to onation: {matrix[6, 4]:.3f}"
    (action,) = view.neuron_view_menu(6, 4).actions()
    assert not action.isEnabled() and "untick Words" in action.text()


@pytest.mark.parametrize(("how", "reduce"), [("mean", np.mean), ("max", np.max)])
def test_mean_and_max_of_heads_are_computed_and_captioned(qtbot, shown_view, how, reduce):
    from bertgui.views.attention_view import AVERAGE, MAXIMUM
    from model.word_attention import AGGREGATIONS

    view = shown_view(sentence(9))
    view.select(1, 0)
    assert view.caption.isHidden()
    aggregate = {"mean": AVERAGE, "max": MAXIMUM}[how]
    view.head_combo.setCurrentIndex(view.head_combo.findData(aggregate))
    assert view.head_combo.currentText() == f"{how.capitalize()} of heads"
    matrix, _ = view.current_matrix()
    np.testing.assert_allclose(matrix, reduce(view._inspection.attentions[1], axis=0), rtol=1e-6)
    assert not view.caption.isHidden()
    assert view.caption.text() == f"{how.capitalize()} of heads of layer 1: {AGGREGATIONS[how]}."
    assert view.plot.titleLabel.text == f"layer 1, {how} of heads"
    assert view.outlined_heads() == [(1, head) for head in range(4)]
    if how == "mean":
        np.testing.assert_allclose(matrix.sum(axis=1), 1, atol=1e-5)
    else:
        assert (matrix.sum(axis=1) > 1).all()  # the max of each cell: rows no longer sum to 1


def test_colouring_heads_by_the_previous_token_picks_out_a_previous_token_head(qtbot, shown_view):
    view = shown_view(sentence(12))
    r = view._inspection
    T = len(r.tokens)
    previous = np.eye(T, k=-1, dtype=np.float32)
    previous[0, 0] = 1.0
    r.attentions[1, 2] = 0.9 * previous + 0.1 / T  # layer 1, head 2 looks at the token before
    view.show_inspection(r)
    assert not view.head_tints().any() and view.stat_caption.isHidden()
    view.stat_combo.setCurrentIndex(view.stat_combo.findData("to previous"))
    tints = view.head_tints()
    assert tints[1, 2] == 1.0 and (np.delete(tints.ravel(), 1 * 4 + 2) < 0.5).all()
    assert view._mats[1][2].isVisible() and view._mats[1][2].brush().color().alpha() == 255
    assert not view.stat_caption.isHidden()
    assert view.stat_caption.text().startswith("Frame colour = “to previous”: the weight on the token just before")
    assert "Highest: L1H2 0.91" in view.stat_caption.text()
    view.stat_combo.setCurrentIndex(view.stat_combo.findData("to [CLS]"))
    assert view.stat_caption.text().startswith("Frame colour = “to [CLS]”: the share of attention given to [CLS]")
    view.stat_combo.setCurrentIndex(view.stat_combo.findData(""))
    assert not any(mat.isVisible() for mats in view._mats for mat in mats) and view.stat_caption.isHidden()
