"""The controller: loads and inspects in its worker thread, drops stale results, keeps the
previous model when a folder fails to load."""

from __future__ import annotations

import threading

import numpy as np


def load(qtbot, controller, folder):
    with qtbot.waitSignal(controller.modelLoaded, timeout=30_000):
        controller.load_model(folder, "cpu")


def test_load_then_inspect_in_the_worker_thread(qtbot, controller, model_folder, monkeypatch):
    threads = []
    import model.bert

    original = model.bert.Bert.inspect

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model.bert.Bert, "inspect", spy)
    load(qtbot, controller, model_folder)
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the cat sat on the [MASK] ."
    ) as blocker:
        controller.set_text("the cat sat on the [MASK] .")
    result = blocker.args[0]
    assert result.tokens[0] == "[CLS]" and result.fill_mask
    assert threads and all(t is not threading.main_thread() for t in threads)


def test_only_the_latest_text_is_delivered(qtbot, controller, model_folder):
    load(qtbot, controller, model_folder)
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.inspect_now()
    delivered = []
    controller.inspectionReady.connect(lambda r: delivered.append(r.text))
    for i in range(1, 20):  # a fast typist: each keystroke forces a request
        controller.set_text("the cat sat"[: i % 11 + 1])
        controller.inspect_now()
    controller.set_text("the dog ran")
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the dog ran"
    ):
        controller.inspect_now()
    qtbot.wait(200)
    assert delivered[-1] == "the dog ran"
    assert all(text == "the dog ran" for text in delivered)  # nothing stale reached the views


def test_failed_load_keeps_the_previous_model(qtbot, controller, model_folder, tmp_path):
    load(qtbot, controller, model_folder)
    previous = controller.info
    with qtbot.waitSignal(controller.modelLoadFailed, timeout=30_000) as blocker:
        controller.load_model(str(tmp_path / "missing"))
    assert "no such folder" in blocker.args[0] and "\n" not in blocker.args[0]
    assert controller.info is previous
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.set_text("still works")


def test_switching_a_head_off_reinspects_with_the_mask(qtbot, controller, model_folder):
    load(qtbot, controller, model_folder)
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the cat [MASK] ."
    ):
        controller.set_text("the cat [MASK] .")
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000) as blocker:
        controller.set_head_enabled(1, 2, False)
    r = blocker.args[0]
    assert r.head_mask[1, 2] == 0 and r.attentions[1, 2].max() == 0
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000) as blocker:
        controller.reset_heads()
    assert np.all(blocker.args[0].head_mask == 1)


def test_event_loop_keeps_running_while_the_model_works(qtbot, controller, model_folder, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    import model.bert

    load(qtbot, controller, model_folder)
    original = model.bert.Bert.inspect

    def slow(self, *args, **kwargs):  # a big model on a slow machine
        time.sleep(0.6)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model.bert.Bert, "inspect", slow)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    started = time.monotonic()
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "slow"):
        controller.set_text("slow")
    timer.stop()
    assert time.monotonic() - started >= 0.6
    assert len(ticks) >= 20  # the GUI thread kept serving events during the forward pass


def test_a_failed_device_move_reports_where_the_model_really_is(qtbot, controller, model_folder):
    load(qtbot, controller, model_folder)
    with qtbot.waitSignals([controller.deviceChanged, controller.deviceChangeFailed], timeout=30_000):
        controller.set_device("cuda:99")  # no such device on any machine this runs on
    assert controller.device == "cpu" and controller.info.device == "cpu"


def test_failures_carry_their_kind_beside_one_line():
    from bertgui.worker import FailureKind, describe_failure
    from model.errors import CapabilityError

    assert describe_failure(CapabilityError("no MLM head"), "x") == (FailureKind.INPUT, "no MLM head")
    kind, message = describe_failure(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"), "x")
    assert kind is FailureKind.OUT_OF_MEMORY and "ran out of memory" in message
    assert describe_failure(ValueError("bad\nsecond line"), "could not load the model") == (
        FailureKind.UNEXPECTED,
        "could not load the model: ValueError: bad",
    )


def test_fill_mask_choices_reach_the_worker(qtbot, controller, model_folder):
    import model

    load(qtbot, controller, model_folder)
    text = "the cat sat on the [MASK] ."
    controller.set_top_k(5)
    controller.set_candidates(("dog", "walking"))
    controller.set_masked_scoring(True)
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.masked_token_probabilities is not None
    ) as blocker:
        controller.set_text(text)
        controller.set_all_positions(True)
    r = blocker.args[0]
    assert len(r.fill_mask[0].predictions) == 5 and [c.word for c in r.candidate_scores] == ["dog", "walking"]
    assert r.token_probabilities is None and r.fill_mask_all_heads_on is None  # all heads on: no extra pass
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000) as blocker:
        controller.set_head_enabled(0, 2, False)
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000) as blocker:
        controller.set_head_enabled(1, 1, False)
    r = blocker.args[0]
    bert = model.load(model_folder, device="cpu")  # the same weights, outside the worker
    before, now = bert.inspect(text, top_k=5), bert.inspect(text, head_mask=r.head_mask, top_k=5)
    assert [p.token for p in r.fill_mask_all_heads_on[0].predictions] == [
        p.token for p in before.fill_mask[0].predictions
    ]
    assert [p.token for p in r.fill_mask[0].predictions] == [p.token for p in now.fill_mask[0].predictions]
    assert np.allclose([p.score for p in r.fill_mask[0].predictions], [p.score for p in now.fill_mask[0].predictions])
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.token_probabilities is not None
    ) as blocker:
        controller.set_masked_scoring(False)  # as seen
    assert blocker.args[0].masked_token_probabilities is None
