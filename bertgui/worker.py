"""The worker layer: model loading and forward passes on a thread of their own.

Workers never touch widgets; they receive requests as queued signals and answer with signals
that carry plain data (a `ModelInfo`, a `model.Inspection`, a `LayerTrace`, a failure's kind and
one line).
The live `model.Bert` stays on this thread: only this thread runs torch.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from model.errors import BertError
from model.model_info import ModelInfo

from .garbage import set_aside_long_lived_objects

if TYPE_CHECKING:
    import model
    from model.computation import LayerTrace


class FailureKind(enum.Enum):
    """What went wrong, so that the GUI can offer a remedy without parsing the message."""

    INPUT = "input"  # the model's own error (a bad folder, text or device): its message says what to change
    OUT_OF_MEMORY = "out of memory"  # the GPU's memory ran out: the CPU can take over
    UNEXPECTED = "unexpected"  # a library failure with no advice to give


@dataclass(frozen=True)
class InspectRequest:
    request_id: int
    text: str
    text_b: str | None
    head_mask: np.ndarray | None
    top_k: int = 10
    all_positions: bool = False  # score every position as seen, not only the [MASK]s
    masked_positions: bool = False  # score every position masked one at a time (pseudo-log-likelihood)
    candidates: tuple[str, ...] = ()  # words to score at each [MASK] ("Check a word")
    word_attentions: bool = False  # every head's attention between words (word mode is on)


@dataclass(frozen=True)
class TraceRequest:
    """One encoder layer traced step by step for the Computation tab (model.computation.LayerTrace)."""

    request_id: int
    text: str
    text_b: str | None
    head_mask: np.ndarray | None
    layer: int


@dataclass(frozen=True)
class CorpusSearchRequest:
    """The corpus tokens nearest one token of the text at one layer (Model > Find in corpus)."""

    request_id: int
    text: str
    text_b: str | None
    token: int
    layer: int
    top_k: int


@dataclass(frozen=True)
class ContextsRequest:
    """One word in two sentences, compared layer by layer (Model > One word, two contexts).
    A position of None: the worker picks a word both sentences share."""

    request_id: int
    text_a: str
    text_b: str
    position_a: int | None
    position_b: int | None
    neighbours: int  # corpus neighbours of each use at the open index's last layer (0: none)


@dataclass(frozen=True)
class ContextsAnswer:
    comparison: object  # model.two_contexts.ContextComparison
    neighbours_a: object | None  # model.corpus_index.SearchResult, when an index is open
    neighbours_b: object | None


@dataclass(frozen=True)
class AttributionRequest:
    """Which input tokens a prediction depends on (model.attribution.Attribution)."""

    request_id: int
    text: str
    text_b: str | None
    head_mask: np.ndarray | None
    position: int | None  # the [MASK] explained; None for a classifier's class
    token: str | None  # the vocabulary token explained there; None: the top prediction
    label: str | None  # a classifier's class; None: the most probable
    method: str  # "ig" or "grad"
    steps: int
    baseline: str  # "pad" or "zero"


class ModelWorker(QObject):
    """Lives in a QThread. Holds the model it is running; only this thread calls it."""

    loaded = Signal(int, object)  # request id, ModelInfo
    loadFailed = Signal(int, object, str)  # request id, FailureKind, one-line message
    inspected = Signal(int, object)  # request id, model.Inspection
    inspectFailed = Signal(int, object, str)  # request id, FailureKind, one-line message
    traced = Signal(int, object)  # request id, model.computation.LayerTrace
    traceFailed = Signal(int, object, str)  # request id, FailureKind, one-line message
    devicesFound = Signal(list)  # ["cpu", "cuda:0", ...]
    moved = Signal(object)  # ModelInfo, now on its new device
    moveFailed = Signal(object, str, object)  # FailureKind, one-line message, ModelInfo where the model is now
    exported = Signal(str)  # path of the .npz written
    exportFailed = Signal(str)
    sizeMeasured = Signal(int, object)  # request id, model.sizes.SizeReport
    sizeMeasureFailed = Signal(int, str)  # request id, one-line message
    corpusIndexOpened = Signal(int, object)  # request id, model.corpus_index.IndexInfo
    corpusIndexProgress = Signal(int, int, int)  # request id, sentences indexed, sentences in all
    corpusIndexFailed = Signal(int, str)  # request id, one-line message
    corpusSearched = Signal(int, object)  # request id, model.corpus_index.SearchResult
    corpusSearchFailed = Signal(int, str)  # request id, one-line message
    contextsCompared = Signal(int, object)  # request id, ContextsAnswer
    attributed = Signal(int, object)  # request id, model.attribution.Attribution
    attributeFailed = Signal(int, str)  # request id, one-line message
    contextsCompareFailed = Signal(int, str)  # request id, one-line message

    def __init__(self):
        super().__init__()
        self._bert: model.Bert | None = None
        self._info: ModelInfo | None = None  # what was last said about self._bert
        self._last: model.Inspection | None = None  # the latest result, for export
        self._corpus_index = None  # the model.corpus_index.CorpusIndex open for searching
        self._last_trace: LayerTrace | None = None  # the latest layer trace, exported with it when of the same input
        self._lock = threading.Lock()
        self._newest_inspect = 0  # requests older than this are skipped unseen
        self._newest_trace = 0  # the same for traces, counted apart: a trace never makes an inspection stale

    def note_newest(self, request_id: int) -> None:
        """Called from the GUI thread as a request is queued, so older queued ones are dropped."""
        with self._lock:
            self._newest_inspect = max(self._newest_inspect, request_id)

    def note_newest_trace(self, request_id: int) -> None:
        """Called from the GUI thread as a trace request is queued, so older queued ones are dropped."""
        with self._lock:
            self._newest_trace = max(self._newest_trace, request_id)

    @Slot(int, str, str)
    def load(self, request_id: int, path: str, device: str) -> None:
        import model  # torch loads here, on the worker thread, never on the GUI thread

        try:
            bert = model.load(path or None, device=device)
            info = bert.info()
        except Exception as exc:  # a bad folder, or a library failure: the thread lives on either way
            self.loadFailed.emit(request_id, *describe_failure(exc, self.tr("could not load the model")))
            return
        if self._bert is None:
            self.devicesFound.emit(available_devices())
        self._bert, self._info = bert, info
        set_aside_long_lived_objects()  # torch's modules and this model live as long as it is open
        self.loaded.emit(request_id, info)

    @Slot(object)
    def inspect(self, request: InspectRequest) -> None:
        with self._lock:
            stale = request.request_id < self._newest_inspect
        if stale or self._bert is None:
            return
        try:
            result = self._bert.inspect(
                request.text,
                request.text_b,
                head_mask=request.head_mask,
                top_k=request.top_k,
                rollout=True,
                all_positions=request.all_positions,
                logit_lens=True,
                candidates=request.candidates,
                compare_all_heads_on=True,  # costs a pass only when heads are off and there are [MASK]s
                masked_positions=request.masked_positions,
                word_attentions=request.word_attentions,
            )
        except Exception as exc:
            self.inspectFailed.emit(request.request_id, *describe_failure(exc, self.tr("the forward pass failed")))
            return
        self._last = result
        self.inspected.emit(request.request_id, result)

    @Slot(object)
    def trace(self, request: TraceRequest) -> None:
        with self._lock:
            stale = request.request_id < self._newest_trace
        if stale or self._bert is None:
            return
        try:
            result = self._bert.trace_layer(request.text, request.text_b, request.layer, head_mask=request.head_mask)
        except Exception as exc:
            self.traceFailed.emit(request.request_id, *describe_failure(exc, self.tr("the layer could not be traced")))
            return
        self._last_trace = result
        self.traced.emit(request.request_id, result)

    @Slot(str)
    def move(self, device: str) -> None:
        if self._bert is None:
            return
        try:
            self._bert.to(device)
        except Exception as exc:
            if not isinstance(exc, BertError):  # the move may have stopped half-way: all back to the CPU
                self._bert.to("cpu")
            self.moveFailed.emit(*describe_failure(exc, self.tr("could not move the model")), self._moved_info())
            return
        self.moved.emit(self._moved_info())

    def _moved_info(self) -> ModelInfo:
        """The model's info with its device now; the rest, the position table included, is unchanged
        (and the same objects: a view that caches on them need not recompute)."""
        self._info = replace(self._info, device=str(self._bert.device))
        return self._info

    @Slot(str)
    def export(self, path: str) -> None:
        from model.export import save_inspection

        if self._last is None:
            self.exportFailed.emit(self.tr("nothing to export yet: type a sentence first"))
            return
        try:
            trace = self._last_trace if self._last_trace and self._last_trace.tokens == self._last.tokens else None
            arrays, _ = save_inspection(self._last, path, str(self._bert.path) if self._bert else None, trace)
        except OSError as exc:
            self.exportFailed.emit(self.tr("{0}: could not write ({1})").format(path, exc.strerror or exc))
            return
        self.exported.emit(str(arrays))

    @Slot(int, object, int)
    def measure_size(self, request_id: int, config: model.BertConfig, tokens: int) -> None:
        """Build a BERT of this config on the meta device (no weights, no memory) and measure it:
        the Model > Explore a size dialog. Needs no loaded model."""
        from model.sizes import size_report

        try:
            report = size_report(config, tokens)
        except Exception as exc:
            self.sizeMeasureFailed.emit(request_id, describe_failure(exc, self.tr("could not build that size"))[1])
            return
        self.sizeMeasured.emit(request_id, report)

    @Slot(int, str)
    def open_corpus_index(self, request_id: int, folder: str) -> None:
        from model.corpus_index import CorpusIndex

        try:
            if self._bert is None:
                raise BertError("no model is loaded yet")
            index = CorpusIndex(folder)
            index.check_model(self._bert)
        except Exception as exc:
            self.corpusIndexFailed.emit(request_id, describe_failure(exc, self.tr("could not open the index"))[1])
            return
        self._corpus_index = index
        self.corpusIndexOpened.emit(request_id, index.info)

    @Slot(int, str)
    def build_example_index_step(self, request_id: int, root: str) -> None:
        """Index one more chunk of the shipped example sentences for the loaded model (under
        `root`), then say how far it is; once whole, open it. One chunk per call, so inspections
        queued meanwhile run between chunks and the views keep following the typing."""
        from model import corpus_index as ci

        try:
            if self._bert is None:
                raise BertError("no model is loaded yet")
            corpus = ci.example_corpus()
            total = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
            folder = ci.example_index_folder(self._bert, root)
            done = ci.read_info(folder).sentences if (folder / ci.INDEX_JSON).is_file() else 0
            layers = ci.example_layers(self._bert.config.num_hidden_layers)
            info = ci.build_index(self._bert, corpus, folder, layers, max_sentences=done + ci.CHUNK_SENTENCES)
        except Exception as exc:
            self.corpusIndexFailed.emit(request_id, describe_failure(exc, "could not build the example index")[1])
            return
        if info.complete:
            self.open_corpus_index(request_id, str(folder))
        else:
            self.corpusIndexProgress.emit(request_id, info.sentences, total)

    @Slot(object)
    def search_corpus(self, request: CorpusSearchRequest) -> None:
        from model.corpus_index import search

        try:
            if self._bert is None or self._corpus_index is None:
                raise BertError("open or build a corpus index first")
            result = search(
                self._bert,
                self._corpus_index,
                request.text,
                request.token,
                request.layer,
                request.top_k,
                request.text_b,
            )
        except Exception as exc:
            self.corpusSearchFailed.emit(request.request_id, describe_failure(exc, "the search failed")[1])
            return
        self.corpusSearched.emit(request.request_id, result)

    @Slot(object)
    def compare_contexts(self, request: ContextsRequest) -> None:
        from model.corpus_index import search
        from model.two_contexts import compare_contexts, shared_word

        try:
            if self._bert is None:
                raise BertError("no model is loaded yet")
            a, b = self._bert.inspect(request.text_a, top_k=1), self._bert.inspect(request.text_b, top_k=1)
            default_a, default_b = shared_word(a.tokens, b.tokens)
            position_a = default_a if request.position_a is None else request.position_a
            position_b = default_b if request.position_b is None else request.position_b
            comparison = compare_contexts(a.hidden_states, a.tokens, position_a, b.hidden_states, b.tokens, position_b)
            neighbours = [None, None]
            index = self._corpus_index
            if request.neighbours and index is not None:
                layer = index.info.layers[-1]
                neighbours = [
                    search(self._bert, index, text, position, layer, request.neighbours)
                    for text, position in ((request.text_a, position_a), (request.text_b, position_b))
                ]
        except Exception as exc:
            self.contextsCompareFailed.emit(request.request_id, describe_failure(exc, "could not compare the two")[1])
            return
        self.contextsCompared.emit(request.request_id, ContextsAnswer(comparison, *neighbours))

    @Slot(object)
    def attribute(self, request: AttributionRequest) -> None:
        try:
            if self._bert is None:
                raise BertError("no model is loaded yet")
            result = self._bert.attribute(
                request.text,
                request.text_b,
                position=request.position,
                token=request.token,
                label=request.label,
                method=request.method,
                steps=request.steps,
                baseline=request.baseline,
                head_mask=request.head_mask,
            )
        except Exception as exc:
            self.attributeFailed.emit(
                request.request_id, describe_failure(exc, "could not attribute the prediction")[1]
            )
            return
        self.attributed.emit(request.request_id, result)


def available_devices() -> list[str]:
    import torch

    return ["cpu"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]


def describe_failure(exc: Exception, failed: str) -> tuple[FailureKind, str]:
    """A failure's kind and its one line for the user; `failed` says what could not be done."""
    if isinstance(exc, BertError):  # already one line that names the fault and the fix
        return FailureKind.INPUT, str(exc)
    detail = str(exc).splitlines()[0] if str(exc) else ""
    if "out of memory" in detail.lower():
        return (FailureKind.OUT_OF_MEMORY, f"{failed}: the GPU ran out of memory; switch to the CPU (Model > Device)")
    return FailureKind.UNEXPECTED, f"{failed}: {type(exc).__name__}: {detail}"
