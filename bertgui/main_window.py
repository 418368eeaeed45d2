"""The main window: the text input, the views as tabs, the model menu and the status bar.
It wires Controller signals to views; views never call the model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from model.html_export import save_attention_page

from .controller import Controller
from .finetune.wing import FinetuneWing
from .image_export import save_widget_image
from .menus import WindowMenus
from .palette import plots_follow_palette
from .settings import AppSettings
from .tab_guide import TAB_NAMES, guide_text, tab_title
from .text_input import TextInput
from .views.attention_view import AttentionView
from .views.caption import CaptionedTabs
from .views.computation import ComputationView
from .views.embeddings_view import EmbeddingsView
from .views.fill_mask_view import FillMaskView
from .views.head_lines_view import HeadLinesView
from .views.heads_view import HeadsOffNotice, HeadsView
from .views.hidden_states_view import HiddenStatesView
from .views.model_view import ModelView
from .views.nsp_view import NSPView
from .views.tokens_view import TokensView
from .window_state import restore_window_state, save_window_state
from .word_mode import WordMode
from .worker import FailureKind
from .worker_thread import STOP_WAIT_MS

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    from model.model_info import ModelInfo

ERROR_MESSAGE_MS = 15_000  # how long an error stays in the status bar (it hides the model line meanwhile)


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, show_dialogs: bool = True, settings: AppSettings | None = None):
        super().__init__()
        self.controller = controller
        self.show_dialogs = show_dialogs  # False when rendering a screenshot: nobody is there to click OK
        self.settings = settings  # None: remember nothing (screenshots, tests)
        self.setWindowTitle("BERT Explorer")

        self.text_input = TextInput()
        self.text_a, self.text_b = self.text_input.text_a, self.text_input.text_b

        self.word_mode = WordMode(self)  # one Words switch for the Tokens, Attention and Head view tabs
        self.tokens_view = TokensView()
        self.embeddings_view = EmbeddingsView()
        self.attention_view = AttentionView()
        self.head_lines_view = HeadLinesView()
        self.fill_mask_view = FillMaskView()
        self.hidden_states_view = HiddenStatesView()
        self.computation_view = ComputationView()
        self.nsp_view = NSPView()
        self.model_view = ModelView()
        self.finetune_wing = FinetuneWing(controller, self._inspector_text, self if show_dialogs else None, self)
        self.finetune_view, self.finetune = self.finetune_wing.view, self.finetune_wing.controller
        self.tabs = CaptionedTabs()  # each view under its "how to read this" caption
        views = (
            self.tokens_view,
            self.embeddings_view,
            self.attention_view,
            self.head_lines_view,
            self.fill_mask_view,
            self.hidden_states_view,
            self.computation_view,
            self.nsp_view,
            self.model_view,
            self.finetune_view,
        )
        for view, name in zip(views, TAB_NAMES, strict=True):
            self.tabs.add_captioned_tab(view, tab_title(name), guide_text(name))
        self._renderers = {
            self.tokens_view: self._show_tokens,
            self.embeddings_view: self.embeddings_view.show_inspection,
            self.attention_view: self.attention_view.show_inspection,
            self.head_lines_view: self.head_lines_view.show_inspection,
            self.fill_mask_view: self.fill_mask_view.show_inspection,
            self.hidden_states_view: self.hidden_states_view.show_inspection,
            self.computation_view: self.computation_view.set_inspection,
            self.nsp_view: self.nsp_view.show_inspection,
        }
        self._stale_views: set[QWidget] = set()  # views that have not drawn the latest inspection yet
        self.tabs.currentChanged.connect(self._render_current_tab)
        self.heads_view = HeadsView()
        self.heads_dock = QDockWidget(self.tr("Heads"), self)
        self.heads_dock.setObjectName("heads-dock")
        self.heads_dock.setWidget(self.heads_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.heads_dock)
        self.resizeDocks([self.heads_dock], [240], Qt.Orientation.Horizontal)  # wider when a model's heads need it
        self.heads_notice = HeadsOffNotice()  # heads off: said above every inspecting tab, not only in the dock

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.text_input)
        layout.addWidget(self.heads_notice)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.model_label = QLabel(self.tr("No model"))
        self.busy_label = QLabel("")
        self.memory_label = QLabel("")
        self.memory_label.setToolTip(self.tr("Memory used by BERT Explorer (resident set size)"))
        self.statusBar().addWidget(self.model_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.memory_label)
        self._memory_timer = QTimer(self)
        self._memory_timer.timeout.connect(self._on_memory_timer)
        self._memory_timer.start(2000)
        self.menus = WindowMenus(self, controller, settings, self.tabs, self.export_widget)
        self.dark_action, self.device_group = self.menus.dark_action, self.menus.device_group

        self.text_input.textsChanged.connect(controller.set_text)
        self.tokens_view.tokenDoubleClicked.connect(self._on_tokens_double_clicked)
        self.tokens_view.tokenPieceDoubleClicked.connect(self._on_tokens_piece_double_clicked)
        self.tokens_view.tokenHovered.connect(self._on_tokens_hovered)
        self.fill_mask_view.scoreAllPositionsToggled.connect(controller.set_all_positions)
        self.fill_mask_view.scoreModeChanged.connect(controller.set_masked_scoring)
        self.fill_mask_view.topKChanged.connect(controller.set_top_k)
        self.fill_mask_view.candidatesChanged.connect(controller.set_candidates)
        self.fill_mask_view.attributionRequested.connect(self._on_fill_mask_attribution_requested)
        self.nsp_view.classAttributionRequested.connect(self._on_nsp_class_attribution_requested)
        self.text_input.textsChanged.connect(self.fill_mask_view.note_text_changed)
        self.nsp_view.pairRequested.connect(self.set_texts)
        self.computation_view.layerWanted.connect(controller.set_trace_wanted)
        self.computation_view.openEmbeddingsTabRequested.connect(self._on_computation_open_embeddings_requested)
        controller.layerTraceReady.connect(self.computation_view.set_trace)
        controller.layerTraceFailed.connect(self.computation_view.show_trace_error)
        self.attention_view.neuronViewRequested.connect(self._on_neuron_view_requested)
        self.head_lines_view.neuronViewRequested.connect(self._on_neuron_view_requested)
        self.attention_view.headSelected.connect(self._on_attention_head_selected)
        for view in (self.tokens_view, self.attention_view, self.head_lines_view):
            view.wordModeToggled.connect(self.word_mode.set_on)
            self.word_mode.wordModeChanged.connect(view.set_word_mode)
        self.word_mode.wordModeChanged.connect(controller.set_word_mode)
        self.finetune_wing.openModelRequested.connect(self._on_finetune_open_model_requested)
        self.heads_view.headToggled.connect(controller.set_head_enabled)
        self.heads_view.resetRequested.connect(controller.reset_heads)
        self.heads_notice.resetRequested.connect(controller.reset_heads)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        controller.headMaskChanged.connect(self.heads_view.show_mask)
        controller.headMaskChanged.connect(self.heads_notice.show_mask)
        controller.modelLoading.connect(self._on_controller_model_loading)
        controller.modelLoaded.connect(self._on_controller_model_loaded)
        controller.modelLoadFailed.connect(self._on_controller_model_load_failed)
        controller.inspectionReady.connect(self._on_controller_inspection_ready)
        controller.inspectionFailed.connect(self._on_controller_inspection_failed)
        controller.busyChanged.connect(self._on_controller_busy_changed)
        controller.devicesAvailable.connect(self._on_controller_devices_available)
        controller.deviceChanged.connect(self._on_controller_device_changed)
        controller.deviceChangeFailed.connect(self._on_controller_error)
        controller.exportFinished.connect(self._on_controller_export_finished)
        controller.exportFailed.connect(self._on_controller_error)
        self.resize(1200, 800)
        plots_follow_palette(self)
        if settings is not None:
            restore_window_state(settings, self, self.tabs, self._views_with_options(), self.dark_action)

    # --- user actions ---------------------------------------------------------------------

    def set_texts(self, text: str, text_b: str = "") -> None:
        self.text_input.set_texts(text, text_b)

    @Slot(int, int, int, int)
    def _on_tokens_hovered(self, segment: int, start: int, end: int, index: int) -> None:
        """Select the hovered token's characters in its sentence (index -1: the pointer left)."""
        self.text_input.select_characters(segment, start, end if index >= 0 else start)

    def _inspector_text(self) -> tuple[str, str]:
        return self.text_a.text().strip(), self.text_b.text().strip()

    @Slot(str)
    def _on_finetune_open_model_requested(self, path: str) -> None:
        self.controller.load_model(path)
        self.tabs.setCurrentWidget(self.tokens_view)

    def show_head(self, layer: int, head: int) -> None:
        """Show this head large in the Attention view and alone in the Head view."""
        view = self.attention_view
        view.select(layer, head)  # clamped to the model's shape
        self._on_attention_head_selected(view.layer_spin.value(), view.head_combo.currentData())

    @Slot(int, int)
    def _on_attention_head_selected(self, layer: int, head: int) -> None:
        """A thumbnail clicked in the grid is also the head the line view shows."""
        self.head_lines_view.set_layer(layer)
        self.head_lines_view.set_heads([head])

    @Slot(int)
    def _on_tokens_double_clicked(self, index: int) -> None:
        """Mask the whole word the token belongs to (one [MASK] per piece) and say what changed."""
        if self.controller.inspection is not None:
            self.statusBar().showMessage(self.text_input.mask_token(self.controller.inspection, index), 6000)

    @Slot(int)
    def _on_tokens_piece_double_clicked(self, index: int) -> None:
        """Ctrl+double-click: mask only this word piece."""
        if self.controller.inspection is not None:
            self.statusBar().showMessage(self.text_input.mask_piece(self.controller.inspection, index), 6000)

    @Slot()
    def _on_computation_open_embeddings_requested(self) -> None:
        self.tabs.setCurrentWidget(self.embeddings_view)

    def _on_fill_mask_attribution_requested(self, position: int, token: str) -> None:
        self.menus.show_attribution(position, token)

    def _on_nsp_class_attribution_requested(self, label: str) -> None:
        self.menus.show_attribution(None, None, label)

    def _on_neuron_view_requested(self, layer: int, head: int, query: int) -> None:
        self.tabs.setCurrentWidget(self.computation_view)  # first: the tab draws the current input's tokens
        self.computation_view.show_neuron_view(layer, head, query)

    def export_widget(self, widget: QWidget, path: str) -> None:
        """PNG: the widget as shown; SVG: the widget painted into a vector file."""
        if save_widget_image(widget, path):
            self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
        else:
            self._on_controller_error(
                self.tr("{0}: could not write the image (check the folder and the name)").format(path)
            )

    def export_attention_page(self, path: str) -> None:
        """The current input's attention as a self-contained web page (model/html_export.py), opening
        on the layer and head the Attention tab shows."""
        r = self.controller.inspection
        if r is None:
            self._on_controller_error(self.tr("nothing to export yet: type a sentence first"))
            return
        head = self.attention_view.head_combo.currentData()
        view = {
            "layer": self.attention_view.layer_spin.value(),
            "heads": (head if head is not None and head >= 0 else 0,),
        }
        title = self.tr("Attention of {0}: {1}").format(
            self.controller.info.name if self.controller.info else "BERT", r.text
        )
        try:
            written = save_attention_page(path, r.tokens, r.attentions, title, **view)
        except OSError as exc:
            self._on_controller_error(self.tr("{0}: could not write the page ({1})").format(path, exc.strerror or exc))
            return
        self.statusBar().showMessage(self.tr("Saved {0}").format(written), 5000)

    # --- controller events ----------------------------------------------------------------

    @Slot(str)
    def _on_controller_model_loading(self, path: str) -> None:
        self.model_label.setText(self.tr("Loading {0}…").format(path or self.tr("the bundled model")))

    @Slot(object)
    def _on_controller_model_loaded(self, info: ModelInfo) -> None:
        c = info.config
        self.model_label.setText(model_summary(info))
        if info.warnings:  # e.g. NaN weights: every view would show nonsense, and the user should know why
            self.statusBar().showMessage(" ".join(info.warnings), ERROR_MESSAGE_MS)
        if self.settings is not None and info.path is not None:
            self.settings.last_model = info.path  # recent models: every one opened, not just the last
        self.attention_view.set_model_shape(c.num_hidden_layers, c.num_attention_heads)
        self.head_lines_view.set_model_shape(c.num_hidden_layers, c.num_attention_heads)
        self.embeddings_view.show_model(info)
        self.computation_view.set_model(info)
        self.model_view.show_model(info)
        self.fill_mask_view.set_model_quality(info.heldout_masked_accuracy, "evaluation.json / MODEL_CARD.md")
        self.finetune_view.set_model_defaults(c.hidden_size, c.num_hidden_layers)
        self.finetune_view.set_base_model(info.path or self.tr("the bundled model"))

    @Slot(str)
    def _on_controller_model_load_failed(self, message: str) -> None:
        previous = self.controller.info
        self.model_label.setText(model_summary(previous) if previous else self.tr("No model"))  # it still answers
        if self.show_dialogs:
            QMessageBox.warning(self, self.tr("Could not open the model"), message)
        else:
            self.statusBar().showMessage(message, ERROR_MESSAGE_MS)

    @Slot(object)
    def _on_controller_inspection_ready(self, r: model.Inspection) -> None:
        # Only the visible tab renders now; the others render when they are shown, so a
        # keystroke costs one view's drawing, not eight.
        self._stale_views = set(self._renderers)
        self._render_current_tab()

    @Slot()
    def _render_current_tab(self) -> None:
        view = self.tabs.currentWidget()
        r = self.controller.inspection
        if r is not None and view in self._stale_views:
            self._stale_views.discard(view)
            self._renderers[view](r)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        self.heads_notice.set_on_inspecting_tab(self.tabs.widget(index) in self._renderers)

    def _show_tokens(self, r: model.Inspection) -> None:
        unk = self.controller.info.unk_token_id if self.controller.info else None
        self.tokens_view.show_inspection(r, unk)

    @Slot(object, str)
    def _on_controller_inspection_failed(self, kind: FailureKind, message: str) -> None:
        self.statusBar().showMessage(message, ERROR_MESSAGE_MS)
        if kind is FailureKind.OUT_OF_MEMORY and self.show_dialogs:
            answer = QMessageBox.question(
                self, self.tr("Out of GPU memory"), self.tr("{0}.\n\nRun on the CPU instead?").format(message)
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.controller.set_device("cpu")

    @Slot(bool)
    def _on_controller_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("working…" if busy else "")

    @Slot(list)
    def _on_controller_devices_available(self, devices: list) -> None:
        self.menus.show_devices(devices, self.controller.info.device if self.controller.info else "cpu")

    @Slot(str)
    def _on_controller_device_changed(self, device: str) -> None:
        self.menus.check_device(device)
        if self.controller.info is not None:
            self._on_controller_model_loaded(self.controller.info)

    @Slot(str)
    def _on_controller_export_finished(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved {0} and its .json summary").format(path), 5000)

    @Slot(str)
    def _on_controller_error(self, message: str) -> None:
        self.statusBar().showMessage(message, ERROR_MESSAGE_MS)
        if self.show_dialogs:
            QMessageBox.warning(self, "BERT Explorer", message)

    @Slot()
    def _on_memory_timer(self) -> None:
        rss = resident_memory_mb()
        self.memory_label.setText(self.tr("Memory: {0:,.0f} MB").format(rss) if rss else "")

    # --- settings ---------------------------------------------------------------------------

    def _views_with_options(self) -> dict:
        """The views whose controls are remembered across launches, by settings key."""
        return {
            "captions": self.tabs,  # which "how to read this" captions the reader folded
            "attention": self.attention_view,
            "head_lines": self.head_lines_view,
            "fill_mask": self.fill_mask_view,
            "finetune": self.finetune_view,
        }

    def closeEvent(self, event) -> None:
        if not self.finetune.may_quit():
            event.ignore()
            return
        # Both workers are asked to stop; the window waits about 2 s in all, never on a busy load.
        self.finetune.shutdown(STOP_WAIT_MS // 2)
        self.menus.shutdown(STOP_WAIT_MS // 2)  # a Hub download: cancelled, stopped at its next chunk
        if self.settings is not None:
            texts = (self.text_a, self.text_b)
            save_window_state(self.settings, self, self.tabs, self._views_with_options(), texts)
        self.controller.shutdown(STOP_WAIT_MS // 2)
        super().closeEvent(event)


def model_summary(info: ModelInfo) -> str:
    """The status bar's line about the model in use."""
    c = info.config
    return QCoreApplication.translate(
        "main_window", "{0}: {1} layers × {2} heads, hidden {3}, {4:.1f}M parameters on {5} ({6})"
    ).format(
        info.name,
        c.num_hidden_layers,
        c.num_attention_heads,
        c.hidden_size,
        info.parameter_count / 1e6,
        info.device_type.upper(),
        info.dtype,
    )


def resident_memory_mb() -> float | None:
    """This process's resident memory in MB (Linux /proc; None elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
