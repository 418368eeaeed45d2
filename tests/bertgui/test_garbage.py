"""Cyclic garbage is collected on the GUI thread while worker threads run (bertgui/garbage.py)."""

from __future__ import annotations

import gc
import threading


class Cycle:
    """Unreachable once made: it refers to itself. Records the thread that collects it."""

    collected_on: list[int] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        Cycle.collected_on.append(threading.get_ident())


def make_garbage_on_a_thread() -> None:
    def work():
        for _ in range(50):
            Cycle()
        # Allocations far past every threshold: with automatic collection on, the interpreter
        # would collect here, on this thread, as it did inside torch's state_dict on the model worker.
        junk = [[] for _ in range(50 * gc.get_threshold()[0])]
        del junk

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_garbage_made_on_a_worker_thread_is_collected_on_the_gui_thread(qtbot, controller):
    gc.collect()
    Cycle.collected_on.clear()
    make_garbage_on_a_thread()
    assert Cycle.collected_on == []  # nothing ran on the worker thread
    qtbot.waitUntil(lambda: len(Cycle.collected_on) == 50, timeout=5_000)
    assert set(Cycle.collected_on) == {threading.get_ident()}


def test_the_policy_holds_while_any_worker_thread_runs_and_ends_with_the_last(qtbot):
    from bertgui import garbage
    from bertgui.controller import Controller
    from bertgui.finetune.controller import FinetuneController

    assert gc.isenabled() and not garbage.is_held()
    inspector, finetune = Controller(), FinetuneController()
    assert not gc.isenabled()
    assert inspector.shutdown()
    assert not gc.isenabled()  # the fine-tune worker still runs
    assert finetune.shutdown()
    assert gc.isenabled() and not garbage.is_held()
    assert finetune.shutdown()  # a second shutdown changes nothing
    assert gc.isenabled() and not garbage.is_held()


def test_automatic_collection_comes_back_with_a_last_collection_here(qtbot):
    from bertgui.controller import Controller

    controller = Controller()
    gc.collect()
    Cycle.collected_on.clear()
    make_garbage_on_a_thread()
    assert Cycle.collected_on == []
    controller.shutdown()
    assert Cycle.collected_on == [threading.get_ident()] * 50


def test_an_abandoned_worker_gives_the_policy_back_once_it_ends(qtbot, monkeypatch):
    import threading

    import model
    from bertgui import garbage
    from bertgui.controller import Controller
    from bertgui.worker_thread import any_abandoned, wait_for_abandoned

    release = threading.Event()
    monkeypatch.setattr(model, "load", lambda *args, **kwargs: release.wait(30))
    controller = Controller()
    controller.load_model("/any", "cpu")
    qtbot.wait(200)  # the worker is inside the load
    assert not controller.shutdown(wait_ms=100) and any_abandoned() and garbage.is_held()
    release.set()
    wait_for_abandoned(10_000)
    assert not any_abandoned() and not garbage.is_held() and gc.isenabled()
