"""Worker threads: started under the GUI-thread garbage policy, and stopped with a bound.

Closing the window must never wait on a worker without a limit: a model load, a file read or a
training step can take far longer than a user will watch a frozen window. A thread still busy
after STOP_WAIT_MS is abandoned: kept referenced (Qt aborts the process if a running QThread
is destroyed), its answers silenced, its garbage policy left on, and the app ends the process without waiting for it
(`any_abandoned`). Saves are crash-consistent (model/atomic.py), so nothing is lost that way.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread

from . import garbage

STOP_WAIT_MS = 2000

_abandoned: list[tuple[QThread, QObject]] = []


def start_worker_thread(name: str, worker: QObject) -> QThread:
    """Move `worker` to a new thread named `name` and start it (on the GUI thread)."""
    garbage.hold()  # before the thread exists, so no collection ever runs on it
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread


def stop_worker_thread(thread: QThread, worker: QObject, wait_ms: int = STOP_WAIT_MS) -> bool:
    """Ask the thread to end once its current task is done; True if it did within `wait_ms`."""
    thread.quit()
    if thread.wait(wait_ms):
        garbage.release()
        return True
    worker.blockSignals(True)  # its late answers must reach no window: the app is closing
    _abandoned.append((thread, worker))
    return False


def any_abandoned() -> bool:
    """Whether a worker thread abandoned at shutdown is still running."""
    return any(thread.isRunning() for thread, _ in _abandoned)


def wait_for_abandoned(wait_ms: int) -> None:
    """Wait (on the GUI thread) up to `wait_ms` for each abandoned worker thread to end, and give
    back the garbage policy of those that did. For a process that goes on after closing a window
    (the test suite): the app itself ends without waiting."""
    for thread, worker in list(_abandoned):
        if thread.wait(wait_ms):
            _abandoned.remove((thread, worker))
            garbage.release()
