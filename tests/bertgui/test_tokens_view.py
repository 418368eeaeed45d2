"""The Tokens view: masking gestures on a real inspection of the bundled model, the word outline,
the summary, and text that stays readable (WCAG AA, 4.5:1) in the light and the dark palette."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QToolTip


@pytest.fixture(scope="module")
def bundled():
    import model

    return model.load(device="cpu")


@pytest.fixture
def view(qtbot):
    from bertgui.views.tokens_view import TokensView

    widget = TokensView()
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.show()
    return widget


def test_double_click_asks_for_the_word_and_ctrl_double_click_for_the_piece(view, qtbot, bundled):
    r = bundled.inspect("I ate croissants today.", "He ate croissants too.")
    view.show_inspection(r, bundled.tokenizer.unk_token_id)
    chip = view.chips()[r.tokens.index("##iss")]
    with qtbot.waitSignal(view.tokenDoubleClicked, check_params_cb=lambda i: i == chip.index):
        qtbot.mouseDClick(chip, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    with qtbot.waitSignal(view.tokenPieceDoubleClicked, check_params_cb=lambda i: i == chip.index):
        qtbot.mouseDClick(chip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, QPoint(5, 5))
    assert 'mask the word "croissants"' in chip.toolTip() and "Ctrl+double-click" in chip.toolTip()
    assert "Double-click" not in view.chips()[0].toolTip()  # [CLS]: nothing to mask


def test_hovering_a_piece_outlines_every_piece_of_its_word(view, qtbot, bundled):
    from bertgui.views.tokens_view import WORD_HIGHLIGHT

    r = bundled.inspect("I ate croissants today.")
    view.show_inspection(r)
    word = [i for i, t in enumerate(r.tokens) if t in ("cr", "##o", "##iss", "##ants")]
    chips = view.chips()
    with qtbot.waitSignal(view.tokenHovered):
        view.eventFilter(chips[word[1]], _event("Enter"))
    outlined = [i for i, chip in enumerate(chips) if WORD_HIGHLIGHT in chip.styleSheet()]
    assert outlined == word
    view.eventFilter(chips[word[1]], _event("Leave"))
    assert not any(WORD_HIGHLIGHT in chip.styleSheet() for chip in chips)


def test_the_summary_counts_tokens_and_names_the_split_words(view, bundled):
    r = bundled.inspect("I ate croissants today.")
    view.show_inspection(r)
    text = view.summary.text()
    assert f"{len(r.tokens)} tokens" in text and "2 added" in text
    assert "cr · ##o · ##iss · ##ants" in text


def _event(kind: str):
    from PySide6.QtCore import QEvent

    return QEvent(getattr(QEvent.Type, kind))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_of_the_tab_is_readable_in_both_palettes(view, qtbot, bundled, dark):
    from bertgui.palette import apply_palette

    app = QApplication.instance()
    style, palette = app.style().name(), QPalette(app.palette())
    apply_palette(app, dark)
    try:
        r = bundled.inspect("I ate croissants [MASK] 猫.", "He ate too.")
        view.show_inspection(r, bundled.tokenizer.unk_token_id)
        view._notice.setText("a notice")
        view._notice.show()
        labels = [label for label in view.findChildren(QLabel) if label.text()]
        assert len(labels) > len(r.tokens) + 5  # the chips, the legend, the hint, the notice, the summary
        for label in labels:
            for foreground, background in _text_colours(label):
                assert contrast(foreground, background) >= 4.5, (label.text(), foreground.name(), background.name())
    finally:
        app.setStyle(style)
        app.setPalette(palette)


def _declared(css: str, name: str) -> QColor | None:
    match = re.search(rf"(?<![-\w]){name}\s*:\s*(#[0-9a-fA-F]{{3,8}}|\w+)", css)
    return QColor(match.group(1)) if match else None


def _text_colours(label: QLabel) -> list[tuple[QColor, QColor]]:
    """(text, background) of the label itself and of every styled span in its rich text."""
    palette = label.palette()
    background = _declared(label.styleSheet(), "background") or palette.color(QPalette.ColorRole.Window)
    foreground = _declared(label.styleSheet(), "color") or palette.color(QPalette.ColorRole.WindowText)
    pairs = [(foreground, background)]
    for style in re.findall(r"style='([^']*)'", label.text()):
        pairs.append((_declared(style, "color") or foreground, _declared(style, "background") or background))
    return pairs


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_the_wcag_ratio():
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)


def test_hovering_a_piece_of_croissants_explains_its_wordpiece_split(view, qtbot, bundled):
    r = bundled.inspect("I ate Croissants, today.", "Café!")
    view.show_inspection(r, bundled.tokenizer.unk_token_id)
    chip = next(c for c in view.chips() if c.text().startswith("<b style='font-size:11pt'>##iss"))
    tip = chip.toolTip()
    pieces = ["cr", "##o", "##iss", "##ants"]
    assert "How WordPiece split &ldquo;Croissants,&rdquo;:</b> " + " + ".join(pieces + [","]) in tip
    positions = [tip.index(f"&nbsp;{p}&nbsp;yes") for p in pieces]
    assert positions == sorted(positions)  # the steps in order, left to right
    assert "##issants?&nbsp;no" in tip and "normalized" in tip
    # Sentence B has its own words: "Café!" is normalized and split at the punctuation.
    cafe = next(c for c in view.chips() if c.index == r.tokens.index("ca"))
    assert "'Café!'&nbsp;-&gt;&nbsp;'cafe!'" in cafe.toolTip()
    # A real tooltip event shows that text.
    view.show()
    QApplication.sendEvent(chip, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), chip.mapToGlobal(QPoint(5, 5))))
    assert QToolTip.isVisible() and "##iss" in QToolTip.text()
    QToolTip.hideText()


def test_word_mode_shows_each_word_with_its_pieces(view, qtbot, bundled):
    r = bundled.inspect("I ate croissants today.")
    view.show_inspection(r)
    pieces = len(view.chips())
    with qtbot.waitSignal(view.wordModeToggled, check_params_cb=lambda on: on):
        view.words_box.setChecked(True)
    chips = view.chips()
    assert len(chips) == len(r.words.words) < pieces
    (croissants,) = [chip for chip in chips if "croissants" in chip.text()]
    assert "= cr ##o ##iss ##ants" in croissants.text()
    assert "croissants = cr ##o ##iss ##ants" in croissants.toolTip()
    first, last = r.tokens.index("cr"), r.tokens.index("##ants")
    span = (0, int(r.offsets[first][0]), int(r.offsets[last][1]), first)
    with qtbot.waitSignal(view.tokenHovered, check_params_cb=lambda *args: args == span):
        view.eventFilter(croissants, _event("Enter"))  # the whole word's characters
    assert "croissants" == r.text[span[1] : span[2]]
    with qtbot.waitSignal(view.tokenDoubleClicked, check_params_cb=lambda i: i == first):
        qtbot.mouseDClick(croissants, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # masks the word
    view.words_box.setChecked(False)
    assert len(view.chips()) == pieces and view.words_caption.isHidden()
