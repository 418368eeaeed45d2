"""Downloads from the Hugging Face Hub on a worker thread of their own (model.hub does the work),
so the window, and the model open in it, stay usable meanwhile.

HubDownloader lives on the GUI thread: it starts one thread per download and stops it once the
download has ended. Only plain data crosses: the id, DownloadProgress, a path, a message; the
cancel request is a threading.Event the worker's download checks between chunks.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from model.errors import BertError, one_line
from model.hub import DownloadCancelled, DownloadProgress, download

from .worker_thread import STOP_WAIT_MS, start_worker_thread, stop_worker_thread


class HubDownloadWorker(QObject):
    """Runs on the download thread."""

    progressed = Signal(object)  # DownloadProgress
    downloaded = Signal(str)  # the snapshot folder
    failed = Signal(str)  # one-line message
    cancelled = Signal()

    def __init__(self, cancel: threading.Event):
        super().__init__()
        self._cancel = cancel

    @Slot(str, str)
    def run(self, model_id: str, revision: str) -> None:
        try:
            path = download(model_id, revision or None, progress=self.progressed.emit, cancel=self._cancel)
        except DownloadCancelled:
            self.cancelled.emit()
        except BertError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - the dialog must hear of every failure, in one line
            self.failed.emit(
                self.tr("the download failed unexpectedly ({0}: {1})").format(type(exc).__name__, one_line(exc)[:160])
            )
        else:
            self.downloaded.emit(str(path))


class HubDownloader(QObject):
    """One download at a time; emits what its worker reports, on the GUI thread."""

    started = Signal(str)  # model id
    progressed = Signal(object)  # DownloadProgress
    downloaded = Signal(str, str)  # model id, snapshot folder
    failed = Signal(str)
    cancelled = Signal()
    busyChanged = Signal(bool)

    _runRequested = Signal(str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: HubDownloadWorker | None = None
        self._cancel = threading.Event()
        self._model_id = ""

    def is_busy(self) -> bool:
        return self._thread is not None

    def start(self, model_id: str, revision: str = "") -> bool:
        """Start downloading `model_id`; False (and nothing done) while another download runs."""
        if self.is_busy():
            return False
        self._model_id = model_id
        self._cancel = threading.Event()
        self._worker = HubDownloadWorker(self._cancel)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.downloaded.connect(self._on_worker_downloaded)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.cancelled.connect(self._on_worker_cancelled)
        self._runRequested.connect(self._worker.run)
        self._thread = start_worker_thread("hub-download", self._worker)
        self.busyChanged.emit(True)
        self.started.emit(model_id)
        self._runRequested.emit(model_id, revision)
        return True

    def cancel(self) -> None:
        """The download stops at its next chunk (within a fraction of a second on a live link)."""
        self._cancel.set()

    def shutdown(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Cancel any download and stop its thread, waiting `wait_ms` at most (the window is closing)."""
        self._cancel.set()
        return self._stop(wait_ms)

    def _stop(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        if self._thread is None:
            return True
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        self._runRequested.disconnect(worker.run)
        stopped = stop_worker_thread(thread, worker, wait_ms)
        self.busyChanged.emit(False)
        return stopped

    @Slot(object)
    def _on_worker_progressed(self, progress: DownloadProgress) -> None:
        self.progressed.emit(progress)

    @Slot(str)
    def _on_worker_downloaded(self, path: str) -> None:
        self._stop()  # its task has returned: the thread ends at once
        self.downloaded.emit(self._model_id, path)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self._stop()
        self.cancelled.emit()
