"""Every text stays readable in both palettes: WCAG AA's 4.5:1 contrast between text and its
background, for the palette's own pairs of roles and for every widget of the window that sets
its colours itself (style sheets, coloured rich text, coloured table cells)."""

from __future__ import annotations

import html
import re

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QTableWidget, QToolButton, QWidget

AA = 4.5  # WCAG 2 level AA, normal-size text
NON_TEXT = 3.0  # WCAG 2.1's 1.4.11, for a symbol that is a graphic, not words: a legend's coloured dot
Role = QPalette.ColorRole
# (text, background): each pair the style draws text with. Placeholder text is held to 4.5 too:
# the app's placeholders say what a field takes ("text,label"), which a reader needs.
TEXT_ON_BACKGROUND = [
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.LinkVisited, Role.Base),
]
# An element with a style attribute, and the text it starts with.
INLINE_STYLE = re.compile(r"""<\w+[^>]*?\sstyle\s*=\s*(['"])(.*?)\1[^>]*>([^<]*)""", re.IGNORECASE | re.DOTALL)
DECLARATION = re.compile(r"(background-color|background|color)\s*:\s*([^;]+)", re.IGNORECASE)
COLOUR = re.compile(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|\b[a-z]+\b", re.IGNORECASE)


def relative_luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(text: QColor, background: QColor) -> float:
    """WCAG 2's contrast ratio, from 1 (none) to 21 (black on white); text is laid over background."""
    text = over(text, background)
    lighter, darker = sorted((relative_luminance(text), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def over(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows on an opaque background."""
    a = colour.alphaF()
    return QColor.fromRgbF(*(a * c + (1 - a) * b for c, b in zip(colour.getRgbF()[:3], background.getRgbF()[:3])))


def parse_colour(value: str) -> QColor | None:
    """The colour a CSS value names (#rgb, #rrggbb, rgb(), rgba(), a name); None for a gradient,
    palette(...), transparent or anything else this test cannot judge."""
    value = value.strip()
    if "gradient" in value or value.startswith("palette(") or value.lower() == "transparent":
        return None
    for match in COLOUR.finditer(value):
        token = match.group(0)
        if token.lower().startswith("rgb"):
            numbers = [float(n) for n in re.findall(r"[\d.]+", token)]
            alpha = numbers[3] if len(numbers) > 3 else 1.0
            return QColor.fromRgbF(*(n / 255 for n in numbers[:3]), alpha if alpha <= 1 else alpha / 255)
        if QColor.isValidColorName(token):
            return QColor(token)
    return None


def declared(style: str) -> dict[str, QColor]:
    """color and background from CSS declarations, as far as they name one colour."""
    found = {}
    for name, value in DECLARATION.findall(style):
        colour = parse_colour(value)
        if colour is not None:
            found["color" if name.lower() == "color" else "background"] = colour
    return found


def background_under(widget: QWidget) -> QColor:
    """The colour painted behind a widget: its own style-sheet background or filled palette role,
    else its parent's, up to the window's."""
    w = widget
    while w is not None:
        if w.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) or w.autoFillBackground() or w.isWindow():
            colour = w.palette().color(w.backgroundRole())
            if colour.alpha() == 255 or w.isWindow():
                return colour
        w = w.parentWidget()
    return QApplication.palette().color(Role.Window)


def text_colour(widget: QWidget) -> QColor:
    widget.ensurePolished()
    return widget.palette().color(widget.foregroundRole())


def widget_background(widget: QWidget) -> QColor:
    """A push button paints its own face; a flat tool button, a check box and a label show what is behind them."""
    flat = isinstance(widget, (QCheckBox, QLabel)) or (isinstance(widget, QToolButton) and widget.autoRaise())
    if (
        isinstance(widget, QAbstractButton)
        and not flat
        and not widget.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
    ):
        return widget.palette().color(Role.Button)
    return background_under(widget)


def owner(widget: QWidget) -> str:
    """The widget and the app's own widget class it belongs to (which view, dock or notice), for a message."""
    w = widget.parentWidget()
    while w is not None and not type(w).__module__.startswith("bertgui."):
        w = w.parentWidget()
    return f"{type(widget).__name__} in {type(w).__name__ if w is not None else 'the window'}"


def unreadable_texts(root: QWidget) -> list[str]:
    """Every text under root, drawn in colours a widget chose, that fails AA: one line each."""
    failures = []

    def check(where: QWidget, what: str, text: QColor, background: QColor, least: float = AA) -> None:
        ratio = contrast(text, background)
        if ratio < least:
            failures.append(f"{owner(where)}: {what!r}: {text.name()} on {background.name()} is {ratio:.2f}:1")

    for widget in root.findChildren(QWidget):
        if not widget.isEnabled():
            continue  # WCAG exempts inactive controls; the palette dims their text on purpose
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            widget.ensurePolished()
            foreground, background = text_colour(widget), widget_background(widget)
            shown = re.sub(r"<[^>]+>", "", widget.text())[:40]
            check(widget, shown, foreground, background)
            if isinstance(widget, QLabel) and QtGui.Qt.mightBeRichText(widget.text()):
                for _, style, content in INLINE_STYLE.findall(widget.text()):
                    colours = declared(style)
                    if colours:  # a span that colours its text or its background, or both
                        words = any(c.isalnum() for c in html.unescape(content))
                        check(
                            widget,
                            f"<… style='{style.strip()}'>{content.strip()}",
                            colours.get("color", foreground),
                            over(colours.get("background", background), background),
                            AA if words else NON_TEXT,
                        )
        elif isinstance(widget, QTableWidget):
            base = widget.palette().color(Role.Base)
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is None or not item.text():
                        continue
                    fill = item.background().color() if item.background().style() != Qt.BrushStyle.NoBrush else base
                    ink = item.foreground().color() if item.foreground().style() != Qt.BrushStyle.NoBrush else None
                    if fill != base or ink is not None:
                        check(widget, f"cell {item.text()}", ink or widget.palette().color(Role.Text), over(fill, base))
    return failures


@pytest.fixture
def restore_light_palette():
    yield
    from bertgui.palette import apply_palette

    apply_palette(QApplication.instance(), dark=False)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_role_of_the_palette_reaches_aa(qtbot, dark):
    from bertgui.palette import app_palette

    palette = app_palette(QApplication.instance(), dark)
    for text, background in TEXT_ON_BACKGROUND:
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= AA, f"{text.name} on {background.name}: {ratio:.2f}:1"


def test_the_contrast_formula_gives_wcags_figures():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)  # the classic just-fail
    assert contrast(QColor("#ffffff"), QColor("#ffffff")) == pytest.approx(1)
    assert parse_colour("qlineargradient(x1:0, stop:0 #fff)") is None and parse_colour("white") == QColor("#ffffff")
    assert declared("QLabel { background: #dbeafe; color: #111; border: 1px solid #999; }") == {
        "background": QColor("#dbeafe"),
        "color": QColor("#111111"),
    }


def test_the_check_finds_light_text_on_a_pale_chip(qtbot, restore_light_palette):
    """The failure the issue saw (the dark palette's white text on the Tokens legend's pale chips)
    is caught, in a style sheet and in a rich-text span."""
    from bertgui.palette import apply_palette

    apply_palette(QApplication.instance(), dark=True)
    root = QWidget()
    qtbot.addWidget(root)
    chip = QLabel("sentence A", root)
    chip.setStyleSheet("QLabel { background: #dbeafe; }")
    QLabel("<span style='background:#fde2e4'>&nbsp;sentence B&nbsp;</span>", root)
    failures = unreadable_texts(root)
    assert len(failures) == 2 and "sentence A" in failures[0] and "background:#fde2e4" in failures[1]


def show_everything(qtbot, window) -> None:
    """Every tab drawn, with a pair of sentences, a mask, every position scored and heads off."""
    controller = window.controller
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text_b):
        window.set_texts("the cat sat on the [MASK] .", "a dog ran")
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.set_head_enabled(0, 2, False)
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.set_all_positions(True)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)  # the tab draws and lays out
    window.tabs.setCurrentWidget(window.fill_mask_view)
    assert window.heads_notice.isVisible()


@pytest.mark.parametrize(
    "dark",
    [
        False,
        True,
    ],
    ids=["light", "dark"],
)
def test_every_coloured_widget_of_the_window_reaches_aa(qtbot, window, dark, restore_light_palette):
    from bertgui.palette import apply_palette

    show_everything(qtbot, window)
    apply_palette(QApplication.instance(), dark)
    qtbot.wait(10)
    failures = unreadable_texts(window)
    assert not failures, "\n".join(failures)
