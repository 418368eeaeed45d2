"""Fine-tuning runs on a thread of their own (the inspector's worker stays free), with
pause, resume and cancel checked between training steps. The same thread previews datasets
before a run and, after it, answers "try it" and compares the new model's attention with the
base model's, so the GUI thread never reads a file or runs a model. A run starts from the model
the inspector has loaded, and asks before it replaces a model already in its output folder."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from model.errors import BertError, one_line  # pure: no torch on the GUI thread
from model.finetuning.settings import FinetuneSettings
from model.pretraining.settings import PretrainSettings

from ..garbage import set_aside_long_lived_objects
from ..worker_thread import STOP_WAIT_MS, start_worker_thread, stop_worker_thread

if TYPE_CHECKING:
    from ..controller import Controller

PRETRAINED_MODEL_SUBFOLDER = "model"  # continued pretraining writes OUT/model (beside its checkpoint state)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, BertError):
        return str(exc)
    message = one_line(exc)
    if "out of memory" in message.lower():
        message = QCoreApplication.translate(
            "controller", "the GPU ran out of memory: use a smaller batch size or a shorter maximum length"
        )
    return message


class FinetuneWorker(QObject):
    started = Signal(int, list)  # total steps, label names
    progressed = Signal(object)  # model.train_loop.Progress
    evaluated = Signal(int, object)  # step, ClassificationMetrics (TaggingMetrics for a tagger)
    finished = Signal(object)  # FinetuneResult (output None when cancelled before any checkpoint)
    failed = Signal(str)
    previewed = Signal(object)  # model.finetuning.datasets.DatasetPreview, or token_datasets.TokenDatasetPreview
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

    def _model(self, folder: str | None, device: str | None = None):
        """A model for "try it" and the comparison, or the base of a run: each read from disk once
        (a fine-tune's base is the comparison's too)."""
        from model.bert import load

        key = (folder, device or self._device)
        if key not in self._models:
            self._models[key] = load(folder, device=key[1])
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

    def _report_step(self, progress) -> None:
        self._steps_done = progress.step
        self.progressed.emit(progress)

    @Slot(object)
    def run(self, settings: FinetuneSettings) -> None:
        from model.finetuning.trainer import make_fine_tuner

        self._steps_done = 0
        try:
            tuner = make_fine_tuner(settings, load_base=self._model)
            set_aside_long_lived_objects()  # the run's rows (millions of objects for a big file) live until it ends
            self.started.emit(tuner.total_steps(), tuner.labels)
            for note in tuner.notes:  # what the data made the run do (sentences cut, tags never trained on)
                self.logged.emit(f"note: {note}")
            result = tuner.run(on_step=self._report_step, on_eval=self.evaluated.emit, should_stop=self.should_stop)
        except Exception as exc:  # the thread must survive anything and say what happened
            self._keep_models(self._base, self._tuned, self._device)  # not the failed run's base
            self.failed.emit(_one_line(exc))
            return
        if result.output is None:  # cancelled before a checkpoint: the last run's models stay the ones to try
            self._keep_models(self._base, self._tuned, self._device)
        else:
            self._keep_models(settings.model, str(result.output), settings.device)
        self.finished.emit(result)

    def _keep_models(self, base: str | None, tuned: str | None, device: str) -> None:
        """The models "try it" and the attention comparison use from now on. Only the base stays
        in memory: the tuned folder may have been written again since it was read."""
        self._base, self._tuned, self._device = base, tuned, device
        self._models = {key: bert for key, bert in self._models.items() if key == (base, device)}

    @Slot(object)
    def pretrain(self, settings: PretrainSettings) -> None:
        """Continue masked-LM (and next-sentence) pretraining of settings.init on a text file."""
        from model.pretraining.trainer import Pretrainer

        self._steps_done = 0
        try:
            trainer = Pretrainer(settings, log=lambda line: None if line.startswith("step") else self.logged.emit(line))
            set_aside_long_lived_objects()
            self.started.emit(settings.max_steps, [])

            def report(progress) -> None:
                self._report_step(progress)
                if progress.step % 50 == 0 or progress.step == progress.total_steps:
                    self.logged.emit(
                        f"step {progress.step}: MLM accuracy {progress.metrics['mlm_accuracy']:.3f}, "
                        f"NSP accuracy {progress.metrics['nsp_accuracy']:.3f}"
                    )

            step = trainer.run(should_stop=self.should_stop, on_report=report)
        except Exception as exc:
            self.failed.emit(_one_line(exc))
            return
        self._keep_models(settings.init, str(trainer.out / "model"), settings.device)
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

    @Slot(str, int)
    def preview_tokens(self, path: str, tag_column: int) -> None:
        """A tagged file's first sentences and tag counts; tag_column 0 = the last column."""
        from model.finetuning.token_datasets import preview_token_dataset

        try:
            self.previewed.emit(preview_token_dataset(path, tag_column or None))
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

    _runRequested = Signal(object)  # FinetuneSettings
    _pretrainRequested = Signal(object)  # PretrainSettings
    _previewRequested = Signal(str, str, str, str)
    _tokenPreviewRequested = Signal(str, int)
    _classifyRequested = Signal(str, str)
    _compareRequested = Signal(str, str)

    def __init__(
        self, inspector: Controller | None = None, dialogs: QWidget | None = None, parent: QObject | None = None
    ):
        """`inspector` has the model a run starts from; `dialogs` is the window questions are asked
        over (None: nobody is there to answer, as when rendering a screenshot)."""
        super().__init__(parent)
        self.inspector, self.dialogs = inspector, dialogs
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
        self._tokenPreviewRequested.connect(self._worker.preview_tokens)
        self._classifyRequested.connect(self._worker.classify)
        self._compareRequested.connect(self._worker.compare)
        self._worker.previewed.connect(self.previewReady)
        self._worker.previewFailed.connect(self.previewFailed)
        self._worker.classified.connect(self.classified)
        self._worker.compared.connect(self.attentionCompared)
        self._worker.resultFailed.connect(self.resultFailed)
        self._thread = start_worker_thread("finetune-worker", self._worker)

    def start_from_inspector_model(self, settings: FinetuneSettings | PretrainSettings) -> None:
        """Start a run on the model the inspector has loaded (a fine-tune without one starts from
        the bundled model), on the inspector's device, once the user agrees to replace a model
        already in the output folder."""
        info = self.inspector.info if self.inspector else None
        base, device = (info.path if info else None), (self.inspector.device if self.inspector else "auto")
        if isinstance(settings, PretrainSettings):
            if base is None:  # init None would pretrain from scratch
                self._refuse(self.tr("Not started: load a model in the inspector first."))
                return
            written = Path(settings.out) / PRETRAINED_MODEL_SUBFOLDER
            settings = replace(settings, init=base, device=device)
        else:
            written = Path(settings.out)
            settings = replace(settings, model=base, device=device)
        if not self._may_replace_model_in(written):
            self._refuse(self.tr("Not started: choose another output folder to keep the model in it."))
            return
        self.start(settings)

    def _may_replace_model_in(self, folder: Path) -> bool:
        """A run replaces an earlier model in the folder it writes: the user says so first."""
        if self.dialogs is None or not (folder / "config.json").is_file():
            return True
        answer = QMessageBox.question(
            self.dialogs,
            self.tr("Replace the model?"),
            self.tr("{0} already holds a model. The run replaces it when it finishes. Go on?").format(folder),
            defaultButton=QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _refuse(self, message: str) -> None:
        self.runningChanged.emit(False)  # the view was waiting for the run to start
        self.runFailed.emit(message)

    def may_quit(self) -> bool:
        """Quitting cancels a run in progress: the user says so first."""
        if not self.running or self.dialogs is None:
            return True
        answer = QMessageBox.question(
            self.dialogs,
            self.tr("Fine-tuning in progress"),
            self.tr(
                "A training run is in progress. Stop it and quit? A fine-tuning run keeps only its last "
                "complete checkpoint (Save every), if it wrote one."
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def start(self, settings: FinetuneSettings | PretrainSettings) -> None:
        """Start a fine-tune, or continued pretraining (MLM + NSP) on a text file of blank-line-
        separated documents, unless a run is under way. The settings go to the worker as they are."""
        if self.running:
            return
        self._worker.cancel.clear()
        self._worker.resume.set()
        self.running = True
        self.runningChanged.emit(True)
        (self._pretrainRequested if isinstance(settings, PretrainSettings) else self._runRequested).emit(settings)

    def preview(self, path: str, text_column: str = "", text_b_column: str = "", label_column: str = "") -> None:
        """Read the dataset's first rows and label counts (columns "" = detected, text B "-" = none)."""
        self._previewRequested.emit(path, text_column, text_b_column, label_column)

    def preview_tokens(self, path: str, tag_column: int = 0) -> None:
        """Read a tagged file's first sentences and tag counts (tag column 0 = the last)."""
        self._tokenPreviewRequested.emit(path, tag_column)

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
