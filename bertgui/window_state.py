"""What the window remembers between launches, read back and saved: its geometry and docks, the
open tab, the text, each view's remembered controls, the folded captions and the palette. Every
value read is checked (bertgui/settings.py); one that does not fit is ignored with a line on stderr."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTabWidget

from .palette import apply_palette
from .settings import AppSettings


class HasOptions(Protocol):
    """A view's remembered controls (bertgui/views/view_options.py), or the tabs' folded captions."""

    def options(self) -> dict: ...

    def set_options(self, options: dict) -> None: ...


def restore_window_state(
    settings: AppSettings, window: QMainWindow, tabs: QTabWidget, views: dict[str, HasOptions], dark_action
) -> None:
    geometry, state = settings.window_state()
    # Qt checks the bytes are a saved geometry or state and says False if not (e.g. another app's).
    if geometry is not None and not window.restoreGeometry(geometry):
        settings.ignored("window/geometry", "not a saved geometry")
    if state is not None and not window.restoreState(state):
        settings.ignored("window/state", "not a saved window state")
    tab = settings.tab
    if tab < tabs.count():
        tabs.setCurrentIndex(tab)
    else:
        settings.ignored("view/tab", f"there is no tab {tab}")
    for name, view in views.items():
        view.set_options(settings.view_options(name))
    dark = settings.dark
    dark_action.setChecked(dark)
    if dark:
        apply_palette(QApplication.instance(), True)


def save_window_state(
    settings: AppSettings,
    window: QMainWindow,
    tabs: QTabWidget,
    views: dict[str, HasOptions],
    texts: tuple[QLineEdit, QLineEdit],
) -> None:
    settings.save_window_state(window.saveGeometry(), window.saveState())
    settings.text = (texts[0].text(), texts[1].text())
    settings.tab = tabs.currentIndex()
    for name, view in views.items():
        settings.set_view_options(name, view.options())
    settings.sync()
