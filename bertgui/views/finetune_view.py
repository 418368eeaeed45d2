"""Fine-tune tab: choose and preview a dataset, set the run, watch it train (progress, live
curves, log), then look at what it made: the confusion matrix, how its attention changed, and
its class probabilities for any sentence ("Try it")."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .attention_change_view import AttentionChangeView
from .dataset_panel import DatasetPanel, choose_folder, path_row
from .probability_table import ProbabilityTable
from .view_options import control_values, set_control_values

if TYPE_CHECKING:
    from model.finetuning.metrics import ClassificationMetrics
    from model.finetuning.trainer import FinetuneResult, StepEvent

SMOOTHING = 0.9  # exponential moving average of the training loss, for runs of 100 steps or more
SMOOTHING_SPAN = 10  # a shorter run averages over about a tenth of its steps, or it would lag the raw loss
TITLE_SIZE = "10pt"  # two plots share the panel: their titles must fit above them
CURVE_PENS = {"training loss": "#1d4ed8", "eval loss": "#dc2626", "accuracy": "#16a34a", "macro-F1": "#9333ea"}
REDRAW_MS = 100  # curves and status redraw at most this often, however fast the steps come
TRY_IT_DEBOUNCE_MS = 150


def smoothing_for(total_steps: int) -> float:
    """The moving average's decay: averaging over ~10 steps for long runs, fewer for short ones."""
    return min(SMOOTHING, max(0.0, 1.0 - SMOOTHING_SPAN / max(total_steps, 1)))


def coloured_names(*names: str) -> str:
    """Curve names in their curves' colours, for a plot title: a legend box would sit on the data."""
    return ", ".join(f'<span style="color:{CURVE_PENS[name]}">{name}</span>' for name in names)


def majority_accuracy(confusion: np.ndarray) -> float:
    """The accuracy of always answering the evaluation data's most common class: the floor a
    classifier has to beat (rows of the confusion matrix are the true classes)."""
    total = confusion.sum()
    return float(confusion.sum(axis=1).max() / total) if total else 0.0


def absolute(path_text: str) -> str:
    """The folder a typed path names, in full: the status then says where the model really is.
    Raises ValueError for a ~user whose home folder is unknown."""
    text = path_text.strip()
    if not text:
        return ""
    try:
        return str(Path(text).expanduser().resolve())
    except RuntimeError:  # pathlib's "Could not determine home directory"
        raise ValueError(f"{text}: no such user's home folder; type the folder's full path") from None


def duration_text(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds // 60 % 60:02d} min"


class FinetuneView(QWidget):
    startRequested = Signal(dict)  # FinetuneSettings fields (without the base model)
    pretrainRequested = Signal(dict)  # the same fields, for continued pretraining on a text file
    pauseToggled = Signal(bool)
    cancelRequested = Signal()
    openModelRequested = Signal(str)
    previewRequested = Signal(str, str, str, str)  # path, text, text B, label column ("" = detect)
    classifyRequested = Signal(str, str)  # "Try it": text, text B
    compareRequested = Signal()  # attention change on the inspector's current sentence

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = DatasetPanel()
        self.data.previewRequested.connect(self.previewRequested)
        self.train_edit, self.eval_edit = self.data.train_edit, self.data.eval_edit
        self.task = QComboBox(toolTip="Train a classifier on labelled rows, or continue the model's pretraining "
                                      "(masked words and next sentence) on your own text, keeping its vocabulary")
        self.task.addItem("Classify sentences or pairs (labelled rows)", "classify")
        self.task.addItem("Continue pretraining on a text file (masked LM + NSP)", "pretrain")
        self.task.currentIndexChanged.connect(self._on_task_changed)
        self.data_box = data_box = QGroupBox("Data")
        data_layout = QVBoxLayout(data_box)
        data_layout.addWidget(self.task)
        data_layout.addWidget(self.data)

        self.out_edit, out_row = path_row("folder for the fine-tuned model",
                                          "Where the fine-tuned model is written (a Hugging Face-layout folder, "
                                          "new or empty); it appears once the run has finished, or at the "
                                          "first checkpoint",
                                          choose_folder)
        self.epochs = QSpinBox(minimum=1, maximum=100, value=3, toolTip="Passes over the training data")
        self.max_steps = QSpinBox(minimum=0, maximum=1_000_000, value=0, specialValueText="use epochs",
                                  toolTip="Stop after this many optimizer steps instead of after the epochs")
        self.time_budget = QSpinBox(minimum=0, maximum=24 * 60, value=0, suffix=" min", specialValueText="none",
                                    toolTip="End training after this long, then evaluate and save as usual")
        self.batch = QSpinBox(minimum=1, maximum=1024, value=32, toolTip="Examples per step")
        self.lr = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1e-2, singleStep=1e-5, value=1e-4,
                                 toolTip="Peak learning rate (warmup, then linear decay)")
        self.warmup = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.5, singleStep=0.05, value=0.1,
                                     toolTip="Share of the steps spent warming the learning rate up")
        self.weight_decay = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=0.5, singleStep=0.01, value=0.01,
                                           toolTip="AdamW weight decay (not on biases and LayerNorm)")
        self.dropout = QDoubleSpinBox(decimals=2, minimum=-0.05, maximum=0.9, singleStep=0.05, value=-0.05,
                                      specialValueText="model's own",
                                      toolTip="Hidden, attention and classifier dropout; against over-fitting")
        self.max_len = QSpinBox(minimum=8, maximum=512, value=128, toolTip="Tokens per example; longer inputs are cut")
        self.grad_accum = QSpinBox(minimum=1, maximum=64, value=1,
                                   toolTip="Batches per optimizer step: a larger effective batch in the same memory")
        self.freeze_embeddings = QCheckBox("freeze embeddings", toolTip="Keep the embedding tables fixed")
        self.freeze_layers = QSpinBox(minimum=0, maximum=48, value=0, toolTip="Keep the lowest N encoder layers fixed")
        self.checkpoint_every = QSpinBox(minimum=0, maximum=1_000_000, value=0, singleStep=50, suffix=" steps",
                                         specialValueText="at the end only",
                                         toolTip="Also save the model every N steps, so that a cancelled run "
                                                 "keeps its latest checkpoint")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0,
                             toolTip="Same seed, same data, same device: the same result")
        self.settings_box = settings_box = QGroupBox("Settings")
        form = QFormLayout(settings_box)
        form.addRow("Output folder", out_row)
        for name, widget in (("Epochs", self.epochs), ("Max steps", self.max_steps), ("Time limit", self.time_budget),
                             ("Batch size", self.batch), ("Learning rate", self.lr), ("Warmup", self.warmup),
                             ("Weight decay", self.weight_decay), ("Dropout", self.dropout),
                             ("Max length", self.max_len), ("Gradient accumulation", self.grad_accum),
                             ("Freeze lowest layers", self.freeze_layers), ("", self.freeze_embeddings),
                             ("Save every", self.checkpoint_every), ("Seed", self.seed)):
            form.addRow(name, widget)

        self.base_label = QLabel("Starts from the model loaded in the inspector.")
        self.base_label.setWordWrap(True)
        self.start_button = QPushButton("Start", toolTip="Fine-tune the loaded model on this data")
        self.pause_button = QPushButton("Pause", checkable=True, enabled=False, toolTip="Pause or resume the run")
        self.cancel_button = QPushButton("Cancel", enabled=False,
                                         toolTip="Stop the run; only a complete checkpoint (see Save every) is kept")
        self.open_button = QPushButton("Open in inspector", enabled=False,
                                       toolTip="Load the fine-tuned model into the other tabs")
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        form_layout.addWidget(self.base_label)
        form_layout.addWidget(data_box, 1)
        form_layout.addWidget(settings_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        left = QWidget()  # the run buttons stay in sight below the scrolling form
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(buttons)

        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m steps")
        self.status = QLabel("Choose a training file and press Start.", textFormat=Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        # Losses and scores on separate plots: a loss of 3 would squash scores of 0..1 to the floor.
        self.curves = pg.GraphicsLayoutWidget()
        self.loss_plot = self.curves.addPlot()
        self.loss_plot.setTitle(coloured_names("training loss", "eval loss"), size=TITLE_SIZE)
        self.loss_raw = self.loss_plot.plot([], [], pen=pg.mkPen("#93c5fd", width=1))  # each step, faint
        self.loss_smooth = self.loss_plot.plot([], [], pen=pg.mkPen(CURVE_PENS["training loss"], width=2))
        self.eval_loss = self.loss_plot.plot([], [], pen=pg.mkPen(CURVE_PENS["eval loss"], width=2), symbol="o",
                                             symbolBrush=CURVE_PENS["eval loss"])
        self.loss_plot.setLabel("bottom", "step")
        self.loss_plot.setLabel("left", "cross-entropy")
        self.eval_plot = self.curves.addPlot()
        self.eval_plot.setTitle(coloured_names("accuracy", "macro-F1"), size=TITLE_SIZE)
        self.eval_accuracy = self.eval_plot.plot([], [], pen=pg.mkPen(CURVE_PENS["accuracy"], width=2), symbol="o",
                                                 symbolBrush=CURVE_PENS["accuracy"])
        self.eval_f1 = self.eval_plot.plot([], [], symbol="t", symbolBrush=CURVE_PENS["macro-F1"],  # dashed: the
                                           pen=pg.mkPen(CURVE_PENS["macro-F1"], width=2,  # two often coincide
                                                        style=Qt.PenStyle.DashLine))
        self.eval_plot.setLabel("bottom", "step")
        self.eval_plot.setLabel("left", "on the evaluation data")
        self.eval_plot.setYRange(0, 1.02, padding=0)
        self.eval_plot.getViewBox().setLimits(yMin=-0.02, yMax=1.05)
        self.eval_plot.setXLink(self.loss_plot)  # the same steps under both: one evaluation is not a lone dot
        for plot in (self.loss_plot, self.eval_plot):
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)  # "(x0.001)" beside a loss reads as a unit

        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(2000)
        self.confusion = QTableWidget(0, 0)
        self.confusion.setToolTip("Confusion matrix on the evaluation data: rows = true class, columns = predicted")
        self.confusion.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.attention_change = AttentionChangeView()
        self.attention_change.compareRequested.connect(self.compareRequested)
        self.try_text = QLineEdit(enabled=False, placeholderText="Type a sentence for the fine-tuned classifier",
                                  toolTip="Class probabilities from the model this run saved")
        self.try_text_b = QLineEdit(enabled=False, placeholderText="Sentence B (pair tasks)",
                                    toolTip="Second sentence, for a model fine-tuned on pairs")
        self.try_table = ProbabilityTable("The fine-tuned model's probability for each class")
        self.try_status = QLabel("Finish a run to try its model here.")
        try_it = QWidget()
        try_layout = QVBoxLayout(try_it)
        try_layout.addWidget(self.try_text)
        try_layout.addWidget(self.try_text_b)
        try_layout.addWidget(self.try_status)
        try_layout.addWidget(self.try_table, 1)
        self.results = QTabWidget()
        self.results.addTab(self.log, "Log")
        self.results.addTab(self.confusion, "Confusion matrix")
        self.results.addTab(self.attention_change, "Attention change")
        self.results.addTab(try_it, "Try it")

        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(self.curves)
        right_split.addWidget(self.results)
        right_split.setSizes([300, 300])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.status)
        right_layout.addWidget(right_split, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)  # extra width goes to the curves
        split.setSizes([470, 700])
        scroll.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.open_button.clicked.connect(lambda: self.openModelRequested.emit(self._output))
        self._try_timer = QTimer(self, singleShot=True, interval=TRY_IT_DEBOUNCE_MS)
        self._try_timer.timeout.connect(self._on_try_timer_timeout)
        self.try_text.textChanged.connect(self._try_timer.start)
        self.try_text_b.textChanged.connect(self._try_timer.start)
        self._output = ""
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self._last_event = None
        self._budget_s = None
        self._smoothing = SMOOTHING
        self._reset_curves()

    def set_model_defaults(self, hidden_size: int, num_layers: int) -> None:
        """Settings that suit the model just loaded into the inspector (the one a run starts from)."""
        from model.finetuning.trainer import suggested_learning_rate  # torch is loaded by now, with the model

        self.lr.setValue(suggested_learning_rate(hidden_size))
        self.freeze_layers.setMaximum(num_layers)

    def _reset_curves(self) -> None:
        self._steps: list[float] = []
        self._losses: list[float] = []
        self._smoothed: list[float] = []
        self._eval: list[tuple[float, float, float, float]] = []
        self._average = 0.0
        self._last_event = None
        self._logged_step = None
        for curve in (self.loss_raw, self.loss_smooth, self.eval_loss, self.eval_accuracy, self.eval_f1):
            curve.setData([], [])

    def is_pretraining(self) -> bool:
        return self.task.currentData() == "pretrain"

    def _on_task_changed(self) -> None:
        pretraining = self.is_pretraining()
        self.data.set_labelled(not pretraining)
        self.epochs.setEnabled(not pretraining)
        if pretraining and self.max_steps.value() == 0:
            self.max_steps.setValue(1000)  # plain text has no natural epoch for a short run
        self.max_steps.setMinimum(1 if pretraining else 0)
        self.start_button.setToolTip("Continue pretraining the loaded model on this text" if pretraining else
                                     "Fine-tune the loaded model on this data")

    def options(self) -> dict:
        """The form as the user left it, for the settings. Not the learning rate, which is set to
        suit each model as it loads, nor the data columns, detected again when the file is previewed."""
        return control_values(self._remembered_controls())

    def set_options(self, options: dict) -> None:
        set_control_values(self._remembered_controls(), options, files=("train", "eval"))
        # The preview reads the file on the worker: only a regular file that is there is worth it
        # (a FIFO would block the worker for good; a missing file stays in the form, unread).
        if Path(self.train_edit.text().strip()).is_file():
            self.train_edit.editingFinished.emit()  # show the remembered dataset's preview again

    def _remembered_controls(self) -> dict:
        return {"task": self.task, "train": self.train_edit, "eval": self.eval_edit, "out": self.out_edit,
                "epochs": self.epochs, "max_steps": self.max_steps, "time_budget": self.time_budget,
                "batch": self.batch, "warmup": self.warmup, "weight_decay": self.weight_decay,
                "dropout": self.dropout, "max_len": self.max_len, "grad_accum": self.grad_accum,
                "freeze_embeddings": self.freeze_embeddings, "freeze_layers": self.freeze_layers,
                "checkpoint_every": self.checkpoint_every, "seed": self.seed}

    def run_options(self) -> dict:
        """The settings of the run the Start button asks for."""
        dropout = self.dropout.value()
        return {"train": self.train_edit.text().strip(), "eval": self.eval_edit.text().strip() or None,
                **self.data.columns(), "out": absolute(self.out_edit.text()), "epochs": self.epochs.value(),
                "max_steps": self.max_steps.value() or None, "batch_size": self.batch.value(), "lr": self.lr.value(),
                "warmup_ratio": self.warmup.value(), "weight_decay": self.weight_decay.value(),
                "dropout": None if dropout < 0 else dropout, "max_len": self.max_len.value(),
                "grad_accum": self.grad_accum.value(), "freeze_embeddings": self.freeze_embeddings.isChecked(),
                "freeze_layers": self.freeze_layers.value(), "seed": self.seed.value(),
                "time_budget_s": self.time_budget.value() * 60 or None,
                "checkpoint_every": self.checkpoint_every.value() or None, "log_every": 1}

    def show_preview(self, preview) -> None:
        self.data.show_preview(preview)

    def show_preview_error(self, message: str) -> None:
        self.data.show_error(message)

    def set_base_model(self, name: str) -> None:
        """The model a run starts from: whatever the inspector has loaded, a fine-tuned one included."""
        self.base_label.setText(f"Starts from <b>{html.escape(name)}</b>, the model loaded in the inspector.")

    def _on_start_clicked(self) -> None:
        try:
            options = self.run_options()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        if not options["train"] or not options["out"]:
            self.status.setText("Choose a training file and an output folder first.")
            return
        self.status.setText("Reading and tokenizing the data…")  # a large file takes seconds before step 1
        self.progress.setRange(0, 0)  # busy, until the run knows its length
        (self.pretrainRequested if self.is_pretraining() else self.startRequested).emit(options)

    def _on_pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        if paused:
            self.status.setText("Pausing after this step…")
        self.pauseToggled.emit(paused)

    def show_paused(self, paused: bool, step: int) -> None:
        """The run has halted at a pause (or gone on): said in the status, which no step overwrites now."""
        if paused:
            self._redraw_timer.stop()
            self.status.setText(f"Paused at step {step}: press Resume to go on (the time limit waits too).")

    # --- run events ------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        # The run has read its data and settings: editing them now would change nothing but the display.
        self.data_box.setEnabled(not running)
        self.settings_box.setEnabled(not running)
        if not running:
            self.pause_button.setChecked(False)
            if self.progress.maximum() == 0:  # ended before it started (a refused file): not busy any more
                self.progress.setRange(0, 1)

    def run_started(self, total_steps: int, labels: list) -> None:
        self._reset_curves()
        self._smoothing = smoothing_for(total_steps)
        self.open_button.setEnabled(False)
        self.try_text.setEnabled(False)
        self.try_text_b.setEnabled(False)
        # Nothing from the previous run stays on screen to be read as this one's.
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.attention_change.clear()
        self.attention_change.set_available(False)
        self.try_table.show_probabilities({})
        self.try_status.setText("Finish a run to try its model here.")
        self._budget_s = self.time_budget.value() * 60 or None
        self.progress.setRange(0, total_steps)
        self.progress.setValue(0)
        self.status.setText(f"Training: {total_steps} steps, labels {', '.join(labels)}.")
        self.log.appendPlainText(f"started: {total_steps} steps, labels {', '.join(labels)}")

    def show_step(self, e: StepEvent) -> None:
        """Record a step; the drawing is batched (tiny models can step hundreds of times a second)."""
        self._steps.append(e.step)
        self._losses.append(e.loss)
        # Bias-corrected moving average (as Adam's moments): it starts at the first loss, not at 0.
        self._average = self._smoothing * self._average + (1 - self._smoothing) * e.loss
        self._smoothed.append(self._average / (1 - self._smoothing ** len(self._steps)))
        self._last_event = e
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _redraw(self) -> None:
        e = self._last_event
        if e is None:
            return
        self.progress.setMaximum(e.total_steps)  # a time limit may have fitted the run shorter than planned
        self.progress.setValue(e.step)
        x = np.asarray(self._steps, dtype=np.float32)
        self.loss_raw.setData(x, np.asarray(self._losses, dtype=np.float32))
        self.loss_smooth.setData(x, np.asarray(self._smoothed, dtype=np.float32))
        eta = e.elapsed_s / e.step * (e.total_steps - e.step)
        if self._budget_s:
            eta = min(eta, max(0.0, self._budget_s - e.elapsed_s))
        self.status.setText(f"step {e.step}/{e.total_steps}, epoch {e.epoch + 1}, loss {e.loss:.4f}, "
                            f"{e.tokens_per_s:,.0f} tokens/s, {duration_text(eta)} left")
        if e.step != self._logged_step:  # a final redraw after an evaluation has nothing new to log
            self.log.appendPlainText(f"step {e.step}: loss {e.loss:.4f}, lr {e.lr:.2e}")
            self._logged_step = e.step

    def show_eval(self, step: int, m: ClassificationMetrics) -> None:
        if self._redraw_timer.isActive():  # the log keeps step order: the pending step line first
            self._redraw_timer.stop()
            self._redraw()
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
        self.try_text.setEnabled(True)
        self.try_text_b.setEnabled(True)
        self.try_status.setText(f"Type a sentence: the model in {result.output} classifies it as you type.")
        self.attention_change.set_available(True)
        if m is None:  # cancelled after a checkpoint: that model is complete and usable
            self.status.setText(f"Cancelled at step {result.steps}; the last checkpoint is kept in {result.output}")
            self.log.appendPlainText(f"cancelled; last checkpoint in {result.output}")
            return
        self._show_confusion(result.labels, m.confusion)
        rows = int(m.confusion.sum())
        self.status.setText(f"Done: accuracy {m.accuracy:.3f}, macro-F1 {m.macro_f1:.3f} on {rows} evaluation "
                            f"{'row' if rows == 1 else 'rows'} (always answering their most common class would "
                            f"score {majority_accuracy(m.confusion):.3f}). Saved to {result.output}")
        self.log.appendPlainText(f"saved {result.output}")

    def pretrain_finished(self, folder: str, steps: int, stopped: bool) -> None:
        self._redraw_timer.stop()
        self._redraw()
        self._output = folder
        self.open_button.setEnabled(True)
        self.attention_change.set_available(True)
        how = f"stopped at step {steps}; the last checkpoint" if stopped else f"{steps} steps"
        self.status.setText(f"Continued pretraining done ({how}). Saved to {folder}")
        self.log.appendPlainText(f"saved {folder}")

    def run_failed(self, message: str) -> None:
        self._redraw_timer.stop()
        self.status.setText(message)
        self.log.appendPlainText(f"error: {message}")

    def show_probabilities(self, text: str, probabilities: dict[str, float]) -> None:
        if text != self.try_text.text().strip():
            return  # typed on since
        ranked = self.try_table.show_probabilities(probabilities)
        self.try_status.setText(f"<b>{html.escape(ranked[0][0])}</b> ({ranked[0][1]:.1%})")

    def show_attention_change(self, change) -> None:
        self.attention_change.show_change(change)

    def show_result_error(self, message: str) -> None:
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
