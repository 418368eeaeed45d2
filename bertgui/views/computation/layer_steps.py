"""One encoder layer, step by step, with the numbers the model used: a scrollable column of step
cards, each with its formula (with the actual shapes), a plain-language paragraph and the arrays
drawn, from the layer's input through the attention of the chosen head for the chosen query
token, the two Add & Norm steps and the feed-forward network, to the layer's output.

Every plot item is made once; set_trace draws what does not depend on the selection and
set_selection (head, query token) redraws only what does, so that switching is quick."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..cursor_value import CursorValue
from ..embeddings_view import symmetric_bound
from ..finite import drawable
from ..token_axis import TokenAxis

if TYPE_CHECKING:
    from model.computation import LayerTrace

DIVERGING = "CET-D1"  # the app's signed-value map (Embeddings): blue negative, white 0, red positive
TITLE_SIZE = "10pt"
ROW_PX = 16  # pixels per token row in a tokens x columns heatmap, while the input is short
MIN_MAP_PX, MAX_MAP_PX = 110, 420  # a heatmap's image height whatever the number of tokens
AXES_PX = 64  # title and bottom axis around a heatmap's image
LABELS_PX = 84  # the token labels' column: 10 characters (TokenAxis shortens longer tokens)
STRIP_PX = 150  # a two-row strip (one token's vector before and after LayerNorm)
MAX_VALUE_LABELS = 24  # bars carry their value as text up to this many tokens (then: hover)
NEURON_CHOICES = (
    (32, QT_TRANSLATE_NOOP("layer_steps", "top 32")),
    (64, QT_TRANSLATE_NOOP("layer_steps", "top 64")),
    (128, QT_TRANSLATE_NOOP("layer_steps", "top 128")),
    (0, QT_TRANSLATE_NOOP("layer_steps", "all, in order")),
)
DEFAULT_NEURONS = 64
ALL_NEURONS = 0


def map_height(rows: int) -> int:
    """A heatmap's widget height for this many token rows: a row per ROW_PX, within limits."""
    return min(max(rows * ROW_PX, MIN_MAP_PX), MAX_MAP_PX) + AXES_PX


def symmetric(*arrays: np.ndarray) -> tuple[float, float]:
    """Colour levels centred on 0 that cover the arrays' values (their 99th percentile of |value|)."""
    bound = symmetric_bound(*arrays)
    return (-bound, bound)


def top_neurons(intermediate: np.ndarray, token: int, n: int) -> np.ndarray:
    """The n feed-forward neurons most active for `token` (largest activation first)."""
    row = np.nan_to_num(intermediate[token], nan=-np.inf)
    n = min(n, row.shape[0])
    top = np.argpartition(-row, n - 1)[:n]
    return top[np.argsort(-row[top], kind="stable")]


def shapes(trace: LayerTrace) -> dict[str, int]:
    H, T, d = trace.query.shape
    return {"T": T, "H": H, "d": d, "C": trace.x.shape[1], "I": trace.intermediate.shape[1]}


def check_trace(trace: LayerTrace) -> str:
    """'' when the trace's arrays have shapes that fit together, else one line saying what does not."""
    try:
        s = shapes(trace)
    except (AttributeError, ValueError):
        return QCoreApplication.translate(
            "layer_steps", "This layer trace is incomplete: no (heads, tokens, head size) queries."
        )
    T, H, d, C, N = s["T"], s["H"], s["d"], s["C"], s["I"]
    expected = {
        "x": (T, C),
        "key": (H, T, d),
        "value": (H, T, d),
        "scores": (H, T, T),
        "attention_bias": (T,),
        "head_mask": (H,),
        "probabilities": (H, T, T),
        "context": (H, T, d),
        "concatenated": (T, C),
        "attention_output": (T, C),
        "attention_residual": (T, C),
        "attention_normed": (T, C),
        "intermediate_linear": (T, N),
        "ffn_output": (T, C),
        "ffn_residual": (T, C),
        "output": (T, C),
    }
    for name, shape in expected.items():
        got = tuple(np.shape(getattr(trace, name, None)))
        if got != shape:
            return QCoreApplication.translate(
                "layer_steps", "This layer trace does not fit together: {0} is {1}, expected {2}."
            ).format(name, got, shape)
    if len(trace.tokens) != T or T == 0:
        return QCoreApplication.translate("layer_steps", "This layer trace has {0} token names for {1} rows.").format(
            len(trace.tokens), T
        )
    return ""


def _pen(widget: QWidget, width: float = 2.0) -> pg.QtGui.QPen:
    pen = pg.mkPen(widget.palette().color(QPalette.ColorRole.Highlight), width=width)
    pen.setCosmetic(True)
    return pen


class Heatmap(pg.GraphicsLayoutWidget):
    """A rows x columns image, rows labelled (tokens, or names such as "before LayerNorm"), on a
    diverging scale symmetric around 0 with its colour bar, a frame around the chosen row and
    optionally one around a block of columns, and the value under the cursor beside it."""

    def __init__(self, x_label: str, bar_label: str = "value", named_columns: bool = False):
        super().__init__()
        axes = {"left": TokenAxis("left")}
        if named_columns:
            axes["bottom"] = TokenAxis("bottom")
        self.plot = self.addPlot(axisItems=axes)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.getViewBox().invertY(True)
        self.plot.getAxis("left").setWidth(LABELS_PX)  # one width in every card: the maps line up
        self.plot.setLabel("bottom", x_label)
        cmap = pg.colormap.get(DIVERGING)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(cmap)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=cmap, width=12, interactive=False, label=bar_label)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.row_frame = QGraphicsRectItem()
        self.block_frame = QGraphicsRectItem()
        for frame in (self.row_frame, self.block_frame):
            frame.setZValue(10)
            frame.hide()
            self.plot.getViewBox().addItem(frame, ignoreBounds=True)
        self.cursor_value = CursorValue(self.plot, self)
        self.image.hoverEvent = self._on_image_hover
        self.matrix = np.zeros((0, 0), dtype=np.float32)  # what is drawn
        self.row_names: list[str] = []
        self.column_names: list[str] | None = None
        self.marked_row: int | None = None

    def set_matrix(
        self,
        matrix: np.ndarray,
        row_names: list[str],
        levels: tuple[float, float],
        column_names: list[str] | None = None,
        title: str | None = None,
    ) -> None:
        image = drawable(matrix, *levels)
        shape_changed = image.shape != self.matrix.shape
        self.matrix = image
        self.image.setImage(image, levels=levels, autoLevels=False)
        self.colorbar.setLevels(levels)
        rows, columns = image.shape
        self.image.setRect(0, 0, columns, rows)
        if row_names != self.row_names:
            self.row_names = list(row_names)
            self.plot.getAxis("left").set_tokens(self.row_names)
        self.column_names = column_names
        if column_names is not None:
            self.plot.getAxis("bottom").set_tokens(column_names)
        if shape_changed:
            view = self.plot.getViewBox()
            view.setLimits(xMin=0, xMax=columns, yMin=0, yMax=rows)
            view.setRange(xRange=(0, columns), yRange=(0, rows), padding=0)
        if title is not None:
            self.plot.setTitle(title, size=TITLE_SIZE)
        self.mark(self.marked_row)

    def mark(self, row: int | None, columns: tuple[int, int] | None = None) -> None:
        """Frame row `row` (all columns) and, when given, the columns start..stop (all rows)."""
        self.marked_row = row
        rows, n = self.matrix.shape
        self.row_frame.setPen(_pen(self))
        self.row_frame.setVisible(row is not None and 0 <= row < rows)
        if row is not None:
            self.row_frame.setRect(0, row, n, 1)
        if columns is not None:
            self.block_frame.setPen(_pen(self, 2.5))
            self.block_frame.setRect(columns[0], 0, columns[1] - columns[0], rows)
        self.block_frame.setVisible(columns is not None)

    def _on_image_hover(self, event) -> None:
        if event.isExit() or not self.matrix.size:
            self.cursor_value.hide()
            return
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if not (0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]):
            self.cursor_value.hide()
            return
        column = f"neuron {self.column_names[col]}" if self.column_names else f"dimension {col}"
        name = self.row_names[row] if row < len(self.row_names) else str(row)
        self.cursor_value.show_at(self.image.mapToView(pos), f"{name}, {column}: {self.matrix[row, col]:.3f}")


class TokenBars(pg.GraphicsLayoutWidget):
    """One bar per token, labelled underneath; signed values blue below 0 and red above; the
    chosen token's bar outlined. Values are written on the bars while they are few."""

    def __init__(self, y_label: str):
        super().__init__()
        self.plot = self.addPlot(axisItems={"bottom": TokenAxis("bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.setLabel("left", y_label)
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # weights read 0.47, not 470 x 0.001
        self.plot.showGrid(y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x=[0.5], height=[0.0], width=0.8)
        self.plot.addItem(self.bars)
        self.plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#888888")))
        self.value_labels = [pg.TextItem(anchor=(0.5, 1.0)) for _ in range(MAX_VALUE_LABELS)]
        for label in self.value_labels:
            label.hide()
            self.plot.addItem(label, ignoreBounds=True)
        self.values = np.zeros(0, dtype=np.float32)
        self.tokens: list[str] = []
        self._brushes = {
            True: pg.mkBrush("#d6604d"),  # positive: the red end of the diverging map
            False: pg.mkBrush("#4393c3"),  # negative: its blue end
        }

    def set_values(self, values: np.ndarray, tokens: list[str], marked: int | None = None, decimals: int = 2) -> None:
        values = np.ascontiguousarray(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0), dtype=np.float32)
        self.values = values
        n = len(values)
        x = np.arange(n, dtype=np.float32) + 0.5
        pens = [
            pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=2) if i == marked else None for i in range(n)
        ]
        self.bars.setOpts(
            x=x,
            height=values,
            width=0.8,
            brushes=[self._brushes[bool(v >= 0)] for v in values],
            pens=[pen or pg.mkPen(None) for pen in pens],
        )
        if tokens != self.tokens:
            self.tokens = list(tokens)
            self.plot.getAxis("bottom").set_tokens(self.tokens)
        low, high = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
        if high - low <= 0:
            high = 1.0
        room = 0.15 * (high - low)  # for the value written above a bar
        self.plot.getViewBox().setRange(
            xRange=(0, max(n, 1)), yRange=(low - (room if low < 0 else 0), high + room), padding=0
        )
        colour = self.palette().color(QPalette.ColorRole.Text)
        for i, label in enumerate(self.value_labels):
            shown = n <= MAX_VALUE_LABELS and i < n
            label.setVisible(shown)
            if shown:
                label.setColor(colour)
                label.setText(f"{values[i]:.{decimals}f}")
                label.setAnchor((0.5, 1.0) if values[i] >= 0 else (0.5, 0.0))
                label.setPos(float(x[i]), float(values[i]))


def step_text(text: str) -> str:
    """A title or paragraph of STEPS in the interface's language."""
    return QCoreApplication.translate("layer_steps", text)


class StepCard(QFrame):
    """A numbered step: its title, its formula with the shapes, a paragraph, then its plots."""

    def __init__(self, number: int, title: str, explanation: str):
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{number}. {title}</b>")
        self.formula = QLabel()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.formula.setFont(mono)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula.setWordWrap(True)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.note = QLabel()  # what the numbers say for the chosen token; hidden while empty
        self.note.setWordWrap(True)
        self.note.hide()
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.content = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.formula)
        layout.addWidget(self.explanation)
        layout.addLayout(self.content)
        layout.addWidget(self.note)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


STEPS = {
    "input": (
        QT_TRANSLATE_NOOP("layer_steps", "The layer's input"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Each row is one token's vector as it enters this layer (for layer 0: the embeddings), one column per "
            "hidden dimension, blue below 0 and red above. The framed row is the chosen token.",
        ),
    ),
    "qkv": (
        QT_TRANSLATE_NOOP("layer_steps", "Queries, keys and values of one head"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Three learned matrices turn every token's vector into a query (what it looks for), a key (what it "
            "offers to be found by) and a value (what it passes on). Each head gets its own slice of d columns; "
            "these are the chosen head's. The framed query row is the chosen token's.",
        ),
    ),
    "scores": (
        QT_TRANSLATE_NOOP("layer_steps", "Scores: how well the query matches each key"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "The chosen token's query is multiplied with every key, dimension by dimension, and summed (a dot "
            "product), then divided by the square root of the head size so that the numbers stay moderate. "
            "A high score means this key fits what the query looks for. The Neuron view panel shows the products.",
        ),
    ),
    "mask": (
        QT_TRANSLATE_NOOP("layer_steps", "The mask"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Before softmax, a bias is added to every score. Real tokens get 0. When sentences of different lengths "
            "are run together in a batch, the short ones are filled up with padding; padding gets a large negative "
            "bias, so that after softmax its weight is practically 0 and no token attends to it.",
        ),
    ),
    "softmax": (
        QT_TRANSLATE_NOOP("layer_steps", "Softmax: the attention weights"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Softmax turns the scores into weights between 0 and 1 that sum to 1: exp(score) of each key divided "
            "by the sum over all keys. A score only a little higher than the others can take most of the weight. "
            "These are the numbers the Attention tab draws.",
        ),
    ),
    "context": (
        QT_TRANSLATE_NOOP("layer_steps", "Weighted sum of the values"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "The head's output for the chosen token is the weighted average of all value vectors, each weighted by "
            "the attention it got: the token receives mostly what the tokens it attends to pass on.",
        ),
    ),
    "concat": (
        QT_TRANSLATE_NOOP("layer_steps", "Heads side by side, then the output projection"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Every head did the same with its own queries, keys and values; their outputs are put side by side "
            "(the framed block is the chosen head's), and one more learned matrix mixes them back into a vector of "
            "the hidden size: the attention's contribution to each token.",
        ),
    ),
    "norm1": (
        QT_TRANSLATE_NOOP("layer_steps", "Add & Norm"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "The attention's output is added to the layer's input (the residual connection: the token keeps what it "
            "had and gains what attention brought), then LayerNorm rescales each token's vector to mean 0 and a fixed "
            "spread (times learned gains, plus learned offsets). Shown: the chosen token before and after, on one "
            "scale.",
        ),
    ),
    "neurons": (
        QT_TRANSLATE_NOOP("layer_steps", "Feed-forward: which neurons fire"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "Each token now goes on its own through a two-layer network: a first matrix widens its vector to {0} "
            "neurons and GELU keeps the positive part (small negatives pass as nearly 0). Each column is one neuron, "
            "each row a token. With many neurons only the chosen token's most active ones are shown, largest first.",
        ),
    ),
    "ffn": (
        QT_TRANSLATE_NOOP("layer_steps", "Feed-forward output"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "A second matrix brings the neurons back to the hidden size: this is what the feed-forward network adds "
            "to each token.",
        ),
    ),
    "norm2": (
        QT_TRANSLATE_NOOP("layer_steps", "Add & Norm again"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "The feed-forward output is added to its input (the residual connection again) and LayerNorm rescales "
            "the sum. Shown: the chosen token before and after, on one scale.",
        ),
    ),
    "output": (
        QT_TRANSLATE_NOOP("layer_steps", "The layer's output"),
        QT_TRANSLATE_NOOP(
            "layer_steps",
            "The result: one vector per token, the same shape as the input, passed on to the next layer (or, after "
            "the last layer, to the heads that predict masked words or classify).",
        ),
    ),
}


class LayerStepsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.trace: LayerTrace | None = None
        self.head = 0
        self.query = 0
        self.neuron_columns = np.zeros(0, dtype=np.int64)  # the neurons drawn, in the order drawn
        self._levels: dict[str, tuple[float, float]] = {}

        self.step_combo = QComboBox()
        self.step_combo.setToolTip(self.tr("Scroll to a step"))
        self.message = QLabel(self.tr("Type a sentence to step through a layer."))
        self.message.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Go to step")))
        header.addWidget(self.step_combo)
        header.addWidget(self.message, 1)

        self.cards: dict[str, StepCard] = {}
        column = QWidget()
        self._column = QVBoxLayout(column)
        for number, (key, (title, text)) in enumerate(STEPS.items(), start=1):
            title, text = step_text(title), step_text(text)
            if key == "neurons":  # how many, once a layer is traced
                text = text.format(self.tr("many"))
            card = StepCard(number, title, text)
            self.cards[key] = card
            self._column.addWidget(card)
            self.step_combo.addItem(self.tr("{0}. {1}").format(number, title), key)
        self._column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(column)

        self.x_map = self._add_map("input", self.tr("hidden dimension"))
        self.q_map = self._add_map("qkv", self.tr("head dimension"))
        self.k_map = self._add_map("qkv", self.tr("head dimension"))
        self.v_map = self._add_map("qkv", self.tr("head dimension"))
        self.score_bars = self._add_bars("scores", "score")
        self.softmax_bars = self._add_bars("softmax", "weight")
        self.context_map = self._add_map("context", self.tr("head dimension"), strip=True)
        self.concat_map = self._add_map("concat", self.tr("hidden dimension (head after head)"))
        self.attention_output_map = self._add_map("concat", self.tr("hidden dimension"))
        self.norm1_map = self._add_map("norm1", self.tr("hidden dimension"), strip=True)
        self.neuron_combo = QComboBox()
        for n, name in NEURON_CHOICES:
            self.neuron_combo.addItem(self.tr("Neurons: {0}").format(step_text(name)), n)
        self.neuron_combo.setCurrentIndex(self.neuron_combo.findData(DEFAULT_NEURONS))
        self.neuron_combo.setToolTip(
            self.tr(
                "Which feed-forward neurons to draw: the chosen token's most active ones (largest first), "
                "or all of them in their order (thousands of columns in a large model)"
            )
        )
        neurons_row = QHBoxLayout()
        neurons_row.addWidget(self.neuron_combo)
        neurons_row.addStretch(1)
        self.cards["neurons"].layout().insertLayout(3, neurons_row)
        self.neuron_map = self._add_map("neurons", "neuron", named_columns=True)
        self.ffn_map = self._add_map("ffn", self.tr("hidden dimension"))
        self.norm2_map = self._add_map("norm2", self.tr("hidden dimension"), strip=True)
        self.output_map = self._add_map("output", self.tr("hidden dimension"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)

        self.step_combo.activated.connect(self._on_step_combo_activated)
        self.scroll.verticalScrollBar().valueChanged.connect(self._on_scroll_bar_moved)
        self.neuron_combo.currentIndexChanged.connect(self._on_neuron_combo_changed)
        self._set_enabled(False)

    def _add_map(self, card: str, x_label: str, strip: bool = False, named_columns: bool = False) -> Heatmap:
        heatmap = Heatmap(x_label, named_columns=named_columns)
        heatmap.setFixedHeight(STRIP_PX if strip else map_height(10))
        self.cards[card].content.addWidget(heatmap)
        return heatmap

    def _add_bars(self, card: str, y_label: str) -> TokenBars:
        bars = TokenBars(y_label)
        bars.setFixedHeight(230)
        self.cards[card].content.addWidget(bars)
        return bars

    def _set_enabled(self, enabled: bool) -> None:
        # Hidden rather than disabled: a disabled canvas would take (and keep) the greyed text colours.
        self.scroll.setVisible(enabled)
        self.step_combo.setEnabled(enabled)

    # --- public API ------------------------------------------------------------------------

    def set_trace(self, trace: LayerTrace) -> None:
        """Draw a layer's trace (a trace whose arrays do not fit together: one line, nothing drawn)."""
        problem = check_trace(trace)
        if problem:
            self.trace = None
            self.message.setText(problem)
            self._set_enabled(False)
            return
        self.trace = trace
        self._set_enabled(True)
        s = shapes(trace)
        T = s["T"]
        self.head = min(self.head, s["H"] - 1)
        self.query = min(self.query, T - 1)
        # Scales per trace, not per selection: switching heads or tokens keeps colours comparable.
        self._levels = {
            "x": symmetric(trace.x),
            "qkv": symmetric(trace.query, trace.key, trace.value),
            "context": symmetric(trace.value),
            "concat": symmetric(trace.concatenated),
            "attention_output": symmetric(trace.attention_output),
            "norm1": symmetric(trace.attention_residual, trace.attention_normed),
            "neurons": symmetric(trace.intermediate),
            "ffn": symmetric(trace.ffn_output),
            "norm2": symmetric(trace.ffn_residual, trace.output),
            "output": symmetric(trace.output),
        }
        for heatmap in (
            self.x_map,
            self.q_map,
            self.k_map,
            self.v_map,
            self.concat_map,
            self.attention_output_map,
            self.neuron_map,
            self.ffn_map,
            self.output_map,
        ):
            heatmap.setFixedHeight(map_height(T))
        tokens = list(trace.tokens)
        self.x_map.set_matrix(
            trace.x, tokens, self._levels["x"], title=self.tr("x: input of layer {0}").format(trace.layer)
        )
        self.concat_map.set_matrix(
            trace.concatenated, tokens, self._levels["concat"], title=self.tr("heads concatenated")
        )
        self.attention_output_map.set_matrix(
            trace.attention_output, tokens, self._levels["attention_output"], title=self.tr("attention output")
        )
        self.ffn_map.set_matrix(trace.ffn_output, tokens, self._levels["ffn"], title=self.tr("feed-forward output"))
        self.output_map.set_matrix(
            trace.output, tokens, self._levels["output"], title=self.tr("output of layer {0}").format(trace.layer)
        )
        self._write_formulas(s)
        self.cards["mask"].set_note(self._mask_note())
        self.message.setText(
            self.tr("Layer {0}: {1} tokens, {2} heads of {3} dimensions.").format(trace.layer, T, s["H"], s["d"])
        )
        self._draw_selection()

    def set_selection(self, head: int, query: int) -> None:
        """The head and the query token (its position) the steps follow; out of range: clamped."""
        self.head, self.query = max(int(head), 0), max(int(query), 0)
        if self.trace is None:
            return
        s = shapes(self.trace)
        self.head, self.query = min(self.head, s["H"] - 1), min(self.query, s["T"] - 1)
        self._draw_selection()

    def scroll_to(self, key: str) -> None:
        """Bring step `key` (a key of STEPS) to the top of the column."""
        self.scroll.verticalScrollBar().setValue(self.cards[key].y())

    # --- drawing ---------------------------------------------------------------------------

    def _write_formulas(self, s: dict[str, int]) -> None:
        T, H, d, C, N = s["T"], s["H"], s["d"], s["C"], s["I"]
        act = self.trace.activation.upper()
        sqrt_d = f"{d**0.5:g}"
        formulas = {
            "input": f"x = hidden_states[{self.trace.layer}]   ({T}, {C})",
            "qkv": "\n".join(
                f"{m} = X W_{m} + b_{m}   ({T}, {C}) x ({C}, {C}) -> ({T}, {C}) -> {H} heads x ({T}, {d})"
                for m in "QKV"
            ),
            "scores": f"s_j = q_i · k_j / √{d} = q_i · k_j / {sqrt_d}   ({d},) · ({T}, {d}) -> ({T},)",
            "mask": f"s'_j = s_j + bias_j   ({T},) + ({T},) -> ({T},)",
            "softmax": f"p_j = exp(s'_j) / Σ_k exp(s'_k)   ({T},) -> ({T},), Σ_j p_j = 1",
            "context": f"c_i = Σ_j p_j v_j   ({T},) x ({T}, {d}) -> ({d},)",
            "concat": (
                f"concat = [c^0 | ... | c^{H - 1}]   {H} x ({T}, {d}) -> ({T}, {C})\n"
                f"A = concat W_O + b_O   ({T}, {C}) x ({C}, {C}) -> ({T}, {C})"
            ),
            "norm1": f"h = LayerNorm(x + A)   ({T}, {C}) + ({T}, {C}) -> ({T}, {C})",
            "neurons": f"u = {act}(h W_1 + b_1)   ({T}, {C}) x ({C}, {N}) -> ({T}, {N})",
            "ffn": f"f = u W_2 + b_2   ({T}, {N}) x ({N}, {C}) -> ({T}, {C})",
            "norm2": f"out = LayerNorm(h + f)   ({T}, {C}) + ({T}, {C}) -> ({T}, {C})",
            "output": f"out   ({T}, {C}) -> input of layer {self.trace.layer + 1}",
        }
        for key, text in formulas.items():
            self.cards[key].formula.setText(text)
        widens = step_text(STEPS["neurons"][1]).format(f"{N:,}")
        self.cards["neurons"].explanation.setText(widens)

    def _mask_note(self) -> str:
        bias = self.trace.attention_bias
        T = len(bias)
        masked = np.flatnonzero(bias != 0)
        if not len(masked):
            return self.tr(
                "Here the bias is <b>0 for all {0} tokens</b>: one unpadded input, so the mask changes "
                "nothing and the weights below are the softmax of the scores above."
            ).format(T)
        listed = ", ".join(self._token(j) for j in masked[:8]) + (" ..." if len(masked) > 8 else "")
        return self.tr("<b>{0} of {1} tokens are masked</b> (bias {2:.3g}): {3}.").format(
            len(masked), T, float(bias[masked[0]]), listed
        )

    def _token(self, index: int) -> str:
        return f"'{html.escape(self.trace.tokens[index])}'"

    def _draw_selection(self) -> None:
        t, h, i = self.trace, self.head, self.query
        tokens = list(t.tokens)
        d = t.query.shape[2]
        name = self._token(i)
        self.x_map.mark(i)
        levels = self._levels["qkv"]
        self.q_map.set_matrix(t.query[h], tokens, levels, title=self.tr("queries q, head {0}").format(h))
        self.q_map.mark(i)
        self.k_map.set_matrix(t.key[h], tokens, levels, title=self.tr("keys k, head {0}").format(h))
        self.v_map.set_matrix(t.value[h], tokens, levels, title=self.tr("values v, head {0}").format(h))
        scores = t.scores[h, i]
        self.score_bars.set_values(scores, tokens, marked=i)
        self.score_bars.plot.setTitle(self.tr("scores of the query {0}, head {1}").format(name, h), size=TITLE_SIZE)
        best = int(np.nanargmax(scores)) if np.isfinite(scores).any() else 0
        self.cards["scores"].set_note(
            self.tr("The query {0} matches the key of {1} best.").format(name, self._token(best))
        )
        weights = t.probabilities[h, i]
        self.softmax_bars.set_values(weights, tokens, marked=i)
        self.softmax_bars.plot.setTitle(self.tr("attention weights of {0}, head {1}").format(name, h), size=TITLE_SIZE)
        self.cards["softmax"].set_note(self._softmax_note(weights))
        context = t.context[h, i][None, :]
        self.context_map.set_matrix(context, [f"c of {t.tokens[i]}"], self._levels["context"], title=self.tr("context"))
        self.cards["context"].set_note(self._context_note(weights))
        self.concat_map.mark(i, (h * d, (h + 1) * d))
        self.attention_output_map.mark(i)
        before, after = t.attention_residual[i], t.attention_normed[i]
        strip = np.stack([before, after])
        self.norm1_map.set_matrix(
            strip, ["x + A", "LayerNorm"], self._levels["norm1"], title=self.tr("token {0}").format(name)
        )
        self.cards["norm1"].set_note(self._norm_note(before, after))
        self._draw_neurons()
        self.ffn_map.mark(i)
        before, after = t.ffn_residual[i], t.output[i]
        self.norm2_map.set_matrix(
            np.stack([before, after]),
            ["h + f", "LayerNorm"],
            self._levels["norm2"],
            title=self.tr("token {0}").format(name),
        )
        self.cards["norm2"].set_note(self._norm_note(before, after))
        self.output_map.mark(i)
        self.cards["output"].set_note(self._output_note())

    def _draw_neurons(self) -> None:
        t, i = self.trace, self.query
        n = self.neuron_combo.currentData()
        width = t.intermediate.shape[1]
        if n == ALL_NEURONS or n >= width:
            self.neuron_columns = np.arange(width)
            matrix = t.intermediate
            title = self.tr("all {0} neurons, in order").format(width)
        else:
            self.neuron_columns = top_neurons(t.intermediate, i, n)
            matrix = t.intermediate[:, self.neuron_columns]
            title = self.tr("the {0} neurons most active for {1}, of {2}, largest first").format(
                n, self._token(i), width
            )
        names = [str(c) for c in self.neuron_columns]
        self.neuron_map.set_matrix(matrix, list(t.tokens), self._levels["neurons"], names, title=title)
        self.neuron_map.mark(i)
        row = t.intermediate[i]
        if not np.isfinite(row).any():  # a model with NaN or infinite weights: nothing to rank
            self.cards["neurons"].set_note(self.tr("{0}'s activations are not finite numbers.").format(self._token(i)))
            return
        active = int(np.count_nonzero(row > 0.1))
        self.cards["neurons"].set_note(
            self.tr("{0} fires {1} of its {2} neurons above 0.1 (the largest: neuron {3}, {4:.2f}).").format(
                self._token(i),
                active,
                width,
                int(self.neuron_columns[0]) if n != ALL_NEURONS else int(np.nanargmax(row)),
                float(np.nanmax(row)),
            )
        )

    def _softmax_note(self, weights: np.ndarray) -> str:
        if self.trace.head_mask[self.head] == 0:
            return self.tr("Head {0} is switched off: its weights are multiplied by 0.").format(self.head)
        total = float(np.nansum(weights))
        best = int(np.nanargmax(weights)) if np.isfinite(weights).any() else 0
        return self.tr("{0} gives {1:.2f} of its attention to {2}; the weights sum to {3:.3f}.").format(
            self._token(self.query), float(weights[best]), self._token(best), total
        )

    def _context_note(self, weights: np.ndarray) -> str:
        order = np.argsort(-np.nan_to_num(weights, nan=0.0), kind="stable")[:3]
        parts = ", ".join(f"{self._token(j)} ({float(weights[j]):.2f})" for j in order if weights[j] > 0.005)
        if not parts:
            return self.tr("No token gets weight: the context is all zeros.")
        return self.tr("Mostly the values of {0}.").format(parts)

    @staticmethod
    def _norm_note(before: np.ndarray, after: np.ndarray) -> str:
        def stats(v: np.ndarray) -> str:
            return QCoreApplication.translate(
                "LayerStepsView", "length {0:.2f}, mean {1:+.3f}, spread (std) {2:.3f}"
            ).format(float(np.linalg.norm(v)), float(v.mean()), float(v.std()))

        return QCoreApplication.translate("LayerStepsView", "Before LayerNorm: {0}. After: {1}.").format(
            stats(before), stats(after)
        )

    def _output_note(self) -> str:
        t, i = self.trace, self.query
        x, out = t.x[i].astype(np.float64), t.output[i].astype(np.float64)
        denominator = np.linalg.norm(x) * np.linalg.norm(out)
        cosine = float(x @ out / denominator) if denominator > 0 else float("nan")
        return self.tr(
            "{0}: cosine similarity of its output to its input {1:.2f} (1 = the same direction: the "
            "layer changed little of it)."
        ).format(self._token(i), cosine)

    # --- private slots ---------------------------------------------------------------------

    @Slot(int)
    def _on_step_combo_activated(self, index: int) -> None:
        self.scroll_to(self.step_combo.itemData(index))
        self.step_combo.setCurrentIndex(index)  # a last step cannot reach the top: the box keeps the choice

    @Slot(int)
    def _on_scroll_bar_moved(self, value: int) -> None:
        """The step box names the step at the top of the column as it scrolls."""
        keys = list(self.cards)
        top = max((i for i, key in enumerate(keys) if self.cards[key].y() <= value + 20), default=0)
        self.step_combo.setCurrentIndex(top)

    @Slot(int)
    def _on_neuron_combo_changed(self, _index: int) -> None:
        if self.trace is not None:
            self._draw_neurons()
