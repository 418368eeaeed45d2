"""The app's state and logic: the current model, text and head mask. Emits signals; widgets
listen and render. All model work is sent to the ModelWorker's thread; the GUI thread never
waits on it, and results for text that has changed since are dropped.

Layer traces (the Computation tab) are made only when a view asks: `request_layer_trace` once,
or `set_trace_wanted(layer)` while the tab is visible, which also traces every later inspection
of a changed input."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from .worker import (
    AttributionRequest,
    ContextsRequest,
    CorpusSearchRequest,
    FailureKind,
    InspectRequest,
    ModelWorker,
    TraceRequest,
)
from .worker_thread import STOP_WAIT_MS, start_worker_thread, stop_worker_thread

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    from model.computation import LayerTrace
    from model.model_info import ModelInfo

DEBOUNCE_MS = 40  # typing pause before a new forward pass; stale requests are dropped anyway


class Controller(QObject):
    modelLoading = Signal(str)  # path being loaded ("" = the bundled model)
    modelLoaded = Signal(object)  # ModelInfo
    modelLoadFailed = Signal(str)  # one-line message; the previous model stays active
    inspectionReady = Signal(object)  # model.Inspection for the current text
    inspectionFailed = Signal(object, str)  # FailureKind, one-line message
    headMaskChanged = Signal(object)  # (layers, heads) float32 array, 1 = on
    busyChanged = Signal(bool)
    devicesAvailable = Signal(list)  # ["cpu", "cuda:0", ...]
    deviceChanged = Signal(str)
    deviceChangeFailed = Signal(str)
    exportFinished = Signal(str)  # path written
    exportFailed = Signal(str)
    layerTraceReady = Signal(object)  # model.computation.LayerTrace of the current input
    layerTraceFailed = Signal(str)  # one-line message
    sizeMeasured = Signal(int, object)  # request id, model.sizes.SizeReport (Model > Explore a size)
    sizeMeasureFailed = Signal(int, str)  # request id, one-line message
    corpusIndexOpened = Signal(int, object)  # request id, model.corpus_index.IndexInfo (Model > Find in corpus)
    corpusIndexProgress = Signal(int, int, int)  # request id, sentences indexed, sentences in all
    corpusIndexFailed = Signal(int, str)  # request id, one-line message
    corpusSearched = Signal(int, object)  # request id, model.corpus_index.SearchResult
    corpusSearchFailed = Signal(int, str)  # request id, one-line message
    contextsCompared = Signal(int, object)  # request id, worker.ContextsAnswer (Model > One word, two contexts)
    contextsCompareFailed = Signal(int, str)  # request id, one-line message
    attributionReady = Signal(int, object)  # request id, model.attribution.Attribution ("Why this prediction?")
    attributionFailed = Signal(int, str)  # request id, one-line message

    _loadRequested = Signal(int, str, str)
    _inspectRequested = Signal(object)
    _moveRequested = Signal(str)
    _exportRequested = Signal(str)
    _traceRequested = Signal(object)
    _sizeRequested = Signal(int, object, int)
    _indexOpenRequested = Signal(int, str)
    _exampleIndexStepRequested = Signal(int, str)
    _corpusSearchRequested = Signal(object)
    _contextsRequested = Signal(object)
    _attributionRequested = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.info: ModelInfo | None = None  # the model in use; the model itself stays on the worker thread
        self.text = ""
        self.text_b: str | None = None
        self.head_mask: np.ndarray | None = None
        self.device = "auto"
        self.inspection: model.Inspection | None = None
        self.all_positions = False  # fill-mask scores every position of the text...
        self.masked_scoring = True  # ...each hidden by [MASK] in turn (pseudo-likelihood); False: as seen
        self.top_k = 10  # predictions per [MASK]
        self.candidates: tuple[str, ...] = ()  # words scored at each [MASK] ("Check a word")
        self.word_mode = False  # the views show words: inspections bring every head's word attention
        self._request_id = 0
        self._building_example: tuple[int, str] | None = None  # (request id, root) of the example index being built
        self._pending_inspect = 0
        self._pending_load = 0
        self.layer_trace: LayerTrace | None = None  # the latest trace delivered
        self._trace_wanted: int | None = None  # the layer a visible view wants traced; None = none
        self._model_generation = 0  # counts loads: a trace of another model is another trace
        self._pending_inspect_input: tuple | None = None  # (text, text_b, head_mask) of the pending inspection
        self._pending_trace = 0  # request id of the trace on its way (0 = none)
        self._trace_key: tuple | None = None  # (input key, layer) of the trace pending or last delivered

        self._worker = ModelWorker()
        self._stopped = False
        self._loadRequested.connect(self._worker.load)
        self._inspectRequested.connect(self._worker.inspect)
        self._moveRequested.connect(self._worker.move)
        self._exportRequested.connect(self._worker.export)
        self._traceRequested.connect(self._worker.trace)
        self._worker.devicesFound.connect(self.devicesAvailable)
        self._worker.moved.connect(self._on_worker_moved)
        self._worker.moveFailed.connect(self._on_worker_move_failed)
        self._worker.exported.connect(self.exportFinished)
        self._worker.exportFailed.connect(self.exportFailed)
        self._sizeRequested.connect(self._worker.measure_size)
        self._worker.sizeMeasured.connect(self.sizeMeasured)
        self._worker.sizeMeasureFailed.connect(self.sizeMeasureFailed)
        self._indexOpenRequested.connect(self._worker.open_corpus_index)
        self._exampleIndexStepRequested.connect(self._worker.build_example_index_step)
        self._corpusSearchRequested.connect(self._worker.search_corpus)
        self._worker.corpusIndexOpened.connect(self.corpusIndexOpened)
        self._worker.corpusIndexProgress.connect(self._on_worker_corpus_index_progress)
        self._worker.corpusIndexFailed.connect(self.corpusIndexFailed)
        self._worker.corpusSearched.connect(self.corpusSearched)
        self._worker.corpusSearchFailed.connect(self.corpusSearchFailed)
        self._contextsRequested.connect(self._worker.compare_contexts)
        self._worker.contextsCompared.connect(self.contextsCompared)
        self._worker.contextsCompareFailed.connect(self.contextsCompareFailed)
        self._attributionRequested.connect(self._worker.attribute)
        self._worker.attributed.connect(self.attributionReady)
        self._worker.attributeFailed.connect(self.attributionFailed)
        self._worker.loaded.connect(self._on_worker_loaded)
        self._worker.loadFailed.connect(self._on_worker_load_failed)
        self._worker.inspected.connect(self._on_worker_inspected)
        self._worker.inspectFailed.connect(self._on_worker_inspect_failed)
        self._worker.traced.connect(self._on_worker_traced)
        self._worker.traceFailed.connect(self._on_worker_trace_failed)
        self._thread = start_worker_thread("model-worker", self._worker)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.inspect_now)

    # --- requests from the GUI ------------------------------------------------------

    def load_model(self, path: str | None = None, device: str | None = None) -> None:
        if device is not None:
            self.device = device
        self._request_id += 1
        self._pending_load = self._request_id
        self.modelLoading.emit(path or "")
        self.busyChanged.emit(True)
        self._loadRequested.emit(self._request_id, path or "", self.device)

    def set_device(self, device: str) -> None:
        """Move the model (on the worker thread) and re-run the current text there."""
        self.device = device
        if self.info is not None:
            self.busyChanged.emit(True)
            self._moveRequested.emit(device)

    def export_inspection(self, path: str) -> None:
        """Write the current inspection's arrays (.npz) and summary (.json), on the worker thread."""
        self._exportRequested.emit(path)

    def measure_size(self, config: model.BertConfig, tokens: int) -> int:
        """Ask the worker for a SizeReport (model/sizes.py) of this config, for a sequence of
        `tokens` tokens; the answer, sizeMeasured or sizeMeasureFailed, carries the id returned."""
        self._request_id += 1
        self._sizeRequested.emit(self._request_id, config, tokens)
        return self._request_id

    def open_corpus_index(self, folder: str) -> int:
        """Open an index built by `python -m model index-corpus` for the loaded model; the answer,
        corpusIndexOpened or corpusIndexFailed, carries the id returned."""
        self._request_id += 1
        self._indexOpenRequested.emit(self._request_id, folder)
        return self._request_id

    def build_example_index(self, root: str) -> int:
        """Index the shipped example sentences for the loaded model under `root`, a chunk per
        worker call (corpusIndexProgress after each), then open it (corpusIndexOpened)."""
        self._request_id += 1
        self._building_example = (self._request_id, root)
        self._exampleIndexStepRequested.emit(self._request_id, root)
        return self._request_id

    def cancel_example_index(self) -> None:
        """Stop after the chunk in progress; building again resumes where it stopped."""
        self._building_example = None

    def search_corpus(self, token: int, layer: int, top_k: int = 10) -> int:
        """The corpus tokens nearest token `token` of the current text at `layer`."""
        self._request_id += 1
        shown = self.inspection  # the token is a position in the tokens the views show
        text, text_b = (shown.text, shown.text_b) if shown is not None else (self.text, self.text_b)
        request = CorpusSearchRequest(self._request_id, text, text_b, token, layer, top_k)
        self._corpusSearchRequested.emit(request)
        return self._request_id

    def compare_contexts(
        self, text_a: str, text_b: str, position_a: int | None, position_b: int | None, neighbours: int = 5
    ) -> int:
        """One word in two sentences, layer by layer; None positions: a word both share."""
        self._request_id += 1
        self._contextsRequested.emit(
            ContextsRequest(self._request_id, text_a, text_b, position_a, position_b, neighbours)
        )
        return self._request_id

    def request_attribution(
        self,
        position: int | None,
        token: str | None,
        label: str | None = None,
        method: str = "ig",
        steps: int = 32,
        baseline: str = "pad",
    ) -> int:
        """Which tokens of the shown input the prediction at `position` (or a class) depends on,
        with the head mask in force; the answer carries the id returned."""
        self._request_id += 1
        shown = self.inspection
        text, text_b = (shown.text, shown.text_b) if shown is not None else (self.text, self.text_b)
        request = AttributionRequest(
            self._request_id, text, text_b, self.head_mask, position, token, label, method, steps, baseline
        )
        self._attributionRequested.emit(request)
        return self._request_id

    def set_text(self, text: str, text_b: str | None = None) -> None:
        """Record the text and schedule a forward pass once typing pauses."""
        self.text, self.text_b = text, (text_b if text_b and text_b.strip() else None)  # blank B: no pair
        self._debounce.start()

    def set_all_positions(self, on: bool) -> None:
        self.all_positions = on
        self.inspect_now()

    def set_masked_scoring(self, masked: bool) -> None:
        """How every position is scored: masked one at a time (True) or as seen (False)."""
        self.masked_scoring = masked
        if self.all_positions:  # else nothing shown depends on it
            self.inspect_now()

    def set_top_k(self, top_k: int) -> None:
        self.top_k = top_k
        self.inspect_now()

    def set_word_mode(self, on: bool) -> None:
        """Word mode switched: later inspections bring (or leave out) the word attentions; until the
        next one, the views merge the pieces of the inspection they have."""
        self.word_mode = on

    def set_candidates(self, words: tuple[str, ...]) -> None:
        """Words to score at each [MASK]; typed, so the forward pass waits for a pause as for the text."""
        self.candidates = tuple(words)
        self._debounce.start()

    def set_head_enabled(self, layer: int, head: int, enabled: bool) -> None:
        if self.head_mask is None:
            return
        self.head_mask = self.head_mask.copy()
        self.head_mask[layer, head] = 1.0 if enabled else 0.0
        self.headMaskChanged.emit(self.head_mask)
        self.inspect_now()

    def reset_heads(self) -> None:
        if self.info is None:
            return
        c = self.info.config
        self.head_mask = np.ones((c.num_hidden_layers, c.num_attention_heads), dtype=np.float32)
        self.headMaskChanged.emit(self.head_mask)
        self.inspect_now()

    def request_layer_trace(self, layer: int) -> None:
        """Trace encoder layer `layer` (from 0) of the current text and head mask, on the worker
        thread; answered by layerTraceReady, or layerTraceFailed with one line (a bad layer)."""
        if self.info is None:
            return
        self._send_trace((self.text, self.text_b, self.head_mask), layer)

    def set_trace_wanted(self, layer: int | None) -> None:
        """The layer a visible view shows (None: the view is hidden, nothing is traced). While it is
        set, each new inspection of a changed text or head mask is followed by a trace of it. Setting
        it asks for a trace now unless the one delivered or on its way is already of it."""
        self._trace_wanted = layer
        if layer is None or self.info is None:
            return
        current = (self.text, self.text_b, self.head_mask)
        if self._trace_key != (self._input_key(current), layer):
            self._send_trace(current, layer)

    def _input_key(self, inputs: tuple) -> tuple:
        """What a trace depends on besides its layer: the model, the text and the head mask."""
        text, text_b, head_mask = inputs
        return (self._model_generation, text, text_b, None if head_mask is None else head_mask.tobytes())

    def _send_trace(self, inputs: tuple, layer: int) -> None:
        text, text_b, head_mask = inputs
        self._request_id += 1
        self._pending_trace = self._request_id
        self._trace_key = (self._input_key(inputs), layer)
        self._worker.note_newest_trace(self._request_id)
        self._traceRequested.emit(TraceRequest(self._request_id, text, text_b, head_mask, layer))

    @Slot()
    def inspect_now(self) -> None:
        self._debounce.stop()
        if self.info is None:
            return
        inputs = (self.text, self.text_b, self.head_mask)
        if self._trace_key is not None and self._trace_key[0] != self._input_key(inputs):
            # The input changed: a trace still on its way is of the old one and will be dropped.
            self._pending_trace, self._trace_key = 0, None
        self._pending_inspect_input = inputs
        self._request_id += 1
        self._pending_inspect = self._request_id
        self._worker.note_newest(self._request_id)
        self.busyChanged.emit(True)
        self._inspectRequested.emit(
            InspectRequest(
                self._request_id,
                self.text,
                self.text_b,
                self.head_mask,
                top_k=self.top_k,
                all_positions=self.all_positions and not self.masked_scoring,
                masked_positions=self.all_positions and self.masked_scoring,
                candidates=self.candidates,
                word_attentions=self.word_mode,
            )
        )

    def shutdown(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Stop the worker thread once its task in flight is done, waiting `wait_ms` at most (a
        long load is abandoned, not waited on). True if it stopped. Calling it again does nothing."""
        self._debounce.stop()
        if self._stopped:
            return True
        self._stopped = True
        return stop_worker_thread(self._thread, self._worker, wait_ms)

    # --- answers from the worker ------------------------------------------------------

    @Slot(int, int, int)
    def _on_worker_corpus_index_progress(self, request_id: int, done: int, total: int) -> None:
        self.corpusIndexProgress.emit(request_id, done, total)
        if self._building_example is not None and self._building_example[0] == request_id:
            self._exampleIndexStepRequested.emit(*self._building_example)  # the next chunk

    @Slot(int, object)
    def _on_worker_loaded(self, request_id: int, info: ModelInfo) -> None:
        if request_id != self._pending_load:
            return
        self.info = info
        self._model_generation += 1  # every trace so far was of the previous model
        self._pending_trace, self._trace_key, self.layer_trace = 0, None, None
        c = info.config
        self.head_mask = np.ones((c.num_hidden_layers, c.num_attention_heads), dtype=np.float32)
        self.busyChanged.emit(False)
        self.modelLoaded.emit(info)
        self.headMaskChanged.emit(self.head_mask)
        self.inspect_now()

    @Slot(object)
    def _on_worker_moved(self, info: ModelInfo) -> None:
        self.info = info
        self.busyChanged.emit(False)
        self.deviceChanged.emit(info.device)
        self.inspect_now()

    @Slot(object, str, object)
    def _on_worker_move_failed(self, kind: FailureKind, message: str, info: ModelInfo) -> None:
        self.info = info
        self.busyChanged.emit(False)
        self.device = info.device  # where the model really is now (the worker falls back to the CPU)
        self.deviceChanged.emit(self.device)
        self.deviceChangeFailed.emit(message)

    @Slot(int, object, str)
    def _on_worker_load_failed(self, request_id: int, kind: FailureKind, message: str) -> None:
        if request_id != self._pending_load:
            return
        self.busyChanged.emit(False)
        self.modelLoadFailed.emit(message)

    @Slot(int, object)
    def _on_worker_inspected(self, request_id: int, result: model.Inspection) -> None:
        if request_id != self._pending_inspect:
            return  # the text or the heads changed since: a newer result is on its way
        self.inspection = result
        self.busyChanged.emit(False)
        self.inspectionReady.emit(result)
        layer, inputs = self._trace_wanted, self._pending_inspect_input
        if layer is not None and inputs is not None and self._trace_key != (self._input_key(inputs), layer):
            self._send_trace(inputs, layer)  # a visible Computation tab follows the new input

    @Slot(int, object, str)
    def _on_worker_inspect_failed(self, request_id: int, kind: FailureKind, message: str) -> None:
        if request_id != self._pending_inspect:
            return
        self.busyChanged.emit(False)
        self.inspectionFailed.emit(kind, message)

    @Slot(int, object)
    def _on_worker_traced(self, request_id: int, trace: LayerTrace) -> None:
        if request_id != self._pending_trace:
            return  # a newer trace was asked for, or the input changed since
        self._pending_trace = 0
        self.layer_trace = trace
        self.layerTraceReady.emit(trace)

    @Slot(int, object, str)
    def _on_worker_trace_failed(self, request_id: int, kind: FailureKind, message: str) -> None:
        if request_id != self._pending_trace:
            return
        self._pending_trace, self._trace_key = 0, None  # asking again may succeed (another layer, the CPU)
        self.layerTraceFailed.emit(message)
