"""The main window: the text input, the views as tabs, the model menu and the status bar.
It wires Controller signals to views; views never call the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .controller import Controller
from .views.attention_view import AttentionView
from .views.embeddings_view import EmbeddingsView
from .views.fill_mask_view import FillMaskView
from .views.heads_view import HeadsView
from .views.hidden_states_view import HiddenStatesView
from .views.model_view import ModelView
from .views.nsp_view import NSPView
from .views.tokens_view import TokensView

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

EXAMPLES = [
    ("The cat sat on the [MASK].", ""),
    ("Paris is the [MASK] of France.", ""),
    ("The man went to the store.", "He bought a gallon of milk."),
    ("The man went to the store.", "Penguins are flightless birds."),
    ("She drank a cup of [MASK] before the [MASK] started.", ""),
]


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, show_dialogs: bool = True):
        super().__init__()
        self.controller = controller
        self.show_dialogs = show_dialogs  # False when rendering a screenshot: nobody is there to click OK
        self.setWindowTitle("BERT Explorer")

        self.text_a = QLineEdit()
        self.text_a.setPlaceholderText("Sentence A: type anything; [MASK] marks a word to predict")
        self.text_a.setToolTip("The sentence to inspect; the views update as you type")
        self.text_b = QLineEdit()
        self.text_b.setPlaceholderText("Sentence B (optional): makes a pair, as in next-sentence prediction")
        self.text_b.setToolTip("Optional second sentence (segment B)")
        self.examples = QComboBox()
        self.examples.addItem("Examples…")
        for a, b in EXAMPLES:
            self.examples.addItem(a if not b else f"{a} | {b}", (a, b))
        self.examples.setToolTip("Load an example sentence or pair")
        form = QFormLayout()
        form.addRow("Sentence A", self.text_a)
        form.addRow("Sentence B", self.text_b)
        form.addRow("", self.examples)

        self.tokens_view = TokensView()
        self.embeddings_view = EmbeddingsView()
        self.attention_view = AttentionView()
        self.fill_mask_view = FillMaskView()
        self.hidden_states_view = HiddenStatesView()
        self.nsp_view = NSPView()
        self.model_view = ModelView()
        self.tabs = QTabWidget()
        for view, name in ((self.tokens_view, "Tokens"), (self.embeddings_view, "Embeddings"),
                           (self.attention_view, "Attention"), (self.fill_mask_view, "Fill-mask"),
                           (self.hidden_states_view, "Hidden states"), (self.nsp_view, "Next sentence"),
                           (self.model_view, "Model")):
            self.tabs.addTab(view, name)
        self.heads_view = HeadsView()
        heads_dock = QDockWidget("Heads", self)
        heads_dock.setObjectName("heads-dock")
        heads_dock.setWidget(self.heads_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, heads_dock)
        self.resizeDocks([heads_dock], [240], Qt.Orientation.Horizontal)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.model_label = QLabel("No model")
        self.busy_label = QLabel("")
        self.statusBar().addWidget(self.model_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self._build_menu()

        self.text_a.textChanged.connect(self._on_text_changed)
        self.text_b.textChanged.connect(self._on_text_changed)
        self.examples.activated.connect(self._on_example_chosen)
        self.tokens_view.tokenDoubleClicked.connect(self._on_tokens_double_clicked)
        self.heads_view.headToggled.connect(controller.set_head_enabled)
        self.heads_view.resetRequested.connect(controller.reset_heads)
        controller.headMaskChanged.connect(self.heads_view.show_mask)
        controller.modelLoading.connect(self._on_controller_model_loading)
        controller.modelLoaded.connect(self._on_controller_model_loaded)
        controller.modelLoadFailed.connect(self._on_controller_model_load_failed)
        controller.inspectionReady.connect(self._on_controller_inspection_ready)
        controller.inspectionFailed.connect(self._on_controller_inspection_failed)
        controller.busyChanged.connect(self._on_controller_busy_changed)
        self.resize(1200, 800)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open model…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.setToolTip("Open a Hugging Face-layout BERT folder (config.json + weights + vocabulary)")
        open_action.triggered.connect(self._on_open_model)
        file_menu.addAction(open_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    # --- user actions ---------------------------------------------------------------------

    def set_texts(self, text: str, text_b: str = "") -> None:
        self.text_a.setText(text)
        self.text_b.setText(text_b)

    @Slot()
    def _on_text_changed(self) -> None:
        self.controller.set_text(self.text_a.text(), self.text_b.text())

    @Slot(int)
    def _on_example_chosen(self, index: int) -> None:
        data = self.examples.itemData(index)
        if data:
            self.set_texts(*data)

    @Slot(int)
    def _on_tokens_double_clicked(self, index: int) -> None:
        """Replace the token's characters in its sentence by [MASK]."""
        r = self.controller.inspection
        if r is None or r.special_tokens_mask[index]:
            return
        start, end = (int(v) for v in r.offsets[index])
        field = self.text_b if r.segment_ids[index] == 1 else self.text_a
        text = field.text()
        field.setText(text[:start] + "[MASK]" + text[end:])

    @Slot()
    def _on_open_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a BERT model folder")
        if folder:
            self.controller.load_model(folder)

    # --- controller events ----------------------------------------------------------------

    @Slot(str)
    def _on_controller_model_loading(self, path: str) -> None:
        self.model_label.setText(f"Loading {path or 'the bundled model'}…")

    @Slot(object)
    def _on_controller_model_loaded(self, bert: model.Bert) -> None:
        c = bert.config
        name = bert.path.name if bert.path else "model"
        self.model_label.setText(f"{name}: {c.num_hidden_layers} layers × {c.num_attention_heads} heads, "
                                 f"hidden {c.hidden_size}, {bert.parameter_count() / 1e6:.1f}M parameters on "
                                 f"{bert.device.type.upper()} (float32)")
        self.attention_view.set_model_shape(c.num_hidden_layers, c.num_attention_heads)
        self.embeddings_view.show_model(bert)
        self.model_view.show_model(bert)

    @Slot(str)
    def _on_controller_model_load_failed(self, message: str) -> None:
        previous = self.controller.bert
        self.model_label.setText(f"{previous.path.name} (still active)" if previous else "No model")
        if self.show_dialogs:
            QMessageBox.warning(self, "Could not open the model", message)
        else:
            self.statusBar().showMessage(message)

    @Slot(object)
    def _on_controller_inspection_ready(self, r: model.Inspection) -> None:
        unk = self.controller.bert.tokenizer.unk_token_id if self.controller.bert else None
        self.tokens_view.show_inspection(r, unk)
        self.attention_view.show_inspection(r)
        self.fill_mask_view.show_inspection(r)
        self.embeddings_view.show_inspection(r)
        self.hidden_states_view.show_inspection(r)
        self.nsp_view.show_inspection(r)

    @Slot(str)
    def _on_controller_inspection_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    @Slot(bool)
    def _on_controller_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("working…" if busy else "")

    def closeEvent(self, event) -> None:
        self.controller.shutdown()
        super().closeEvent(event)
