"""The menu bar: recent models, the Hugging Face cache, and a shortcut per tab."""

from __future__ import annotations


def test_recent_and_cached_models_are_listed_when_their_menus_open(qtbot, window, model_folder, tmp_path, monkeypatch):
    import shutil

    menus = window.menus
    menus.recent_menu.aboutToShow.emit()
    assert [a.text() for a in menus.recent_menu.actions()] == ["(none yet)"]  # the window remembers nothing
    snapshot = tmp_path / "hub" / "models--org--tiny-bert" / "snapshots" / "abc"
    shutil.copytree(model_folder, snapshot)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    menus.cache_menu.aboutToShow.emit()
    assert [a.text() for a in menus.cache_menu.actions()] == ["org/tiny-bert"]


def test_every_tab_has_a_shortcut_in_the_view_menu(qtbot, window):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    shortcuts = {a.text(): a.shortcut().toString() for a in view_menu.actions()}
    for index in range(window.tabs.count()):
        assert shortcuts[window.tabs.tabText(index)] == f"Ctrl+{index + 1}"
