"""Fine-tune tab: choose a dataset, set the run, watch it train (progress, live curves, log),
then open the model it made in the inspector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from model.finetuning.metrics import ClassificationMetrics
    from model.finetuning.trainer import FinetuneResult, StepEvent

SMOOTHING = 0.9  # exponential moving average of the training loss
REDRAW_MS = 100  # curves and status redraw at most this often, however fast the steps come


def file_row(placeholder: str, tip: str) -> tuple[QLineEdit, QWidget]:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setToolTip(tip)
    browse = QPushButton("Browse…")
    browse.setToolTip(tip)
    browse.clicked.connect(lambda: _browse_into(edit))
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return edit, row


def _browse_into(edit: QLineEdit) -> None:
    path, _ = QFileDialog.getOpenFileName(edit, "Choose a dataset", "", "Datasets (*.csv *.tsv *.jsonl *.json)")
    if path:
        edit.setText(path)


class FinetuneView(QWidget):
    startRequested = Signal(dict)  # FinetuneSettings fields (without the base model)
    pauseToggled = Signal(bool)
    cancelRequested = Signal()
    openModelRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.train_edit, train_row = file_row("train.csv: text,label or text_a,text_b,label",
                                              "Labelled training data (CSV, TSV or JSONL)")
        self.eval_edit, eval_row = file_row("optional: without one, 10% of the training rows are held out",
                                            "Labelled evaluation data (optional)")
        self.out_edit = QLineEdit()
        self.out_edit.setPlaceholderText("folder for the fine-tuned model")
        self.out_edit.setToolTip("Where the fine-tuned model is written (a Hugging Face-layout folder)")
        self.epochs = QSpinBox(minimum=1, maximum=100, value=3, toolTip="Passes over the training data")
        self.batch = QSpinBox(minimum=1, maximum=1024, value=32, toolTip="Examples per step")
        self.lr = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1e-2, singleStep=1e-5, value=1e-4,
                                 toolTip="Peak learning rate (warmup, then linear decay)")
        self.max_len = QSpinBox(minimum=8, maximum=512, value=128, toolTip="Tokens per example; longer inputs are cut")
        form = QFormLayout()
        form.addRow("Training data", train_row)
        form.addRow("Evaluation data", eval_row)
        form.addRow("Output folder", self.out_edit)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch)
        form.addRow("Learning rate", self.lr)
        form.addRow("Max length", self.max_len)

        self.start_button = QPushButton("Start", toolTip="Fine-tune the loaded model on this data")
        self.pause_button = QPushButton("Pause", checkable=True, enabled=False, toolTip="Pause or resume the run")
        self.cancel_button = QPushButton("Cancel", enabled=False, toolTip="Stop the run; nothing is written")
        self.open_button = QPushButton("Open in inspector", enabled=False,
                                       toolTip="Load the fine-tuned model into the other tabs")
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m steps")
        self.status = QLabel("Choose a training file and press Start.")
        self.status.setWordWrap(True)

        self.curves = pg.GraphicsLayoutWidget()
        self.loss_plot = self.curves.addPlot(title="Training loss")
        self.loss_plot.addLegend(offset=(-10, 10))
        self.loss_raw = self.loss_plot.plot([], [], pen=pg.mkPen("#93c5fd", width=1), name="raw")
        self.loss_smooth = self.loss_plot.plot([], [], pen=pg.mkPen("#1d4ed8", width=2), name="smoothed")
        self.loss_plot.setLabel("bottom", "step")
        self.eval_plot = self.curves.addPlot(title="Evaluation")
        self.eval_plot.addLegend(offset=(-10, 10))
        self.eval_loss = self.eval_plot.plot([], [], pen=pg.mkPen("#dc2626", width=2), symbol="o", name="loss")
        self.eval_accuracy = self.eval_plot.plot([], [], pen=pg.mkPen("#16a34a", width=2), symbol="o",
                                                 name="accuracy")
        self.eval_f1 = self.eval_plot.plot([], [], pen=pg.mkPen("#9333ea", width=2), symbol="t", name="macro-F1")
        self.eval_plot.setLabel("bottom", "step")
        self.confusion = QTableWidget(0, 0)
        self.confusion.setToolTip("Confusion matrix on the evaluation data: rows = true class, columns = predicted")
        self.confusion.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.confusion.hide()
        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(2000)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.curves, 3)
        layout.addWidget(self.confusion, 1)
        layout.addWidget(self.log, 1)

        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.open_button.clicked.connect(lambda: self.openModelRequested.emit(self._output))
        self._output = ""
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self._last_event = None
        self._reset_curves()

    def _reset_curves(self) -> None:
        self._steps: list[float] = []
        self._losses: list[float] = []
        self._smoothed: list[float] = []
        self._eval: list[tuple[float, float, float, float]] = []
        self._last_event = None
        for curve in (self.loss_raw, self.loss_smooth, self.eval_loss, self.eval_accuracy, self.eval_f1):
            curve.setData([], [])

    def options(self) -> dict:
        return {"train": self.train_edit.text().strip(), "eval": self.eval_edit.text().strip() or None,
                "out": self.out_edit.text().strip(), "epochs": self.epochs.value(), "batch_size": self.batch.value(),
                "lr": self.lr.value(), "max_len": self.max_len.value(), "log_every": 1}

    def _on_start_clicked(self) -> None:
        options = self.options()
        if not options["train"] or not options["out"]:
            self.status.setText("Choose a training file and an output folder first.")
            return
        self.startRequested.emit(options)

    def _on_pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pauseToggled.emit(paused)

    # --- run events ------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.pause_button.setChecked(False)

    def run_started(self, total_steps: int, labels: list) -> None:
        self._reset_curves()
        self.open_button.setEnabled(False)
        self.progress.setRange(0, total_steps)
        self.progress.setValue(0)
        self.status.setText(f"Training: {total_steps} steps, labels {', '.join(labels)}.")
        self.log.appendPlainText(f"started: {total_steps} steps, labels {', '.join(labels)}")

    def show_step(self, e: StepEvent) -> None:
        """Record a step; the drawing is batched (tiny models can step hundreds of times a second)."""
        self._steps.append(e.step)
        self._losses.append(e.loss)
        previous = self._smoothed[-1] if self._smoothed else e.loss
        self._smoothed.append(SMOOTHING * previous + (1 - SMOOTHING) * e.loss)
        self._last_event = e
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _redraw(self) -> None:
        e = self._last_event
        if e is None:
            return
        self.progress.setValue(e.step)
        x = np.asarray(self._steps, dtype=np.float32)
        self.loss_raw.setData(x, np.asarray(self._losses, dtype=np.float32))
        self.loss_smooth.setData(x, np.asarray(self._smoothed, dtype=np.float32))
        eta = e.elapsed_s / e.step * (e.total_steps - e.step)
        self.status.setText(f"step {e.step}/{e.total_steps}, epoch {e.epoch + 1}, loss {e.loss:.4f}, "
                            f"{e.tokens_per_s:,.0f} tokens/s, about {eta:.0f} s left")
        self.log.appendPlainText(f"step {e.step}: loss {e.loss:.4f}, lr {e.lr:.2e}")

    def show_eval(self, step: int, m: ClassificationMetrics) -> None:
        self._eval.append((step, m.loss, m.accuracy, m.macro_f1))
        data = np.asarray(self._eval, dtype=np.float32)
        self.eval_loss.setData(data[:, 0], data[:, 1])
        self.eval_accuracy.setData(data[:, 0], data[:, 2])
        self.eval_f1.setData(data[:, 0], data[:, 3])
        self.log.appendPlainText(f"eval at step {step}: loss {m.loss:.4f}, accuracy {m.accuracy:.4f}, "
                                 f"macro-F1 {m.macro_f1:.4f}")

    def run_finished(self, result: FinetuneResult) -> None:
        self._redraw_timer.stop()
        self._redraw()  # the last steps, drawn now
        m = result.metrics
        if result.output is None:
            self.status.setText(f"Cancelled at step {result.steps}; nothing was written.")
            self.log.appendPlainText("cancelled")
            return
        self._output = str(result.output)
        self.open_button.setEnabled(True)
        self._show_confusion(result.labels, m.confusion)
        self.status.setText(f"Done: accuracy {m.accuracy:.3f}, macro-F1 {m.macro_f1:.3f}. Saved to {result.output}")
        self.log.appendPlainText(f"saved {result.output}")

    def run_failed(self, message: str) -> None:
        self._redraw_timer.stop()
        self.status.setText(message)
        self.log.appendPlainText(f"error: {message}")

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
        self.confusion.show()
