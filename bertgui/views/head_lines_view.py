"""Head view, in the manner of BertViz: the tokens twice, queries (attending from) on the
left and keys (attended to) on the right, with a line from each left token to each right
token whose opacity and width are the attention weight, for one layer and any set of heads
(one colour per head). Clicking a left token keeps only its lines (click it again, or click
empty space, to see all); hovering one previews it. [CLS]/[SEP] can be hidden, rows
renormalised. The mouse wheel zooms the token columns, dragging pans them."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .attention_matrix import restricted, shown_tokens
from .finite import non_finite_note
from .flow_layout import FlowLayout
from .tokens_view import SEGMENT_COLOURS, SPECIAL_COLOUR
from .view_options import RemembersControls

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model


# Category-10 (BertViz's palette) with its grey swapped out, since grey reads as "switched off",
# then six more for models with up to 16 heads; further heads reuse the list.
HEAD_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#636efa",
    "#ff6692",
    "#00cc96",
    "#ab63fa",
    "#ffa15a",
    "#19d3f3",
    "#7f3c8d",
)
DEFAULT_THRESHOLD = 0.01  # lines lighter than this are skipped (they would be all but invisible anyway)
MAX_LINES = 20_000  # all heads together; past it only the strongest lines of each head are drawn
BUCKETS = 16  # opacity levels: a weight is drawn at the opacity of the middle of its bucket
BOLD_FROM = 4  # buckets from here on (weights >= 0.25) are drawn twice, 1 px apart: a bolder line
FOCUS_COLOUR = "#f59e0b"
MAX_LABEL_CHARS = 18
MAX_PITCH = 32.0  # pixels between rows at most: a short input stays together at the top


def head_colour(head: int) -> str:
    return HEAD_COLOURS[head % len(HEAD_COLOURS)]


def line_matrix(r: model.Inspection, layer: int, head: int, hide_special: bool) -> tuple[np.ndarray, np.ndarray]:
    """The (n, n) float32 weights a head's lines are drawn from, and the token indices of its
    rows/columns: everything, or without [CLS]/[SEP] and each row renormalised to sum to 1.
    A NaN or Inf weight (from a checkpoint with such weights) is 0 here: it draws no line."""
    keep = shown_tokens(r, hide_special)
    matrix = restricted(r.attentions[layer, head], keep)
    return np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0), keep


def strongest_lines(matrix: np.ndarray, threshold: float, cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """(query rows, key rows, weights) of the entries >= threshold, at most `cap` of them (the
    largest), in row-major order; and whether some were left out for the cap."""
    q, k = np.nonzero(matrix >= threshold)
    w = matrix[q, k]
    capped = len(w) > cap
    if capped:
        top = np.sort(np.argpartition(w, len(w) - cap)[len(w) - cap :])
        q, k, w = q[top], k[top], w[top]
    return q, k, w, capped


class _TokenColumns(pg.GraphicsObject):
    """Both token columns, painted by one item in device pixels (so text keeps its size when the
    rows are zoomed) and only for the rows in view. Where the rows are closer together than a
    label is tall, every n-th label is drawn, plus a thin segment-coloured strip for every row."""

    PAD, GAP = 5.0, 6.0
    BAR = 60.0  # pixels for the focused token's largest weight

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.backgrounds: list[QColor] = []
        self.focus_row: int | None = None
        self.focus_bars: list[tuple[QColor, np.ndarray]] = []  # per head, the focused row's weights
        self.font = QFont()
        self.text_colour = QColor("#111111")  # for text on the canvas itself, set from the palette

    def set_tokens(self, texts: list[str], backgrounds: list[QColor]) -> None:
        self.prepareGeometryChange()
        self.texts, self.backgrounds = texts, backgrounds
        self.update()

    def set_focus(self, row: int | None, bars: list[tuple[QColor, np.ndarray]]) -> None:
        self.focus_row, self.focus_bars = row, bars
        self.update()

    def label_width(self) -> float:
        """Pixel width of the widest label chip."""
        fm = QFontMetricsF(self.font)
        widest = max((fm.horizontalAdvance(t) for t in self.texts), default=0.0)
        return widest + 2 * self.PAD

    def boundingRect(self) -> QRectF:
        rect = self.viewRect()  # the labels live in pixels outside x = 0..1: claim what is in view
        return QRectF() if rect is None else rect

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def paint(self, p: QPainter, *args) -> None:
        n = len(self.texts)
        view = self.viewRect()
        if not n or view is None:
            return
        t = p.transform()
        x_left, x_right = t.map(QPointF(0, 0)).x(), t.map(QPointF(1, 0)).x()
        y0, y1 = t.map(QPointF(0, 0)).y(), t.map(QPointF(0, 1)).y()
        pitch = max(abs(y1 - y0), 1e-6)  # pixels between rows
        fm = QFontMetricsF(self.font)
        height = fm.height() + 2
        stride = max(1, math.ceil(height / pitch))
        first = max(0, math.floor(min(view.top(), view.bottom())))
        last = min(n - 1, math.ceil(max(view.top(), view.bottom())))
        if first > last:
            return
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self.font)
        if stride > 1:  # crowded: a segment strip for every row, a label for every stride-th
            strip = max(pitch, 1.0)
            for row in range(first, last + 1):
                y = y0 + (y1 - y0) * row - strip / 2
                p.fillRect(QRectF(x_left - self.GAP + 1, y, 3, strip), self.backgrounds[row])
                p.fillRect(QRectF(x_right + self.GAP - 4, y, 3, strip), self.backgrounds[row])
        every = range(first - first % stride, last + 1, stride)
        left_first = [] if self.focus_row is None else [self.focus_row]
        right_first = []  # with a token focused, the keys it attends to most are labelled first
        if self.focus_bars and stride > 1:
            strongest = np.max([w for _, w in self.focus_bars], axis=0)
            right_first = np.argsort(strongest)[::-1][:8].tolist()
        border = QPen(QColor("#9ca3af"), 1)
        focus_border = QPen(QColor(FOCUS_COLOUR), 2.5)
        for side, priority in ((0, left_first), (1, right_first)):
            for row in self._spaced(priority, every, first, last, pitch, height, stride):
                text = self.texts[row]
                width = fm.horizontalAdvance(text) + 2 * self.PAD
                y = y0 + (y1 - y0) * row - height / 2
                rect = QRectF(x_left - self.GAP - width if side == 0 else x_right + self.GAP, y, width, height)
                p.setPen(focus_border if side == 0 and row == self.focus_row else border)
                p.setBrush(self.backgrounds[row])
                p.drawRoundedRect(rect, 4, 4)
                p.setPen(QColor("#111111"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                if side == 1 and self.focus_bars:  # the focused token's weights, as bars after the keys
                    self._paint_bars(p, row, rect.right() + 4, y + 1, height - 2)
        p.restore()

    @staticmethod
    def _spaced(
        priority: list[int], every: range, first: int, last: int, pitch: float, height: float, stride: int
    ) -> list[int]:
        """Rows to label: the priority ones, then every stride-th, leaving out any that would
        overlap a label already placed."""
        if stride == 1:
            return list(every)
        taken: list[int] = []
        for row in [r for r in priority if first <= r <= last] + list(every):
            if all(abs(row - t) * pitch >= height for t in taken):
                taken.append(row)
        return taken

    def _paint_bars(self, p: QPainter, row: int, x: float, y: float, height: float) -> None:
        """One bar per head, BAR pixels for the largest weight of the focused token."""
        thickness = height / len(self.focus_bars)
        scale = self.BAR / max(max(float(w.max()) for _, w in self.focus_bars), 1e-6)
        p.setPen(Qt.PenStyle.NoPen)
        for i, (colour, weights) in enumerate(self.focus_bars):
            if weights[row] > 0:
                p.fillRect(QRectF(x, y + i * thickness, max(scale * float(weights[row]), 1.0), thickness), colour)
        weight = float(self.focus_bars[0][1][row])
        if len(self.focus_bars) == 1 and weight >= 0.005:  # the value itself, where it is not 0.00
            p.setPen(self.text_colour)
            p.drawText(QPointF(x + scale * weight + 4, y + height - 3), f"{weight:.2f}")


class HeadLinesView(RemembersControls, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        self._layers = self._heads = 0
        self._keep = np.zeros(0, dtype=np.int64)  # token index of each row
        self._matrices: dict[int, np.ndarray] = {}  # head -> (n, n) weights of the current layer
        self._focus: int | None = None  # row clicked
        self._hover: int | None = None  # row under the mouse
        self._summary = " "
        self._fitted = True  # all rows in view: kept so on resize, until the user zooms or pans
        # Lines: per head, BUCKETS PlotCurveItems with connect="pairs" (one segment per two
        # points), bucketed by weight, each bucket one pen whose alpha stands for its weights.
        # A pen has one colour, so per-segment opacity needs one item per opacity level; 16
        # levels look the same as exact ones, and a handful of items per head is drawn with
        # one QPainter.drawLines call each however many lines there are: at 512 tokens ~7k
        # lines of one head cost one setData per bucket and ~30 ms to paint, where one
        # QGraphicsItem per line would cost seconds. The pens are 1 px (see _new_curve), the
        # lines of weight >= 0.25 are doubled to look bold, the buckets are stacked by weight
        # so that no head hides the others' strong lines, and the total is capped (MAX_LINES,
        # strongest first). A focused token's lines go to a second set of items, so going
        # back to all lines only shows the first set again.
        self._curves: dict[int, list[pg.PlotCurveItem]] = {}
        self._focus_curves: dict[int, list[pg.PlotCurveItem]] = {}

        self.layer_spin = QSpinBox()
        self.layer_spin.setToolTip("Layer whose attention is drawn (0 = the first layer)")
        self.hide_special = QCheckBox("Hide [CLS]/[SEP]")
        self.hide_special.setToolTip(
            "Drop the special tokens from both columns and renormalise each token's weights to sum to 1"
        )
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setRange(0.001, 0.5)
        self.threshold_spin.setDecimals(3)
        self.threshold_spin.setSingleStep(0.01)
        self.threshold_spin.setValue(DEFAULT_THRESHOLD)
        self.threshold_spin.setToolTip(
            "Lines with a weight below this are not drawn (a line's opacity is "
            "its weight, so they would be nearly invisible anyway)"
        )
        self.all_heads_button = QPushButton("All heads")
        self.all_heads_button.setToolTip("Draw every head of the layer, each in its own colour")
        self.no_heads_button = QPushButton("None")
        self.no_heads_button.setToolTip("Untick every head")
        self.info_label = QLabel(" ")
        self.info_label.setWordWrap(True)
        self.info_label.setToolTip("What is drawn; with a token focused, where each head sends its attention")
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #b45309;")
        self.note_label.setToolTip("Heads that are switched off, lines left out")
        self.note_label.hide()

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Layer"))
        controls.addWidget(self.layer_spin)
        controls.addWidget(self.hide_special)
        min_label = QLabel("Min weight")
        min_label.setToolTip(self.threshold_spin.toolTip())
        controls.addWidget(min_label)
        controls.addWidget(self.threshold_spin)
        controls.addWidget(self.all_heads_button)
        controls.addWidget(self.no_heads_button)
        controls.addStretch(1)
        self._heads_host = QWidget()
        self._heads_flow = FlowLayout(self._heads_host)
        self._heads_flow.setContentsMargins(0, 0, 0, 0)
        self.head_boxes: list[QCheckBox] = []

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setToolTip(
            "Left: each token attending (query); right: the tokens it attends to (keys); "
            "opacity = weight, bold from 0.25. Click a left token to keep only its lines, "
            "click again or on empty space for all. Wheel: zoom, drag: pan."
        )
        self.canvas.ci.setContentsMargins(0, 4, 0, 4)
        self.vb = self.canvas.addViewBox(enableMouse=True, invertY=True, enableMenu=False)
        self.vb.setMouseEnabled(x=False, y=True)
        self.vb.disableAutoRange()
        self.labels = _TokenColumns()
        self.labels.setZValue(10)
        self.vb.addItem(self.labels, ignoreBounds=True)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self._heads_host)
        layout.addWidget(self.info_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.canvas, 1)

        self.layer_spin.valueChanged.connect(self._recompute)
        self.hide_special.toggled.connect(self._on_rows_changed)
        self.threshold_spin.valueChanged.connect(self._recompute)
        self.all_heads_button.clicked.connect(lambda: self.set_heads(list(range(self._heads))))
        self.no_heads_button.clicked.connect(lambda: self.set_heads([]))
        self.vb.sigResized.connect(self._on_resized)
        self.vb.sigRangeChanged.connect(self._place_twins)
        self.vb.sigRangeChangedManually.connect(self._on_zoomed)
        self.canvas.scene().sigMouseClicked.connect(self._on_clicked)
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.canvas.viewport().installEventFilter(self)
        self._apply_palette()

    # --- public API -----------------------------------------------------------------------

    def remembered_controls(self) -> dict:
        """Not the layer and heads, which depend on the model."""
        return {"hide_special": self.hide_special, "threshold": self.threshold_spin}

    def set_model_shape(self, layers: int, heads: int) -> None:
        if (layers, heads) == (self._layers, self._heads):
            return
        self._layers, self._heads = layers, heads
        r = self._inspection
        if r is not None and (r.num_layers, r.num_heads) != (layers, heads):
            self._inspection = None  # from another model: nothing of it fits the new controls
            self._focus = self._hover = None
            self._keep = np.zeros(0, dtype=np.int64)
            self.labels.set_tokens([], [])
            self._recompute()
        self.layer_spin.blockSignals(True)
        self.layer_spin.setRange(0, max(layers - 1, 0))
        self.layer_spin.blockSignals(False)
        for box in self.head_boxes:
            self._heads_flow.removeWidget(box)
            box.deleteLater()
        self.head_boxes = []
        for head in range(heads):
            box = QCheckBox(f"H{head}")
            pixmap = QPixmap(12, 12)
            pixmap.fill(QColor(head_colour(head)))
            box.setIcon(QIcon(pixmap))
            box.setChecked(head == 0)
            box.toggled.connect(self._recompute)
            self._heads_flow.addWidget(box)
            self.head_boxes.append(box)
        self._update_head_boxes()

    def show_inspection(self, r: model.Inspection) -> None:
        self.set_model_shape(r.num_layers, r.num_heads)
        rows_changed = self._inspection is None or list(self._inspection.tokens) != list(r.tokens)
        self._inspection = r
        if rows_changed:
            self._focus = self._hover = None
        self._set_rows(fit=rows_changed)
        self._recompute()

    def set_layer(self, layer: int) -> None:
        self.layer_spin.setValue(layer)

    def set_heads(self, heads: list[int]) -> None:
        wanted = set(heads)
        for head, box in enumerate(self.head_boxes):
            box.blockSignals(True)
            box.setChecked(head in wanted)
            box.blockSignals(False)
        self._recompute()

    def selected_heads(self) -> list[int]:
        return [head for head, box in enumerate(self.head_boxes) if box.isChecked()]

    def focus_token(self, index: int | None) -> None:
        """Keep only the lines of token `index` (an index into Inspection.tokens); None: all."""
        row = None
        if index is not None and index >= 0:
            found = np.flatnonzero(self._keep == index)
            row = int(found[0]) if len(found) else None
        self._set_focus(row)

    def focused_token(self) -> int | None:
        return None if self._focus is None else int(self._keep[self._focus])

    def drawn_lines(self) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per head drawn, the (query, key, weight) of each line on screen, as token indices
        into Inspection.tokens, sorted by query then key. Read from the visible plot items."""
        out = {}
        for head in self._matrices:  # the selected heads that are switched on
            parts = [c.lines for c in self._curves[head] + self._focus_curves[head] if c.isVisible()]
            parts.append((np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)))
            q = np.concatenate([p[0] for p in parts])
            k = np.concatenate([p[1] for p in parts])
            w = np.concatenate([p[2] for p in parts])
            order = np.lexsort((k, q))
            out[head] = (self._keep[q[order]], self._keep[k[order]], w[order])
        return out

    # --- rows and layout ------------------------------------------------------------------

    def _on_rows_changed(self) -> None:
        focused = self.focused_token()
        self._set_rows(fit=True)
        self._focus = self._hover = None
        self._recompute()
        if focused is not None:
            self.focus_token(focused)

    def _set_rows(self, fit: bool) -> None:
        r = self._inspection
        if r is None:
            return
        self._keep = shown_tokens(r, self.hide_special.isChecked())
        texts, backgrounds = [], []
        for i in self._keep:
            token = r.tokens[i]
            texts.append(token if len(token) <= MAX_LABEL_CHARS else token[: MAX_LABEL_CHARS - 1] + "…")
            special = bool(r.special_tokens_mask[i])
            backgrounds.append(QColor(SPECIAL_COLOUR if special else SEGMENT_COLOURS[int(r.segment_ids[i]) % 2]))
        self.labels.set_tokens(texts, backgrounds)
        self._fit_x()
        if fit or self._fitted:
            self._fit_y()

    def _fit_y(self) -> None:
        """Every row in view, with room for half a label above the first and below the last."""
        n = max(len(self._keep), 1)
        margin = QFontMetricsF(self.labels.font).height() / 2 + 3
        pixels = max(self.vb.height(), 20.0)
        pitch = min(max(pixels - 2 * margin, 10.0) / n, MAX_PITCH)
        top = -0.5 - margin / pitch
        bottom = top + pixels / pitch
        self.vb.setLimits(yMin=top, yMax=max(bottom, n - 0.5 + margin / pitch), minYRange=2.0)
        self.vb.setYRange(top, bottom, padding=0)
        self._fitted = True

    def _on_resized(self) -> None:
        self._fit_x()
        if self._fitted:
            self._fit_y()
        self._place_twins()

    def _fit_x(self) -> None:
        """Put x = 0 (left line ends) and x = 1 (right line ends) so that the labels fit
        beside them in pixels, the lines at most 420 px long, everything centred."""
        width = max(self.vb.width(), 1.0)
        side = min(self.labels.label_width(), 220.0) + _TokenColumns.GAP + 8
        span = float(np.clip(width - 2 * side, 40.0, 420.0))
        x0 = (width - span) / 2
        self.vb.setXRange(-x0 / span, (width - x0) / span, padding=0)

    # --- drawing --------------------------------------------------------------------------

    def _curves_for(self, head: int) -> tuple[list[pg.PlotCurveItem], list[pg.PlotCurveItem]]:
        if head not in self._curves:
            # Stacked by weight, not by head: the strong lines of every head lie over the faint ones.
            for store, z in ((self._curves, 1), (self._focus_curves, 3)):
                items = []
                for bucket in range(BUCKETS):
                    level = (bucket + 0.5) / BUCKETS
                    colour = QColor(head_colour(head))
                    colour.setAlphaF(min(1.0, 0.08 + 0.92 * level))
                    curve = self._new_curve(colour, z + level)
                    curve.lines = (np.zeros(0, np.int64),) * 2 + (np.zeros(0, np.float32),)
                    curve.twin = self._new_curve(colour, z + level) if bucket >= BOLD_FROM else None
                    items.append(curve)
                store[head] = items
            self._place_twins()
        return self._curves[head], self._focus_curves[head]

    def _new_curve(self, colour: QColor, z: float) -> pg.PlotCurveItem:
        # 1 px cosmetic pens on purpose: Qt rasterises those with its fast antialiased line
        # algorithm (about 5 us a line here), while any wider antialiased pen goes through the
        # general stroker, over 100 times slower; bold lines are two 1 px lines instead.
        curve = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1), connect="pairs", antialias=True, skipFiniteCheck=True)
        curve.setSegmentedLineMode("on")  # QPainter.drawLines: overlapping lines add up, as in BertViz
        curve.setZValue(z)
        curve.setVisible(False)
        self.vb.addItem(curve, ignoreBounds=True)
        return curve

    def _place_twins(self) -> None:
        """Keep the twin of each bold line one pixel below it, whatever the zoom."""
        height = self.vb.height()
        span = self.vb.viewRange()[1]
        dy = (span[1] - span[0]) / height if height > 0 else 0.0
        for store in (self._curves, self._focus_curves):
            for curves in store.values():
                for c in curves:
                    if c.twin is not None:
                        c.twin.setPos(0, dy)

    @staticmethod
    def _fill(curves: list[pg.PlotCurveItem], q: np.ndarray, k: np.ndarray, w: np.ndarray) -> None:
        """Spread the lines over the bucket items by weight, as pairs of points (0, q) - (1, k)."""
        bucket = np.minimum((w * BUCKETS).astype(np.int64), BUCKETS - 1)
        order = np.argsort(bucket, kind="stable")
        ends = np.cumsum(np.bincount(bucket, minlength=BUCKETS))
        start = 0
        for b, curve in enumerate(curves):
            sel = order[start : ends[b]]
            start = ends[b]
            curve.lines = (q[sel], k[sel], w[sel])
            items = [curve] if curve.twin is None else [curve, curve.twin]
            if len(sel) == 0:
                for item in items:
                    item.setVisible(False)
                    item.clear()
                continue
            xs = np.empty(2 * len(sel), dtype=np.float32)
            xs[0::2], xs[1::2] = 0.0, 1.0
            ys = np.empty(2 * len(sel), dtype=np.float32)
            ys[0::2], ys[1::2] = q[sel], k[sel]
            for item in items:
                item.setData(xs, ys)
                item.setVisible(True)

    @staticmethod
    def _show(curves: list[pg.PlotCurveItem], visible: bool) -> None:
        for c in curves:
            on = visible and len(c.lines[2]) > 0
            c.setVisible(on)
            if c.twin is not None:
                c.twin.setVisible(on)

    def _recompute(self) -> None:
        """Lines of every selected head for the current layer, rows and threshold."""
        r = self._inspection
        heads = self.selected_heads()
        self._update_head_boxes()
        self._matrices = {}
        if r is None:
            for head, curves in self._curves.items():
                self._show(curves + self._focus_curves[head], False)
            self.labels.set_focus(None, [])
            self.info_label.setText(" ")
            self.note_label.hide()
            return
        layer = min(self.layer_spin.value(), r.num_layers - 1)
        threshold = self.threshold_spin.value()
        hide = self.hide_special.isChecked()
        notes = []
        off = [h for h in heads if r.head_mask[layer, h] == 0]
        if off:
            notes.append(f"Switched off in layer {layer}, so not drawn: {', '.join(f'H{h}' for h in off)}.")
        drawn = [h for h in heads if h not in off]
        for head, curves in self._curves.items():
            if head not in drawn:
                self._show(curves + self._focus_curves[head], False)
        cap = MAX_LINES // max(len(drawn), 1)
        capped_heads, total = [], 0
        for head in drawn:
            matrix, _ = line_matrix(r, layer, head, hide)
            self._matrices[head] = matrix
            q, k, w, capped = strongest_lines(matrix, threshold, cap)
            if capped:
                capped_heads.append(head)
            total += len(w)
            self._fill(self._curves_for(head)[0], q, k, w)
        non_finite = non_finite_note(r.attentions[layer, drawn], how="not drawn")
        if non_finite:
            notes.append(f"Layer {layer}: {non_finite}.")
        if capped_heads:
            notes.append(
                f"Too many lines: only the strongest {cap:,} of each of "
                f"{', '.join(f'H{h}' for h in capped_heads)} are drawn; raise the minimum weight."
            )
        if hide and len(self._keep) == len(r.tokens) and r.special_tokens_mask.any():
            notes.append("There is nothing but [CLS]/[SEP] to show.")
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        self._summary = (
            f"Layer {layer}, {len(drawn)} head(s), {total:,} lines of weight ≥ {threshold:g} "
            f"over {len(self._keep)} tokens. Click a token on the left to see only its lines."
        )
        self._apply_focus()

    def _apply_focus(self) -> None:
        row = self._focus if self._focus is not None else self._hover
        threshold = self.threshold_spin.value()
        bars = []
        tops = []
        for head, matrix in self._matrices.items():
            curves, focus_curves = self._curves_for(head)
            if row is None:
                self._show(focus_curves, False)
                self._show(curves, True)
                continue
            self._show(curves, False)
            weights = matrix[row]
            bars.append((QColor(head_colour(head)), weights))
            k = np.flatnonzero(weights >= threshold)
            self._fill(focus_curves, np.full(len(k), row, dtype=np.int64), k, weights[k])
            best = np.argsort(weights)[::-1][:3]
            tokens = self._inspection.tokens
            tops.append(
                f"<span style='color:{head_colour(head)}'>■</span> H{head}: "
                + ", ".join(
                    f"<b>{html.escape(tokens[self._keep[j]])}</b> {weights[j]:.2f}" for j in best if weights[j] >= 0.005
                )
            )
        self.labels.set_focus(row, bars)
        if row is None or self._inspection is None:
            self.info_label.setText(self._summary)
        else:
            token = html.escape(self._inspection.tokens[self._keep[row]])
            self.info_label.setText(
                f"<b>{token}</b> (#{self._keep[row]}) attends most to: " + "; ".join(tops)
                if tops
                else f"<b>{token}</b> (#{self._keep[row]})"
            )

    def _set_focus(self, row: int | None) -> None:
        if row == self._focus:
            return
        self._focus = row
        self._apply_focus()

    def _update_head_boxes(self) -> None:
        r = self._inspection
        layer = self.layer_spin.value()
        for head, box in enumerate(self.head_boxes):
            off = r is not None and layer < r.num_layers and head < r.num_heads and r.head_mask[layer, head] == 0
            box.setText(f"H{head} (off)" if off else f"H{head}")
            box.setStyleSheet("color: #9ca3af;" if off else "")
            box.setToolTip(
                f"Head {head} of layer {layer} is switched off (its attention is zero): nothing to draw"
                if off
                else f"Draw head {head}'s attention, in this colour"
            )

    # --- mouse ----------------------------------------------------------------------------

    def _row_at(self, scene_pos: QPointF) -> tuple[str, int | None]:
        """('left' | 'right' | 'lines', row) for a point in the scene."""
        n = len(self._keep)
        if not n or not self.vb.sceneBoundingRect().contains(scene_pos):
            return "outside", None
        view = self.vb.mapSceneToView(scene_pos)
        row = int(round(view.y()))
        row = row if 0 <= row < n else None
        left = self.vb.mapViewToScene(QPointF(0, 0)).x()
        right = self.vb.mapViewToScene(QPointF(1, 0)).x()
        if scene_pos.x() < left:
            return "left", row
        if scene_pos.x() > right:
            return "right", row
        return "lines", row

    def _on_zoomed(self, *args) -> None:
        self._fitted = False

    def _on_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        side, row = self._row_at(event.scenePos())
        if side == "outside":
            return
        self._set_focus(row if side == "left" and row != self._focus else None)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        side, row = self._row_at(scene_pos)
        hover = row if side == "left" else None
        if hover != self._hover:
            self._hover = hover
            if self._focus is None:
                self._apply_focus()

    def eventFilter(self, watched, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave and self._hover is not None:  # the mouse left the canvas
            self._hover = None
            if self._focus is None:
                self._apply_focus()
        return super().eventFilter(watched, event)

    # --- palette --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        self.canvas.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self.labels.text_colour = self.palette().color(QPalette.ColorRole.Text)
        self.labels.update()
