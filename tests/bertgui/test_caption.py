"""A "how to read this" caption above every tab: its text is the tab guide's, Hide folds it and
its button brings it back, F1 toggles the current one, and what was folded is remembered."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt


def test_every_tab_shows_its_guide_text_above_its_view(qtbot, window):
    from bertgui.tab_guide import TAB_GUIDE, TAB_NAMES

    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == list(TAB_NAMES) == list(TAB_GUIDE)
    for index, name in enumerate(TAB_NAMES):
        tabs.setCurrentIndex(index)
        caption = tabs.caption(index)
        assert caption.label.text() == TAB_GUIDE[name] and caption.label.isVisible()
        view = tabs.widget(index)
        assert tabs.currentWidget() is view and tabs.indexOf(view) == index
        assert caption.mapTo(window, caption.rect().bottomLeft()).y() <= view.mapTo(window, view.rect().topLeft()).y()
    tabs.setCurrentWidget(window.attention_view)  # the tabs speak of views, as a plain QTabWidget of them
    assert tabs.currentIndex() == TAB_NAMES.index("Attention")


def test_every_guide_text_is_two_or_three_sentences(qtbot):
    import re

    from bertgui.tab_guide import TAB_GUIDE

    for name, text in TAB_GUIDE.items():
        sentences = re.findall(r"[.?!](?:\s|$)", text.replace("e.g. ", ""))
        assert 2 <= len(sentences) <= 3, (name, len(sentences))
        assert len(text) <= 460, name  # a caption is read at a glance, above the view


def test_hide_folds_the_caption_and_its_button_brings_it_back(qtbot):
    from bertgui.views.caption import SHOW_TEXT, CaptionBar

    bar = CaptionBar("Rows sum to 1.")
    qtbot.addWidget(bar)
    bar.show()
    expanded_height = bar.sizeHint().height()
    with qtbot.waitSignal(bar.collapsedChanged, check_params_cb=lambda collapsed: collapsed):
        qtbot.mouseClick(bar.hide_button, Qt.MouseButton.LeftButton)
    assert not bar.label.isVisible() and bar.show_button.isVisible() and bar.show_button.text() == SHOW_TEXT
    assert bar.sizeHint().height() <= expanded_height
    with qtbot.waitSignal(bar.collapsedChanged, check_params_cb=lambda collapsed: not collapsed):
        qtbot.mouseClick(bar.show_button, Qt.MouseButton.LeftButton)
    assert bar.label.isVisible() and not bar.show_button.isVisible()


def test_f1_folds_and_unfolds_the_current_tabs_caption(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    toggle = next(a for a in help_menu.actions() if a.text() == "How to read &this tab")
    window.tabs.setCurrentWidget(window.nsp_view)
    caption = window.tabs.caption(window.tabs.currentIndex())
    toggle.trigger()
    assert caption.is_collapsed() and not window.tabs.caption(0).is_collapsed()  # only this tab's
    toggle.trigger()
    assert not caption.is_collapsed()


def test_folded_captions_are_remembered_between_launches(qtbot, controller, tmp_path):
    from bertgui.main_window import MainWindow
    from bertgui.settings import AppSettings

    def settings():
        return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))

    first = MainWindow(controller, settings=settings())
    qtbot.addWidget(first)
    first.tabs.captions["attention"].set_collapsed(True)
    first.tabs.captions["head-view"].set_collapsed(True)
    first.close()
    again = MainWindow(controller, settings=settings())
    qtbot.addWidget(again)
    folded = {key for key, bar in again.tabs.captions.items() if bar.is_collapsed()}
    assert folded == {"attention", "head-view"}


def test_a_remembered_caption_value_that_does_not_fit_is_ignored_with_one_line(qtbot, capsys):
    from PySide6.QtWidgets import QLabel

    from bertgui.views.caption import CaptionedTabs

    tabs = CaptionedTabs()
    qtbot.addWidget(tabs)
    tabs.add_captioned_tab(QLabel("a"), "Tokens", "Chips.")
    tabs.add_captioned_tab(QLabel("b"), "Head view", "Lines.")
    tabs.set_options({"tokens": "maybe", "head-view": "true", "no-such-tab": True})
    assert not tabs.captions["tokens"].is_collapsed() and tabs.captions["head-view"].is_collapsed()
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "bertgui: settings: ignored caption option tokens='maybe' (not true or false); using the default",
        "bertgui: settings: ignored caption option 'no-such-tab' (there is no such tab); using nothing",
    ]
    assert tabs.options() == {"tokens": False, "head-view": True}


def test_readme_tab_guide_is_the_one_the_app_shows():
    from pathlib import Path

    from bertgui.tab_guide import markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme  # regenerate: python -c "from bertgui.tab_guide import markdown; print(markdown())"
