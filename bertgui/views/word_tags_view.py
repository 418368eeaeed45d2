"""A token classifier's answer (chunking, named entities): every word as a chip with its tag
under it, coloured by chunk type, the chunks read out as brackets, and each word's tag
probabilities on hover."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from model.finetuning.token_datasets import chunk_type_of
from model.finetuning.token_metrics import BIO, OUTSIDE, chunks, tag_scheme

from ..palette import chunk_colours
from .finite import finite_or
from .flow_layout import ChipArea

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

CAPTION = QT_TRANSLATE_NOOP(
    "word_tags_view",
    "<b>Which tag does each word get?</b> This model was fine-tuned to tag words (chunks or named "
    "entities): its classifier reads the vector of each word's first piece and gives every tag a "
    "probability. B- begins a chunk, I- continues it, O is outside any. Hover a word for its tags.",
)
OUTSIDE_COLOUR = "#f3f4f6"  # O, outside any chunk, stays grey
CHIP_TEXT = "#111111"
TOOLTIP_TAGS = 5  # the most probable tags a hover lists


def type_colours(labels: list[str]) -> dict[str, str]:
    """Chunk type (or tag) -> fill colour, the same for every word of one model: the model's types
    in alphabetical order, not the order the words happen to bring them in."""
    return chunk_colours(sorted({chunk_type_of(t) for t in labels if t != OUTSIDE}))


def bracketed(tags: list[model.WordTag]) -> str:
    """The words with their chunks in brackets, as a learner reads a chunked sentence:
    "[NP The cat] [VP sat] [PP on] [NP the mat]"."""
    pieces, position = [], 0
    for chunk in chunks([t.tag for t in tags]):
        pieces += [t.word for t in tags[position : chunk.start]]
        pieces.append(f"[{chunk.type} " + " ".join(t.word for t in tags[chunk.start : chunk.end]) + "]")
        position = chunk.end
    pieces += [t.word for t in tags[position:]]
    return " ".join(pieces)


class WordTagChip(QFrame):
    """One word with its tag below it."""

    def __init__(self, tag: model.WordTag, colour: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.word_tag = tag
        self.word = QLabel(tag.word)
        self.word.setStyleSheet(
            f"QLabel {{ background: {colour}; color: {CHIP_TEXT}; border: 1px solid #999; border-radius: 6px;"
            " padding: 3px 6px; }"
        )
        self.tag = QLabel(tag.tag)
        self.tag.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.tag.setStyleSheet("QLabel { font-weight: bold; font-size: 11px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.word)
        layout.addWidget(self.tag)
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td align='right'>&nbsp;{finite_or(p, float('nan')):.3f}</td></tr>"
            for name, p in list(tag.probabilities.items())[:TOOLTIP_TAGS]
        )
        pieces = f"tokens {tag.first}–{tag.last}" if tag.last > tag.first else f"token {tag.first}"
        self.setToolTip(
            self.tr("<b>{0}</b>: {1} (read at its first piece, {2})<table>{3}</table>").format(
                html.escape(tag.word), html.escape(tag.tag), pieces, rows
            )
        )


class WordTagsView(QWidget):
    """The Sentence tab's part for a token classifier; hidden for any other model."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel(QCoreApplication.translate("word_tags_view", CAPTION))
        self.caption.setWordWrap(True)
        self.chunk_line = QLabel()  # the chunks in brackets
        self.chunk_line.setWordWrap(True)
        self.chunk_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chip_area = ChipArea()
        self.chip_area.setMinimumHeight(120)
        self.chip_area.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.chunk_line)
        layout.addWidget(self.chip_area, 1)

    def show_inspection(self, r: model.Inspection) -> None:
        tags = r.word_tags or []
        self.setVisible(r.word_tags is not None)
        if r.word_tags is None:
            return
        labels = list(tags[0].probabilities) if tags else []
        scheme = tag_scheme(labels)
        colours = type_colours(labels)
        self.chip_area.set_chips([WordTagChip(t, colours.get(chunk_type_of(t.tag), OUTSIDE_COLOUR)) for t in tags])
        if not tags:
            self.chunk_line.setText(self.tr("Type a sentence to tag its words."))
        elif scheme == BIO:
            self.chunk_line.setText(self.tr("<b>Chunks:</b> {0}").format(html.escape(bracketed(tags))))
        else:  # tags without chunks (part of speech, say): the words with their tags
            self.chunk_line.setText(html.escape(" ".join(f"{t.word}/{t.tag}" for t in tags)))

    def chips(self) -> list[WordTagChip]:
        return self.chip_area.chips()
