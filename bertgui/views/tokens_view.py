"""Tokenization view: tokens as chips with their ids, segments coloured, specials apart,
`##` continuations and unknown tokens marked; hovering a chip highlights its characters and the
chips of its word. Double-click masks a word, Ctrl+double-click one piece. In word mode (shared
with the Attention and Head view tabs) a word split into pieces is one chip that names them. Below
them, the four rows of numbers the model actually receives for this input."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..text_input import word_pieces
from .flow_layout import ChipArea
from .word_units import word_groups, words_caption, words_check_box

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

SEGMENT_COLOURS = ("#dbeafe", "#fde2e4")  # sentence A blue, sentence B rose
SPECIAL_COLOUR = "#e5e7eb"
# Chips are pale in every palette, so they set their own dark text: 4.5:1 or more (WCAG AA) on each.
CHIP_TEXT = "#111111"
CHIP_ID_TEXT = "#4b5563"
UNKNOWN_BORDER = "#b91c1c"
WORD_HIGHLIGHT = "#2563eb"  # the outline of the hovered chip's word: what a double-click masks
NOTICE_COLOURS = ("#7c2d12", "#ffedd5")  # text, background: dark amber on pale amber in every palette
MASKING_HINT = QT_TRANSLATE_NOOP(
    "tokens_view",
    "Hover a chip to see its characters in the sentence and how WordPiece split its word. "
    "<b>Double-click</b> a word to mask it (one [MASK] per word piece, as BERT's whole-word masking); "
    "<b>Ctrl+double-click</b> masks one piece.",
)
# The inputs of BERT's forward pass, by their Hugging Face names, with what each row means.
MODEL_INPUTS = (
    ("input_ids", QT_TRANSLATE_NOOP("tokens_view", "the word piece's row in the vocabulary")),
    ("token_type_ids", QT_TRANSLATE_NOOP("tokens_view", "the segment: 0 = sentence A, 1 = sentence B")),
    ("position_ids", QT_TRANSLATE_NOOP("tokens_view", "the position, which picks the position embedding")),
    (
        "attention_mask",
        QT_TRANSLATE_NOOP("tokens_view", "1 = a real token; 0 would be padding (none: one input at a time)"),
    ),
)


def chip_style(background: str, border: str) -> str:
    return (
        f"QLabel {{ background: {background}; color: {CHIP_TEXT}; border: {border}; border-radius: 6px;"
        f" padding: 3px 6px; }}"
    )


def sample_chip(text: str, background: str, border: str, tooltip: str) -> QLabel:
    """A chip in the legend, drawn as the token chips are."""
    label = QLabel(text)
    label.setStyleSheet(chip_style(background, border))
    label.setToolTip(tooltip)
    return label


class TokenChip(QLabel):
    def __init__(
        self,
        index: int,
        token: str,
        token_id: int,
        segment: int,
        special: bool,
        unknown: bool,
        word: str = "",
        wordpiece: str = "",
    ):
        continuation = token.startswith("##")
        text = (
            f"<b style='font-size:11pt'>{html.escape(token)}</b><br>"
            f"<span style='font-size:8pt;color:{CHIP_ID_TEXT}'>{token_id}</span>"
        )
        super().__init__(text)
        self.index = index
        self.last = index  # the last token of the chip: itself, or its word's last piece (word_chip)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._background = SPECIAL_COLOUR if special else SEGMENT_COLOURS[segment % 2]
        self._border = (
            f"2px solid {UNKNOWN_BORDER}" if unknown else ("1px dashed #666" if continuation else "1px solid #999")
        )
        self.unknown = unknown
        self.set_word_highlighted(False)
        kind = (
            self.tr("special token, added by the tokenizer")
            if special
            else (
                self.tr("not in the vocabulary")
                if unknown
                else self.tr("continues the word before it")
                if continuation
                else self.tr("a typed [MASK]")
                if token == "[MASK]"
                else self.tr("word piece")
            )
        )
        actions = ""
        if not special and token != "[MASK]":
            actions = (
                self.tr('\nDouble-click: mask the word "{0}"').format(word)
                if word
                else self.tr("\nDouble-click: mask it")
            )
            actions += " (one [MASK] per piece)\nCtrl+double-click: mask only this piece"
        summary = self.tr("Token {0}: {1} (id {2}, segment {3}), {4}{5}").format(
            index, token, token_id, "AB"[segment % 2], kind, actions
        )
        self.setToolTip(
            html.escape(summary, quote=False).replace("\n", "<br>") + (f"<hr>{wordpiece}" if wordpiece else "")
        )

    def set_word_highlighted(self, highlighted: bool) -> None:
        border = f"2px solid {WORD_HIGHLIGHT}" if highlighted else self._border
        self.setStyleSheet(chip_style(self._background, border))


def word_chip(r: model.Inspection, word: str, group: list[int], unknown: bool) -> TokenChip:
    """One chip for a word of several pieces: the word, and under it "= un ##bel ##ie ##va ##bly"."""
    first = group[0]
    chip = TokenChip(first, r.tokens[first], int(r.input_ids[first]), int(r.segment_ids[first]), False, unknown, word)
    chip.last = group[-1]
    pieces = " ".join(r.tokens[i] for i in group)
    chip.setText(
        f"<b style='font-size:11pt'>{html.escape(word)}</b><br>"
        f"<span style='font-size:8pt;color:{CHIP_ID_TEXT}'>= {html.escape(pieces)}</span>"
    )
    summary = QCoreApplication.translate(
        "tokens_view", "Word: {0} = {1} (tokens {2} to {3}, ids {4})\nDouble-click: mask it (one [MASK] per piece)"
    ).format(word, pieces, first, group[-1], ", ".join(str(int(r.input_ids[i])) for i in group))
    chip.setToolTip(html.escape(summary, quote=False).replace("\n", "<br>"))
    return chip


class TokensView(QWidget):
    tokenHovered = Signal(int, int, int, int)  # segment, start, end character, token index (-1: none)
    tokenDoubleClicked = Signal(int)  # token index: mask its whole word
    tokenPieceDoubleClicked = Signal(int)  # token index, Ctrl held: mask this piece only
    wordModeToggled = Signal(bool)  # the Words box was ticked or unticked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._notice = QLabel()
        self._notice.setWordWrap(True)
        self._notice.setStyleSheet(
            f"QLabel {{ color: {NOTICE_COLOURS[0]}; background: {NOTICE_COLOURS[1]}; font-weight: bold;"
            " border-radius: 4px; padding: 4px 8px; }"
        )
        self._notice.hide()
        self._chip_area = ChipArea()
        hint = QLabel(QCoreApplication.translate("tokens_view", MASKING_HINT))
        hint.setWordWrap(True)
        self.words_box = words_check_box()
        self.words_caption = words_caption()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.inputs_table = QTableWidget(len(MODEL_INPUTS), 0)
        self.inputs_table.setVerticalHeaderLabels([name for name, _ in MODEL_INPUTS])
        for row, (name, meaning) in enumerate(MODEL_INPUTS):
            meaning = QCoreApplication.translate("tokens_view", meaning)
            self.inputs_table.verticalHeaderItem(row).setToolTip(self.tr("{0}: {1}").format(name, meaning))
        self.inputs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The four rows share the panel's height, and short inputs get roomy columns, so the table
        # fills its half of the tab instead of leaving it blank.
        self.inputs_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.inputs_table.horizontalHeader().setMinimumSectionSize(56)
        self.inputs_table.setToolTip(
            self.tr("What the model receives: one column per token; hover a row's name for its meaning")
        )
        inputs = QWidget()
        inputs_layout = QVBoxLayout(inputs)
        inputs_layout.setContentsMargins(0, 0, 0, 0)
        inputs_layout.addWidget(QLabel(self.tr("<b>What the model receives</b> (one column per token)")))
        inputs_layout.addWidget(self.inputs_table, 1)
        meanings = QLabel(
            " · ".join(
                f"<b>{name}</b>: {QCoreApplication.translate('tokens_view', meaning)}" for name, meaning in MODEL_INPUTS
            )
        )
        meanings.setWordWrap(True)
        inputs_layout.addWidget(meanings)
        tokens = QWidget()
        tokens_layout = QVBoxLayout(tokens)
        tokens_layout.setContentsMargins(0, 0, 0, 0)
        tokens_layout.addWidget(self._chip_area, 1)
        tokens_layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(tokens)
        split.addWidget(inputs)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self._notice)
        layout.addWidget(hint)
        legend = self._legend()
        legend.insertWidget(0, self.words_box)
        layout.addLayout(legend)
        layout.addWidget(self.words_caption)
        layout.addWidget(split, 1)
        self._inspection = None
        self._unk_token_id: int | None = None
        self._hovered_word: range = range(0)
        self.words_box.toggled.connect(self._on_words_box_toggled)

    def _legend(self) -> QHBoxLayout:
        row = QHBoxLayout()
        samples = (  # (chip, background, border, what it means)
            (self.tr("sentence A"), SEGMENT_COLOURS[0], "1px solid #999", self.tr("A token of sentence A")),
            (self.tr("sentence B"), SEGMENT_COLOURS[1], "1px solid #999", self.tr("A token of sentence B")),
            ("[CLS] / [SEP]", SPECIAL_COLOUR, "1px solid #999", self.tr("Added by the tokenizer, not typed")),
            (self.tr("##piece"), SEGMENT_COLOURS[0], "1px dashed #666", self.tr("Continues the word before it")),
            ("[UNK]", SEGMENT_COLOURS[0], f"2px solid {UNKNOWN_BORDER}", self.tr("Not in the vocabulary")),
        )
        for text, background, border, meaning in samples:
            row.addWidget(sample_chip(text, background, border, meaning))
        explanation = QLabel(
            self.tr(
                "dashed: a ## piece continues the word before it · red outline: not in the vocabulary · "
                "the small number is the token id"
            )
        )
        explanation.setWordWrap(True)  # wraps rather than widening the window past a laptop screen
        row.addWidget(explanation, 1)
        return row

    def chips(self) -> list[TokenChip]:
        return self._chip_area.chips()

    def set_word_mode(self, on: bool) -> None:
        """Show words (on) or pieces: the shared word mode changed."""
        self.words_box.setChecked(on)

    def _on_words_box_toggled(self, on: bool) -> None:
        self.words_caption.setVisible(on)
        if self._inspection is not None:
            self._show_chips()
        self.wordModeToggled.emit(on)

    def show_inspection(self, r: model.Inspection, unk_token_id: int | None = None) -> None:
        self._inspection, self._unk_token_id = r, unk_token_id
        self._show_chips()
        self._show_model_inputs(r)
        self.summary.setText(token_summary(r))
        notes = []
        if r.truncated:
            notes.append(
                self.tr("The input was longer than the model's maximum of {0} tokens and was cut.").format(
                    len(r.tokens)
                )
            )
        unknown = sum(1 for tid in r.input_ids if unk_token_id is not None and tid == unk_token_id)
        if unknown:
            notes.append(self.tr("{0} piece(s) are not in the vocabulary ([UNK], outlined red).").format(unknown))
        self._notice.setText(" ".join(notes))
        self._notice.setVisible(bool(notes))

    def _show_chips(self) -> None:
        """A chip per token; in word mode, a chip per word, naming its pieces when it has several."""
        r, unk_token_id = self._inspection, self._unk_token_id
        self._hovered_word = range(0)
        texts = (r.text, r.text_b or "")
        groups = word_groups(r)
        chips = []
        for i, (tok, tid, seg, special) in enumerate(zip(r.tokens, r.input_ids, r.segment_ids, r.special_tokens_mask)):
            pieces = word_pieces(r, i)
            word = texts[int(seg) % 2][int(r.offsets[pieces[0]][0]) : int(r.offsets[pieces[-1]][1])]
            unknown = unk_token_id is not None and tid == unk_token_id
            explained = "" if special else wordpiece_tooltip(r, i)
            chips.append(TokenChip(i, tok, int(tid), int(seg), bool(special), unknown, word, explained))
        if self.words_box.isChecked():
            chips = [
                chips[group[0]] if len(group) == 1 else word_chip(r, word, group, any(chips[i].unknown for i in group))
                for word, group in zip(groups.words, groups.groups)
            ]
        for chip in chips:
            chip.installEventFilter(self)
        self._chip_area.set_chips(chips)

    def _show_model_inputs(self, r: model.Inspection) -> None:
        n = len(r.tokens)
        table = self.inputs_table
        table.setColumnCount(n)
        table.setHorizontalHeaderLabels(r.tokens)
        rows = (r.input_ids, r.segment_ids, range(n), [1] * n)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(int(value)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()

    def _highlight_word(self, pieces: range) -> None:
        chips = self.chips()
        for i in self._hovered_word:
            chips[i].set_word_highlighted(False)
        self._hovered_word = pieces if len(pieces) > 1 else range(0)  # a word of one piece needs no outline
        for i in self._hovered_word:
            chips[i].set_word_highlighted(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        r = self._inspection
        if isinstance(watched, TokenChip) and r is not None:
            if event.type() == QEvent.Type.Enter:
                start, end = r.offsets[watched.index][0], r.offsets[watched.last][1]
                # In word mode a chip is a whole word already, and chips are no longer one per token.
                self._highlight_word(range(0) if self.words_box.isChecked() else word_pieces(r, watched.index))
                self.tokenHovered.emit(int(r.segment_ids[watched.index]), int(start), int(end), watched.index)
            elif event.type() == QEvent.Type.Leave:
                self._highlight_word(range(0))
                self.tokenHovered.emit(0, -1, -1, -1)
            elif event.type() == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
                if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.tokenPieceDoubleClicked.emit(watched.index)
                else:
                    self.tokenDoubleClicked.emit(watched.index)
        return super().eventFilter(watched, event)


def word_explanation(r: model.Inspection, index: int) -> "model.WordExplanation | None":
    """The WordPiece explanation of the whitespace-separated word token `index` belongs to."""
    segment = int(r.segment_ids[index]) % 2
    if r.wordpiece is None or segment >= len(r.wordpiece) or r.special_tokens_mask[index]:
        return None
    text = (r.text, r.text_b or "")[segment]
    start = int(r.offsets[index][0])
    for n, m in enumerate(re.finditer(r"\S+", text)):
        if m.start() <= start < m.end():
            words = r.wordpiece[segment]
            return words[n] if n < len(words) else None
    return None


def wordpiece_tooltip(r: model.Inspection, index: int) -> str:
    """Rich text: how WordPiece split the word of token `index`, its steps in monospace."""
    e = word_explanation(r, index)
    if e is None:
        return ""
    lines = "<br>".join(html.escape(line, quote=False).replace(" ", "&nbsp;") for line in e.lines())
    pieces = " + ".join(html.escape(p) for p in e.pieces)
    return (
        f"<b>How WordPiece split &ldquo;{html.escape(e.word, quote=False)}&rdquo;:</b> {pieces}<br>"
        "<span style='font-size:8pt'>At each position it takes the longest piece in the vocabulary<br>"
        "(## marks a piece that continues a word); if none fits, the whole word becomes [UNK].</span>"
        f"<div style='font-family:monospace'>{lines}</div>"
    )


def token_summary(r: model.Inspection) -> str:
    """One line of counts and the words split into pieces, e.g. "croissants → cr · ##o · ##iss · ##ants"."""
    added = int(sum(bool(s) for s in r.special_tokens_mask))
    words, split = 0, []
    i = 0
    while i < len(r.tokens):
        pieces = word_pieces(r, i)
        if not r.special_tokens_mask[i]:
            words += 1
            if len(pieces) > 1:
                split.append(" · ".join(html.escape(r.tokens[j]) for j in pieces))
        i = pieces[-1] + 1
    line = QCoreApplication.translate(
        "tokens_view", "<b>{0} tokens</b>: {1} from {2} word(s) of the text, {3} added by the tokenizer."
    ).format(len(r.tokens), len(r.tokens) - added, words, added)
    if split:
        line += QCoreApplication.translate("tokens_view", " Split into pieces: {0}.").format("; ".join(split))
    return line
