"""The worker layer: model loading and forward passes on a thread of their own.

Workers never touch widgets; they receive requests as queued signals and answer with signals
that carry plain data (a `model.Bert`, a `model.Inspection`, an error line).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from .garbage import set_aside_long_lived_objects

if TYPE_CHECKING:
    import model
@dataclass(frozen=True)
class InspectRequest:
    request_id: int
    text: str
    text_b: str | None
    head_mask: np.ndarray | None
    top_k: int = 10
    all_positions: bool = False  # score every position, not only the [MASK]s


class ModelWorker(QObject):
    """Lives in a QThread. Holds the model it is running; only this thread calls it."""

    loaded = Signal(int, object)  # request id, model.Bert
    loadFailed = Signal(int, str)  # request id, one-line message
    inspected = Signal(int, object)  # request id, model.Inspection
    inspectFailed = Signal(int, str)
    devicesFound = Signal(list)  # ["cpu", "cuda:0", ...]
    moved = Signal(object)  # model.Bert, now on its new device
    moveFailed = Signal(str)
    exported = Signal(str)  # path of the .npz written
    exportFailed = Signal(str)

    def __init__(self):
        super().__init__()
        self._bert: model.Bert | None = None
        self._last: model.Inspection | None = None  # the latest result, for export
        self._lock = threading.Lock()
        self._newest_inspect = 0  # requests older than this are skipped unseen

    def note_newest(self, request_id: int) -> None:
        """Called from the GUI thread as a request is queued, so older queued ones are dropped."""
        with self._lock:
            self._newest_inspect = max(self._newest_inspect, request_id)

    @Slot(int, str, str)
    def load(self, request_id: int, path: str, device: str) -> None:
        import model  # torch loads here, on the worker thread, never on the GUI thread

        try:
            bert = model.load(path or None, device=device)
        except model.BertError as exc:
            self.loadFailed.emit(request_id, str(exc))
            return
        except Exception as exc:  # an unexpected library failure must not kill the thread
            self.loadFailed.emit(request_id, f"could not load the model: {type(exc).__name__}: {exc}".splitlines()[0])
            return
        if self._bert is None:
            self.devicesFound.emit(available_devices())
        self._bert = bert
        set_aside_long_lived_objects()  # torch's modules and this model live as long as it is open
        self.loaded.emit(request_id, bert)

    @Slot(object)
    def inspect(self, request: InspectRequest) -> None:
        import model

        with self._lock:
            stale = request.request_id < self._newest_inspect
        if stale or self._bert is None:
            return
        try:
            result = self._bert.inspect(request.text, request.text_b, head_mask=request.head_mask,
                                        top_k=request.top_k, rollout=True, all_positions=request.all_positions,
                                        logit_lens=True)
        except model.BertError as exc:
            self.inspectFailed.emit(request.request_id, str(exc))
            return
        except Exception as exc:
            self.inspectFailed.emit(request.request_id, describe_failure(exc))
            return
        self._last = result
        self.inspected.emit(request.request_id, result)

    @Slot(str)
    def move(self, device: str) -> None:
        import model

        if self._bert is None:
            return
        try:
            self._bert.to(device)
        except model.BertError as exc:
            self.moveFailed.emit(str(exc))
            return
        except Exception as exc:
            self._bert.to("cpu")
            self.moveFailed.emit(describe_failure(exc))
            return
        self.moved.emit(self._bert)

    @Slot(str)
    def export(self, path: str) -> None:
        from model.export import save_inspection

        if self._last is None:
            self.exportFailed.emit("nothing to export yet: type a sentence first")
            return
        try:
            arrays, _ = save_inspection(self._last, path, str(self._bert.path) if self._bert else None)
        except OSError as exc:
            self.exportFailed.emit(f"{path}: could not write ({exc.strerror or exc})")
            return
        self.exported.emit(str(arrays))


def available_devices() -> list[str]:
    import torch

    return ["cpu"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]


GPU_OUT_OF_MEMORY = "the GPU ran out of memory for this input"


def describe_failure(exc: Exception) -> str:
    """One line for an unexpected failure; GPU memory gets a suggestion."""
    if "out of memory" in str(exc).lower():
        return f"{GPU_OUT_OF_MEMORY}: switch to the CPU (Model > Device) or use a shorter text"
    return f"the forward pass failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
