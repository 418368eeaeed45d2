"""Fine-tuning runs on a thread of their own (the inspector's worker stays free), with
pause, resume and cancel checked between training steps."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot


class FinetuneWorker(QObject):
    started = Signal(int, list)  # total steps, label names
    progressed = Signal(object)  # model.finetuning.trainer.StepEvent
    evaluated = Signal(int, object)  # step, ClassificationMetrics
    finished = Signal(object)  # FinetuneResult (output None when cancelled)
    failed = Signal(str)

    def __init__(self):
        super().__init__()
        self.cancel = threading.Event()
        self.resume = threading.Event()
        self.resume.set()

    def should_stop(self) -> bool:
        """Called between steps: blocks while paused, True once cancelled."""
        while not self.resume.is_set() and not self.cancel.is_set():
            time.sleep(0.02)
        return self.cancel.is_set()

    @Slot(dict)
    def run(self, options: dict) -> None:
        from model.errors import BertError
        from model.finetuning.trainer import FineTuner, FinetuneSettings

        try:
            tuner = FineTuner(FinetuneSettings(**options))
            self.started.emit(tuner.total_steps(), tuner.labels)
            result = tuner.run(on_step=self.progressed.emit, on_eval=self.evaluated.emit,
                               should_stop=self.should_stop)
        except BertError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # the thread must survive anything and say what happened
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "out of memory" in message.lower():
                message = "the GPU ran out of memory: use a smaller batch size or a shorter maximum length"
            self.failed.emit(message)
            return
        self.finished.emit(result)


class FinetuneController(QObject):
    runStarted = Signal(int, list)
    progressed = Signal(object)
    evaluated = Signal(int, object)
    runFinished = Signal(object)
    runFailed = Signal(str)
    runningChanged = Signal(bool)

    _runRequested = Signal(dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.running = False
        self._thread = QThread()
        self._thread.setObjectName("finetune-worker")
        self._worker = FinetuneWorker()
        self._worker.moveToThread(self._thread)
        self._runRequested.connect(self._worker.run)
        self._worker.started.connect(self.runStarted)
        self._worker.progressed.connect(self.progressed)
        self._worker.evaluated.connect(self.evaluated)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self._thread.start()

    def start(self, options: dict) -> None:
        """Start a run; `options` are FinetuneSettings fields (built on the worker thread,
        where torch lives)."""
        if self.running:
            return
        self._worker.cancel.clear()
        self._worker.resume.set()
        self.running = True
        self.runningChanged.emit(True)
        self._runRequested.emit(options)

    def set_paused(self, paused: bool) -> None:
        (self._worker.resume.clear if paused else self._worker.resume.set)()

    def cancel(self) -> None:
        self._worker.cancel.set()

    def shutdown(self) -> None:
        """Cancel a run in progress (it stops at the next step boundary) and end the thread."""
        self.cancel()
        self._thread.quit()
        self._thread.wait()

    @Slot(object)
    def _on_worker_finished(self, result) -> None:
        self.running = False
        self.runningChanged.emit(False)
        self.runFinished.emit(result)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.running = False
        self.runningChanged.emit(False)
        self.runFailed.emit(message)
