"""Fine-tuning runs on a thread of their own (the inspector's worker stays free), with
pause, resume and cancel checked between training steps. The same thread previews datasets
before a run and, after it, answers "try it" and compares the new model's attention with the
base model's, so the GUI thread never reads a file or runs a model."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from model.errors import BertError, one_line  # pure: no torch on the GUI thread

from .garbage import set_aside_long_lived_objects
from .worker_thread import STOP_WAIT_MS, start_worker_thread, stop_worker_thread


def _bundled() -> str:
    from model.bert import BUNDLED_MODEL

    return str(BUNDLED_MODEL)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, BertError):
        return str(exc)
    message = one_line(exc)
    if "out of memory" in message.lower():
        message = "the GPU ran out of memory: use a smaller batch size or a shorter maximum length"
    return message


class FinetuneWorker(QObject):
    started = Signal(int, list)  # total steps, label names
    progressed = Signal(object)  # model.finetuning.trainer.StepEvent
    evaluated = Signal(int, object)  # step, ClassificationMetrics
    finished = Signal(object)  # FinetuneResult (output None when cancelled before any checkpoint)
    failed = Signal(str)
    previewed = Signal(object)  # model.finetuning.datasets.DatasetPreview
    previewFailed = Signal(str)
    classified = Signal(str, object)  # text, {label: probability}
    compared = Signal(object)  # model.attention_change.AttentionChange
    resultFailed = Signal(str)  # try-it or comparison could not run
    pretrainFinished = Signal(str, int, bool)  # model folder, steps, stopped early
    logged = Signal(str)  # a line for the log pane
    pausedChanged = Signal(bool, int)  # halted at a pause (True) or going again or cancelled (False); steps done

    def __init__(self):
        super().__init__()
        self.cancel = threading.Event()
        self.resume = threading.Event()
        self.resume.set()
        self._steps_done = 0  # the last step reported: where a pause halts the run
        self._models: dict[tuple[str | None, str], object] = {}  # (folder, device) -> Bert, base and fine-tuned
        self._base: str | None = None
        self._tuned: str | None = None
        self._device = "auto"

    def _model(self, folder: str | None):
        from model.bert import load

        key = (folder, self._device)
        if key not in self._models:
            self._models = {k: v for k, v in self._models.items() if k[0] in (self._base, self._tuned)}
            self._models[key] = load(folder, device=self._device)
        return self._models[key]

    def should_stop(self) -> bool:
        """Called between steps: blocks while paused, True once cancelled. The training loop
        leaves the time spent here out of its time budget and speed."""
        if self._paused():
            self.pausedChanged.emit(True, self._steps_done)
            while self._paused():
                time.sleep(0.02)
            self.pausedChanged.emit(False, self._steps_done)
        return self.cancel.is_set()

    def _paused(self) -> bool:
        return not self.resume.is_set() and not self.cancel.is_set()

    def _report_step(self, event) -> None:
        self._steps_done = event.step
        self.progressed.emit(event)

    @Slot(dict)
    def run(self, options: dict) -> None:
        from model.finetuning.trainer import FineTuner, FinetuneSettings

        self._steps_done = 0
        try:
            tuner = FineTuner(FinetuneSettings(**options))
            set_aside_long_lived_objects()  # the run's rows (millions of objects for a big file) live until it ends
            self.started.emit(tuner.total_steps(), tuner.labels)
            result = tuner.run(on_step=self._report_step, on_eval=self.evaluated.emit,
                               should_stop=self.should_stop)
        except Exception as exc:  # the thread must survive anything and say what happened
            self.failed.emit(_one_line(exc))
            return
        if result.output is not None:
            self._base, self._tuned = options.get("model"), str(result.output)
            self._device = options.get("device", "auto")
            self._models.clear()
        self.finished.emit(result)

    @Slot(dict)
    def pretrain(self, options: dict) -> None:
        """Continue masked-LM (and next-sentence) pretraining of the base model on a text file."""
        from model.finetuning.trainer import StepEvent
        from model.pretraining.trainer import Pretrainer, PretrainSettings

        self._steps_done = 0
        try:
            steps = options["max_steps"]
            settings = PretrainSettings(
                corpus=options["train"], out=options["out"], init=options.get("model") or _bundled(),
                max_len=options["max_len"], batch_size=options["batch_size"], lr=options["lr"],
                warmup_steps=max(1, round(options.get("warmup_ratio", 0.1) * steps)), max_steps=steps,
                weight_decay=options.get("weight_decay", 0.01), seed=options.get("seed", 0),
                log_every=1, checkpoint_every=options.get("checkpoint_every") or max(100, steps // 10),
                time_budget_s=options.get("time_budget_s"),
                # As in a fine-tune: with a time limit the learning rate decays to 0 as it ends (max_steps is a cap).
                fit_schedule=options.get("time_budget_s") is not None,
                device=options.get("device", "auto"))
            trainer = Pretrainer(settings, log=lambda line: None if line.startswith("step") else self.logged.emit(line))
            set_aside_long_lived_objects()
            self.started.emit(steps, [])

            def report(r) -> None:
                total = trainer.loop.settings.total_steps  # fitted to the time limit after the first few steps
                self._report_step(StepEvent(r.step, total, r.epoch, r.loss, r.lr, r.tokens_per_s, r.elapsed_s))
                if r.step % 50 == 0 or r.step == total:
                    self.logged.emit(f"step {r.step}: MLM accuracy {r.mlm_accuracy:.3f}, "
                                     f"NSP accuracy {r.nsp_accuracy:.3f}")

            step = trainer.run(should_stop=self.should_stop, on_report=report)
        except Exception as exc:
            self.failed.emit(_one_line(exc))
            return
        self._base, self._tuned = options.get("model"), str(trainer.out / "model")
        self._device = options.get("device", "auto")
        self._models.clear()
        self.pretrainFinished.emit(self._tuned, step, step < trainer.loop.settings.total_steps)

    @Slot(str, str, str, str)
    def preview(self, path: str, text_column: str, text_b_column: str, label_column: str) -> None:
        """Columns: "" = detect (for text B, "-" = none)."""
        from model.finetuning.datasets import preview_dataset

        try:
            b = None if text_b_column == "" else ("" if text_b_column == "-" else text_b_column)
            self.previewed.emit(preview_dataset(path, text_column or None, b, label_column or None))
        except Exception as exc:
            self.previewFailed.emit(_one_line(exc))

    @Slot(str, str)
    def classify(self, text: str, text_b: str) -> None:
        try:
            tuned = self._model(self._tuned)
            self.classified.emit(text, tuned.classify(text, text_b or None))
        except Exception as exc:
            self.resultFailed.emit(_one_line(exc))

    @Slot(str, str)
    def compare(self, text: str, text_b: str) -> None:
        from model.attention_change import attention_change

        try:
            change = attention_change(self._model(self._base), self._model(self._tuned), text, text_b or None)
            self.compared.emit(change)
        except Exception as exc:
            self.resultFailed.emit(_one_line(exc))


class FinetuneController(QObject):
    runStarted = Signal(int, list)
    progressed = Signal(object)
    evaluated = Signal(int, object)
    runFinished = Signal(object)
    runFailed = Signal(str)
    runningChanged = Signal(bool)
    previewReady = Signal(object)
    previewFailed = Signal(str)
    classified = Signal(str, object)
    attentionCompared = Signal(object)
    resultFailed = Signal(str)
    pretrainFinished = Signal(str, int, bool)
    logged = Signal(str)
    pausedChanged = Signal(bool, int)  # see FinetuneWorker.pausedChanged

    _runRequested = Signal(dict)
    _pretrainRequested = Signal(dict)
    _previewRequested = Signal(str, str, str, str)
    _classifyRequested = Signal(str, str)
    _compareRequested = Signal(str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.running = False
        self._worker = FinetuneWorker()
        self._stopped = False
        self._runRequested.connect(self._worker.run)
        self._worker.started.connect(self.runStarted)
        self._worker.progressed.connect(self.progressed)
        self._worker.evaluated.connect(self.evaluated)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self._pretrainRequested.connect(self._worker.pretrain)
        self._worker.pretrainFinished.connect(self._on_worker_pretrain_finished)
        self._worker.logged.connect(self.logged)
        self._worker.pausedChanged.connect(self.pausedChanged)
        self._previewRequested.connect(self._worker.preview)
        self._classifyRequested.connect(self._worker.classify)
        self._compareRequested.connect(self._worker.compare)
        self._worker.previewed.connect(self.previewReady)
        self._worker.previewFailed.connect(self.previewFailed)
        self._worker.classified.connect(self.classified)
        self._worker.compared.connect(self.attentionCompared)
        self._worker.resultFailed.connect(self.resultFailed)
        self._thread = start_worker_thread("finetune-worker", self._worker)

    def start(self, options: dict) -> None:
        """Start a run; `options` are FinetuneSettings fields (built on the worker thread,
        where torch lives)."""
        self._begin(self._runRequested, options)

    def start_pretraining(self, options: dict) -> None:
        """Continue pretraining (MLM + NSP) on options["train"], a text file of blank-line-separated documents."""
        self._begin(self._pretrainRequested, options)

    def _begin(self, request: SignalInstance, options: dict) -> None:
        """Hand a run to the worker thread, unless one is under way."""
        if self.running:
            return
        self._worker.cancel.clear()
        self._worker.resume.set()
        self.running = True
        self.runningChanged.emit(True)
        request.emit(options)

    def preview(self, path: str, text_column: str = "", text_b_column: str = "", label_column: str = "") -> None:
        """Read the dataset's first rows and label counts (columns "" = detected, text B "-" = none)."""
        self._previewRequested.emit(path, text_column, text_b_column, label_column)

    def classify(self, text: str, text_b: str = "") -> None:
        """Class probabilities from the model the last run saved."""
        self._classifyRequested.emit(text, text_b)

    def compare_attention(self, text: str, text_b: str = "") -> None:
        """Per head, how far the last run's model attends differently from its base model on this text."""
        self._compareRequested.emit(text, text_b)

    def set_paused(self, paused: bool) -> None:
        (self._worker.resume.clear if paused else self._worker.resume.set)()

    def cancel(self) -> None:
        self._worker.cancel.set()

    def shutdown(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Cancel a run in progress (it stops at the next step boundary) and end the thread,
        waiting `wait_ms` at most (a step or a read that takes longer is abandoned, not waited on).
        True if it stopped. Calling it again does nothing."""
        self.cancel()
        if self._stopped:
            return True
        self._stopped = True
        return stop_worker_thread(self._thread, self._worker, wait_ms)

    @Slot(object)
    def _on_worker_finished(self, result) -> None:
        self.running = False
        self.runningChanged.emit(False)
        self.runFinished.emit(result)

    @Slot(str, int, bool)
    def _on_worker_pretrain_finished(self, folder: str, steps: int, stopped: bool) -> None:
        self.running = False
        self.runningChanged.emit(False)
        self.pretrainFinished.emit(folder, steps, stopped)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.running = False
        self.runningChanged.emit(False)
        self.runFailed.emit(message)
