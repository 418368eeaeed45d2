"""The controller's layer traces (the Computation tab's data): made on the worker thread, only
when a view asks, following the text and head mask while a visible view wants them."""

from __future__ import annotations

import threading

import numpy as np
import pytest

WAIT_MS = 30_000


@pytest.fixture
def bundled(qtbot, controller):
    """The controller with the bundled model loaded and the first inspection of its text done."""
    with qtbot.waitSignal(controller.modelLoaded, timeout=WAIT_MS):
        controller.load_model(None, "cpu")
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=WAIT_MS, check_params_cb=lambda r: r.text == "the cat sat on the mat ."
    ):
        controller.set_text("the cat sat on the mat .")
    return controller


@pytest.fixture
def trace_calls(monkeypatch):
    """The threads Bert.trace_layer ran on, one entry per call."""
    import model.bert

    threads = []
    original = model.bert.Bert.trace_layer

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model.bert.Bert, "trace_layer", spy)
    return threads


def test_a_requested_trace_is_of_the_current_input_and_made_on_the_worker(qtbot, bundled, trace_calls):
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS) as blocker:
        bundled.request_layer_trace(2)
    trace, inspection = blocker.args[0], bundled.inspection
    assert trace.layer == 2 and trace.tokens == inspection.tokens
    assert bundled.layer_trace is trace
    np.testing.assert_allclose(trace.output, inspection.hidden_states[3], atol=1e-5)
    np.testing.assert_allclose(trace.probabilities, inspection.attentions[2], atol=1e-5)
    assert trace_calls and all(t is not threading.main_thread() for t in trace_calls)


def test_without_a_wanted_trace_typing_traces_nothing(qtbot, bundled, trace_calls):
    delivered = []
    bundled.layerTraceReady.connect(delivered.append)
    for text in ("a dog ran", "a dog ran home ."):
        with qtbot.waitSignal(
            bundled.inspectionReady, timeout=WAIT_MS, check_params_cb=lambda r, text=text: r.text == text
        ):
            bundled.set_text(text)
    with qtbot.waitSignal(bundled.inspectionReady, timeout=WAIT_MS):
        bundled.set_head_enabled(1, 1, False)
    qtbot.wait(300)
    assert delivered == [] and trace_calls == []


def test_a_wanted_trace_follows_the_text_and_the_head_mask(qtbot, bundled):
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS) as blocker:
        bundled.set_trace_wanted(1)  # the tab shows: its layer is traced now
    assert blocker.args[0].layer == 1 and blocker.args[0].tokens == bundled.inspection.tokens

    with qtbot.waitSignal(
        bundled.layerTraceReady, timeout=WAIT_MS, check_params_cb=lambda t: "dog" in t.tokens
    ) as blocker:
        bundled.set_text("a dog ran home .", "it was late .")
    trace = blocker.args[0]
    assert trace.layer == 1 and trace.tokens == bundled.inspection.tokens and trace.tokens.count("[SEP]") == 2

    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS) as blocker:
        bundled.set_head_enabled(1, 3, False)
    trace = blocker.args[0]
    assert trace.head_mask[3] == 0 and np.all(trace.probabilities[3] == 0)
    np.testing.assert_allclose(trace.output, bundled.inspection.hidden_states[2], atol=1e-5)

    delivered = []
    bundled.layerTraceReady.connect(delivered.append)
    with qtbot.waitSignal(bundled.inspectionReady, timeout=WAIT_MS):
        bundled.set_top_k(5)  # a new inspection of the same input: its trace is already shown
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS) as blocker:
        bundled.set_trace_wanted(3)  # another layer of the same input
    assert blocker.args[0].layer == 3
    bundled.set_trace_wanted(3)  # unchanged: nothing to do
    qtbot.wait(300)
    assert [t.layer for t in delivered] == [3]


def test_a_hidden_tab_stops_the_tracing(qtbot, bundled, trace_calls):
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS):
        bundled.set_trace_wanted(0)
    bundled.set_trace_wanted(None)
    calls = len(trace_calls)
    with qtbot.waitSignal(bundled.inspectionReady, timeout=WAIT_MS, check_params_cb=lambda r: r.text == "hello"):
        bundled.set_text("hello")
    qtbot.wait(300)
    assert len(trace_calls) == calls


def test_a_bad_layer_fails_with_one_line(qtbot, bundled):
    with qtbot.waitSignal(bundled.layerTraceFailed, timeout=WAIT_MS) as blocker:
        bundled.request_layer_trace(4)
    assert blocker.args[0] == "layer 4 does not exist: this model has layers 0 to 3"
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS):  # the worker lives on
        bundled.request_layer_trace(3)


def test_only_the_latest_trace_is_delivered(qtbot, bundled):
    delivered = []
    bundled.layerTraceReady.connect(delivered.append)
    for layer in (0, 1, 2, 0, 1):
        bundled.request_layer_trace(layer)
    with qtbot.waitSignal(bundled.layerTraceReady, timeout=WAIT_MS, check_params_cb=lambda t: t.layer == 3):
        bundled.request_layer_trace(3)
    qtbot.wait(300)
    assert [t.layer for t in delivered] == [3]


def test_a_trace_of_an_old_text_is_dropped(qtbot, bundled):
    delivered = []
    bundled.layerTraceReady.connect(delivered.append)
    bundled.request_layer_trace(0)
    bundled.set_text("something else entirely")
    with qtbot.waitSignal(bundled.inspectionReady, timeout=WAIT_MS):
        bundled.inspect_now()  # the input changed before the trace came back
    qtbot.wait(300)
    assert delivered == []
