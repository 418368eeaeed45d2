"""Fine-tune tab: choose and preview a dataset, set the run (the form), watch it train (the
monitor: progress, live curves, log), then look at what it made (the results: the confusion
matrix, how its attention changed, and its class probabilities for any sentence)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from model.finetuning.datasets import count_of  # pure modules: no torch on the GUI thread
from model.finetuning.settings import FinetuneSettings
from model.finetuning.verdict import Verdict, judge_run, tagging_warnings

from .form import FinetuneForm
from .monitor import TrainingMonitor
from .results import ResultsPanel

if TYPE_CHECKING:
    from model.finetuning.metrics import ClassificationMetrics
    from model.finetuning.token_metrics import TaggingMetrics
    from model.finetuning.trainer import FinetuneResult


def majority_accuracy(confusion: np.ndarray) -> float:
    """The accuracy of always answering the evaluation data's most common class: the floor a
    classifier has to beat (rows of the confusion matrix are the true classes)."""
    total = confusion.sum()
    return float(confusion.sum(axis=1).max() / total) if total else 0.0


class FinetuneView(QWidget):
    startRequested = Signal(object)  # FinetuneSettings or PretrainSettings, without the base model and device
    pauseToggled = Signal(bool)
    cancelRequested = Signal()
    openModelRequested = Signal(str)
    previewRequested = Signal(str, str, str, str)  # path, text, text B, label column ("" = detect)
    tokenPreviewRequested = Signal(str, int)  # path, tag column (0 = the last)
    classifyRequested = Signal(str, str)  # "Try it": text, text B
    compareRequested = Signal()  # attention change on the inspector's current sentence

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = FinetuneForm()
        self.monitor = TrainingMonitor()
        self.results = ResultsPanel()
        self.results.insertTab(0, self.monitor.log, self.tr("Log"))
        self.results.setCurrentIndex(0)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.monitor)
        right.addWidget(self.results)
        right.setSizes([300, 300])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(1, 1)  # extra width goes to the curves
        split.setSizes([470, 700])
        QVBoxLayout(self).addWidget(split)

        self.form.data.previewRequested.connect(self.previewRequested)
        self.form.data.tokenPreviewRequested.connect(self.tokenPreviewRequested)
        self.form.inputsChanged.connect(self.monitor.clear_error)
        self.form.start_button.clicked.connect(self._on_start_clicked)
        self.form.pauseToggled.connect(self._on_form_pause_toggled)
        self.form.cancel_button.clicked.connect(self.cancelRequested)
        self.form.open_button.clicked.connect(lambda: self.openModelRequested.emit(self._output))
        self.results.classifyRequested.connect(self.classifyRequested)
        self.results.compareRequested.connect(self.compareRequested)
        self._output = ""
        self._tagging = False  # the run under way trains a tagger

    # --- what MainWindow tells the form --------------------------------------------------------

    def set_model_defaults(self, hidden_size: int, num_layers: int) -> None:
        self.form.set_model_defaults(hidden_size, num_layers)

    def set_base_model(self, name: str) -> None:
        self.form.set_base_model(name)

    def options(self) -> dict:
        return self.form.options()

    def set_options(self, options: dict) -> None:
        self.form.set_options(options)

    # --- the user ------------------------------------------------------------------------------

    def _on_start_clicked(self) -> None:
        if not self.form.is_complete():
            self.monitor.say_error(self.tr("Choose a training file first, or press “Use the sample dataset”."))
            return
        try:
            settings = self.form.run_settings()
        except ValueError as exc:
            self.monitor.say_error(str(exc))
            return
        self.monitor.show_busy()
        self._tagging = isinstance(settings, FinetuneSettings) and settings.task == "tokens"
        self.startRequested.emit(settings)

    def _on_form_pause_toggled(self, paused: bool) -> None:
        if paused:
            self.monitor.say(self.tr("Pausing after this step…"))
        self.pauseToggled.emit(paused)

    # --- the run -------------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.form.set_running(running)
        if not running:
            self.monitor.show_stopped()

    def run_started(self, total_steps: int, labels: list) -> None:
        self.form.open_button.setEnabled(False)
        self.results.clear()
        self.monitor.run_started(total_steps, labels, tagging=self._tagging)

    def run_finished(self, result: FinetuneResult) -> None:
        self.monitor.flush()  # the last steps, drawn now
        if result.output is None:
            self.monitor.say(self.tr("Cancelled at step {0}; nothing was written.").format(result.steps), "cancelled")
            return
        self._output = str(result.output)
        self.form.open_button.setEnabled(True)
        self.results.show_model(result)
        m = result.metrics
        if m is None:  # cancelled after a checkpoint: that model is complete and usable
            self.monitor.say(
                self.tr("Cancelled at step {0}; the last checkpoint is kept in {1}").format(
                    result.steps, result.output
                ),
                f"cancelled; last checkpoint in {result.output}",
            )
            return
        if result.task == "tokens":
            self._tagger_finished(result, m)
            return
        verdict = self._verdict(m)
        self.results.show_verdict(verdict, result.labels, m.confusion, m.macro_f1)
        warned = self.tr("{0} warning(s): see Summary. ").format(len(verdict.warnings)) if verdict.warnings else ""
        self.monitor.say(
            self.tr(
                "Done: accuracy {0:.3f} (95% interval {1}) on {2}; always answering their most common "
                "class would score {3:.3f}. {4}Saved to {5}"
            ).format(
                m.accuracy,
                verdict.interval_text,
                count_of(verdict.rows, "evaluation row"),
                verdict.majority,
                warned,
                result.output,
            ),
            f"saved {result.output}",
        )

    def _tagger_finished(self, result: FinetuneResult, m: TaggingMetrics) -> None:
        steps, losses = self.monitor.training_curve()
        eval_steps, eval_losses = self.monitor.eval_curve()
        chunked = m.scheme == "BIO"
        scored = sum(row.support for row in m.per_tag) if chunked else m.words
        warnings = tagging_warnings(
            m.accuracy, m.majority, scored, "chunk" if chunked else "word", losses, eval_steps, eval_losses, steps
        )
        self.results.show_tagging(m, warnings)
        warned = self.tr("{0} warning(s): see Summary. ").format(len(warnings)) if warnings else ""
        self.monitor.say(
            self.tr(
                "Done: {0} {1:.3f} (precision {2:.3f}, recall {3:.3f}), word accuracy {4:.3f} on {5}; "
                "always answering the commonest tag would score {6:.3f}. {7}Saved to {8}"
            ).format(
                m.score_name,
                m.f1,
                m.precision,
                m.recall,
                m.accuracy,
                count_of(m.words, "evaluation word"),
                m.majority,
                warned,
                result.output,
            ),
            f"saved {result.output}",
        )

    def _verdict(self, m: ClassificationMetrics) -> Verdict:
        steps, losses = self.monitor.training_curve()
        eval_steps, eval_losses = self.monitor.eval_curve()
        return judge_run(
            int(np.trace(m.confusion)),
            int(m.confusion.sum()),
            majority_accuracy(m.confusion),
            losses,
            eval_steps,
            eval_losses,
            train_steps=steps,
        )

    def pretrain_finished(self, folder: str, steps: int, stopped: bool) -> None:
        self.monitor.flush()
        self._output = folder
        self.form.open_button.setEnabled(True)
        self.results.show_pretrained()
        how = (
            self.tr("stopped at step {0}; the last checkpoint").format(steps)
            if stopped
            else self.tr("{0} steps").format(steps)
        )
        self.monitor.say(
            self.tr("Continued pretraining done ({0}). Saved to {1}").format(how, folder), f"saved {folder}"
        )

    def run_failed(self, message: str) -> None:
        self.monitor.flush()
        self.monitor.say_error(message, f"error: {message}")
