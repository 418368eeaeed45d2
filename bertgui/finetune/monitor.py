"""The Fine-tune tab's monitor: the run's progress, its status line, live loss and score curves,
and its log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWidget

from ..model_texts import model_text

if TYPE_CHECKING:
    from model.finetuning.metrics import ClassificationMetrics
    from model.finetuning.token_metrics import TaggingMetrics
    from model.train_loop import Progress

SMOOTHING = 0.9  # exponential moving average of the training loss, for runs of 100 steps or more
SMOOTHING_SPAN = 10  # a shorter run averages over about a tenth of its steps, or it would lag the raw loss
TITLE_SIZE = "10pt"  # two plots share the panel: their titles must fit above them
# The score curve is macro-F1 for a classifier, chunk F1 for a tagger (the metrics name it).
CURVE_PENS = {"training loss": "#1d4ed8", "eval loss": "#dc2626", "accuracy": "#16a34a", "score": "#9333ea"}
CURVE_NAMES = {  # what the loss curves are called; the metrics name the other two
    "training loss": QT_TRANSLATE_NOOP("monitor", "training loss"),
    "eval loss": QT_TRANSLATE_NOOP("monitor", "eval loss"),
}
REDRAW_MS = 100  # curves and status redraw at most this often, however fast the steps come
READY = QT_TRANSLATE_NOOP("monitor", "Choose training data (or the sample dataset) and press Start.")


def smoothing_for(total_steps: int) -> float:
    """The moving average's decay: averaging over ~10 steps for long runs, fewer for short ones."""
    return min(SMOOTHING, max(0.0, 1.0 - SMOOTHING_SPAN / max(total_steps, 1)))


def coloured_names(*names: str, shown: dict[str, str] | None = None) -> str:
    """Curve names in their curves' colours, for a plot title: a legend box would sit on the data.
    `shown` gives the words a curve is called by where they are not its name (the score's)."""
    shown = shown or {}
    words = {
        name: model_text(shown[name]) if name in shown else QCoreApplication.translate("monitor", CURVE_NAMES[name])
        for name in names
    }
    return ", ".join(f'<span style="color:{CURVE_PENS[name]}">{words[name]}</span>' for name in names)


def duration_text(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds // 60 % 60:02d} min"


class TrainingMonitor(QWidget):
    """Progress bar, status and curves; the log is its too, though the tab shows it among the results."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v / %m steps"))
        self.status = QLabel(QCoreApplication.translate("monitor", READY), textFormat=Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.curves = self._curves()
        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(2000)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.curves, 1)
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self._smoothing = SMOOTHING
        self._showing_error = False
        self._reset_curves()

    def _curves(self) -> pg.GraphicsLayoutWidget:
        # Losses and scores on separate plots: a loss of 3 would squash scores of 0..1 to the floor.
        curves = pg.GraphicsLayoutWidget()
        self.loss_plot = curves.addPlot()
        self.loss_plot.setTitle(coloured_names("training loss", "eval loss"), size=TITLE_SIZE)
        self.loss_raw = self.loss_plot.plot([], [], pen=pg.mkPen("#93c5fd", width=1))  # each step, faint
        self.loss_smooth = self.loss_plot.plot([], [], pen=pg.mkPen(CURVE_PENS["training loss"], width=2))
        self.eval_loss = self.loss_plot.plot(
            [], [], pen=pg.mkPen(CURVE_PENS["eval loss"], width=2), symbol="o", symbolBrush=CURVE_PENS["eval loss"]
        )
        self.loss_plot.setLabel("bottom", self.tr("step"))
        self.loss_plot.setLabel("left", self.tr("cross-entropy"))
        self.eval_plot = curves.addPlot()
        self._score_names = ("accuracy", "macro-F1")
        self._set_score_names(*self._score_names)
        self.eval_accuracy = self.eval_plot.plot(
            [], [], pen=pg.mkPen(CURVE_PENS["accuracy"], width=2), symbol="o", symbolBrush=CURVE_PENS["accuracy"]
        )
        self.eval_f1 = self.eval_plot.plot(
            [],
            [],
            symbol="t",
            symbolBrush=CURVE_PENS["score"],  # dashed: the
            pen=pg.mkPen(
                CURVE_PENS["score"],
                width=2,  # two often coincide
                style=Qt.PenStyle.DashLine,
            ),
        )
        self.eval_plot.setLabel("bottom", self.tr("step"))
        self.eval_plot.setLabel("left", self.tr("on the evaluation data"))
        self.eval_plot.setYRange(0, 1.02, padding=0)
        self.eval_plot.getViewBox().setLimits(yMin=-0.02, yMax=1.05)
        self.eval_plot.setXLink(self.loss_plot)  # the same steps under both: one evaluation is not a lone dot
        for plot in (self.loss_plot, self.eval_plot):
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)  # "(x0.001)" beside a loss reads as a unit
        return curves

    def _set_score_names(self, accuracy: str, score: str) -> None:
        """What the evaluation curves are: accuracy and macro-F1, or a tagger's word accuracy and chunk F1."""
        self._score_names = (accuracy, score)
        title = coloured_names("accuracy", "score", shown={"accuracy": accuracy, "score": score})
        self.eval_plot.setTitle(title, size=TITLE_SIZE)

    def _reset_curves(self) -> None:
        self._steps: list[float] = []
        self._losses: list[float] = []
        self._smoothed: list[float] = []
        self._eval: list[tuple[float, float, float, float]] = []
        self._average = 0.0
        self._last_progress = None
        self._logged_step = None
        for curve in (self.loss_raw, self.loss_smooth, self.eval_loss, self.eval_accuracy, self.eval_f1):
            curve.setData([], [])

    def say(self, text: str, log: str | None = None) -> None:
        """A status line, and a line for the log if there is one."""
        self.status.setText(text)
        self._showing_error = False
        if log is not None:
            self.log.appendPlainText(log)

    def say_error(self, text: str, log: str | None = None) -> None:
        """A status line about the run's inputs, which clear_error takes back once they change."""
        self.say(text, log)
        self._showing_error = True

    def clear_error(self) -> None:
        """The data or the folder an error was about has changed: the error no longer applies."""
        if self._showing_error:
            self.say(QCoreApplication.translate("monitor", READY))

    def training_curve(self) -> tuple[list[float], list[float]]:
        """(steps, losses) of the run so far, as reported."""
        return list(self._steps), list(self._losses)

    def eval_curve(self) -> tuple[list[float], list[float]]:
        """(steps, eval losses) of the run's evaluations so far."""
        return [e[0] for e in self._eval], [e[1] for e in self._eval]

    def show_busy(self) -> None:
        """Busy until the run knows its length (a large file takes seconds before step 1)."""
        self.say(self.tr("Reading and tokenizing the data…"))
        self.progress.setRange(0, 0)

    def show_stopped(self) -> None:
        if self.progress.maximum() == 0:  # ended before it started (a refused file): not busy any more
            self.progress.setRange(0, 1)

    def run_started(self, total_steps: int, labels: list, tagging: bool = False) -> None:
        """`labels`: the classes, or a tagger's tags."""
        self._reset_curves()
        self._smoothing = smoothing_for(total_steps)
        self._set_score_names(*(("word accuracy", "chunk F1") if tagging else ("accuracy", "macro-F1")))
        self.progress.setRange(0, total_steps)
        self.progress.setValue(0)
        if tagging:  # tens of tags: the status counts them, the log lists them
            self.say(
                self.tr("Training a tagger: {0} steps, {1} tags.").format(total_steps, len(labels)),
                f"started: {total_steps} steps, tags {', '.join(labels)}",
            )
            return
        self.say(
            self.tr("Training: {0} steps, labels {1}.").format(total_steps, ", ".join(labels)),
            f"started: {total_steps} steps, labels {', '.join(labels)}",
        )

    def show_step(self, p: Progress) -> None:
        """Record a step; the drawing is batched (tiny models can step hundreds of times a second)."""
        self._steps.append(p.step)
        self._losses.append(p.loss)
        # Bias-corrected moving average (as Adam's moments): it starts at the first loss, not at 0.
        self._average = self._smoothing * self._average + (1 - self._smoothing) * p.loss
        self._smoothed.append(self._average / (1 - self._smoothing ** len(self._steps)))
        self._last_progress = p
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def flush(self) -> None:
        """Draw the steps waiting for the next redraw now (the run has ended, or is paused)."""
        self._redraw_timer.stop()
        self._redraw()

    def _redraw(self) -> None:
        p = self._last_progress
        if p is None:
            return
        self.progress.setMaximum(p.total_steps)  # a time limit may have fitted the run shorter than planned
        self.progress.setValue(p.step)
        x = np.asarray(self._steps, dtype=np.float32)
        self.loss_raw.setData(x, np.asarray(self._losses, dtype=np.float32))
        self.loss_smooth.setData(x, np.asarray(self._smoothed, dtype=np.float32))
        self.status.setText(
            self.tr("step {0}/{1}, epoch {2}, loss {3:.4f}, {4:,.0f} tokens/s, {5} left").format(
                p.step, p.total_steps, p.epoch + 1, p.loss, p.tokens_per_s, duration_text(p.eta_s)
            )
        )
        if p.step != self._logged_step:  # a final redraw after an evaluation has nothing new to log
            self.log.appendPlainText(f"step {p.step}: loss {p.loss:.4f}, lr {p.lr:.2e}")
            self._logged_step = p.step

    def show_paused(self, paused: bool, step: int) -> None:
        """The run has halted at a pause (or gone on): said in the status, which no step overwrites now."""
        if paused:
            self.flush()  # the bar and the curves show the step the run halted at, as the status says
            self.status.setText(
                self.tr("Paused at step {0}: press Resume to go on (the time limit waits too).").format(step)
            )

    def show_eval(self, step: int, m: ClassificationMetrics | TaggingMetrics) -> None:
        if self._redraw_timer.isActive():  # the log keeps step order: the pending step line first
            self.flush()
        if (m.accuracy_name, m.score_name) != self._score_names:
            self._set_score_names(m.accuracy_name, m.score_name)
        self._eval.append((step, m.loss, m.accuracy, m.score))
        data = np.asarray(self._eval, dtype=np.float32)
        self.eval_loss.setData(data[:, 0], data[:, 1])
        self.eval_accuracy.setData(data[:, 0], data[:, 2])
        self.eval_f1.setData(data[:, 0], data[:, 3])
        self.log.appendPlainText(
            f"eval at step {step}: loss {m.loss:.4f}, {m.accuracy_name} {m.accuracy:.4f}, {m.score_name} {m.score:.4f}"
        )
