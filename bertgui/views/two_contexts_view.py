"""Model > One word, two contexts: the same word in two sentences and how alike the model sees
the two uses after each layer. The comparison runs on the model worker; this widget asks and draws."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from model.word_attention import group_word_pieces

from ..palette import plots_follow_palette

if TYPE_CHECKING:
    from ..controller import Controller
    from ..worker import ContextsAnswer

CAPTION = QT_TRANSLATE_NOOP(
    "two_contexts_view",
    "BERT gives a word a different vector in every sentence. Choose a word in each sentence (by default one "
    "they share): the curve is the cosine similarity of its two vectors after each layer (1 = the same "
    "direction; layer 0 is the embeddings, where only the position and the sentence differ). A word the "
    "model reads in the same sense stays close; two senses drift apart as the layers mix in the context. "
    "A word split into pieces is the mean of its pieces.",
)
EXAMPLE = ("He sat on the bank of the river.", "She put her money in the bank.")


class TwoContexts(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self._controller = controller
        self._latest = 0
        self.answer: ContextsAnswer | None = None
        self.caption = QLabel(QCoreApplication.translate("two_contexts_view", CAPTION))
        self.caption.setWordWrap(True)
        self.sentences = [QLineEdit(text) for text in EXAMPLE]
        self.words = [QComboBox(), QComboBox()]
        grid = QGridLayout()
        for row, (edit, combo) in enumerate(zip(self.sentences, self.words)):
            edit.setPlaceholderText(self.tr("Sentence {0}").format(row + 1))
            combo.setMinimumContentsLength(12)
            combo.setToolTip(self.tr("The word compared (a word split into pieces: the mean of its pieces)"))
            grid.addWidget(QLabel(self.tr("Sentence {0}").format(row + 1)), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(QLabel(self.tr("word")), row, 2)
            grid.addWidget(combo, row, 3)
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", self.tr("layer (0 = embeddings)"))
        self.plot.setLabel("left", self.tr("cosine similarity"))
        self.plot.setYRange(-0.1, 1.05)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#2563eb", width=2), symbol="o", symbolBrush="#2563eb")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.neighbours = QLabel()
        self.neighbours.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(grid)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.neighbours)
        plots_follow_palette(self)

        self._debounce = QTimer(self)  # one comparison when typing pauses
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(lambda: self.compare(chosen=False))
        for edit in self.sentences:
            edit.textChanged.connect(self._debounce.start)
        for combo in self.words:
            combo.activated.connect(lambda _index: self.compare(chosen=True))
        controller.contextsCompared.connect(self._on_controller_contexts_compared)
        controller.contextsCompareFailed.connect(self._on_controller_contexts_compare_failed)
        controller.modelLoaded.connect(lambda _info: self.compare(chosen=False))
        self.compare(chosen=False)

    def compare(self, chosen: bool) -> None:
        """Ask for the comparison: with the words chosen in the combos, or (the sentences changed)
        with a word both sentences share."""
        if self._controller.info is None:
            return
        a, b = (self.words[i].currentData() if chosen else None for i in range(2))
        self._latest = self._controller.compare_contexts(self.sentences[0].text(), self.sentences[1].text(), a, b)

    @Slot(int, object)
    def _on_controller_contexts_compared(self, request_id: int, answer: ContextsAnswer) -> None:
        if request_id != self._latest:
            return
        self.answer = answer
        c = answer.comparison
        for combo, tokens, pieces in ((self.words[0], c.tokens_a, c.pieces_a), (self.words[1], c.tokens_b, c.pieces_b)):
            combo.clear()
            for group in group_word_pieces(tokens).groups:
                if tokens[group[0]] not in ("[CLS]", "[SEP]"):
                    combo.addItem("".join(tokens[i].removeprefix("##") for i in group), group[0])
            combo.setCurrentIndex(max(combo.findData(pieces[0]), 0))
        similarity = np.asarray(c.similarity, dtype=np.float32)
        layers = np.arange(len(similarity), dtype=np.float32)
        self.curve.setData(layers, similarity)
        self.plot.getAxis("bottom").setTicks([[(float(i), str(i)) for i in range(len(similarity))]])
        lowest = int(np.argmin(similarity))
        self.summary.setText(
            self.tr(
                "<b>{0}</b> and <b>{1}</b>: {2:.2f} at the embeddings, {3:.2f} after the last layer "
                "(lowest {4:.2f}, {5})."
            ).format(
                html.escape(c.word_a),
                html.escape(c.word_b),
                similarity[0],
                similarity[-1],
                similarity[lowest],
                self.tr("at the embeddings") if lowest == 0 else self.tr("after layer {0}").format(lowest),
            )
        )
        lines = []
        for word, result in ((c.word_a, answer.neighbours_a), (c.word_b, answer.neighbours_b)):
            if result is not None:
                near = ", ".join(f"{h.token} {h.similarity:.2f}" for h in result.hits)
                lines.append(
                    self.tr("Corpus neighbours of <b>{0}</b> after layer {1}: {2}").format(
                        html.escape(word), result.layer, near
                    )
                )
        self.neighbours.setText(
            "<br>".join(lines)
            if lines
            else self.tr("Open a corpus index (Model > Find in corpus) to see each use's neighbours.")
        )

    @Slot(int, str)
    def _on_controller_contexts_compare_failed(self, request_id: int, message: str) -> None:
        if request_id == self._latest:
            self.summary.setText(html.escape(message))
