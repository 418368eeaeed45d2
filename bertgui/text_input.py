"""The inspector's input: sentence A, the optional sentence B, and a menu of examples. It knows
how the tokens map back to characters, so the Tokens view can select a token's characters in its
sentence, mask a whole word (one [MASK] per word piece, as BERT's whole-word masking) or mask one
piece."""

from __future__ import annotations

import unicodedata
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
        self.text_a.setPlaceholderText(self.tr("Sentence A: type anything; [MASK] marks a word to predict"))
        self.text_a.setToolTip(self.tr("The sentence to inspect; the views update as you type"))
        self.text_b = QLineEdit()
        self.text_b.setPlaceholderText(self.tr("Sentence B (optional): makes a pair, as in next-sentence prediction"))
        self.text_b.setToolTip(self.tr("Optional second sentence (segment B)"))
        for field in (self.text_a, self.text_b):
            field.setMaxLength(MAX_INPUT_CHARS)  # Qt's default (32,767) would cut a long paste silently
            field.textChanged.connect(self._on_field_text_changed)
        self.examples = QComboBox()
        self.examples.addItem(self.tr("Examples…"))
        for a, b in EXAMPLES:
            self.examples.addItem(a if not b else f"{a} | {b}", (a, b))
        self.examples.setToolTip(self.tr("Load an example sentence or pair"))
        self.examples.activated.connect(self._on_examples_activated)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Sentence A"), self.text_a)
        form.addRow(self.tr("Sentence B"), self.text_b)
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

    def mask_token(self, r: model.Inspection, index: int) -> str:
        """Mask the whole word that token `index` belongs to: its characters become one [MASK] per
        word piece ("croissants", cr ##o ##iss ##ants, becomes "[MASK] [MASK] [MASK] [MASK]"), as
        BERT's whole-word masking does. Returns one line for the status bar saying what happened."""
        refusal = self._refusal(r, index)
        if refusal:
            return refusal
        pieces = word_pieces(r, index)
        start, end = int(r.offsets[pieces[0]][0]), int(r.offsets[pieces[-1]][1])
        field = self._field(r, index)
        text = field.text()
        if r.truncated and _is_last_text_token(r, pieces[-1]):
            end = word_end(text, end)  # the rest of a word the cut dropped would glue to the last [MASK]
        self._replace(field, start, end, " ".join(["[MASK]"] * len(pieces)))
        word = text[start:end]
        if len(pieces) == 1:
            return f'Masked "{word}". Ctrl+Z in the sentence box undoes it.'
        return f'Masked the word "{word}": {len(pieces)} pieces, one [MASK] each. Ctrl+Z in the sentence box undoes it.'

    def mask_piece(self, r: model.Inspection, index: int) -> str:
        """Mask only token `index`: exactly its characters become [MASK], never part of a piece.
        The pieces before it keep their split; the ones after it start a new word, since text
        cannot say that a piece continues a word after [MASK] ("croissants" with ##iss masked is
        "cro[MASK]ants": cr ##o [MASK] ant ##s). Returns one line for the status bar."""
        refusal = self._refusal(r, index)
        if refusal:
            return refusal
        start, end = (int(v) for v in r.offsets[index])
        field = self._field(r, index)
        piece = field.text()[start:end]
        self._replace(field, start, end, "[MASK]")
        pieces = word_pieces(r, index)
        if index != pieces[-1]:
            return (
                f'Masked the piece "{r.tokens[index]}" only; the rest of its word is now read as a new word. '
                "Ctrl+Z in the sentence box undoes it."
            )
        return f'Masked the piece "{r.tokens[index]}" ("{piece}"). Ctrl+Z in the sentence box undoes it.'

    def _field(self, r: model.Inspection, index: int) -> QLineEdit:
        return self.text_b if r.segment_ids[index] == 1 else self.text_a

    def _refusal(self, r: model.Inspection, index: int) -> str | None:
        """Why token `index` cannot be masked, in one line; None when it can."""
        if r.special_tokens_mask[index]:
            return self.tr("{0} is added by the tokenizer, not typed: there is nothing in the text to mask.").format(
                r.tokens[index]
            )
        if r.tokens[index] == "[MASK]":
            return "This token is already [MASK]. To bring a word back, type it, or press Ctrl+Z in the sentence box."
        in_b = r.segment_ids[index] == 1
        if self._field(r, index).text() != ((r.text_b or "") if in_b else r.text):
            return self.tr("The sentence changed since these tokens were made; double-click again once they update.")
        return None

    @staticmethod
    def _replace(field: QLineEdit, start: int, end: int, replacement: str) -> None:
        """Replace characters start..end (code points) through the line edit's own editing, so
        Ctrl+Z brings the word back."""
        text = field.text()
        first, last = utf16_position(text, start), utf16_position(text, end)
        field.setSelection(first, last - first)
        field.insert(replacement)

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


def word_pieces(r: model.Inspection, index: int) -> range:
    """The token indices of the word token `index` belongs to: a piece that does not start with
    "##" and the "##" continuations right after it in the same sentence, each touching the one
    before with no character between (BERT's WordPiece rule; a typed [MASK], punctuation and a
    special token are words of their own)."""

    def continues(i: int) -> bool:  # token i continues the word of token i - 1
        return (
            0 < i < len(r.tokens)
            and r.tokens[i].startswith("##")
            and not r.special_tokens_mask[i]
            and not r.special_tokens_mask[i - 1]
            and r.segment_ids[i] == r.segment_ids[i - 1]
            and int(r.offsets[i][0]) == int(r.offsets[i - 1][1])
        )

    first = index
    while continues(first):
        first -= 1
    last = index
    while continues(last + 1):
        last += 1
    return range(first, last + 1)


def _is_last_text_token(r: model.Inspection, index: int) -> bool:
    return index + 1 >= len(r.tokens) or bool(r.special_tokens_mask[index + 1])


def word_end(text: str, end: int) -> int:
    """Where the word running on at character `end` ends: at whitespace or punctuation, where
    BERT's pre-tokenizer splits words."""
    while end < len(text) and not (text[end].isspace() or _is_punctuation(text[end])):
        end += 1
    return end


def _is_punctuation(character: str) -> bool:
    """BERT's rule: every non-alphanumeric ASCII character, and Unicode punctuation."""
    if character.isascii():
        return not character.isalnum() and not character.isspace()
    return unicodedata.category(character).startswith("P")
