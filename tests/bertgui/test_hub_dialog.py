"""File > Open from the Hub: the dialog against a local stand-in for the Hub (the fake_hub fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from model import hub

MODEL_ID = "tester/tiny-bert"


@pytest.fixture
def served(fake_hub, hf_folder):
    folder, _ = hf_folder("BertForMaskedLM", seed=1)
    fake_hub.add_folder(MODEL_ID, folder)
    return fake_hub


def test_open_downloads_with_progress_and_loads_the_model(window, served, qtbot):
    dialog = window.menus.open_from_hub()
    assert dialog.isVisible()
    assert "bert-base-uncased" in dialog.id_edit.completer().model().stringList()
    dialog.id_edit.setText(MODEL_ID)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=60_000):
        with qtbot.waitSignal(window.controller.modelLoaded, timeout=60_000) as loaded:
            dialog.open_button.click()
    snapshot = hub.cached_snapshot(MODEL_ID)
    assert snapshot is not None and Path(loaded.args[0].path) == snapshot
    assert dialog.progress_updates >= 1 and not dialog.isVisible()
    window.menus.cache_menu.aboutToShow.emit()  # File > From the Hugging Face cache lists it now
    assert MODEL_ID in [a.text() for a in window.menus.cache_menu.actions()]
    served.fetched.clear()
    loading = []
    window.controller.modelLoading.connect(loading.append)
    dialog = window.menus.open_from_hub()
    dialog.id_edit.setText(MODEL_ID)
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=60_000):
        qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)  # Enter opens it; cached: without asking the Hub
    assert served.fetched == [] and loading == [str(snapshot)]


def test_cancel_stops_the_download_and_the_window_stays_usable(window, served, qtbot, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16384)
    served.rate = 50_000  # bytes/s: the weights take seconds
    dialog = window.menus.open_from_hub()
    dialog.id_edit.setText(MODEL_ID)
    progress = []
    dialog.downloader.progressed.connect(progress.append)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: any(p.file == "model.safetensors" and p.done_bytes < p.total_bytes for p in progress))
    assert dialog.cancel_button.isEnabled() and not dialog.open_button.isEnabled()
    # The model open before the download still answers while it runs.
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.set_text("a new sentence while downloading")
    assert dialog.downloader.is_busy()
    with qtbot.waitSignal(dialog.downloader.cancelled, timeout=10_000):
        dialog.cancel_button.click()
    assert "Cancelled" in dialog.message_label.text()
    assert dialog.open_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert hub.cached_snapshot(MODEL_ID) is None
    window.menus.cache_menu.aboutToShow.emit()
    assert MODEL_ID not in [a.text() for a in window.menus.cache_menu.actions()]


def test_no_such_model_is_said_in_the_dialog(window, served, qtbot):
    dialog = window.menus.open_from_hub()
    with qtbot.waitSignal(dialog.downloader.failed, timeout=30_000):
        dialog.open_model("nobody/no-such-bert")
    assert dialog.message_label.text().startswith("no model 'nobody/no-such-bert'")
    assert dialog.open_button.isEnabled()
    dialog.open_model("not an id")
    assert "Type a model id" in dialog.message_label.text()


def test_closing_the_window_cancels_a_download(window, served, qtbot, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16384)
    served.rate = 50_000
    dialog = window.menus.open_from_hub(MODEL_ID)
    qtbot.waitUntil(lambda: dialog.progress_updates > 0, timeout=30_000)
    window.close()
    assert not dialog.downloader.is_busy()
    assert hub.cached_snapshot(MODEL_ID) is None


def test_bertgui_model_takes_a_folder_a_cached_id_or_an_id_to_download(served, tmp_path, monkeypatch):
    from bertgui.app import hub_model

    assert hub_model(None) == (None, None)
    assert hub_model(MODEL_ID) == (None, MODEL_ID)  # not cached yet: the dialog downloads it
    snapshot = hub.download(MODEL_ID)
    assert hub_model(MODEL_ID) == (str(snapshot), None)  # cached: opened from there
    (tmp_path / "tester" / "tiny-bert").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert hub_model(MODEL_ID) == (MODEL_ID, None)  # a folder of that name wins
