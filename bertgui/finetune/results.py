"""The Fine-tune tab's results: the summary (for a tagger, its chunk scores and the per-tag
table), the confusion matrix on the evaluation data, how the new model's attention differs from
its base model's, and its class probabilities for any sentence ("Try it")."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from model.finetuning.datasets import count_of  # pure modules: no torch on the GUI thread

from ..views.probability_table import ProbabilityTable
from .attention_change_view import AttentionChangeView

if TYPE_CHECKING:
    from model.finetuning.token_metrics import TaggingMetrics
    from model.finetuning.trainer import FinetuneResult
    from model.finetuning.verdict import Verdict

TRY_IT_DEBOUNCE_MS = 150
NO_SUMMARY_YET = QT_TRANSLATE_NOOP(
    "results", "Finish a run to read here what its accuracy can tell, and what to change."
)


class ResultsPanel(QTabWidget):
    classifyRequested = Signal(str, str)  # "Try it": text, text B
    compareRequested = Signal()  # attention change on the inspector's current sentence

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.confusion = QTableWidget(0, 0)
        self.confusion.setToolTip(
            self.tr("Confusion matrix on the evaluation data: rows = true class, columns = predicted")
        )
        self.confusion.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.attention_change = AttentionChangeView()
        self.attention_change.compareRequested.connect(self.compareRequested)
        self.summary = QLabel(
            QCoreApplication.translate("results", NO_SUMMARY_YET), wordWrap=True, textFormat=Qt.TextFormat.RichText
        )
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setContentsMargins(8, 8, 8, 8)
        self.summary_page = QScrollArea(widgetResizable=True)
        self.summary_page.setWidget(self.summary)
        self.summary_page.setToolTip(self.tr("What the run's numbers can and cannot tell, and what to change"))
        self.addTab(self.summary_page, self.tr("Summary"))
        self.addTab(self.confusion, self.tr("Confusion matrix"))
        self.addTab(self.attention_change, self.tr("Attention change"))
        self.addTab(self._try_it(), self.tr("Try it"))

    def _try_it(self) -> QWidget:
        self.try_text = QLineEdit(
            enabled=False,
            placeholderText=self.tr("Type a sentence for the fine-tuned classifier"),
            toolTip=self.tr("Class probabilities from the model this run saved"),
        )
        self.try_text_b = QLineEdit(
            enabled=False,
            placeholderText=self.tr("Sentence B (pair tasks)"),
            toolTip=self.tr("Second sentence, for a model fine-tuned on pairs"),
        )
        self.try_table = ProbabilityTable(self.tr("The fine-tuned model's probability for each class"))
        self.try_status = QLabel(self.tr("Finish a run to try its model here."))
        self._try_timer = QTimer(self, singleShot=True, interval=TRY_IT_DEBOUNCE_MS)
        self._try_timer.timeout.connect(self._on_try_timer_timeout)
        self.try_text.textChanged.connect(self._try_timer.start)
        self.try_text_b.textChanged.connect(self._try_timer.start)
        try_it = QWidget()
        layout = QVBoxLayout(try_it)
        layout.addWidget(self.try_text)
        layout.addWidget(self.try_text_b)
        layout.addWidget(self.try_status)
        layout.addWidget(self.try_table, 1)
        return try_it

    def clear(self) -> None:
        """Nothing from the previous run stays on screen to be read as this one's."""
        self._set_trying(False)
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.summary.setText(QCoreApplication.translate("results", NO_SUMMARY_YET))
        self.attention_change.clear()
        self.attention_change.set_available(False)
        self.try_table.show_probabilities({})
        self.try_status.setText(self.tr("Finish a run to try its model here."))

    def show_model(self, result: FinetuneResult) -> None:
        """A run saved a classifier: try it, compare its attention, and read its evaluation if it had one."""
        if result.task == "tokens":  # a tag per word: the inspector shows them under the words
            self.try_status.setText(
                self.tr(
                    "The model in {0} tags words: press Open in inspector, and the Sentence tab shows its tag "
                    "under each word."
                ).format(result.output)
            )
        else:
            self._set_trying(True)
            self.try_status.setText(
                self.tr("Type a sentence: the model in {0} classifies it as you type.").format(result.output)
            )
            if self.try_text.text().strip():  # a sentence kept from the last run: this run's model answers it now
                self._try_timer.start()
        self.attention_change.set_available(True)
        if result.metrics is not None:
            self._show_confusion(result.labels, result.metrics.confusion)

    def show_verdict(self, verdict: Verdict, labels: list[str], confusion: np.ndarray, macro_f1: float) -> None:
        """The accuracy with its 95% interval, against the majority baseline, and what to change."""
        majority_label = labels[int(confusion.sum(axis=1).argmax())] if len(labels) else ""
        rows = count_of(verdict.rows, "evaluation row")
        lines = [
            self.tr(
                "<p><b>Accuracy {0:.3f}</b> on {1} (macro-F1 {2:.3f}).<br>95% interval: {3} (Wilson "
                "score): on other rows like these, the accuracy would most likely fall in this range. More "
                "evaluation rows make it narrower.<br>Always answering the most common class, “{4}”, would "
                "score {5:.3f}.</p>"
            ).format(
                verdict.accuracy, rows, macro_f1, verdict.interval_text, html.escape(majority_label), verdict.majority
            )
        ]
        if verdict.warnings:
            items = "".join(
                f"<li>{html.escape(warning[:1].upper() + warning[1:])}</li>" for warning in verdict.warnings
            )
            lines.append(f"<p><b>Warnings</b></p><ul>{items}</ul>")
        else:
            lines.append(
                self.tr(
                    "<p>No warnings: the whole interval is above the most-common-class score, the eval loss "
                    "did not turn up, and the training loss had settled.</p>"
                )
            )
        self.summary.setText("".join(lines))
        self.setCurrentWidget(self.summary_page)

    def show_tagging(self, m: TaggingMetrics, warnings: list[str]) -> None:
        """A tagger's scores as conlleval gives them, the per-tag table and what to change."""
        chunked = m.scheme == "BIO"
        scored = sum(row.support for row in m.per_tag)
        commonest = m.tags[int(m.confusion.sum(axis=1).argmax())] if m.words else ""
        if chunked:
            headline = self.tr(
                "<p><b>Chunk F1 {0:.3f}</b> (precision {1:.3f}, recall {2:.3f}) on {3} in {4}: a predicted "
                "chunk counts only if its first word, last word and type all match, as CoNLL's conlleval "
                "scores them.<br>"
            ).format(m.f1, m.precision, m.recall, count_of(scored, "chunk"), count_of(m.words, "evaluation word"))
        else:
            headline = self.tr(
                "<p><b>Macro-F1 {0:.3f}</b> over the tags (precision {1:.3f}, recall {2:.3f}) on {3}: "
                "these tags name no chunks, so each word is scored on its own.<br>"
            ).format(m.f1, m.precision, m.recall, count_of(m.words, "evaluation word"))
        headline += self.tr(
            "Word accuracy {0:.3f}; always answering the commonest tag, “{1}”, would score {2:.3f}.</p>"
        ).format(m.accuracy, html.escape(commonest), m.majority)
        cells = "".join(
            f"<tr><td>{html.escape(row.name)}</td><td align=right>{row.precision:.3f}</td>"
            f"<td align=right>{row.recall:.3f}</td><td align=right><b>{row.f1:.3f}</b></td>"
            f"<td align=right>{row.support:,}</td><td align=right>{row.predicted:,}</td></tr>"
            for row in m.per_tag
        )
        head = self.tr("chunk type") if chunked else self.tr("tag")
        table = (
            f"<p><b>Per {head}</b></p><table cellspacing=0 cellpadding=3 border=1 style='border-collapse:collapse'>"
            f"<tr><th align=left>{head}</th><th>precision</th><th>recall</th><th>F1</th><th>gold</th>"
            f"<th>predicted</th></tr>{cells}</table>"
        )
        if warnings:
            items = "".join(f"<li>{html.escape(w[:1].upper() + w[1:])}</li>" for w in warnings)
            advice = f"<p><b>Warnings</b></p><ul>{items}</ul>"
        else:
            advice = self.tr(
                "<p>No warnings: enough evaluation data, above the commonest-tag score, and the loss settled.</p>"
            )
        self.summary.setText(headline + advice + table)
        self.setCurrentWidget(self.summary_page)

    def show_pretrained(self) -> None:
        """Continued pretraining made no classifier: only the attention comparison applies."""
        self.attention_change.set_available(True)

    def _set_trying(self, enabled: bool) -> None:
        self.try_text.setEnabled(enabled)
        self.try_text_b.setEnabled(enabled)

    def show_probabilities(self, text: str, probabilities: dict[str, float]) -> None:
        if text != self.try_text.text().strip():
            return  # typed on since
        ranked = self.try_table.show_probabilities(probabilities)
        self.try_status.setText(self.tr("<b>{0}</b> ({1:.1%})").format(html.escape(ranked[0][0]), ranked[0][1]))

    def show_attention_change(self, change) -> None:
        self.attention_change.show_change(change)

    def show_error(self, message: str) -> None:
        self.try_status.setText(message)
        self.attention_change.show_error(message)

    def _on_try_timer_timeout(self) -> None:
        text = self.try_text.text().strip()
        if text:
            self.classifyRequested.emit(text, self.try_text_b.text().strip())

    def _show_confusion(self, labels: list[str], confusion: np.ndarray) -> None:
        n = len(labels)
        self.confusion.setRowCount(n)
        self.confusion.setColumnCount(n)
        self.confusion.setVerticalHeaderLabels([f"true {label}" for label in labels])
        self.confusion.setHorizontalHeaderLabels([f"predicted {label}" for label in labels])
        for i in range(n):
            for j in range(n):
                self.confusion.setItem(i, j, QTableWidgetItem(str(int(confusion[i, j]))))
        self.confusion.resizeColumnsToContents()
