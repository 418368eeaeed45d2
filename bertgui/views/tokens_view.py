"""Tokenization view: tokens as chips with their ids, segments coloured, specials apart,
`##` continuations and unknown tokens marked; hovering a chip highlights its characters.
Below them, the four rows of numbers the model actually receives for this input."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from .flow_layout import ChipArea

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

SEGMENT_COLOURS = ("#dbeafe", "#fde2e4")  # sentence A blue, sentence B rose
SPECIAL_COLOUR = "#e5e7eb"
UNKNOWN_BORDER = "#dc2626"
# The inputs of BERT's forward pass, by their Hugging Face names, with what each row means.
MODEL_INPUTS = (
    ("input_ids", "the word piece's row in the vocabulary"),
    ("token_type_ids", "the segment: 0 = sentence A, 1 = sentence B"),
    ("position_ids", "the position, which picks the position embedding"),
    ("attention_mask", "1 = a real token; 0 would be padding (none: one input at a time)"),
)
LEGEND = (
    f"<span style='background:{SEGMENT_COLOURS[0]}'>&nbsp;sentence A&nbsp;</span> "
    f"<span style='background:{SEGMENT_COLOURS[1]}'>&nbsp;sentence B&nbsp;</span> "
    f"<span style='background:{SPECIAL_COLOUR}'>&nbsp;[CLS] / [SEP], added by the tokenizer&nbsp;</span> "
    "· dashed: a <b>##</b> piece continues the word before it "
    f"· <span style='color:{UNKNOWN_BORDER}'>red outline</span>: not in the vocabulary ([UNK]) "
    "· the small number is the token id"
)


class TokenChip(QLabel):
    def __init__(self, index: int, token: str, token_id: int, segment: int, special: bool, unknown: bool):
        continuation = token.startswith("##")
        text = f"<b>{html.escape(token)}</b><br><span style='font-size:8pt;color:#555'>{token_id}</span>"
        super().__init__(text)
        self.index = index
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        background = SPECIAL_COLOUR if special else SEGMENT_COLOURS[segment % 2]
        border = f"2px solid {UNKNOWN_BORDER}" if unknown else ("1px dashed #666" if continuation else "1px solid #999")
        self.setStyleSheet(
            f"QLabel {{ background: {background}; color: #111; border: {border}; border-radius: 6px;"
            f" padding: 3px 6px; }}"
        )
        kind = (
            "special token"
            if special
            else (
                "unknown word piece"
                if unknown
                else "continuation of the previous word"
                if continuation
                else "word piece"
            )
        )
        self.setToolTip(
            f"#{index}: {token} (id {token_id}, segment {'AB'[segment % 2]}), {kind}"
            + ("" if special else "; double-click to mask it")
        )


class TokensView(QWidget):
    tokenHovered = Signal(int, int, int, int)  # segment, start, end character, token index (-1: none)
    tokenDoubleClicked = Signal(int)  # token index

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._notice = QLabel()
        self._notice.setWordWrap(True)
        self._notice.setStyleSheet("color: #b45309; font-weight: bold;")
        self._notice.hide()
        self._chip_area = ChipArea()
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        self.inputs_table = QTableWidget(len(MODEL_INPUTS), 0)
        self.inputs_table.setVerticalHeaderLabels([name for name, _ in MODEL_INPUTS])
        for row, (name, meaning) in enumerate(MODEL_INPUTS):
            self.inputs_table.verticalHeaderItem(row).setToolTip(f"{name}: {meaning}")
        self.inputs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.inputs_table.setToolTip(
            "What the model receives: one column per token; hover a row's name for its meaning"
        )
        inputs = QWidget()
        inputs_layout = QVBoxLayout(inputs)
        inputs_layout.setContentsMargins(0, 0, 0, 0)
        inputs_layout.addWidget(QLabel("<b>What the model receives</b> (one column per token)"))
        inputs_layout.addWidget(self.inputs_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._chip_area)
        split.addWidget(inputs)
        split.setSizes([400, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(self._notice)
        layout.addWidget(legend)
        layout.addWidget(split, 1)
        self._offsets = None
        self._segments = None

    def chips(self) -> list[TokenChip]:
        return self._chip_area.chips()

    def show_inspection(self, r: model.Inspection, unk_token_id: int | None = None) -> None:
        self._offsets, self._segments = r.offsets, r.segment_ids
        chips = []
        for i, (tok, tid, seg, special) in enumerate(zip(r.tokens, r.input_ids, r.segment_ids, r.special_tokens_mask)):
            chip = TokenChip(
                i, tok, int(tid), int(seg), bool(special), unk_token_id is not None and tid == unk_token_id
            )
            chip.installEventFilter(self)
            chips.append(chip)
        self._chip_area.set_chips(chips)
        self._show_model_inputs(r)
        notes = []
        if r.truncated:
            notes.append(f"The input was longer than the model's maximum of {len(r.tokens)} tokens and was cut.")
        unknown = sum(1 for tid in r.input_ids if unk_token_id is not None and tid == unk_token_id)
        if unknown:
            notes.append(f"{unknown} piece(s) are not in the vocabulary ([UNK], outlined red).")
        self._notice.setText(" ".join(notes))
        self._notice.setVisible(bool(notes))

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, TokenChip) and self._offsets is not None:
            if event.type() == QEvent.Type.Enter:
                start, end = self._offsets[watched.index]
                self.tokenHovered.emit(int(self._segments[watched.index]), int(start), int(end), watched.index)
            elif event.type() == QEvent.Type.Leave:
                self.tokenHovered.emit(0, -1, -1, -1)
            elif event.type() == QEvent.Type.MouseButtonDblClick:
                self.tokenDoubleClicked.emit(watched.index)
        return super().eventFilter(watched, event)
