"""The neuron view, after BertViz: for one head and one query token, the query vector as a strip
and, for each key token, its key vector, the elementwise product q x k (red where a dimension
raises the score, blue where it lowers it), their sum times 1/sqrt(d) = the score, and the
attention weight softmax made of it. Long inputs show the keys with the largest weights (in
sentence order) unless "show all" is ticked; the rows scroll.

The arrays come from model.computation.neuron_view; the plot items are made once and updated."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QCheckBox, QGraphicsRectItem, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from model.computation import neuron_view  # pure NumPy: no torch on the GUI thread

from ..cursor_value import CursorValue
from ..finite import drawable
from ..token_axis import TokenAxis
from .layer_steps import DIVERGING, LABELS_PX, TITLE_SIZE, check_trace, symmetric

if TYPE_CHECKING:
    from model.computation import LayerTrace, NeuronView

TOP_KEYS = 16  # keys shown for a longer input unless "show all" is ticked
ROW_PX = 22  # pixels per key row: room for its label and the numbers on its bars
QUERY_PX = 70  # the query strip's plot, with its title
AXES_PX = 70  # titles and bottom axes around the key rows
WEIGHT_COLOUR = "#2a6fb0"
POSITIVE, NEGATIVE = "#d6604d", "#4393c3"  # the diverging map's red and blue ends
LEGEND = QT_TRANSLATE_NOOP(
    "neuron_view",
    "Each row is one key token: its key vector, then the query times the key dimension by dimension (red: this "
    "dimension raises the score, blue: it lowers it, white: it hardly matters), their sum times 1/√d, which is "
    "the score, and the attention weight softmax turns the scores into. Point at a cell for its numbers.",
)


def shown_keys(weights: np.ndarray, show_all: bool, top: int = TOP_KEYS) -> np.ndarray:
    """The key positions drawn: all, or the `top` with the largest weights, in sentence order."""
    n = len(weights)
    if show_all or n <= top:
        return np.arange(n)
    order = np.argsort(-np.nan_to_num(weights, nan=-np.inf), kind="stable")[:top]
    return np.sort(order)


def _plot(layout: pg.GraphicsLayout, row: int, col: int, left: pg.AxisItem | None = None) -> pg.PlotItem:
    plot = layout.addPlot(row=row, col=col, axisItems={"left": left} if left is not None else None)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(False, False)
    plot.getViewBox().invertY(True)
    return plot


def _image(plot: pg.PlotItem) -> pg.ImageItem:
    image = pg.ImageItem(axisOrder="row-major")
    image.setColorMap(pg.colormap.get(DIVERGING))
    plot.addItem(image)
    return image


class NeuronPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.trace: LayerTrace | None = None
        self.head = 0
        self.query = 0
        self.view: NeuronView | None = None  # what is drawn
        self.shown = np.zeros(0, dtype=np.int64)  # the key positions drawn, top to bottom
        self._score_labels: list[pg.TextItem] = []
        self._weight_labels: list[pg.TextItem] = []

        self.title = QLabel(self.tr("Type a sentence to see how a head scores each token."))
        self.title.setWordWrap(True)
        self.formula = QLabel()
        self.formula.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = QLabel(QCoreApplication.translate("neuron_view", LEGEND))
        self.legend.setWordWrap(True)
        self.show_all = QCheckBox(self.tr("Show all keys"))
        self.show_all.setToolTip(
            self.tr("Unticked, a long input shows only the {0} keys with the largest weights").format(TOP_KEYS)
        )
        self.keys_note = QLabel()
        self.keys_note.setWordWrap(True)
        keys_row = QHBoxLayout()
        keys_row.addWidget(self.show_all)
        keys_row.addWidget(self.keys_note, 1)

        self.canvas = pg.GraphicsLayoutWidget()
        ci = self.canvas.ci
        self.query_plot = _plot(ci, 0, 0, TokenAxis("left"))
        self.query_image = _image(self.query_plot)
        self.query_plot.setTitle(self.tr("query q of the chosen token"), size=TITLE_SIZE)
        self.key_plot = _plot(ci, 1, 0, TokenAxis("left"))
        self.key_image = _image(self.key_plot)
        self.product_plot = _plot(ci, 1, 1)
        self.product_image = _image(self.product_plot)
        self.score_plot = _plot(ci, 1, 2)
        self.score_bars = pg.BarGraphItem(x0=[0], y0=[0], width=[0], height=[0])
        self.score_plot.addItem(self.score_bars)
        self.weight_plot = _plot(ci, 1, 3)
        self.weight_bars = pg.BarGraphItem(x0=[0], y0=[0], width=[0], height=[0], brush=WEIGHT_COLOUR)
        self.weight_plot.addItem(self.weight_bars)
        for plot, title, bottom in (
            (self.key_plot, self.tr("keys k"), self.tr("head dimension")),
            (self.product_plot, self.tr("q × k, dimension by dimension"), self.tr("head dimension")),
            (self.score_plot, self.tr("score = sum × 1/√d"), self.tr("score")),
            (self.weight_plot, self.tr("weight (softmax)"), self.tr("weight")),
        ):
            plot.setTitle(title, size=TITLE_SIZE)
            plot.setLabel("bottom", bottom)
            plot.getAxis("bottom").enableAutoSIPrefix(False)  # weights read 0.47, not 470 x 0.001
        self.query_plot.hideAxis("bottom")  # the keys' axis below reads for it too
        for plot in (self.product_plot, self.score_plot, self.weight_plot):
            plot.hideAxis("left")
            plot.setYLink(self.key_plot)
        for plot in (self.query_plot, self.key_plot):
            plot.getAxis("left").setWidth(LABELS_PX)  # the query strip stands right above the keys
        self.score_plot.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#888888")))
        self.query_frame = QGraphicsRectItem()  # around the query token's own key
        self.query_frame.setZValue(10)
        self.key_plot.getViewBox().addItem(self.query_frame, ignoreBounds=True)
        layout = ci.layout
        layout.setColumnStretchFactor(0, 4)
        layout.setColumnStretchFactor(1, 3)
        layout.setColumnStretchFactor(2, 1)
        layout.setColumnStretchFactor(3, 1)
        self.query_plot.setFixedHeight(QUERY_PX)
        self.cursor_value = CursorValue(self.product_plot, self)
        self.product_image.hoverEvent = self._on_product_image_hover
        self.key_image.hoverEvent = self._on_key_image_hover

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        self.scroll.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.formula)
        layout.addWidget(self.legend)
        layout.addLayout(keys_row)
        layout.addWidget(self.scroll, 1)

        self.show_all.toggled.connect(self._on_show_all_toggled)

    # --- public API ------------------------------------------------------------------------

    def set_trace(self, trace: LayerTrace) -> None:
        """Draw for this layer's trace (one whose arrays do not fit together: one line, nothing drawn)."""
        problem = check_trace(trace)
        if problem:
            self.trace = self.view = None
            self.title.setText(problem)
            self.scroll.hide()
            return
        self.trace = trace
        H, T, d = trace.query.shape
        self.head, self.query = min(self.head, H - 1), min(self.query, T - 1)
        self.show_all.setText(self.tr("Show all {0} keys").format(T))
        self.show_all.setEnabled(T > TOP_KEYS)
        self.formula.setText(
            f"score_j = (Σ q·k_j) × 1/√{d} = (Σ q·k_j) × {trace.scale:.4g}     "
            f"weight_j = softmax(score + mask)_j     q, k_j: ({d},)"
        )
        self.scroll.show()
        self._draw()

    def set_selection(self, head: int, query: int) -> None:
        """The head and query token (its position) to show; out of range: clamped."""
        self.head, self.query = max(int(head), 0), max(int(query), 0)
        if self.trace is None:
            return
        H, T, _ = self.trace.query.shape
        self.head, self.query = min(self.head, H - 1), min(self.query, T - 1)
        self._draw()

    # --- drawing ---------------------------------------------------------------------------

    def _draw(self) -> None:
        t = self.trace
        v = neuron_view(t, self.head, self.query)
        self.view = v
        T, d = v.keys.shape
        tokens = t.tokens
        self.shown = shown_keys(v.probabilities, self.show_all.isChecked())
        n = len(self.shown)
        name = html.escape(tokens[self.query])
        self.title.setText(
            self.tr(
                "<b>Layer {0}, head {1}</b>: how the query of <b>{2}</b> (#{3}) scores every key, and the "
                "attention weights it gets from them."
            ).format(t.layer, self.head, name, self.query)
            + (
                self.tr(" <b>This head is switched off</b>: its weights are all 0.")
                if t.head_mask[self.head] == 0
                else ""
            )
        )
        self._write_keys_note(v, T)

        vectors = symmetric(v.query, v.keys)
        self.query_image.setImage(drawable(v.query[None, :], *vectors), levels=vectors, autoLevels=False)
        self.query_image.setRect(0, 0, d, 1)
        self.query_plot.getAxis("left").set_tokens([f"q: {tokens[self.query]}"])
        self.query_plot.getViewBox().setRange(xRange=(0, d), yRange=(0, 1), padding=0)
        keys = np.ascontiguousarray(v.keys[self.shown])
        self.key_image.setImage(drawable(keys, *vectors), levels=vectors, autoLevels=False)
        self.key_image.setRect(0, 0, d, n)
        self.key_plot.getAxis("left").set_tokens([f"{tokens[j]}" for j in self.shown])
        products = symmetric(v.products)
        self.product_image.setImage(
            drawable(np.ascontiguousarray(v.products[self.shown]), *products), levels=products, autoLevels=False
        )
        self.product_image.setRect(0, 0, d, n)
        for plot in (self.key_plot, self.product_plot):
            plot.getViewBox().setRange(xRange=(0, d), yRange=(0, n), padding=0)
        own = np.flatnonzero(self.shown == self.query)
        self.query_frame.setVisible(len(own) > 0)
        if len(own):
            pen = pg.mkPen(self.palette().color(QPalette.ColorRole.Highlight), width=2)
            pen.setCosmetic(True)
            self.query_frame.setPen(pen)
            self.query_frame.setRect(0, float(own[0]), d, 1)

        rows = np.arange(n, dtype=np.float32)
        scores = np.nan_to_num(v.scores[self.shown], nan=0.0, posinf=0.0, neginf=0.0)
        self.score_bars.setOpts(
            x0=np.minimum(scores, 0),
            width=np.abs(scores),
            y0=rows + 0.15,
            height=np.full(n, 0.7, dtype=np.float32),
            brushes=[pg.mkBrush(POSITIVE if s >= 0 else NEGATIVE) for s in scores],
        )
        weights = np.nan_to_num(v.probabilities[self.shown], nan=0.0, posinf=0.0, neginf=0.0)
        self.weight_bars.setOpts(
            x0=np.zeros(n, dtype=np.float32), width=weights, y0=rows + 0.15, height=np.full(n, 0.7, dtype=np.float32)
        )
        low, high = min(0.0, float(scores.min(initial=0))), max(0.0, float(scores.max(initial=0)))
        span = max(high - low, 1e-6)
        self.score_plot.getViewBox().setRange(xRange=(low - 0.05 * span, high + 0.45 * span), padding=0)
        self.weight_plot.getViewBox().setRange(xRange=(0, max(float(weights.max(initial=0)), 1e-6) * 1.45), padding=0)
        self._label_bars(self.score_plot, self._score_labels, scores, rows)
        self._label_bars(self.weight_plot, self._weight_labels, weights, rows)
        self.canvas.setMinimumHeight(QUERY_PX + AXES_PX + n * ROW_PX)  # fills the panel; scrolls when longer

    def _label_bars(self, plot: pg.PlotItem, labels: list[pg.TextItem], values: np.ndarray, rows: np.ndarray) -> None:
        """Each bar's value beside its end (items made once, more only for a longer input than any before)."""
        while len(labels) < len(values):
            label = pg.TextItem(anchor=(0, 0.5))
            plot.addItem(label, ignoreBounds=True)
            labels.append(label)
        colour = self.palette().color(QPalette.ColorRole.Text)
        for i, label in enumerate(labels):
            label.setVisible(i < len(values))
            if i < len(values):
                label.setColor(colour)
                label.setText(f"{values[i]:.2f}")
                label.setPos(max(float(values[i]), 0.0), float(rows[i]) + 0.5)

    def _write_keys_note(self, v: NeuronView, T: int) -> None:
        bias = self.trace.attention_bias
        masked = int(np.count_nonzero(bias != 0))
        mask = (
            self.tr(" {0} padding token(s) are masked: their weight is 0 whatever their score.").format(masked)
            if masked
            else ""
        )
        if len(self.shown) == T:
            self.keys_note.setText(self.tr("All {0} keys, in sentence order.{1}").format(T, mask))
            return
        share = float(np.nansum(v.probabilities[self.shown]))
        self.keys_note.setText(
            self.tr(
                "The {0} keys with the largest weights, of {1}, in sentence order: together {2:.2f} of the "
                "attention.{3}"
            ).format(len(self.shown), T, share, mask)
        )

    # --- hover -----------------------------------------------------------------------------

    def _cell(self, image: pg.ImageItem, event) -> tuple[int, int] | None:
        if event.isExit() or self.view is None:
            return None
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if 0 <= row < len(self.shown) and 0 <= col < self.view.keys.shape[1]:
            return row, col
        return None

    def _on_product_image_hover(self, event) -> None:
        cell = self._cell(self.product_image, event)
        if cell is None:
            self.cursor_value.hide()
            return
        row, col = cell
        v, j = self.view, int(self.shown[row])
        self.cursor_value.show_at(
            self.product_image.mapToView(event.pos()),
            f"{self.trace.tokens[j]}, dimension {col}: q {v.query[col]:.3f} × k {v.keys[j, col]:.3f} "
            f"= {v.products[j, col]:.3f}",
        )

    def _on_key_image_hover(self, event) -> None:
        cell = self._cell(self.key_image, event)
        if cell is None:
            self.key_image.setToolTip("")
            return
        row, col = cell
        j = int(self.shown[row])
        self.key_image.setToolTip(
            self.tr("key of {0}, dimension {1}: {2:.3f}").format(self.trace.tokens[j], col, self.view.keys[j, col])
        )

    # --- private slots ---------------------------------------------------------------------

    @Slot(bool)
    def _on_show_all_toggled(self, _checked: bool) -> None:
        if self.trace is not None:
            self._draw()
