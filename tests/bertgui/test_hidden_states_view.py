"""The hidden-states view on its own, fed inspections of a small saved model: layer names that
count from L0 like the Heads dock, and a PCA scatter that keeps its orientation across layers."""

from __future__ import annotations

import numpy as np
import pytest

from bertgui.views.hidden_states_view import pca_2d

TEXT = "the cat sat on the mat and the dog ran in the park"


@pytest.fixture
def bert(model_folder):
    import model

    return model.load(model_folder, device="cpu")


@pytest.fixture
def make_view(qtbot):
    from bertgui.views.hidden_states_view import HiddenStatesView

    def make():
        v = HiddenStatesView()
        qtbot.addWidget(v)
        return v

    return make


@pytest.fixture
def svd_with_random_signs(monkeypatch):
    """np.linalg.svd as it may legitimately answer: each singular vector pair negated or not."""
    exact_svd = np.linalg.svd
    rng = np.random.default_rng(0)

    def svd(a, *args, **kwargs):
        u, s, vt = exact_svd(a, *args, **kwargs)
        signs = rng.choice([-1.0, 1.0], size=len(s)).astype(vt.dtype)
        return u * signs, s, vt * signs[:, None]

    monkeypatch.setattr(np.linalg, "svd", svd)


def points(view) -> np.ndarray:
    x, y = view.points.getData()
    return np.column_stack([x, y])


def test_layer_names_count_from_zero_like_the_heads_dock(make_view, bert):
    view = make_view()
    view.show_inspection(bert.inspect(TEXT))
    names = []
    for state in range(view.slider.maximum() + 1):
        view.slider.setValue(state)
        names.append(view.layer_label.text())
    assert names == ["embeddings", "after L0", "after L1"]  # the small model has layers L0 and L1
    assert view.plot.getAxis("bottom").labelText.startswith("PC1 of this layer (")
    assert view.plot.getAxis("left").labelText.startswith("PC2 of this layer (")


def test_pca_does_not_depend_on_the_signs_the_svd_picks(request):
    x = np.random.default_rng(1).standard_normal((12, 16)).astype(np.float32)
    exact, _ = pca_2d(x)
    request.getfixturevalue("svd_with_random_signs")
    for _ in range(4):
        assert np.allclose(pca_2d(x)[0], exact, atol=1e-5)
    reference = -exact
    assert np.allclose(pca_2d(x, reference=reference)[0], reference, atol=1e-5)


def test_scatter_does_not_mirror_between_layers_whatever_the_svd_signs(request, make_view, bert):
    r = bert.inspect(TEXT)
    stepped = make_view()
    stepped.show_inspection(r)
    request.getfixturevalue("svd_with_random_signs")
    jumped = make_view()
    jumped.show_inspection(r)
    previous = points(stepped)
    for state in range(1, stepped.slider.maximum() + 1):
        stepped.slider.setValue(state)
        current = points(stepped)
        assert (np.sum(previous * current, axis=0) >= 0).all(), f"mirrored at {stepped.layer_label.text()}"
        previous = current
    jumped.slider.setValue(jumped.slider.maximum())  # the last layer looks the same however it is reached
    assert np.allclose(points(jumped), previous, atol=1e-5)


# --- legend, caption, labels and a token's path -------------------------------------------------

LONG_TEXT = (
    "the old house on the river was big and the cat and the dog sat on the mat at night while the "
    "new book on the red cup said that paris is a city and london is a city too"
)


@pytest.fixture
def shown_view(make_view, qtbot):
    """A view at a window's size, shown, so its labels are laid out in real pixels."""

    def show(r):
        view = make_view()
        view.resize(1000, 640)
        view.show()
        qtbot.waitExposed(view)
        view.show_inspection(r)
        return view

    return show


def label_rects(view):
    """The scene rectangles of the text of every visible label (tokens and the path's layers)."""
    view.grab()  # text items take their place in the scene as they paint
    rects = []
    for label in view._labels + view.path_labels:
        if label.isVisible():
            margin = label.textItem.document().documentMargin()
            rect = label.textItem.mapRectToScene(label.textItem.boundingRect())
            rects.append((label.toPlainText(), rect.adjusted(margin, margin, -margin, -margin)))
    return rects


def assert_no_overlap(view):
    rects = label_rects(view)
    for i, (a, rect_a) in enumerate(rects):
        for b, rect_b in rects[i + 1 :]:
            assert not rect_a.intersects(rect_b), f"labels {a!r} and {b!r} overlap"
        for x, y in zip(*view.points.getData()):
            centre = view.plot.getViewBox().mapViewToScene(pg_point(x, y))
            assert not rect_a.contains(centre), f"label {a!r} covers a point"


def path_points(view) -> np.ndarray:
    x, y = view.path.getData()
    return np.zeros((0, 2)) if x is None else np.column_stack([x, y])


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(float(x), float(y))


def test_legend_names_the_colour_of_every_kind_of_point(make_view, bert):
    from bertgui.views.hidden_states_view import SEGMENT_COLOURS, SPECIAL_COLOUR

    view = make_view()
    r = bert.inspect("the cat sat", "a dog ran")
    view.show_inspection(r)
    legend = view.legend.text()
    for colour, name in zip((*SEGMENT_COLOURS, SPECIAL_COLOUR), ("sentence A", "sentence B", "[CLS] / [SEP]")):
        assert colour in legend and name in legend
    brushes = [brush.color().name() for brush in view.points.data["brush"]]
    expected = [
        SPECIAL_COLOUR if special else SEGMENT_COLOURS[seg]
        for special, seg in zip(r.special_tokens_mask, r.segment_ids)
    ]
    assert brushes == expected
    view.show_inspection(bert.inspect("the cat sat"))
    assert "sentence B" not in view.legend.text()  # no entry for points that are not there


def test_caption_says_what_the_projection_shows():
    from bertgui.tab_guide import TAB_GUIDE  # shown above the tab (tests/bertgui/test_caption.py)

    caption = TAB_GUIDE["Hidden states"]
    assert "PCA" in caption and "close together" in caption and "every layer" in caption


def test_every_label_of_a_short_sentence_is_shown_and_none_overlap(shown_view, bert):
    r = bert.inspect("the cat sat on the mat .")
    view = shown_view(r)
    for state in range(view.slider.maximum() + 1):
        view.slider.setValue(state)
        assert sorted(text for text, _ in label_rects(view)) == sorted(r.tokens)
        assert_no_overlap(view)
        assert view.labels_note.text() == ""


def test_labels_of_a_long_sentence_do_not_overlap_and_the_left_out_are_counted(shown_view, bert, qtbot):
    r = bert.inspect(LONG_TEXT)
    view = shown_view(r)
    view.resize(500, 400)  # crowded: some labels cannot fit
    qtbot.waitUntil(lambda: view.plot.getViewBox().width() < 500)
    view.select_token(5)
    view.slider.setValue(1)
    assert_no_overlap(view)
    shown = sum(1 for label in view._labels if label.isVisible())
    left_out = len(r.tokens) - shown
    assert left_out > 0 and view.labels_note.text().startswith(f"{left_out} labels left out")
    assert view._labels[5].isVisible() and view._labels[5].toPlainText() == f"{r.tokens[5]} (L0)"


def test_place_labels_moves_a_label_off_its_neighbour_or_leaves_it_out():
    from bertgui.views.hidden_states_view import place_labels

    points = np.array([[100.0, 100.0], [100.0, 104.0]])
    sizes = np.array([[30.0, 12.0], [30.0, 12.0]])
    placed = place_labels(points, sizes, np.full(2, 4.5), (400, 400), [0, 1])
    assert placed[0] == 0 and placed[1] not in (0, None)  # the second takes another side
    assert place_labels(points[:1], sizes[:1], np.full(1, 4.5), (400, 400), [0]) == {0: 0}  # clears its own dot
    assert place_labels(points, np.array([[390.0, 12.0]] * 2), np.full(2, 4.5), (400, 400), [0, 1]) == {}


def joint_projection_by_hand(hidden_states: np.ndarray) -> np.ndarray:
    """(states, T, hidden) -> (states, T, 2): every state's vectors centred together and projected on
    the two leading right singular vectors."""
    stacked = hidden_states.reshape(-1, hidden_states.shape[-1]).astype(np.float64)
    centred = stacked - stacked.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return (centred @ vt[:2].T).reshape(*hidden_states.shape[:2], 2)


def click_point(qtbot, view, index: int) -> None:
    from PySide6.QtCore import Qt

    x, y = (float(a[index]) for a in view.points.getData())
    scene = view.plot.getViewBox().mapViewToScene(pg_point(x, y))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=view.plot.mapFromScene(scene))


def test_clicking_a_token_draws_its_path_through_every_layer(shown_view, bert, qtbot):
    r = bert.inspect(TEXT)
    view = shown_view(r)
    token = 3
    click_point(qtbot, view, token)
    assert view.followed_token == token and view.follow_combo.currentData() == token
    assert view.projection_combo.currentText() == "all layers' PCA"  # the one projection every layer shares
    path = path_points(view)
    assert len(path) == r.num_layers + 1
    expected = joint_projection_by_hand(r.hidden_states)[:, token]
    signs = np.sign(np.sum(path * expected, axis=0))  # each PCA axis has an arbitrary sign
    assert np.allclose(path, expected * signs, atol=1e-3)
    # the followed token's point is the path's point at the layer shown
    view.slider.setValue(2)
    px, py = view.points.getData()
    assert np.allclose((px[token], py[token]), path[2], atol=1e-5)
    assert [label.toPlainText() for label in view.path_labels] == ["emb", "L0", "L1"]
    assert view._labels[token].toPlainText() == f"{r.tokens[token]} (L1)"  # names the layer shown
    assert view._labels[token].isVisible() and not view.path_labels[2].isVisible()  # once, not twice
    assert "path of" in view.legend.text()
    click_point(qtbot, view, token)  # a second click lets go
    assert view.followed_token is None and len(path_points(view)) == 0


def test_choosing_a_token_in_the_follow_list_draws_the_same_path(make_view, bert):
    r = bert.inspect(TEXT)
    view = make_view()
    view.show_inspection(r)
    view.follow_combo.activated.emit(view.follow_combo.findData(4))
    assert view.followed_token == 4 and len(path_points(view)) == r.num_layers + 1
    view.projection_combo.setCurrentIndex(0)  # each layer's own axes: a path across them would mean nothing
    assert view.followed_token is None and len(path_points(view)) == 0
    assert view.follow_combo.currentData() is None
