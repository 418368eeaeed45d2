"""The token axis labels every token it can: smaller, upright and shortened labels before
thinned ones; a stated every-k-th rule only when even those would touch; all of them zoomed in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from bertgui.views.token_axis import (
    MIN_FONT_PX,
    LabelLayout,
    TokenAxis,
    every_kth_note,
    label_layout,
    ordinal,
    shortened,
)

WORDS = ["the", "cat", "sat", "on", "##ation", ",", "library", "[MASK]", "."]


def sentence(n: int) -> list[str]:
    return ["[CLS]"] + [WORDS[i % len(WORDS)] for i in range(n - 2)] + ["[SEP]"]


def test_long_tokens_are_shortened_and_short_ones_kept():
    assert shortened("[MASK]") == "[MASK]" and shortened("##ation") == "##ation"
    assert shortened("internationalisation") == "internati…" and len(shortened("x" * 40)) == 10


def test_the_every_kth_rule_is_said_in_words():
    assert [ordinal(n) for n in (2, 3, 4, 11, 12, 21, 22)] == ["2nd", "3rd", "4th", "11th", "12th", "21st", "22nd"]
    assert every_kth_note(1) == ""
    assert every_kth_note(3).startswith("Every 3rd token labelled") and "zoom in" in every_kth_note(3)


def test_label_layout_shrinks_then_turns_upright_then_thins():
    def layout(widths_at_12: list[float], px_per_token: float, along_text: bool = True) -> LabelLayout:
        sizes = range(12, MIN_FONT_PX - 1, -1)  # widths scale with the font; a line is 1.2 em
        widths = {px: [w * px / 12 for w in widths_at_12] for px in sizes}
        return label_layout(widths, {px: 1.2 * px for px in sizes}, px_per_token, along_text)

    assert layout([20.0] * 10, px_per_token=30) == LabelLayout(12, upright=False, step=1)
    assert layout([30.0] * 10, px_per_token=32) == LabelLayout(11, upright=False, step=1)  # a little smaller
    assert layout([60.0] * 10, px_per_token=14) == LabelLayout(12, upright=True, step=1)  # upright, full size
    assert layout([60.0] * 10, px_per_token=9) == LabelLayout(8, upright=True, step=1)  # upright and smaller
    thinned = layout([60.0] * 10, px_per_token=2)
    assert (
        thinned.font_px == MIN_FONT_PX and thinned.upright and thinned.step == 4
    )  # a 7 px line: 0.8 * 8.4 + 1 = 7.7 px over 2 px a token
    # A vertical axis stacks its labels: only the line height counts, never a turn.
    assert layout([500.0] * 10, px_per_token=15, along_text=False) == LabelLayout(12, upright=False, step=1)
    assert layout([500.0] * 10, px_per_token=9, along_text=False) == LabelLayout(8, upright=False, step=1)


def _axis_plot(qtbot, tokens: list[str], width: int, height: int, orientation: str = "bottom", inverted=False):
    import pyqtgraph as pg

    plot = pg.PlotWidget(axisItems={orientation: TokenAxis(orientation)})
    qtbot.addWidget(plot)
    plot.resize(width, height)
    view = plot.getViewBox()
    view.invertY(inverted)
    n = len(tokens)
    plot.setXRange(0, n, padding=0)
    plot.setYRange(0, n, padding=0)
    axis = plot.getPlotItem().getAxis(orientation)
    axis.set_tokens(tokens)
    plot.show()
    qtbot.waitExposed(plot)
    return plot, axis


def _in_order(drawn, orientation: str) -> list[str]:
    along = (lambda r: r.center().x()) if orientation in ("top", "bottom") else (lambda r: r.center().y())
    return [text for rect, text in sorted(drawn, key=lambda item: along(item[0]))]


def _assert_apart(drawn, orientation: str) -> None:
    rects = sorted((rect for rect, _ in drawn), key=lambda r: r.left() if orientation == "bottom" else r.top())
    if orientation == "bottom":
        assert all(a.right() <= b.left() for a, b in zip(rects, rects[1:])), "labels overlap"
    else:
        assert all(a.bottom() <= b.top() for a, b in zip(rects, rects[1:])), "labels overlap"


def test_a_short_sentence_is_labelled_level_at_full_size(qtbot, drawn_tick_labels):
    tokens = sentence(9)
    plot, axis = _axis_plot(qtbot, tokens, 800, 300)
    drawn = drawn_tick_labels(axis)
    assert _in_order(drawn, "bottom") == tokens
    assert not axis.layout.upright and axis.layout.step == 1
    _assert_apart(drawn, "bottom")


@pytest.mark.parametrize("inverted", [False, True], ids=["upwards", "inverted"])
def test_a_crowded_vertical_axis_shrinks_its_font_and_labels_every_token(qtbot, drawn_tick_labels, inverted):
    tokens = sentence(60)
    plot, axis = _axis_plot(qtbot, tokens, 500, 560, orientation="left", inverted=inverted)
    drawn = drawn_tick_labels(axis)
    assert _in_order(drawn, "left") == (tokens if inverted else tokens[::-1])
    assert axis.layout.step == 1 and axis.layout.font_px < 12
    _assert_apart(drawn, "left")


def test_a_crowded_bottom_axis_turns_its_labels_upright(qtbot, drawn_tick_labels):
    tokens = sentence(60)
    plot, axis = _axis_plot(qtbot, tokens, 620, 400)
    drawn = drawn_tick_labels(axis)
    assert _in_order(drawn, "bottom") == tokens
    assert axis.layout.upright and axis.layout.step == 1
    _assert_apart(drawn, "bottom")
    longest = max(rect.height() for rect, _ in drawn)
    qtbot.waitUntil(lambda: axis.height() >= longest, timeout=5_000)  # the axis grows to hold them
    assert not plot.grab().isNull()  # drawing turned text does not fail


def test_too_many_tokens_are_labelled_every_kth_and_the_axis_says_so(qtbot, drawn_tick_labels):
    tokens = [f"w{i}" for i in range(200)]
    plot, axis = _axis_plot(qtbot, tokens, 400, 300)
    with qtbot.waitSignal(axis.labelStepChanged, timeout=5_000, raising=False):
        plot.grab()
    labels = _in_order(drawn_tick_labels(axis), "bottom")
    step = axis.layout.step
    assert step > 1 and labels == tokens[::step][: len(labels)] and len(labels) >= len(tokens) // step - 1
    _assert_apart(drawn_tick_labels(axis), "bottom")


def test_zoomed_in_every_token_in_view_is_labelled(qtbot, drawn_tick_labels):
    tokens = [f"w{i}" for i in range(128)]
    plot, axis = _axis_plot(qtbot, tokens, 400, 300)
    assert axis.layout.step > 1 or len(drawn_tick_labels(axis)) < 128
    plot.setXRange(40, 60, padding=0)
    drawn = drawn_tick_labels(axis)
    assert _in_order(drawn, "bottom") == tokens[40:60] and axis.layout.step == 1


def test_pointing_at_a_shortened_label_shows_the_whole_token(qtbot, drawn_tick_labels):
    tokens = ["[CLS]", "internationalisation", "[SEP]"]
    plot, axis = _axis_plot(qtbot, tokens, 600, 300)
    assert _in_order(drawn_tick_labels(axis), "bottom") == ["[CLS]", "internati…", "[SEP]"]

    class Hover:
        def __init__(self, pos):
            self._pos = pos

        def isExit(self):
            return False

        def pos(self):
            return self._pos

    middle = axis.mapFromScene(plot.getViewBox().mapViewToScene(QPointF(1.5, 1.0)))
    axis.hoverEvent(Hover(QPointF(middle.x(), 5)))
    assert axis.toolTip() == "internationalisation"
