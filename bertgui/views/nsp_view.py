"""Sentence-level predictions: for a pair, the probability the model gives that B follows A
(next-sentence head); for a fine-tuned classifier, the probability of every class ("Try it")."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from .probability_table import ProbabilityTable

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model


class NSPView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel("Type a sentence B to ask whether it follows sentence A.")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFormat("IsNext %p%")
        self.bar.setToolTip("P(IsNext) from the next-sentence head, read off the pooled [CLS] vector")
        self.classes_label = QLabel()
        self.classes = ProbabilityTable("The fine-tuned classifier's probability for each class, for the text above")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.classes_label)
        layout.addWidget(self.classes)
        layout.addStretch(2)

    def show_inspection(self, r: model.Inspection) -> None:
        self._show_classes(r)
        if r.class_probabilities is not None:  # a fine-tuned classifier: its head replaced the NSP head
            self.label.setText(
                "This fine-tuned classifier has no next-sentence head; its classes are below "
                "(type a sentence B too if it was trained on pairs)."
            )
            self.bar.setVisible(False)
        elif r.text_b is None:
            self.label.setText("Type a sentence B to ask whether it follows sentence A.")
            self.bar.setVisible(False)
        elif r.nsp_is_next is None:
            self.label.setText("This model has no next-sentence head.")
            self.bar.setVisible(False)
        elif not r.text.strip():  # the model still answers, but about nothing a user asked
            self.label.setText("Sentence A is empty: type one to ask whether sentence B follows it.")
            self.bar.setVisible(False)
        elif not math.isfinite(r.nsp_is_next):
            self.label.setText("P(IsNext) is not a number (NaN): the model's weights hold NaN or Inf values.")
            self.bar.setVisible(False)
        else:
            verdict = "follows" if r.nsp_is_next >= 0.5 else "does not follow"
            self.label.setText(
                f"<h2>P(IsNext) = {r.nsp_is_next:.3f}</h2>The model thinks sentence B {verdict} sentence A."
            )
            self.bar.setValue(round(r.nsp_is_next * 1000))
            self.bar.setVisible(True)

    def _show_classes(self, r: model.Inspection) -> None:
        ranked = self.classes.show_probabilities(r.class_probabilities or {})
        self.classes.setVisible(bool(ranked))
        self.classes_label.setVisible(bool(ranked))
        if ranked:
            self.classes_label.setText(f"<h3>Classifier: {html.escape(ranked[0][0])}</h3>")
