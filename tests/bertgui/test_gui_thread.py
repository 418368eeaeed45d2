"""The threading rule: only the worker threads run torch; the GUI thread gets plain data
(`model.ModelInfo`, `model.Inspection`) and never calls into the model."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

# Entry points every use of a live model goes through: a forward pass, reading parameters,
# moving them, reading a tensor back. A wrapper records the ones called on the GUI thread.
GUARDED = [
    ("nn.Module", "__call__"),
    ("nn.Module", "parameters"),
    ("nn.Module", "named_parameters"),
    ("nn.Module", "to"),
    ("Tensor", "numpy"),
    ("Tensor", "tolist"),
    ("Tensor", "cpu"),
    ("Tensor", "item"),
]


@pytest.fixture
def gui_thread_torch_calls(monkeypatch):
    """The guarded torch calls made on the main (GUI) thread, as 'Owner.name' strings."""
    import torch

    calls = []

    def guard(owner_name, name, original):
        def guarded(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                calls.append(f"{owner_name}.{name}")
            return original(*args, **kwargs)

        return guarded

    for owner_name, name in GUARDED:
        owner = torch.nn.Module if owner_name == "nn.Module" else torch.Tensor
        monkeypatch.setattr(owner, name, guard(owner_name, name, getattr(owner, name)))
    return calls


def test_loading_inspecting_and_moving_run_no_torch_on_the_gui_thread(
    qtbot, controller, model_folder, gui_thread_torch_calls
):
    from bertgui.main_window import MainWindow

    window = MainWindow(controller)  # after the guard: the test's model folder is written with torch
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(model_folder, "cpu")
    with qtbot.waitSignal(
        controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the cat [MASK] on the mat"
    ):
        window.set_texts("the cat [MASK] on the mat")
    with qtbot.waitSignal(controller.deviceChanged, timeout=30_000):
        controller.set_device("cpu")
    for view in (window.tokens_view, window.embeddings_view, window.model_view, window.fill_mask_view):
        window.tabs.setCurrentWidget(view)
    assert window.embeddings_view.similarity.image is not None and window.model_view.params_table.rowCount() > 1
    assert gui_thread_torch_calls == []


def test_the_guard_sees_torch_called_on_the_gui_thread(gui_thread_torch_calls):
    """The test above can fail: a model used from this thread is recorded."""
    import torch

    torch.nn.Linear(2, 2)(torch.zeros(1, 2)).tolist()
    assert "nn.Module.__call__" in gui_thread_torch_calls and "Tensor.tolist" in gui_thread_torch_calls


def test_model_info_is_plain_data(qtbot, controller, model_folder):
    from model.model_info import ModelInfo

    with qtbot.waitSignal(controller.modelLoaded, timeout=30_000) as blocker:
        controller.load_model(model_folder, "cpu")
    info = blocker.args[0]
    assert isinstance(info, ModelInfo) and controller.info is info
    assert info.path == model_folder and info.device == "cpu" and info.dtype == "float32"
    assert info.mlm and info.nsp and info.classifier is None
    assert info.parameter_count == sum(info.parameter_counts.values())
    table = info.position_embedding_table
    assert isinstance(table, np.ndarray) and table.dtype == np.float32 and table.flags.c_contiguous
    assert table.shape == (info.config.max_position_embeddings, info.config.hidden_size)


def test_model_info_imports_without_torch():
    code = "import sys, model.model_info; print('torch' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "False", proc.stdout + proc.stderr
