"""Cyclic garbage is collected on the GUI thread, never on a worker thread.

Python's cyclic collector runs on whichever thread happens to allocate past its threshold.
While worker threads run torch, that is usually a worker, and when the garbage holds a Qt
object (a closed window's QMenu, a pyqtgraph item) the worker runs its C++ destructor. Qt
objects must be destroyed on the thread they live on: the destructor then waits on a Qt lock
the GUI thread holds while the GUI thread waits for the GIL, and the app freezes for good
(seen as QMenu::~QMenu on the model worker, from torch's state_dict, against
QObject::disconnect on the GUI thread). pyqtgraph documents the same hazard and remedy: turn
automatic collection off and collect from a timer on the GUI thread.

Every controller that starts a worker thread holds the policy while it runs; automatic
collection comes back, after a last collection here, when the last one lets go.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

COLLECT_INTERVAL_MS = 1000  # garbage waits a second at most; each tick counts once towards an older pass


class GuiThreadCollector(QObject):
    """Collects from a timer on the GUI thread. The young generation is collected on every tick
    that follows any allocation (microseconds), so garbage never waits long; the older ones when
    the interpreter's own thresholds say so, as rare as they would have been."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.unfreeze()  # nothing is kept from the collector once no worker runs
        gc.enable()

    @Slot()
    def _on_timer_timeout(self) -> None:
        counts = gc.get_count()
        if counts[0] <= 0:
            return
        generation = 0  # and the oldest generation whose count is past its threshold, as gc's own rule
        while generation < 2 and counts[generation + 1] > self._thresholds[generation + 1]:
            generation += 1
        gc.collect(generation)


def set_aside_long_lived_objects() -> None:
    """Move every object alive now out of the collector's sight (gc.freeze). Called as the
    controllers start, once the window is up, and after each model load (on the worker): the
    modules of Qt, pyqtgraph and torch, the window and the open model, 340,000 objects, live as
    long as the app or the model, and scanning them made a full pass take 0.27 s on the GUI thread;
    afterwards it takes 1 to 2 ms (3,700 objects; measured in the app with the bundled model
    loaded). It runs no destructor, so any thread may call it. The cost: a reference cycle among
    objects set aside is never collected, so only long-lived objects may be set aside."""
    gc.freeze()


_collector: GuiThreadCollector | None = None
_holders = 0


def hold() -> None:
    """Called on the GUI thread by whatever starts a worker thread, before starting it."""
    global _collector, _holders
    _holders += 1
    if _holders == 1:
        # Parented to the application, so the collector outlives the window that started it.
        _collector = GuiThreadCollector(QCoreApplication.instance())
        _collector.start()
        set_aside_long_lived_objects()


def release() -> None:
    """Called on the GUI thread once that worker thread has stopped (or been abandoned)."""
    global _collector, _holders
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0 and _collector is not None:
        _collector.stop()
        _collector.deleteLater()
        _collector = None


def is_held() -> bool:
    return _holders > 0
