"""Closing never waits on a busy worker without a bound (bertgui/worker_thread.py)."""

from __future__ import annotations

import threading
import time

import pytest

from .conftest import wait_for_abandoned_workers


@pytest.fixture
def slow_load(monkeypatch):
    """model.load that blocks until released (a load that takes minutes, or a read that never returns)."""
    import model

    release = threading.Event()
    started = threading.Event()

    def load(*args, **kwargs):
        started.set()
        release.wait(60)
        raise model.BertError("released")

    monkeypatch.setattr(model, "load", load)
    yield started
    release.set()
    wait_for_abandoned_workers()


def test_closing_the_window_during_a_long_load_returns_within_about_two_seconds(qtbot, window, slow_load):
    from bertgui import worker_thread

    window.controller.load_model("/any/folder", "cpu")
    assert slow_load.wait(10)
    began = time.perf_counter()
    window.close()
    took = time.perf_counter() - began
    print(f"closing during a load took {took:.2f} s")
    assert took < 2.5
    assert worker_thread.any_abandoned()  # the busy worker was left, not waited on


def test_an_idle_worker_stops_at_once(qtbot):
    from bertgui.controller import Controller

    controller = Controller()
    began = time.perf_counter()
    assert controller.shutdown()
    assert time.perf_counter() - began < 0.5
