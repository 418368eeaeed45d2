"""The BertViz-style head view: the lines drawn are the Inspection's attention weights."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox

from bertgui.views import head_lines_view
from bertgui.views.head_lines_view import MAX_LINES, HeadLinesView, head_colour


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


def test_focusing_a_token_leaves_only_its_lines(qtbot, view, pair):
    view.show_inspection(pair)
    view.set_heads([0, 1])
    view.focus_token(3)
    assert view.focused_token() == 3
    lines = view.drawn_lines()
    assert set(lines) == {0, 1}
    for head, (q, k, w) in lines.items():
        assert np.all(q == 3)
        row = pair.attentions[0, head, 3]
        np.testing.assert_array_equal(k, np.flatnonzero(row >= 0.01))
        np.testing.assert_array_equal(w, row[k])
    assert "attends most to" in view.info_label.text()
    view.focus_token(None)
    assert len(view.drawn_lines()[0][0]) == len(expected_lines(pair.attentions[0, 0], 0.01)[0])


def _viewport_point(view, token_row: float, x: float) -> QPoint:
    scene = view.vb.mapViewToScene(QPointF(x, token_row))
    return view.canvas.mapFromScene(scene)


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


def test_view_does_not_import_torch_or_model_at_runtime():
    tree = ast.parse(Path(head_lines_view.__file__).read_text(encoding="utf-8"))
    for node in tree.body:  # module level, outside `if TYPE_CHECKING:`
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not any(n.split(".")[0] in ("torch", "model") for n in names)
