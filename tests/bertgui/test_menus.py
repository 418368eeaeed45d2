"""The menu bar: recent models, the Hugging Face cache, a shortcut per tab, the Help menu and where
the file dialogs start."""

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
        assert shortcuts[window.tabs.tabText(index)] == f"Ctrl+{(index + 1) % 10}"  # the tenth: Ctrl+0


def all_actions(menu):
    for a in menu.actions():
        if a.menu() is not None:
            yield from all_actions(a.menu())
        else:
            yield a


def test_the_help_menu_offers_the_tab_guide_the_shortcuts_and_about(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["How to read &this tab", "&Tab guide…", "&Keyboard shortcuts…", "&About BERT Explorer"]


def test_the_shortcut_list_is_every_shortcut_of_the_menus(qtbot, window):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QTableWidget

    dialog = window.menus.show_shortcuts()
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget)
    listed = sorted(table.item(row, 0).text() for row in range(table.rowCount()))
    native = QKeySequence.SequenceFormat.NativeText
    defined = sorted(a.shortcut().toString(native) for a in all_actions(window.menuBar()) if not a.shortcut().isEmpty())
    assert listed == defined and "Ctrl+3" in listed and "Ctrl+Shift+H" in listed
    does = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert does["Ctrl+Shift+D"] == "Dark palette" and does["Ctrl+Shift+H"] == "Heads dock"


def test_the_tab_guide_dialog_holds_every_tabs_caption(qtbot, window):
    from PySide6.QtWidgets import QTextBrowser

    from bertgui.tab_guide import TAB_GUIDE

    dialog = window.menus.show_tab_guide()
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QTextBrowser).toPlainText()
    for name, text in TAB_GUIDE.items():
        assert name in shown and text in shown.replace("\n", " ")


def test_about_names_the_version_the_licence_and_the_bundled_model(qtbot, window):
    import importlib.metadata

    from bertgui.menus import BUNDLED_MODEL_NAME
    from model.bert import BUNDLED_MODEL

    assert BUNDLED_MODEL_NAME == BUNDLED_MODEL.name
    box = window.menus.show_about()
    qtbot.addWidget(box)
    text = box.text()
    assert importlib.metadata.version("bertgui") in text and "Licence: MIT" in text
    assert BUNDLED_MODEL_NAME in text and window.controller.info.name in text


def test_file_dialogs_start_in_the_last_folder_else_in_the_users_folders(qtbot, window, tmp_path, monkeypatch):
    import os

    asked = []

    def save_file_name(parent, caption, start, filter):
        asked.append(start)
        return str(tmp_path / "exports" / "attention.png"), ""

    (tmp_path / "exports").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "Pictures").mkdir(parents=True)
    monkeypatch.setattr("bertgui.menus.QFileDialog.getSaveFileName", save_file_name)
    window.tabs.setCurrentWidget(window.attention_view)
    window.menus.export_view("png")
    assert asked[0] == str(tmp_path / "home" / "Pictures" / "attention.png")  # never the source checkout
    assert os.path.dirname(asked[0]) != os.getcwd()
    window.menus.export_view("png")
    assert asked[1] == str(tmp_path / "exports" / "attention.png")  # where the last export went
    assert window.menus.open_folder() == str(tmp_path / "home")  # no model opened from a folder yet


def test_open_model_starts_beside_the_last_model_the_user_opened(qtbot, controller, model_folder, tmp_path):
    from pathlib import Path

    from PySide6.QtCore import QDir, QSettings

    from bertgui.main_window import MainWindow
    from bertgui.menus import APP_FOLDER, BUNDLED_MODEL_NAME
    from bertgui.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(controller, settings=settings)
    qtbot.addWidget(w)
    settings.last_model = str(APP_FOLDER / "resources" / "models" / BUNDLED_MODEL_NAME)
    assert w.menus.open_folder() == QDir.homePath()  # the bundled model's folder is the app's, not the user's
    settings.last_model = model_folder
    assert w.menus.open_folder() == str(Path(model_folder).parent)
