"""A checkpoint with NaN or Inf weights: the window says so at load, and every view draws the
NaN and Inf values that come out of it without raising. And the check these tests rely on:
an exception raised in a slot fails a test (pytest-qt's capture, which works with PySide6)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal

ROOT = Path(__file__).resolve().parents[2]
NAN_TENSOR = "bert.encoder.layer.1.attention.self.query.weight"  # NaN from layer 1's attention on
INF_TENSOR = "bert.embeddings.word_embeddings.weight"  # Inf in the row of "dog": all NaN when it is typed
TEXTS = (
    ("the cat sat on the [MASK] .", ""),  # finite up to layer 0, NaN after
    ("the dog sat on the [MASK] .", "a cat [MASK] ."),
)  # NaN everywhere from the embeddings on


@pytest.fixture
def nan_folder(hf_folder, vocab_file) -> str:
    from safetensors.torch import load_file, save_file

    folder = hf_folder("BertForPreTraining")[0]
    weights = load_file(folder / "model.safetensors")
    weights[NAN_TENSOR][0, :5] = float("nan")
    dog = vocab_file.read_text(encoding="utf-8").split("\n").index("dog")
    weights[INF_TENSOR][dog, :3] = float("inf")
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})
    return str(folder)


@pytest.fixture
def nan_window(qtbot, controller, nan_folder):
    from bertgui.main_window import MainWindow

    w = MainWindow(controller)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(nan_folder, "cpu")
    return w


def show_and_wait(qtbot, window, text, text_b):
    with qtbot.waitSignal(
        window.controller.inspectionReady,
        timeout=30_000,
        check_params_cb=lambda r: (r.text, r.text_b or "") == (text, text_b),
    ):
        window.set_texts(text, text_b)


def visit_every_tab(qtbot, window):
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)  # the tab renders the inspection, then paints
        window.tabs.currentWidget().grab()
    hidden = window.hidden_states_view
    for state in range(hidden.slider.maximum() + 1):
        hidden.slider.setValue(state)
    attention = window.attention_view
    for mode in range(attention.mode_combo.count()):
        attention.mode_combo.setCurrentIndex(mode)
        attention.hide_special.setChecked(not attention.hide_special.isChecked())
        attention.grab()
    lines = window.head_lines_view
    lines.set_heads(list(range(lines._heads)))
    lines.focus_token(1)
    lines.grab()


def test_every_tab_draws_a_model_with_nan_weights(qtbot, nan_window):
    window = nan_window
    message = window.statusBar().currentMessage()
    assert "2 tensors hold NaN or Inf values" in message and NAN_TENSOR in message and INF_TENSOR in message
    assert message in window.model_view.capabilities.text()  # the Model tab keeps it in sight
    with qtbot.capture_exceptions() as exceptions:
        with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
            window.fill_mask_view.score_all.setChecked(True)
        for text, text_b in TEXTS:
            show_and_wait(qtbot, window, text, text_b)
            visit_every_tab(qtbot, window)
        with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
            window.heads_view.table.item(0, 1).setCheckState(Qt.CheckState.Unchecked)  # a head switched off
        visit_every_tab(qtbot, window)
    assert exceptions == []
    r = window.controller.inspection
    assert np.isnan(r.hidden_states[1:]).all() and np.isnan(r.nsp_is_next)  # the views had NaN to draw
    assert "not a number" in window.nsp_view.label.text()
    assert "not numbers" in window.fill_mask_view.message.text()
    assert "no PCA" in window.hidden_states_view.plot.getPlotItem().titleLabel.text
    window.attention_view.mode_combo.setCurrentIndex(0)  # attention: rollout (model code) turns NaN rows to 0
    assert "NaN or Inf value" in window.attention_view.plot.titleLabel.text


# --- each view on its own, with NaN, +Inf and -Inf in every array it draws -----------------


@pytest.fixture
def inspection(model_folder):
    """An inspection of a finite model with everything the views draw: a pair, rollout, the
    logit lens and every position's scores."""
    import model

    bert = model.load(model_folder, device="cpu")
    return bert.inspect("the cat [MASK] on the mat .", "a dog ran .", all_positions=True, rollout=True, logit_lens=True)


def spoiled(r, value: float):
    """A copy of `r` with `value` in every third entry of each float array, and as every other
    probability: finite values stay beside the broken ones, as in a partly broken model."""

    def array(a):
        a = a.copy()
        a.flat[::3] = value
        return a

    def scores(predictions):
        return [replace(p, score=value) if i % 2 == 0 else p for i, p in enumerate(predictions)]

    arrays = {
        name: array(getattr(r, name))
        for name in (
            "token_embeddings",
            "segment_embeddings",
            "position_embeddings",
            "normalized_sum",
            "hidden_states",
            "attentions",
            "token_probabilities",
            "rollout",
            "logit_lens_final_probability",
        )
    }
    return replace(
        r,
        **arrays,
        nsp_is_next=value,
        fill_mask=[replace(m, predictions=scores(m.predictions)) for m in r.fill_mask],
        position_predictions=[replace(m, predictions=scores(m.predictions)) for m in r.position_predictions],
        logit_lens=[replace(lens, layers=[scores(layer) for layer in lens.layers]) for lens in r.logit_lens],
    )


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_each_view_draws_non_finite_values(qtbot, inspection, value):
    from bertgui.finetune.attention_change_view import AttentionChangeView
    from bertgui.views.attention_view import AttentionView
    from bertgui.views.embeddings_view import EmbeddingsView
    from bertgui.views.fill_mask_view import FillMaskView
    from bertgui.views.head_lines_view import HeadLinesView
    from bertgui.views.hidden_states_view import HiddenStatesView
    from bertgui.views.nsp_view import NSPView
    from bertgui.views.tokens_view import TokensView
    from model.attention_change import AttentionChange

    r = spoiled(inspection, value)
    with qtbot.capture_exceptions() as exceptions:
        views = {
            cls: shown(qtbot, cls())
            for cls in (
                TokensView,
                EmbeddingsView,
                AttentionView,
                HeadLinesView,
                FillMaskView,
                HiddenStatesView,
                NSPView,
            )
        }
        for view in views.values():
            view.show_inspection(r)
            view.grab()  # paints too
        attention = views[AttentionView]
        attention.mode_combo.setCurrentIndex(1)  # rollout
        attention.hide_special.setChecked(True)
        assert all(np.isfinite(attention.colorbar.levels()))
        lines = views[HeadLinesView]
        lines.set_heads(list(range(r.num_heads)))
        lines.focus_token(2)
        lines.grab()
        hidden = views[HiddenStatesView]
        for state in range(r.hidden_states.shape[0]):
            hidden.slider.setValue(state)
        assert "no PCA" in hidden.plot.getPlotItem().titleLabel.text
        classes = views[NSPView]
        classes.show_inspection(replace(r, class_probabilities={"yes": 0.25, "no": value, "maybe": 0.75}))
        assert [classes.classes.item(row, 0).text() for row in range(3)] == ["maybe", "yes", "no"]
        divergence = np.full((r.num_layers, r.num_heads), 0.1, dtype=np.float32)
        divergence[0, 0] = value
        change = shown(qtbot, AttentionChangeView())
        change.show_change(AttentionChange(r.tokens, divergence, r.attentions, r.attentions))
        change.grab()
        assert "1 NaN or Inf value" in change.summary.text()
    assert exceptions == []


# --- an exception in a slot fails the test -------------------------------------------------


class Emitter(QObject):
    fired = Signal()


def fail() -> None:
    raise ValueError("raised in a slot")


def test_an_exception_in_a_slot_is_captured(qtbot):
    """PySide6 hands an exception raised in a slot, called at once or from the event loop, to
    sys.excepthook, where pytest-qt collects it (and fails the test, shown below)."""
    emitter = Emitter()
    emitter.fired.connect(fail)
    with qtbot.capture_exceptions() as exceptions:
        emitter.fired.emit()
        QTimer.singleShot(0, fail)
        qtbot.wait(50)
    assert [kind for kind, _, _ in exceptions] == [ValueError, ValueError]


def test_a_test_whose_slot_raises_fails(tmp_path):
    """Run under this project's pytest settings, a test passes or fails by the exceptions raised
    in its slots alone: it fails although nothing it calls directly raises."""
    (tmp_path / "test_slot.py").write_text(
        textwrap.dedent("""
        from PySide6.QtCore import QObject, Signal

        class Emitter(QObject):
            fired = Signal()

        def test_slot_raises(qtbot):
            emitter = Emitter()
            emitter.fired.connect(lambda: 1 / 0)
            emitter.fired.emit()
    """)
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "test_slot.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Exceptions caught in Qt event loop" in run.stdout and "ZeroDivisionError" in run.stdout
