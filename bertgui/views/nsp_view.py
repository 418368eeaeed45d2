"""Sentence-level predictions: for a pair, whether the model thinks sentence B follows sentence A
(next-sentence head: IsNext or NotNext); for a fine-tuned classifier, the probability of every
class ("Try it"); for a fine-tuned token classifier, the tag of every word."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from .finite import finite_or
from .probability_table import ProbabilityTable
from .word_tags_view import WordTagsView

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

CLASSIFIER_CAPTION = QT_TRANSLATE_NOOP(
    "nsp_view",
    "<b>Which class is this text?</b> This model was fine-tuned to sort texts into classes: its "
    "classifier reads the [CLS] vector and gives each class a probability.",
)
MEANING = QT_TRANSLATE_NOOP(
    "nsp_view",
    "<b>IsNext</b>: the model thinks sentence B follows sentence A in a real text. "
    "<b>NotNext</b>: it thinks B was taken from another document. "
    "BERT learned this in pretraining from 50/50 pairs, so a guess scores about half right.",
)
NO_SENTENCE_B = QT_TRANSLATE_NOOP(
    "nsp_view",
    "Type a sentence B in the second box above to ask whether it follows sentence A, "
    "or try one of these pairs and compare the answers.",
)
# (button, sentence A, sentence B): the bundled model answers them clearly (P(IsNext) 0.91 and 0.001)
EXAMPLE_PAIRS = (
    (
        QT_TRANSLATE_NOOP("nsp_view", "Try a pair where B follows A"),
        "I went to the store to buy some milk.",
        "They had run out, so I bought juice.",
    ),
    (
        QT_TRANSLATE_NOOP("nsp_view", "Try a pair where B comes from elsewhere"),
        "I went to the store to buy some milk.",
        "The river flows north.",
    ),
)
BAR_SCALE = 1000  # the bars' range: probabilities to a thousandth, as their text shows them


def _probability_bar(tooltip: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, BAR_SCALE)
    bar.setToolTip(tooltip)
    return bar


class NSPView(QWidget):
    pairRequested = Signal(str, str)  # an example pair was chosen: sentence A, sentence B
    classAttributionRequested = Signal(str)  # "Why this class?": the classifier's top class

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel(
            QCoreApplication.translate("nsp_view", CLASSIFIER_CAPTION)
        )  # the tab's own caption says what the NSP head does
        self.caption.setWordWrap(True)
        self.label = QLabel(
            QCoreApplication.translate("nsp_view", NO_SENTENCE_B)
        )  # the verdict, or what to do to get one
        self.label.setWordWrap(True)
        self.bar = _probability_bar(self.tr("P(IsNext): the next-sentence head's probability that B follows A"))
        self.not_next_bar = _probability_bar(
            self.tr("P(NotNext) = 1 − P(IsNext): the probability that B comes from elsewhere")
        )
        self.bars = QWidget()  # one row each for IsNext and NotNext: the two answers, each number shown once
        bars = QGridLayout(self.bars)
        bars.setContentsMargins(0, 0, 0, 0)
        for row, (name, bar) in enumerate(((self.tr("IsNext"), self.bar), (self.tr("NotNext"), self.not_next_bar))):
            bars.addWidget(QLabel(f"<b>{name}</b>"), row, 0)
            bars.addWidget(bar, row, 1)
        bars.setColumnStretch(1, 1)
        self.meaning = QLabel(QCoreApplication.translate("nsp_view", MEANING))
        self.meaning.setWordWrap(True)
        self.examples = QWidget()
        examples = QHBoxLayout(self.examples)
        examples.setContentsMargins(0, 0, 0, 0)
        self.example_buttons = []
        for caption, text_a, text_b in EXAMPLE_PAIRS:
            button = QPushButton(QCoreApplication.translate("nsp_view", caption))
            button.setToolTip(self.tr("Sentence A: {0}\nSentence B: {1}").format(text_a, text_b))
            button.clicked.connect(lambda _=False, a=text_a, b=text_b: self.pairRequested.emit(a, b))
            examples.addWidget(button)
            self.example_buttons.append(button)
        examples.addStretch(1)
        self.classes_label = QLabel()
        self.classes = ProbabilityTable(
            self.tr("The fine-tuned classifier's probability for each class, for the text above")
        )
        self.classes_label.setVisible(False)
        self.classes.setVisible(False)
        self.why_button = QPushButton(self.tr("Why this class?"))
        self.why_button.setToolTip(self.tr("Which words of the text the classifier's top class depends on"))
        self.why_button.setVisible(False)
        self.why_button.clicked.connect(self._on_why_button_clicked)
        self._top_class: str | None = None
        self.word_tags = WordTagsView()  # a token classifier's tag for each word
        self.word_tags.setVisible(False)
        column = QWidget()  # a readable measure, centred: bars a screen wide are hard to compare
        column.setMaximumWidth(820)
        content = QVBoxLayout(column)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(12)
        for widget in (
            self.caption,
            self.label,
            self.bars,
            self.meaning,
            self.examples,
            self.classes_label,
            self.why_button,
        ):
            content.addWidget(widget)
        content.addWidget(self.classes, 1)
        content.addWidget(self.word_tags, 1)
        content.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 20)
        layout.addStretch(1)
        self.bars.setVisible(False)
        self.caption.setVisible(False)

    def show_inspection(self, r: model.Inspection) -> None:
        self._show_classes(r)
        self.word_tags.show_inspection(r)
        classifier = r.class_probabilities is not None  # a fine-tuned classifier: its head replaced the NSP head
        tagger = r.word_tags is not None
        self.caption.setVisible(classifier)
        has_nsp_head = r.nsp_is_next is not None or (r.text_b is None and not classifier and not tagger)
        self.meaning.setVisible(not classifier and not tagger and has_nsp_head)
        self.examples.setVisible(not classifier and not tagger and has_nsp_head)
        shown = False
        if classifier:
            self.label.setText(
                self.tr(
                    "This fine-tuned classifier has no next-sentence head; its classes are below (type a "
                    "sentence B too if it was trained on pairs)."
                )
            )
        elif tagger:
            self.label.setText(
                self.tr("This fine-tuned token classifier has no next-sentence head; each word's tag is below.")
            )
        elif r.text_b is None:
            self.label.setText(QCoreApplication.translate("nsp_view", NO_SENTENCE_B))
        elif r.nsp_is_next is None:
            self.label.setText(self.tr("This model has no next-sentence head, so it cannot tell whether B follows A."))
        elif not r.text.strip():  # the model still answers, but about nothing a user asked
            self.label.setText(self.tr("Sentence A is empty: type one to ask whether sentence B follows it."))
        elif not math.isfinite(r.nsp_is_next):
            self.label.setText(self.tr("P(IsNext) is not a number (NaN): the model's weights hold NaN or Inf values."))
        else:
            self._show_verdict(r.nsp_is_next)
            shown = True
        self.bars.setVisible(shown)

    def _on_why_button_clicked(self) -> None:
        if self._top_class is not None:
            self.classAttributionRequested.emit(self._top_class)

    def _show_verdict(self, is_next: float) -> None:
        if is_next >= 0.5:
            verdict = self.tr(
                "<h2>IsNext: sentence B follows sentence A</h2>The model answers IsNext, as P(IsNext) is 0.5 or more."
            )
        else:
            verdict = self.tr(
                "<h2>NotNext: sentence B does not follow sentence A</h2>The model answers NotNext, as "
                "P(IsNext) is below 0.5: it thinks B was taken from another document."
            )
        self.label.setText(verdict)
        for bar, p in ((self.bar, is_next), (self.not_next_bar, 1.0 - is_next)):
            bar.setValue(round(finite_or(p, 0.0) * BAR_SCALE))
            bar.setFormat(f"{p:.3f}")

    def _show_classes(self, r: model.Inspection) -> None:
        ranked = self.classes.show_probabilities(r.class_probabilities or {})
        self.classes.setVisible(bool(ranked))
        self.classes_label.setVisible(bool(ranked))
        self.why_button.setVisible(bool(ranked))
        self._top_class = ranked[0][0] if ranked else None
        if ranked:
            self.classes_label.setText(self.tr("<h3>Classifier: {0}</h3>").format(html.escape(ranked[0][0])))
