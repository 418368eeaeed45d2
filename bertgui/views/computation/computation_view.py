"""The Computation tab: a list of panels (the architecture, the embeddings step, one layer step by
step, the neuron view) sharing one layer / head / query-token selection. The view asks for the
layer it shows (layerWanted) and draws the traces it is given; it never runs the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .architecture_diagram import ArchitectureDiagram
from .embedding_step import EmbeddingStep
from .layer_steps import LayerStepsView
from .neuron_view import NeuronPanel

if TYPE_CHECKING:
    import model
    from model.computation import LayerTrace
    from model.model_info import ModelInfo

PANELS = (
    QT_TRANSLATE_NOOP("computation_view", "Architecture"),
    QT_TRANSLATE_NOOP("computation_view", "Embeddings"),
    QT_TRANSLATE_NOOP("computation_view", "One layer, step by step"),
    QT_TRANSLATE_NOOP("computation_view", "Neuron view"),
)
ARCHITECTURE, EMBEDDINGS, LAYER_STEPS, NEURONS = range(4)

CAPTIONS = {
    ARCHITECTURE: (
        QT_TRANSLATE_NOOP(
            "computation_view",
            "The loaded model as boxes, read top to bottom: the embeddings turn each token into a vector, each "
            "encoder layer lets every token look at the others (self-attention) and then transforms each token on "
            "its own (feed-forward), and the heads at the bottom answer. The blue text on each arrow is the shape of "
            "the numbers passing there for your sentence (T = its number of tokens). Click a layer to step through "
            "it, or hover a box for what it does.",
        )
    ),
    EMBEDDINGS: (
        QT_TRANSLATE_NOOP(
            "computation_view",
            "Before any layer, each token becomes one vector: the sum of its token's, its sentence's (segment) and "
            "its position's learned vectors, rescaled by LayerNorm. Pick a token above: each row is one of those "
            "vectors (one column per hidden dimension), and the norms say how large each part is. Below, the fixed "
            "sine-wave positions of the original Transformer beside the ones this BERT learned.",
        )
    ),
    LAYER_STEPS: (
        QT_TRANSLATE_NOOP(
            "computation_view",
            "One encoder layer, step by step, with the numbers the model really used for your sentence: the queries, "
            "keys and values of each head, their scores, the softmax, the mixed values, the residual additions and "
            "LayerNorms, and the feed-forward network. Pick the layer, head and query token above.",
        )
    ),
    NEURONS: (
        QT_TRANSLATE_NOOP(
            "computation_view",
            "How one head decides where a token looks: the query vector of the chosen token is multiplied, "
            "dimension by dimension, with every token's key; the products sum to a score, and softmax turns the "
            "scores into the attention weights. Pick the layer, head and query token above.",
        )
    ),
}


class ComputationView(QWidget):
    """layerWanted(layer or None): the layer whose trace the view needs now; None while hidden.
    openEmbeddingsTabRequested: the reader asked for the Embeddings tab."""

    layerWanted = Signal(object)
    openEmbeddingsTabRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.info: ModelInfo | None = None
        self.inspection: model.Inspection | None = None
        self.trace: LayerTrace | None = None
        self._wanted: int | None = None
        self._shown = False

        self.panel_list = QListWidget()
        self.panel_list.addItems([QCoreApplication.translate("computation_view", name) for name in PANELS])
        self.panel_list.setMaximumWidth(190)
        self.layer_combo = QComboBox()
        self.head_combo = QComboBox()
        self.token_combo = QComboBox()
        self.token_combo.setMinimumContentsLength(12)
        for combo, tip in (
            (self.layer_combo, self.tr("The encoder layer the panels show")),
            (self.head_combo, self.tr("The attention head the step-through and neuron panels show")),
            (self.token_combo, self.tr("The token whose computation is followed (the query token for attention)")),
        ):
            combo.setToolTip(tip)
        self.diagram = ArchitectureDiagram()
        self.embedding_step = EmbeddingStep()
        self.layer_steps = LayerStepsView()
        self.neuron_panel = NeuronPanel()
        self.stack = QStackedWidget()
        self.captions: list[QLabel] = []
        for index, panel in enumerate((self.diagram, self.embedding_step, self.layer_steps, self.neuron_panel)):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            caption = QLabel(QCoreApplication.translate("computation_view", CAPTIONS[index]))
            caption.setWordWrap(True)
            self.captions.append(caption)
            page_layout.addWidget(caption)
            page_layout.addWidget(panel, 1)
            self.stack.addWidget(page)
        self.message = QLabel("")  # one line on what is missing, e.g. before a model loads

        selectors = QHBoxLayout()
        for text, combo in (
            (self.tr("Layer"), self.layer_combo),
            (self.tr("Head"), self.head_combo),
            (self.tr("Token"), self.token_combo),
        ):
            selectors.addWidget(QLabel(text))
            selectors.addWidget(combo)
        selectors.addWidget(self.message, 1)
        right = QVBoxLayout()
        right.addLayout(selectors)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel_list)
        layout.addLayout(right, 1)

        self.panel_list.currentRowChanged.connect(self._on_panel_list_row_changed)
        self.layer_combo.currentIndexChanged.connect(self._on_layer_combo_changed)
        self.head_combo.currentIndexChanged.connect(self._on_selection_changed)
        self.token_combo.currentIndexChanged.connect(self._on_selection_changed)
        self.diagram.blockClicked.connect(self._on_diagram_block_clicked)
        self.embedding_step.openEmbeddingsTabRequested.connect(self.openEmbeddingsTabRequested)
        self.panel_list.setCurrentRow(ARCHITECTURE)

    # --- public API ------------------------------------------------------------------------

    def layer(self) -> int:
        return max(self.layer_combo.currentIndex(), 0)

    def head(self) -> int:
        return max(self.head_combo.currentIndex(), 0)

    def query(self) -> int:
        return max(self.token_combo.currentIndex(), 0)

    def panel(self) -> int:
        return self.stack.currentIndex()

    def set_panel(self, index: int) -> None:
        self.panel_list.setCurrentRow(index)

    def set_model(self, info: ModelInfo) -> None:
        self.info = info
        c = info.config
        self.trace = None
        self._refill(self.layer_combo, [f"{i}" for i in range(c.num_hidden_layers)])
        self._refill(self.head_combo, [f"{i}" for i in range(c.num_attention_heads)])
        self.diagram.set_model(info, len(self.inspection.tokens) if self.inspection is not None else 0)
        self.message.setText(
            "" if self.inspection is not None else self.tr("Type a sentence to follow its computation.")
        )
        self._emit_wanted()

    def set_inspection(self, r: model.Inspection) -> None:
        self.inspection = r
        query = self.query()
        self._refill(self.token_combo, [f"{i}: {token}" for i, token in enumerate(r.tokens)])
        self.token_combo.setCurrentIndex(min(query, len(r.tokens) - 1))
        self.message.setText("")
        self.diagram.set_tokens(len(r.tokens))
        self.embedding_step.show_token(r, self.query())

    def set_trace(self, trace: LayerTrace) -> None:
        """Draw a layer's trace; one for another layer than the chosen one (a late answer) is dropped."""
        if trace.layer != self.layer():
            return
        self.trace = trace
        self.message.setText("")
        self.layer_steps.set_trace(trace)
        self.neuron_panel.set_trace(trace)
        self._select_in_panels()

    def show_trace_error(self, message: str) -> None:
        """The layer could not be traced (the one-line reason from the model worker)."""
        self.message.setText(message)

    def show_neuron_view(self, layer: int, head: int, query: int) -> None:
        """Open the neuron panel on this head and query token (the Attention tab and Head view ask)."""
        for combo, value in ((self.layer_combo, layer), (self.head_combo, head), (self.token_combo, query)):
            if 0 <= value < combo.count():
                combo.setCurrentIndex(value)
        self.set_panel(NEURONS)

    # --- visibility: the controller traces a layer only while the tab is seen --------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._shown = True
        self._emit_wanted()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if event.spontaneous():  # the window minimised: the tab is still the current one
            return
        self._shown = False
        self._emit_wanted()

    def _emit_wanted(self) -> None:
        wanted = self.layer() if self._shown and self.info is not None else None
        if wanted != self._wanted:
            self._wanted = wanted
            self.layerWanted.emit(wanted)

    # --- private slots -----------------------------------------------------------------------

    @staticmethod
    def _refill(combo: QComboBox, items: list[str]) -> None:
        keep = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(items)
        combo.setCurrentIndex(min(max(keep, 0), len(items) - 1))
        combo.blockSignals(False)

    @Slot(int)
    def _on_panel_list_row_changed(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    @Slot(int)
    def _on_layer_combo_changed(self, index: int) -> None:
        if self.trace is not None and self.trace.layer != self.layer():
            self.trace = None  # the panels wait for the new layer's trace
        self._emit_wanted()

    @Slot(int)
    def _on_selection_changed(self, index: int) -> None:
        if self.inspection is not None and self.sender() is self.token_combo:
            self.embedding_step.show_token(self.inspection, self.query())
        self._select_in_panels()

    def _select_in_panels(self) -> None:
        if self.trace is None:
            return
        self.layer_steps.set_selection(self.head(), self.query())
        self.neuron_panel.set_selection(self.head(), self.query())

    @Slot(str, int)
    def _on_diagram_block_clicked(self, key: str, layer: int) -> None:
        if key in ("attention", "feed-forward"):
            self.layer_combo.setCurrentIndex(layer)
            self.set_panel(LAYER_STEPS)
            self.layer_steps.scroll_to("qkv" if key == "attention" else "neurons")
        elif key == "embeddings":
            self.set_panel(EMBEDDINGS)
        else:
            self.message.setText(self.diagram.block_items(key)[0].block.tooltip)
