"""The menu bar: File (open a model, recent ones, the Hugging Face cache, the bundled model,
exports, quit), Model (device, run again, all heads on) and View (palette, a shortcut per tab).
Every action goes through the controller or the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QTabWidget, QWidget

from .controller import Controller
from .hf_cache import find_cached_berts
from .palette import apply_palette
from .settings import AppSettings


class WindowMenus(QObject):
    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        settings: AppSettings | None,
        tabs: QTabWidget,
        export_widget: Callable[[QWidget, str], None],
    ):
        super().__init__(window)
        self._window, self._controller, self._settings, self._tabs = window, controller, settings, tabs
        self._export_widget = export_widget
        self._build()

    def show_devices(self, devices: list[str], current: str) -> None:
        """One checkable Device entry per device the worker found, the current one checked."""
        self.device_menu.clear()
        for device in devices:
            a = self.device_menu.addAction(
                device.upper() if device == "cpu" else device, lambda d=device: self._controller.set_device(d)
            )
            a.setCheckable(True)
            a.setData(device)
            self.device_group.addAction(a)
        self.check_device(current)

    def check_device(self, device: str) -> None:
        for a in self.device_group.actions():
            a.setChecked(a.data() == device or (device == "cuda" and a.data() == "cuda:0"))

    def _build(self) -> None:
        def action(menu, text, slot, shortcut=None, tip=""):
            a = QAction(text, self._window)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.setToolTip(tip or text)
            a.setStatusTip(tip or text)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        file_menu = self._window.menuBar().addMenu("&File")
        action(
            file_menu,
            "&Open model…",
            self._on_open_triggered,
            QKeySequence.StandardKey.Open,
            "Open a Hugging Face-layout BERT folder (config.json + weights + vocabulary)",
        )
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.cache_menu = file_menu.addMenu("From the Hugging Face &cache")
        self.cache_menu.setToolTip("BERT checkpoints already downloaded on this machine (no network used)")
        self.cache_menu.aboutToShow.connect(self._on_cache_menu_about_to_show)
        action(
            file_menu,
            "&Bundled model",
            lambda: self._controller.load_model(None),
            None,
            "Open the small BERT that ships with BERT Explorer",
        )
        file_menu.addSeparator()
        action(file_menu, "Export view as &PNG…", lambda: self.export_view("png"), QKeySequence("Ctrl+E"))
        action(file_menu, "Export view as &SVG…", lambda: self.export_view("svg"), QKeySequence("Ctrl+Shift+S"))
        action(
            file_menu,
            "Export inspection &arrays…",
            self._on_export_arrays_triggered,
            QKeySequence("Ctrl+Shift+E"),
            "Save tokens, embeddings, hidden states and attention maps as .npz, with a .json summary",
        )
        file_menu.addSeparator()
        action(file_menu, "&Quit", self._window.close, QKeySequence.StandardKey.Quit)

        model_menu = self._window.menuBar().addMenu("&Model")
        self.device_menu = model_menu.addMenu("&Device")
        self.device_group = QActionGroup(self._window)
        action(
            model_menu,
            "&Run again",
            self._controller.inspect_now,
            QKeySequence("F5"),
            "Run the model again on the current text",
        )
        action(model_menu, "Switch all &heads on", self._controller.reset_heads, QKeySequence("Ctrl+R"))

        view_menu = self._window.menuBar().addMenu("&View")
        self.dark_action = action(view_menu, "&Dark palette", self._on_dark_triggered, QKeySequence("Ctrl+Shift+D"))
        self.dark_action.setCheckable(True)
        for index in range(self._tabs.count()):
            action(
                view_menu,
                self._tabs.tabText(index),
                lambda _=False, i=index: self._tabs.setCurrentIndex(i),
                QKeySequence(f"Ctrl+{index + 1}"),
                f"Show the {self._tabs.tabText(index)} view",
            )

    @Slot()
    def _on_open_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._window, "Open a BERT model folder")
        if folder:
            self._controller.load_model(folder)

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self._settings.recent_models if self._settings else []
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self._controller.load_model(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    @Slot()
    def _on_cache_menu_about_to_show(self) -> None:
        self.cache_menu.clear()
        cached = find_cached_berts()  # on the GUI thread: cheap enough (see find_cached_berts)
        for entry in cached:
            self.cache_menu.addAction(entry.name, lambda p=str(entry.path): self._controller.load_model(p))
        if not cached:
            self.cache_menu.addAction("(no BERT checkpoints in the local cache)").setEnabled(False)

    def export_view(self, kind: str) -> None:
        """Ask where, then save the current tab's view as an image (png or svg)."""
        view = self._tabs.currentWidget()
        name = self._tabs.tabText(self._tabs.currentIndex()).lower().replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(
            self._window, f"Export the {name} view", f"{name}.{kind}", f"{kind.upper()} (*.{kind})"
        )
        if path:
            if Path(path).suffix.lower() != f".{kind}":
                path += f".{kind}"  # the dialog does not add the extension it offered, and Qt needs it
            self._export_widget(view, path)

    @Slot()
    def _on_export_arrays_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Export the inspection arrays", "inspection.npz", "NumPy arrays (*.npz)"
        )
        if path:
            self._controller.export_inspection(path)

    @Slot(bool)
    def _on_dark_triggered(self, dark: bool) -> None:
        apply_palette(QApplication.instance(), dark)
        if self._settings:
            self._settings.dark = dark
