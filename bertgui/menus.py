"""The menu bar: File (open a model, from the Hub, recent ones, the Hugging Face cache, the bundled model,
exports, quit), Model (device, run again, all heads on, explore a size), View (palette, a shortcut
per tab, every dock) and Help (how to read this tab, the tab guide, the keyboard shortcuts, about).
Every action goes through the controller or the window."""

from __future__ import annotations

import html
import importlib.metadata
import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDir, QObject, QStandardPaths, Qt, Slot, qVersion
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMenuBar,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .controller import Controller
from .hf_cache import find_cached_berts
from .hub_dialog import HubDialog
from .i18n import ENGLISH, LANGUAGES
from .i18n.translators import LANGUAGE_PROPERTY
from .palette import apply_palette
from .settings import AppSettings
from .tab_guide import TAB_NAMES, guide_text, tab_title
from .views.attribution_panel import AttributionPanel
from .views.caption import CaptionedTabs
from .views.corpus_search import CorpusSearch
from .views.size_explorer import SizeExplorer
from .views.two_contexts_view import TwoContexts

# model/bert.py's BUNDLED_MODEL names it too, but that module imports torch, which the GUI thread
# never does (tests/bertgui/test_menus.py checks the two agree).
BUNDLED_MODEL_NAME = "bert-mini-uncased"
APP_FOLDER = Path(__file__).resolve().parent.parent  # the app's code and resources: no place for the user's files


class WindowMenus(QObject):
    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        settings: AppSettings | None,
        tabs: CaptionedTabs,
        export_widget: Callable[[QWidget, str], None],
    ):
        super().__init__(window)
        self._window, self._controller, self._settings, self._tabs = window, controller, settings, tabs
        self._export_widget = export_widget
        self._last_opened = ""  # without settings (tests, screenshots), remembered for this session only
        self._last_export_folder = ""
        self._size_dialog: QDialog | None = None  # Model > Explore a size, kept between showings
        self.size_explorer: SizeExplorer | None = None  # its content
        self._corpus_dialog: QDialog | None = None  # Model > Find in corpus, kept between showings
        self.corpus_search: CorpusSearch | None = None  # its content
        self._contexts_dialog: QDialog | None = None  # Model > One word, two contexts
        self._attribution_dialog: QDialog | None = None  # Fill-mask > Why this prediction?
        self.attribution_panel: AttributionPanel | None = None  # its content
        self.two_contexts: TwoContexts | None = None  # its content
        self.hub_dialog: HubDialog | None = None  # File > Open from the Hub, kept (with its download) between showings
        self.language_notice: QMessageBox | None = None  # View > Language: applies at the next start
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

        file_menu = self._window.menuBar().addMenu(self.tr("&File"))
        action(
            file_menu,
            self.tr("&Open model…"),
            self._on_open_triggered,
            QKeySequence.StandardKey.Open,
            self.tr("Open a Hugging Face-layout BERT folder (config.json + weights + vocabulary)"),
        )
        action(
            file_menu,
            self.tr("Open from the &Hub…"),
            lambda: self.open_from_hub(),
            QKeySequence("Ctrl+Shift+O"),
            self.tr("Download a BERT by its Hugging Face Hub id (e.g. bert-base-uncased) into the cache, then open it"),
        )
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.cache_menu = file_menu.addMenu(self.tr("From the Hugging Face &cache"))
        self.cache_menu.setToolTip(self.tr("BERT checkpoints already downloaded on this machine (no network used)"))
        self.cache_menu.aboutToShow.connect(self._on_cache_menu_about_to_show)
        action(
            file_menu,
            self.tr("&Bundled model"),
            lambda: self._controller.load_model(None),
            None,
            self.tr("Open the small BERT that ships with BERT Explorer"),
        )
        file_menu.addSeparator()
        action(file_menu, self.tr("Export view as &PNG…"), lambda: self.export_view("png"), QKeySequence("Ctrl+E"))
        action(
            file_menu, self.tr("Export view as &SVG…"), lambda: self.export_view("svg"), QKeySequence("Ctrl+Shift+S")
        )
        action(
            file_menu,
            self.tr("Export attention as a &web page…"),
            self._on_export_page_triggered,
            None,
            self.tr("The head view and the attention grid as one HTML file that any browser opens offline"),
        )
        action(
            file_menu,
            self.tr("Export inspection &arrays…"),
            self._on_export_arrays_triggered,
            QKeySequence("Ctrl+Shift+E"),
            self.tr("Save tokens, embeddings, hidden states and attention maps as .npz, with a .json summary"),
        )
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self._window.close, QKeySequence.StandardKey.Quit)

        model_menu = self._window.menuBar().addMenu(self.tr("&Model"))
        self.device_menu = model_menu.addMenu(self.tr("&Device"))
        self.device_group = QActionGroup(self._window)
        action(
            model_menu,
            self.tr("&Run again"),
            self._controller.inspect_now,
            QKeySequence("F5"),
            self.tr("Run the model again on the current text"),
        )
        action(model_menu, self.tr("Switch all &heads on"), self._controller.reset_heads, QKeySequence("Ctrl+R"))
        model_menu.addSeparator()
        action(
            model_menu,
            self.tr("Explore a &size…"),
            self.show_size_explorer,
            None,
            self.tr(
                "BERT-tiny to BERT-large, or a size of your own: shapes, parameters and memory, without any weights"
            ),
        )
        action(
            model_menu,
            self.tr("&Find in corpus…"),
            self.show_corpus_search,
            QKeySequence("Ctrl+Shift+F"),
            self.tr("The corpus sentences whose tokens the model sees as most like a token of yours, at a layer"),
        )
        action(
            model_menu,
            self.tr("One &word, two contexts…"),
            self.show_two_contexts,
            None,
            self.tr("The same word in two sentences: how alike the model sees the two uses after each layer"),
        )

        view_menu = self._window.menuBar().addMenu(self.tr("&View"))
        self.dark_action = action(
            view_menu, self.tr("&Dark palette"), self._on_dark_triggered, QKeySequence("Ctrl+Shift+D")
        )
        self.dark_action.setCheckable(True)
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        self.language_group = QActionGroup(self._window)
        shown_language = QApplication.instance().property(LANGUAGE_PROPERTY) or ENGLISH
        for code, name in LANGUAGES.items():  # each language in its own words, so anyone finds theirs
            a = self.language_menu.addAction(name, lambda c=code: self._on_language_chosen(c))
            a.setCheckable(True)
            a.setChecked(code == shown_language)
            a.setData(code)
            self.language_group.addAction(a)
        for index in range(self._tabs.count()):
            action(
                view_menu,
                self._tabs.tabText(index),
                lambda _=False, i=index: self._tabs.setCurrentIndex(i),
                QKeySequence(f"Ctrl+{(index + 1) % 10}") if index < 10 else None,  # the tenth is Ctrl+0
                self.tr("Show the {0} view").format(self._tabs.tabText(index)),
            )
        view_menu.addSeparator()
        # A closed dock comes back from here (its title bar's close button is the only other way).
        for dock in self._window.findChildren(QDockWidget):
            toggle = dock.toggleViewAction()
            toggle.setText(self.tr("{0} dock").format(dock.windowTitle()))
            toggle.setStatusTip(self.tr("Show or hide the {0} dock").format(dock.windowTitle()))
            view_menu.addAction(toggle)
        self.heads_dock_action = self._window.findChild(QDockWidget, "heads-dock").toggleViewAction()
        self.heads_dock_action.setShortcut(QKeySequence("Ctrl+Shift+H"))

        help_menu = self._window.menuBar().addMenu(self.tr("&Help"))
        action(
            help_menu,
            self.tr("How to read &this tab"),
            self._on_caption_triggered,
            QKeySequence.StandardKey.HelpContents,
            self.tr("Show or hide the explanation above the current tab"),
        )
        action(
            help_menu,
            self.tr("&Tab guide…"),
            self.show_tab_guide,
            None,
            self.tr("How to read every tab, in one window"),
        )
        action(
            help_menu,
            self.tr("&Keyboard shortcuts…"),
            self.show_shortcuts,
            None,
            self.tr("Every keyboard shortcut of the menus, in one list"),
        )
        help_menu.addSeparator()
        action(
            help_menu,
            self.tr("&About BERT Explorer"),
            self.show_about,
            None,
            self.tr("Version, licence and the bundled model"),
        )

    # --- where the file dialogs start -----------------------------------------------------

    def open_folder(self) -> str:
        """Where Open model starts: beside the model the user opened last, else the user's home;
        never inside the app's own folder (the bundled model's), which may be its source checkout."""
        opened = [self._last_opened, *(self._settings.recent_models if self._settings else [])]
        for folder in opened:
            parent = Path(folder).parent if folder else None
            if parent is not None and parent.is_dir() and APP_FOLDER not in (parent, *parent.parents):
                return str(parent)
        return QDir.homePath()

    def export_folder(self, kind: str) -> str:
        """Where an export dialog starts: the folder of the last export, else Pictures for images
        and Documents for arrays, else the user's home."""
        last = self._settings.export_folder if self._settings else self._last_export_folder
        if last and os.path.isdir(last):
            return last
        where = QStandardPaths.StandardLocation.DocumentsLocation
        if kind in ("png", "svg"):
            where = QStandardPaths.StandardLocation.PicturesLocation
        folder = QStandardPaths.writableLocation(where)
        return folder if folder and os.path.isdir(folder) else QDir.homePath()

    def _exported_to(self, path: str) -> None:
        self._last_export_folder = str(Path(path).parent)
        if self._settings:
            self._settings.export_folder = self._last_export_folder

    @Slot()
    def _on_open_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._window, self.tr("Open a BERT model folder"), self.open_folder())
        if folder:
            self._last_opened = folder
            self._controller.load_model(folder)

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self._settings.recent_models if self._settings else []
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self._controller.load_model(p))
        if not recent:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    @Slot()
    def _on_cache_menu_about_to_show(self) -> None:
        self.cache_menu.clear()
        cached = find_cached_berts()  # on the GUI thread: cheap enough (see find_cached_berts)
        for entry in cached:
            self.cache_menu.addAction(entry.name, lambda p=str(entry.path): self._controller.load_model(p))
        if not cached:
            self.cache_menu.addAction(self.tr("(no BERT checkpoints in the local cache)")).setEnabled(False)

    def export_view(self, kind: str) -> None:
        """Ask where, then save the current tab's view as an image (png or svg)."""
        view = self._tabs.currentWidget()
        name = self._tabs.tabText(self._tabs.currentIndex()).lower().replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export the {0} view").format(name),
            os.path.join(self.export_folder(kind), f"{name}.{kind}"),
            f"{kind.upper()} (*.{kind})",
        )
        if path:
            if Path(path).suffix.lower() != f".{kind}":
                path += f".{kind}"  # the dialog does not add the extension it offered, and Qt needs it
            self._exported_to(path)
            self._export_widget(view, path)

    @Slot()
    def _on_export_page_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export the attention as a web page"),
            os.path.join(self.export_folder("html"), "attention.html"),
            self.tr("Web page (*.html)"),
        )
        if path:
            self._exported_to(path)
            self._window.export_attention_page(path)

    @Slot()
    def _on_export_arrays_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export the inspection arrays"),
            os.path.join(self.export_folder("npz"), "inspection.npz"),
            self.tr("NumPy arrays (*.npz)"),
        )
        if path:
            self._exported_to(path)
            self._controller.export_inspection(path)

    @Slot(bool)
    def _on_dark_triggered(self, dark: bool) -> None:
        apply_palette(QApplication.instance(), dark)
        if self._settings:
            self._settings.dark = dark

    def _on_language_chosen(self, code: str) -> None:
        """Remember the language; the interface takes it at the next start (nothing open is lost now)."""
        if self._settings:
            self._settings.language = code
        message = self.tr("{0} will be used from the next start of BERT Explorer.").format(LANGUAGES[code])
        self._window.statusBar().showMessage(message, 10_000)
        if getattr(self._window, "show_dialogs", False):  # said where it cannot be missed, without blocking
            self.language_notice = QMessageBox(
                QMessageBox.Icon.Information, self.tr("Language"), message, QMessageBox.StandardButton.Ok, self._window
            )
            self.language_notice.open()

    # --- Help ------------------------------------------------------------------------------

    @Slot()
    def _on_caption_triggered(self) -> None:
        caption = self._tabs.caption(self._tabs.currentIndex())
        caption.set_collapsed(not caption.is_collapsed())

    def show_tab_guide(self) -> QDialog:
        """Every tab's caption in one window, each under its tab's name and shortcut."""
        text = self.tr(
            "<p>Each tab shows its text above it: <b>Hide</b> folds it, <b>F1</b> or "
            "<b>? How to read this tab</b> brings it back.</p>"
        ) + "".join(
            f"<h3>{html.escape(tab_title(name))} <small>(Ctrl+{i + 1})</small></h3>"
            f"<p>{html.escape(guide_text(name))}</p>"
            for i, name in enumerate(TAB_NAMES)
        )
        browser = QTextBrowser()
        browser.setHtml(text)
        return self._show_dialog(self.tr("Tab guide"), browser, (640, 640))

    def show_shortcuts(self) -> QDialog:
        """The keyboard shortcuts as the menus define them now, read from their actions."""
        rows = shortcut_rows(self._window.menuBar())
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([self.tr("keys"), self.tr("does"), self.tr("menu")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeRowsToContents()
        return self._show_dialog(self.tr("Keyboard shortcuts"), table, (520, 480))

    def open_from_hub(self, model_id: str = "") -> HubDialog:
        """File > Open from the Hub: one non-modal dialog; with `model_id`, that model is opened
        (from the cache, or downloaded) at once."""
        if self.hub_dialog is None:
            self.hub_dialog = HubDialog(self._controller, self._window)
        self.hub_dialog.show()
        self.hub_dialog.raise_()
        self.hub_dialog.activateWindow()
        if model_id:
            self.hub_dialog.open_model(model_id)
        return self.hub_dialog

    def shutdown(self, wait_ms: int) -> bool:
        """The window is closing: close the tool windows it opened, and cancel a download in
        progress and stop its thread."""
        for dialog in (self._size_dialog, self._corpus_dialog, self._contexts_dialog, self._attribution_dialog):
            if dialog is not None:
                dialog.close()
        return self.hub_dialog.shutdown(wait_ms) if self.hub_dialog is not None else True

    def show_size_explorer(self) -> QDialog:
        """Model > Explore a size: one non-modal dialog, brought forward if it is open already."""
        info = self._controller.info
        vocab_size = info.config.vocab_size if info else None
        if self._size_dialog is None:
            self.size_explorer = SizeExplorer(self._controller, vocab_size)
            self._size_dialog = self._show_dialog(self.tr("Explore a size"), self.size_explorer, (980, 760), False)
        else:
            self.size_explorer.set_loaded_vocab_size(vocab_size)
        self._size_dialog.show()
        self._size_dialog.raise_()
        self._size_dialog.activateWindow()
        return self._size_dialog

    def show_corpus_search(self) -> QDialog:
        """Model > Find in corpus: one non-modal dialog, brought forward if it is open already."""
        if self._corpus_dialog is None:
            self.corpus_search = CorpusSearch(self._controller)
            self._corpus_dialog = self._show_dialog(self.tr("Find in corpus"), self.corpus_search, (900, 640), False)
        self._corpus_dialog.show()
        self._corpus_dialog.raise_()
        self._corpus_dialog.activateWindow()
        return self._corpus_dialog

    def show_attribution(self, position: int | None, token: str | None, label: str | None = None) -> QDialog:
        """Fill-mask's "Why this prediction?" (a [MASK]'s token) or the Sentence tab's "Why this
        class?" (a classifier's class): one non-modal dialog, explaining the latest choice."""
        if self._attribution_dialog is None:
            self.attribution_panel = AttributionPanel(self._controller, self._window.word_mode)
            self._attribution_dialog = self._show_dialog(
                self.tr("Why this prediction?"), self.attribution_panel, (900, 620), False
            )
        if label is not None:
            self.attribution_panel.explain_class(label)
        else:
            self.attribution_panel.explain(position, token)
        self._attribution_dialog.show()
        self._attribution_dialog.raise_()
        self._attribution_dialog.activateWindow()
        return self._attribution_dialog

    def show_two_contexts(self) -> QDialog:
        """Model > One word, two contexts: one non-modal dialog, brought forward if it is open already."""
        if self._contexts_dialog is None:
            self.two_contexts = TwoContexts(self._controller)
            self._contexts_dialog = self._show_dialog(
                self.tr("One word, two contexts"), self.two_contexts, (820, 600), False
            )
        self._contexts_dialog.show()
        self._contexts_dialog.raise_()
        self._contexts_dialog.activateWindow()
        return self._contexts_dialog

    def show_about(self) -> QMessageBox:
        try:
            version = importlib.metadata.version("bertgui")
            licence = importlib.metadata.metadata("bertgui").get("License") or self.tr("see the project")
        except importlib.metadata.PackageNotFoundError:  # run from a copy that was never installed
            version, licence = self.tr("(not installed)"), self.tr("see the project")
        info = self._controller.info
        open_now = self.tr("<br>Open now: {0}").format(html.escape(info.name)) if info is not None else ""
        box = QMessageBox(self._window)
        box.setWindowTitle(self.tr("About BERT Explorer"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            self.tr(
                "<h3>BERT Explorer {0}</h3><p>A desktop app that runs BERT, written from scratch in "
                "PyTorch, on your own machine and lets you look inside it: tokens, embeddings, the "
                "attention of every head, predictions, fine-tuning.</p><p>Bundled model: {1}, a small BERT "
                "this project pretrained itself (File &gt; Bundled model).{2}</p><p>Licence: {3}. Qt {4}, "
                "PySide6, pyqtgraph, PyTorch.</p>"
            ).format(html.escape(version), BUNDLED_MODEL_NAME, open_now, html.escape(licence), qVersion())
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()
        return box

    def _show_dialog(
        self, title: str, content: QWidget, size: tuple[int, int], delete_on_close: bool = True
    ) -> QDialog:
        """A non-modal dialog (the window stays usable beside it), deleted when closed unless kept."""
        dialog = QDialog(self._window)
        dialog.setWindowTitle(title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, delete_on_close)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(content, 1)
        layout.addWidget(buttons)
        dialog.resize(*size)
        dialog.show()
        return dialog


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(keys, what the action does, its menu) for every action with a shortcut, in menu order."""
    rows = []

    def visit(menu, path: str) -> None:
        for a in menu.actions():
            if a.menu() is not None:
                visit(a.menu(), f"{path} > {plain(a.text())}" if path else plain(a.text()))
            elif not a.shortcut().isEmpty():
                rows.append((a.shortcut().toString(QKeySequence.SequenceFormat.NativeText), plain(a.text()), path))

    visit(menu_bar, "")
    return rows


def plain(text: str) -> str:
    """A menu text as read in a list: no & mnemonic marker, no trailing ellipsis."""
    text = re.sub(r"\(&\w\)", "", text)  # a translation's mnemonic in brackets: 文件(&F)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")
