"""The BertViz-style head view: the lines drawn are the Inspection's attention weights."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication

from bertgui.palette import DARK
from bertgui.views import head_lines_columns, head_lines_view
from bertgui.views.head_lines_columns import HEADINGS, KEY, MIN_LABEL_POINTS, QUERY
from bertgui.views.head_lines_view import DIM_OPACITY, MAX_LINES, HeadLinesView, head_colour


@pytest.fixture
def bert(model_folder):
    import model

    return model.load(model_folder, device="cpu")


@pytest.fixture
def pair(bert):
    return bert.inspect("the cat sat on the mat", text_b="the dog ran")


@pytest.fixture
def view(qtbot):
    v = HeadLinesView()
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    return v


def expected_lines(matrix: np.ndarray, threshold: float):
    q, k = np.nonzero(matrix >= threshold)
    return q, k, matrix[q, k]


def fake_inspection(tokens: int, layers: int = 2, heads: int = 12, seed: int = 0):
    """A long input without running a model (the test model stops at 40 positions)."""
    from model import Inspection

    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((layers, heads, tokens, tokens), dtype=np.float32) * 3
    attn = np.exp(logits - logits.max(-1, keepdims=True))
    attn /= attn.sum(-1, keepdims=True)
    special = np.zeros(tokens, bool)
    special[[0, -1]] = True
    zeros = np.zeros((tokens, 4), np.float32)
    return Inspection(
        text="x",
        text_b=None,
        tokens=["[CLS]"] + [f"w{i}" for i in range(tokens - 2)] + ["[SEP]"],
        input_ids=np.arange(tokens),
        segment_ids=np.zeros(tokens, np.int64),
        offsets=np.zeros((tokens, 2), np.int32),
        special_tokens_mask=special,
        truncated=False,
        token_embeddings=zeros,
        segment_embeddings=zeros,
        position_embeddings=zeros,
        normalized_sum=zeros,
        hidden_states=np.zeros((layers + 1, tokens, 4), np.float32),
        attentions=attn.astype(np.float32),
        head_mask=np.ones((layers, heads), np.float32),
        fill_mask=[],
        mlm_available=False,
        nsp_is_next=None,
    )


def test_drawn_lines_are_the_attention_weights(view, pair):
    view.show_inspection(pair)
    view.set_layer(1)
    view.set_heads([2])
    lines = view.drawn_lines()
    assert set(lines) == {2}
    q, k, w = lines[2]
    eq, ek, ew = expected_lines(pair.attentions[1, 2], view.threshold_spin.value())
    assert len(q) > 0
    np.testing.assert_array_equal(q, eq)
    np.testing.assert_array_equal(k, ek)
    np.testing.assert_array_equal(w, ew)
    # the plot items hold those lines as point pairs (0, query) - (1, key), binned by weight
    for curve in view._curves[2]:
        if curve.isVisible():
            xs, ys = curve.getData()
            assert np.all(xs[0::2] == 0) and np.all(xs[1::2] == 1)
            np.testing.assert_array_equal(ys[0::2], curve.lines[0])
            np.testing.assert_array_equal(ys[1::2], curve.lines[1])
            assert curve.opts["pen"].color().name() == head_colour(2)

    view.set_layer(0)
    q, k, w = view.drawn_lines()[2]
    np.testing.assert_array_equal(w, expected_lines(pair.attentions[0, 2], view.threshold_spin.value())[2])


def test_lines_below_the_threshold_are_skipped(view, pair):
    view.show_inspection(pair)
    view.threshold_spin.setValue(0.1)
    q, k, w = view.drawn_lines()[0]
    assert np.all(w >= 0.1)
    assert len(w) == int((pair.attentions[0, 0] >= 0.1).sum())


def test_several_heads_each_in_its_colour(view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 1, 3])
    lines = view.drawn_lines()
    assert set(lines) == {0, 1, 3} == set(view.selected_heads())
    for head in (0, 1, 3):
        np.testing.assert_array_equal(lines[head][2], expected_lines(pair.attentions[0, head], 0.01)[2])
    colours = {c.opts["pen"].color().name() for head in (0, 1, 3) for c in view._curves[head] if c.isVisible()}
    assert colours == {head_colour(0), head_colour(1), head_colour(3)}
    view.all_heads_button.click()
    assert set(view.drawn_lines()) == set(range(pair.num_heads))
    view.no_heads_button.click()
    assert view.drawn_lines() == {}


def test_focusing_a_token_brings_out_its_lines_and_dims_the_others(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 1])
    view.focus_token(3)
    assert view.focused_token() == 3 and view.focused_side() == QUERY
    lines = view.drawn_lines()
    assert set(lines) == {0, 1}
    for head, (q, k, w) in lines.items():
        assert np.all(q == 3)
        row = pair.attentions[0, head, 3]
        np.testing.assert_array_equal(k, np.flatnonzero(row >= 0.01))
        np.testing.assert_array_equal(w, row[k])
    assert view.dimmed_heads() == [0, 1]
    assert all(c.opacity() == DIM_OPACITY for c in view._curves[0] if c.isVisible())
    assert "attends most to" in view.info_label.text()
    view.focus_token(None)
    assert len(view.drawn_lines()[0][0]) == len(expected_lines(pair.attentions[0, 0], 0.01)[0])
    assert view.dimmed_heads() == []


def _viewport_point(view, token_row: float, x: float) -> QPoint:
    scene = view.vb.mapViewToScene(QPointF(x, token_row))
    return view.canvas.mapFromScene(scene)


def _on_label(view, side: str, row: int) -> QPoint:
    """The middle of the token label drawn for a row on one side, in viewport pixels."""
    [label] = [label for label in view.labels.label_rects() if (label.side, label.row) == (side, row)]
    return label.rect.center().toPoint()


def test_clicking_a_left_token_focuses_it_and_clicking_again_shows_all(qtbot, view, pair):
    view.show_inspection(pair)
    qtbot.wait(10)
    label = _viewport_point(view, 2, 0.0) - QPoint(20, 0)  # on the left-hand label of token 2
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=label)
    assert view.focused_token() == 2
    assert set(view.drawn_lines()[0][0].tolist()) == {2}
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=label)
    assert view.focused_token() is None
    view.focus_token(2)
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_point(view, 5, 0.5))
    assert view.focused_token() is None  # empty space between the columns
    assert len(set(view.drawn_lines()[0][0].tolist())) == len(pair.tokens)


def test_clicking_a_right_token_shows_who_attends_to_it(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_layer(1)
    view.set_heads([2])
    qtbot.wait(10)
    cat = pair.tokens.index("cat")
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_on_label(view, KEY, cat))
    assert view.focused_token() == cat and view.focused_side() == KEY
    q, k, w = view.drawn_lines()[2]
    column = pair.attentions[1, 2, :, cat]
    np.testing.assert_array_equal(k, np.full(len(k), cat))
    np.testing.assert_array_equal(q, np.flatnonzero(column >= 0.01))  # from every query that gives it >= 0.01
    np.testing.assert_array_equal(w, column[q])
    assert view.dimmed_heads() == [2]  # the other lines stay, faint
    [(colour, bars)] = view.labels.focus.bars  # one bar per query beside the left column
    np.testing.assert_array_equal(bars, column)
    assert colour.name() == head_colour(2)
    top = np.argsort(column)[::-1][:2]
    summary = view.info_label.text()
    expected = f"receives most attention from <b>{pair.tokens[top[0]]}</b> ({column[top[0]]:.2f}), "
    expected += f"<b>{pair.tokens[top[1]]}</b> ({column[top[1]]:.2f})"
    assert f"<b>cat</b> (#{cat}) " + expected in summary and summary.endswith("in layer 1, head 2.")
    headings = [h.text for h in view.headings.headings()]
    assert "bars: weight into 'cat'" in headings

    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_on_label(view, KEY, cat))
    assert view.focused_token() is None and view.dimmed_heads() == []
    assert len(view.drawn_lines()[2][0]) == len(expected_lines(pair.attentions[1, 2], 0.01)[0])
    assert "receives" not in view.info_label.text()

    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_on_label(view, KEY, cat))
    assert view.focused_side() == KEY
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_point(view, 4, 0.5))
    assert view.focused_token() is None  # empty space between the columns


def test_several_heads_summary_for_a_key(view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 3])
    view.focus_token(2, KEY)
    summary = view.info_label.text()
    assert summary.startswith(f"In layer 0, <b>{pair.tokens[2]}</b> (#2) receives most attention from:")
    for head in (0, 3):
        column = pair.attentions[0, head, :, 2]
        best = int(np.argmax(column))
        assert f"H{head}: <b>{pair.tokens[best]}</b> ({column[best]:.2f})" in summary
    assert [len(w) for _, w in view.labels.focus.bars] == [len(pair.tokens)] * 2


def test_headings_name_the_columns_above_them(view, pair):
    view.show_inspection(pair)
    headings = {h.text: h.rect for h in view.headings.headings()}
    labels = view.labels.label_rects()
    left = [label.rect for label in labels if label.side == QUERY]
    right = [label.rect for label in labels if label.side == KEY]
    query, key = headings[HEADINGS[QUERY]], headings[HEADINGS[KEY]]
    assert query.bottom() <= min(r.top() for r in left) and key.bottom() <= min(r.top() for r in right)
    assert abs(query.right() - max(r.right() for r in left)) < 1  # over the left column, flush with it
    assert abs(key.left() - min(r.left() for r in right)) < 1
    assert query.right() < key.left()
    assert "line strength = attention weight" in headings
    view.focus_token(1)
    assert f"bars: weight from '{pair.tokens[1]}'" in [h.text for h in view.headings.headings()]
    view.set_heads([0, 1])
    assert f"bars: weight from '{pair.tokens[1]}', one per head" in [h.text for h in view.headings.headings()]


def _assert_no_overlaps(rects):
    rects = sorted(rects, key=lambda r: r.top())
    for above, below in zip(rects, rects[1:], strict=False):
        assert not above.intersects(below), (above, below)


@pytest.mark.parametrize(("tokens", "height"), [(9, 600), (60, 600), (128, 600), (60, 1000), (128, 1000)])
def test_every_token_is_labelled_readably_without_overlaps(qtbot, view, tokens, height):
    view.resize(1000, height)
    qtbot.wait(10)
    view.show_inspection(fake_inspection(tokens))
    assert view.labels.font.pointSizeF() >= MIN_LABEL_POINTS
    if tokens == 9:
        assert view.labels.font.pointSizeF() == view.font().pointSizeF()  # short input: the app's own size
    headings = [h.rect for h in view.headings.headings()]
    canvas = view.canvas.mapFromScene(view.vb.sceneBoundingRect()).boundingRect().toRectF()  # where rows show
    seen = {QUERY: set(), KEY: set()}
    value, steps = 0, 0
    while True:  # down the rows with the scroll bar, a page at a time less two rows, so each row is whole once
        view.scroll_bar.setValue(value)
        labels = view.labels.label_rects()
        assert labels
        for side in (QUERY, KEY):
            rects = [label.rect.intersected(canvas) for label in labels if label.side == side]  # clipped there
            _assert_no_overlaps(rects)
            assert not any(r.intersects(h) for r in rects for h in headings)
            seen[side] |= {label.row for label in labels if label.side == side and canvas.contains(label.rect)}
        if value >= view.scroll_bar.maximum():
            break
        value = min(value + view.scroll_bar.pageStep() - 2 * view.scroll_bar.singleStep(), view.scroll_bar.maximum())
        steps += 1
    assert seen[QUERY] == seen[KEY] == set(range(tokens))
    assert view.scroll_bar.isVisibleTo(view) == (steps > 0)
    assert (steps > 0) == ("wheel scrolls" in view.info_label.text())
    if tokens == 128:
        assert steps > 0  # 128 rows at a readable size do not fit 1000 pixels


def _wheel(view, notches: int, modifiers=Qt.KeyboardModifier.NoModifier):
    where = QPointF(view.canvas.viewport().rect().center())
    event = QWheelEvent(
        where,
        QPointF(view.canvas.viewport().mapToGlobal(where.toPoint())),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.canvas.viewport(), event)


def test_wheel_scrolls_the_rows_and_ctrl_wheel_zooms(qtbot, view):
    view.show_inspection(fake_inspection(128))
    qtbot.wait(10)
    top, bottom = view.vb.viewRange()[1]
    _wheel(view, -2)  # two notches down
    new_top, new_bottom = view.vb.viewRange()[1]
    assert new_top == pytest.approx(top + 6) and new_bottom - new_top == pytest.approx(bottom - top)
    assert view.scroll_bar.value() > 0 and not view.reset_zoom_button.isEnabled()
    _wheel(view, -3, Qt.KeyboardModifier.ControlModifier)  # zoom out: more rows, fewer of them labelled
    zoomed_top, zoomed_bottom = view.vb.viewRange()[1]
    assert zoomed_bottom - zoomed_top > bottom - top
    assert view.reset_zoom_button.isEnabled()
    assert "only some tokens are labelled" in view.info_label.text()
    labelled = {label.row for label in view.labels.label_rects()}
    assert len(labelled) < zoomed_bottom - zoomed_top - 2  # fewer labels than rows in view, none overlapping
    _assert_no_overlaps([label.rect for label in view.labels.label_rects() if label.side == QUERY])
    view.reset_zoom_button.click()
    assert view.vb.viewRange()[1][1] - view.vb.viewRange()[1][0] == pytest.approx(bottom - top)
    assert not view.reset_zoom_button.isEnabled() and "only some" not in view.info_label.text()


def test_pointing_at_a_line_shows_its_weight(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_heads([1])
    qtbot.wait(10)
    matrix = pair.attentions[0, 1]
    q, k = np.unravel_index(np.argmax(matrix), matrix.shape)  # the strongest line, listed first
    qtbot.mouseMove(view.canvas.viewport(), _viewport_point(view, (q + k) / 2, 0.5))
    first = view.readout_text().splitlines()[0]
    assert first == f"■ H1: {pair.tokens[q]} → {pair.tokens[k]} {matrix[q, k]:.3f}"
    assert view.readout.isVisible()
    qtbot.mouseMove(view.canvas.viewport(), _viewport_point(view, -20, 0.5))  # outside the rows
    assert view.readout_text() == ""


def test_pointing_at_a_token_shows_its_weights(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 2])
    qtbot.wait(10)
    qtbot.mouseMove(view.canvas.viewport(), _on_label(view, QUERY, 3))
    text = view.readout_text().splitlines()
    assert text[0] == f"{pair.tokens[3]} #3 attends most to"
    for line, head in zip(text[1:], (0, 2), strict=True):
        row = pair.attentions[0, head, 3]
        assert line == f"■ H{head}: {pair.tokens[int(np.argmax(row))]} {row.max():.3f}"
    view.focus_token(5, KEY)  # with a key followed, a query shows what it gives that key
    qtbot.wait(10)  # the summary changed: the layout settles
    qtbot.mouseMove(view.canvas.viewport(), _on_label(view, QUERY, 2))
    text = view.readout_text().splitlines()
    assert text[0] == f"{pair.tokens[2]} → {pair.tokens[5]}"
    assert text[1:] == [f"■ H{h}: {pair.attentions[0, h, 2, 5]:.3f}" for h in (0, 2)]


def test_hovering_a_right_token_previews_the_lines_into_it(view, pair):
    view.show_inspection(pair)
    view._on_mouse_moved(view.vb.mapViewToScene(QPointF(1.05, 4)))
    q, k, w = view.drawn_lines()[0]
    assert set(k.tolist()) == {4} and view.focused_token() is None
    assert "receives" not in view.info_label.text()  # a preview leaves the summary, and the layout, alone


def test_canvas_text_is_readable_in_the_dark_palette(view, pair):
    view.show_inspection(pair)
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    view.setPalette(palette)
    background = palette.color(QPalette.ColorRole.Base)

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    def contrast(a: QColor, b: QColor) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for colour in (view.headings.text_colour, view.headings.muted_colour, view.labels.text_colour):
        assert contrast(colour, background) >= 4.5
    note = QColor(view.note_label.styleSheet().split(":")[1].strip(" ;"))
    assert contrast(note, background) >= 4.5


def test_hovering_a_left_token_previews_its_lines(view, pair):
    view.show_inspection(pair)
    scene = view.vb.mapViewToScene(QPointF(-0.05, 4))
    view._on_mouse_moved(scene)
    assert set(view.drawn_lines()[0][0].tolist()) == {4}
    assert view.focused_token() is None  # a preview, not a focus
    view._on_mouse_moved(view.vb.mapViewToScene(QPointF(0.5, 4)))
    assert len(set(view.drawn_lines()[0][0].tolist())) == len(pair.tokens)


def test_hide_specials_drops_them_and_renormalises(view, pair):
    view.show_inspection(pair)
    view.threshold_spin.setValue(view.threshold_spin.minimum())
    view.set_layer(1)
    view.set_heads([3])
    view.hide_special.setChecked(True)
    keep = np.flatnonzero(~pair.special_tokens_mask)
    q, k, w = view.drawn_lines()[3]
    assert set(q.tolist()) == set(keep.tolist()) and set(k.tolist()) <= set(keep.tolist())
    sub = pair.attentions[1, 3][np.ix_(keep, keep)]
    renormalised = sub / sub.sum(axis=1, keepdims=True)
    position = {t: i for i, t in enumerate(keep)}
    rows = np.array([position[t] for t in q])
    cols = np.array([position[t] for t in k])
    np.testing.assert_allclose(w, renormalised[rows, cols], rtol=1e-5)
    sums = np.zeros(len(pair.tokens))
    np.add.at(sums, q, w)
    np.testing.assert_allclose(sums[keep], 1.0, atol=0.02)  # only lines under 0.001 are missing
    view.hide_special.setChecked(False)
    assert set(view.drawn_lines()[3][0].tolist()) == set(range(len(pair.tokens)))


def test_switched_off_head_is_skipped_with_a_note(view, bert):
    mask = np.ones((2, 4), np.float32)
    mask[1, 2] = 0
    r = bert.inspect("the cat sat", head_mask=mask)
    view.show_inspection(r)
    view.set_layer(1)
    view.set_heads([1, 2])
    assert set(view.drawn_lines()) == {1}
    assert not view.note_label.isHidden() and "H2" in view.note_label.text()
    assert view.head_boxes[2].text() == "H2 (off)"
    view.set_layer(0)
    assert set(view.drawn_lines()) == {1, 2} and view.note_label.isHidden()


def test_only_cls_and_sep(view, bert):
    r = bert.inspect("")
    assert r.tokens == ["[CLS]", "[SEP]"]
    view.show_inspection(r)
    q, k, w = view.drawn_lines()[0]
    np.testing.assert_array_equal(w, expected_lines(r.attentions[0, 0], 0.01)[2])
    view.hide_special.setChecked(True)  # nothing else to show: both stay, with a note
    assert len(view.drawn_lines()[0][0]) == len(q)
    assert "nothing but" in view.note_label.text()
    view.focus_token(1)
    assert set(view.drawn_lines()[0][0].tolist()) == {1}


def test_512_tokens_draw_quickly_and_the_line_count_is_bounded(view):
    r = fake_inspection(512)
    start = time.perf_counter()
    view.show_inspection(r)  # one head: every line >= 0.01 of 512 x 512
    view.grab()  # and paint it
    seconds = time.perf_counter() - start
    q, k, w = view.drawn_lines()[0]
    np.testing.assert_array_equal(w, expected_lines(r.attentions[0, 0], 0.01)[2])
    assert seconds < 2.0  # about 0.05 s on a 2-core machine; a generous bound against freezing
    view.all_heads_button.click()
    view.grab()
    total = sum(len(lines[2]) for lines in view.drawn_lines().values())
    assert 0 < total <= MAX_LINES
    assert "strongest" in view.note_label.text()
    view.focus_token(100)  # a focused token shows all of its lines again, not only the strongest
    q, k, w = view.drawn_lines()[5]
    np.testing.assert_array_equal(k, np.flatnonzero(r.attentions[0, 5, 100] >= 0.01))


def test_choices_survive_a_new_input_and_a_new_model_resets(view, bert, pair):
    view.show_inspection(pair)
    view.set_layer(1)
    view.set_heads([1, 3])
    view.show_inspection(bert.inspect("the dog ran"))
    assert view.layer_spin.value() == 1 and set(view.drawn_lines()) == {1, 3}
    view.set_model_shape(3, 6)  # another model was loaded: the old inspection no longer fits
    assert view.drawn_lines() == {} and len(view.head_boxes) == 6
    r = fake_inspection(10, layers=3, heads=6)
    view.show_inspection(r)
    view.set_layer(2)
    view.set_heads([5])
    np.testing.assert_array_equal(view.drawn_lines()[5][2], expected_lines(r.attentions[2, 5], 0.01)[2])


def test_renders_to_png(tmp_path, view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 1, 2, 3])
    path = tmp_path / "head_lines.png"
    assert view.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 800 and image.height() >= 600
    canvas = view.canvas.geometry()
    colours = {
        image.pixel(x, y)
        for x in range(canvas.left(), canvas.right(), 7)
        for y in range(canvas.top(), canvas.bottom(), 7)
    }
    assert len(colours) > 20  # labels and coloured lines, not a blank canvas


def test_every_control_has_a_tooltip(view, pair):
    view.show_inspection(pair)
    controls = view.findChildren(QAbstractButton) + view.findChildren(QAbstractSpinBox)
    assert len(controls) >= 4 + pair.num_heads
    assert all(c.toolTip() for c in controls)


@pytest.mark.parametrize("module", [head_lines_view, head_lines_columns])
def test_view_does_not_import_torch_or_model_at_runtime(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    for node in tree.body:  # module level, outside `if TYPE_CHECKING:`
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not any(n.split(".")[0] in ("torch", "model") for n in names)


def test_right_click_on_a_left_token_offers_its_neuron_view_per_head(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_layer(1)
    view.set_heads([0, 2])
    qtbot.wait(10)
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.RightButton, pos=_on_label(view, QUERY, 3))
    menu = view.neuron_menu
    assert menu is not None and menu.isVisible()
    texts = [action.text() for action in menu.actions()]
    assert texts == [
        f"Show how {pair.tokens[3]}'s weights are computed (neuron view, layer 1, head {h})" for h in (0, 2)
    ]
    with qtbot.waitSignal(view.neuronViewRequested, timeout=1_000) as blocker:
        menu.actions()[1].trigger()
    assert blocker.args == [1, 2, 3]
    menu.close()
    assert view.focused_token() is None  # a right-click follows nothing
    assert "right-click a left token or a line" in view.info_label.text()


def test_right_click_on_a_line_offers_the_neuron_view_of_its_query(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_heads([1])
    qtbot.wait(10)
    matrix = pair.attentions[0, 1]
    q, k = np.unravel_index(np.argmax(matrix), matrix.shape)  # the strongest line
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.RightButton, pos=_viewport_point(view, (q + k) / 2, 0.5))
    (action,) = view.neuron_menu.actions()
    with qtbot.waitSignal(view.neuronViewRequested, timeout=1_000) as blocker:
        action.trigger()
    assert blocker.args == [0, 1, int(q)]
    view.neuron_menu.close()


def test_right_click_on_a_key_token_says_where_to_click(qtbot, view, pair):
    view.show_inspection(pair)
    qtbot.wait(10)
    scene = view.canvas.mapToScene(_on_label(view, KEY, 2))
    (action,) = view.neuron_view_menu(scene).actions()
    assert not action.isEnabled() and "token on the left" in action.text()
    assert view.neuron_view_targets(view.canvas.mapToScene(QPoint(2, 2))) is None  # above the rows: no menu


# --- word mode and CJK labels ---------------------------------------------------------------


def test_word_mode_draws_lines_between_words(qtbot, view):
    from model.word_attention import group_word_pieces, word_attention

    r = fake_inspection(10, heads=2)
    r.tokens[3], r.tokens[4] = "un", "##bel"  # one word of two pieces
    view.show_inspection(r)
    view.set_heads([1])
    with qtbot.waitSignal(view.wordModeToggled, check_params_cb=lambda on: on):
        view.words_box.setChecked(True)
    words = group_word_pieces(r.tokens, r.special_tokens_mask)
    assert view.labels.texts == words.words and "unbel" in view.labels.texts
    assert not view.words_caption.isHidden() and "sum over its pieces" in view.words_caption.text()
    expected = word_attention(r.attentions[0, 1], words)
    np.testing.assert_allclose(expected.sum(axis=1), 1, atol=1e-5)
    q, k, w = view.drawn_lines()[1]
    np.testing.assert_allclose(w, expected[q, k], rtol=1e-6)  # indices are words
    view.focus_token(3)  # the word "unbel"
    assert "<b>unbel</b> (#3)" in view.info_label.text()
    menu = view.neuron_view_menu(view.canvas.mapToScene(_on_label(view, QUERY, 3)))
    assert [a.text() for a in menu.actions()] == ["Neuron view: untick Words first (a word mixes its pieces)"]
    view.words_box.setChecked(False)
    assert view.labels.texts == r.tokens and view.focused_token() is None


@pytest.fixture
def chinese_bert(tmp_path):
    """A bert-base-chinese-style model: one token per Chinese character, and "##" characters."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

    import model

    characters = list("我们今天在北京大学的图书馆里读书学习中国历史和文化这是一个很好地方大家都喜欢。，")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters, *("##" + c for c in characters)]
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    folder = tmp_path / "chinese"
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64
    )
    BertForMaskedLM(config).save_pretrained(folder)
    BertTokenizerFast(vocab=str(vocab_file)).save_pretrained(folder)  # splits Chinese into characters
    return model.load(str(folder), device="cpu")


@pytest.mark.parametrize("height", [700, 300])
def test_cjk_labels_are_readable_and_do_not_overlap(qtbot, view, chinese_bert, height):
    from PySide6.QtGui import QFontMetricsF

    from bertgui.views.head_lines_columns import MIN_CJK_LABEL_POINTS

    r = chinese_bert.inspect("我们今天在北京大学的图书馆里读书学习中国历史和文化。这是一个很好的地方")
    assert len(r.tokens) > 30 and all(len(t) == 1 for t in r.tokens[1:-1])  # one token per character
    view.resize(900, height)
    qtbot.wait(10)
    view.show_inspection(r)
    assert view.labels.cjk and view.labels.font.pointSizeF() >= MIN_CJK_LABEL_POINTS
    metrics = QFontMetricsF(view.labels.font)
    headings = [h.rect for h in view.headings.headings()]
    labels = view.labels.label_rects()
    assert labels
    for side in (QUERY, KEY):
        rects = [label.rect for label in labels if label.side == side]
        _assert_no_overlaps(rects)
        assert not any(rect.intersects(h) for rect in rects for h in headings)
    for label in labels:  # each character fits its chip, measured in the font it is drawn with
        text = view.labels.texts[label.row]
        ink = metrics.boundingRect(text)
        assert label.rect.height() >= ink.height() and label.rect.width() >= metrics.horizontalAdvance(text)
    if height == 300:
        assert view.scroll_bar.isVisibleTo(view)  # rows scroll rather than shrink below 9 pt
