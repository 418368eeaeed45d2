"""The inspector's input: sentence A, the optional sentence B, and a menu of examples. It knows
how the tokens map back to characters, so the Tokens view can select a token's characters in its
sentence and mask a whole token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

if TYPE_CHECKING:
    import model

MAX_INPUT_CHARS = 1_000_000  # the tokenizer truncates to the model's length, visibly
EXAMPLES = [
    ("The cat sat on the [MASK].", ""),
    ("Paris is the [MASK] of France.", ""),
    ("The man went to the store.", "He bought a gallon of milk."),
    ("The man went to the store.", "Penguins are flightless birds."),
    ("She drank a cup of [MASK] before the [MASK] started.", ""),
]


class TextInput(QWidget):
    textsChanged = Signal(str, str)  # sentence A, sentence B ("" for none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text_a = QLineEdit()
        self.text_a.setPlaceholderText("Sentence A: type anything; [MASK] marks a word to predict")
        self.text_a.setToolTip("The sentence to inspect; the views update as you type")
        self.text_b = QLineEdit()
        self.text_b.setPlaceholderText("Sentence B (optional): makes a pair, as in next-sentence prediction")
        self.text_b.setToolTip("Optional second sentence (segment B)")
        for field in (self.text_a, self.text_b):
            field.setMaxLength(MAX_INPUT_CHARS)  # Qt's default (32,767) would cut a long paste silently
            field.textChanged.connect(self._on_field_text_changed)
        self.examples = QComboBox()
        self.examples.addItem("Examples…")
        for a, b in EXAMPLES:
            self.examples.addItem(a if not b else f"{a} | {b}", (a, b))
        self.examples.setToolTip("Load an example sentence or pair")
        self.examples.activated.connect(self._on_examples_activated)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Sentence A", self.text_a)
        form.addRow("Sentence B", self.text_b)
        form.addRow("", self.examples)

    def texts(self) -> tuple[str, str]:
        return self.text_a.text(), self.text_b.text()

    def set_texts(self, text: str, text_b: str = "") -> None:
        self.text_a.setText(text)
        self.text_b.setText(text_b)

    def select_characters(self, segment: int, start: int, end: int) -> None:
        """Select characters start..end (code points, as the tokenizer counts) of sentence A
        (segment 0) or B (1); nothing when end <= start."""
        for field in (self.text_a, self.text_b):
            field.deselect()
        if end > start:
            field = self.text_b if segment == 1 else self.text_a
            text = field.text()
            first, last = utf16_position(text, start), utf16_position(text, end)
            field.setSelection(first, last - first)

    def mask_token(self, r: model.Inspection, index: int) -> None:
        """Replace token `index`'s characters in its sentence by [MASK], unless it is a special
        token or the sentence was typed since `r` (its offsets would point elsewhere)."""
        if r.special_tokens_mask[index]:
            return
        start, end = (int(v) for v in r.offsets[index])
        in_b = r.segment_ids[index] == 1
        field = self.text_b if in_b else self.text_a
        text = field.text()
        if text != ((r.text_b or "") if in_b else r.text):
            return
        field.setText(text[:start] + "[MASK]" + text[end:])

    @Slot()
    def _on_field_text_changed(self) -> None:
        self.textsChanged.emit(*self.texts())

    @Slot(int)
    def _on_examples_activated(self, index: int) -> None:
        data = self.examples.itemData(index)
        if data:
            self.set_texts(*data)


def utf16_position(text: str, index: int) -> int:
    """A code-point index (Python's, and the tokenizer's offsets) as Qt counts it: in UTF-16 units,
    two for each character outside the Basic Multilingual Plane, such as an emoji."""
    return len(text[:index].encode("utf-16-le")) // 2
