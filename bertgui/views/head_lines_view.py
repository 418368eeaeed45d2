"""Head view, in the manner of BertViz: the tokens twice, queries (attending from) on the
left and keys (attended to) on the right, under headings that say so, with a line from each
left token to each right token whose opacity and width are the attention weight, for one
layer and any set of heads (one colour per head). Clicking a token on either side follows it:
its lines stand out, the others dim, its weights show as one bar per head beside the other
column and in a summary (click it again, or click empty space, to see all); hovering one
previews it, and the weights under the mouse (of a token or of the lines) show beside it.
Every token is labelled: labels shrink to a readable minimum (larger for CJK characters), then the
rows scroll (wheel or scroll bar; Ctrl+wheel zooms, labelling every n-th row when zoomed out).
[CLS]/[SEP] can be hidden, rows renormalised; words can take the place of pieces (word mode, shared
with the Attention and Tokens tabs)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .attention_matrix import restricted
from .finite import non_finite_note
from .flow_layout import FlowLayout
from .head_lines_columns import (
    KEY,
    LABEL_GAP,
    QUERY,
    ColumnHeadings,
    Focus,
    RowsViewBox,
    TokenColumns,
)
from .tokens_view import SEGMENT_COLOURS, SPECIAL_COLOUR
from .view_options import RemembersControls
from .word_units import any_cjk, in_units, shown_units, unit_firsts, unit_names, words_caption, words_check_box

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
DIM_OPACITY = 0.15  # the other lines, while a token's are followed: context, not clutter
MAX_LABEL_CHARS = 18  # longer tokens are cut with "…"; the value at the cursor names them in full
MAX_PITCH = 32.0  # pixels between rows at most: a short input stays together at the top
ROW_MARGIN = 3.0  # pixels above the first label and below the last
SCROLL_STEPS_PER_ROW = 100  # the scroll bar counts in hundredths of a row
LINE_HIT_PIXELS = 4.0  # the mouse is on a line this close to it
READOUT_ROWS = 6  # most entries the value at the cursor lists
SCROLL_NOTE = QT_TRANSLATE_NOOP(
    "head_lines_view", " More rows than fit: the wheel scrolls them, Ctrl+wheel zooms out to see them all."
)
ZOOM_NOTE = QT_TRANSLATE_NOOP(
    "head_lines_view", " Zoomed out: only some tokens are labelled; Reset zoom (or Ctrl+wheel) labels them all."
)
NOTE_COLOURS = {False: "#b45309", True: "#fbbf24"}  # amber on a light / dark canvas, both readable


def head_colour(head: int) -> str:
    return HEAD_COLOURS[head % len(HEAD_COLOURS)]


def line_matrix(
    r: model.Inspection, layer: int, head: int, hide_special: bool, words: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The (n, n) float32 weights a head's lines are drawn from, and the indices of its
    rows/columns (into the tokens, or the words in word mode): everything, or without [CLS]/[SEP]
    and each row renormalised to sum to 1. A NaN or Inf weight (from a checkpoint with such
    weights) is 0 here: it draws no line."""
    keep = shown_units(r, hide_special, words)
    matrix = restricted(in_units(r.attentions[layer, head], r, words), keep)
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


def swatch(head: int) -> str:
    """A head's colour as a square in rich text."""
    return f"<span style='color:{head_colour(head)}'>■</span>"


class HeadLinesView(RemembersControls, QWidget):
    neuronViewRequested = Signal(int, int, int)  # layer, head, query token: how its weights are computed
    wordModeToggled = Signal(bool)  # the Words box was ticked or unticked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        self._layers = self._heads = 0
        self._layer = 0  # the layer the matrices are of
        self._keep = np.zeros(0, dtype=np.int64)  # index of each row into _names
        self._names: list[str] = []  # the tokens, or the words in word mode
        self._matrices: dict[int, np.ndarray] = {}  # head -> (n, n) weights of the current layer
        self.neuron_menu: QMenu | None = None  # the right-click menu, while it is open
        self._focus: tuple[str, int] | None = None  # (QUERY or KEY, row) clicked
        self._hover: tuple[str, int] | None = None  # (QUERY or KEY, row) under the mouse
        self._summary = " "
        self._fit_span = 0.0  # rows in view at the readable spacing; another span means the user zoomed
        self._extent = (0.0, 1.0)  # the y range holding every row, which the scroll bar moves through
        self._zoomed = False
        # Lines: per head, BUCKETS PlotCurveItems with connect="pairs" (one segment per two
        # points), bucketed by weight, each bucket one pen whose alpha stands for its weights.
        # A pen has one colour, so per-segment opacity needs one item per opacity level; 16
        # levels look the same as exact ones, and a handful of items per head is drawn with
        # one QPainter.drawLines call each however many lines there are: at 512 tokens ~7k
        # lines of one head cost one setData per bucket and ~30 ms to paint, where one
        # QGraphicsItem per line would cost seconds. The pens are 1 px (see _new_curve), the
        # lines of weight >= 0.25 are doubled to look bold, the buckets are stacked by weight
        # so that no head hides the others' strong lines, and the total is capped (MAX_LINES,
        # strongest first). A followed token's lines go to a second set of items drawn over
        # the first, which is only dimmed meanwhile, so going back to all lines costs nothing.
        self._curves: dict[int, list[pg.PlotCurveItem]] = {}
        self._focus_curves: dict[int, list[pg.PlotCurveItem]] = {}

        self.layer_spin = QSpinBox()
        self.layer_spin.setToolTip(self.tr("Layer whose attention is drawn (0 = the first layer)"))
        self.hide_special = QCheckBox(self.tr("Hide [CLS]/[SEP]"))
        self.hide_special.setToolTip(
            self.tr("Drop the special tokens from both columns and renormalise each token's weights to sum to 1")
        )
        self.words_box = words_check_box()
        self.words_caption = words_caption()
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setRange(0.001, 0.5)
        self.threshold_spin.setDecimals(3)
        self.threshold_spin.setSingleStep(0.01)
        self.threshold_spin.setValue(DEFAULT_THRESHOLD)
        self.threshold_spin.setToolTip(
            self.tr(
                "Lines with a weight below this are not drawn (a line's opacity is its weight, so they "
                "would be nearly invisible anyway)"
            )
        )
        self.all_heads_button = QPushButton(self.tr("All heads"))
        self.all_heads_button.setToolTip(self.tr("Draw every head of the layer, each in its own colour"))
        self.no_heads_button = QPushButton(self.tr("None"))
        self.no_heads_button.setToolTip(self.tr("Untick every head"))
        self.reset_zoom_button = QPushButton(self.tr("Reset zoom"))
        self.reset_zoom_button.setToolTip(
            self.tr("Back to the size at which every token is labelled (the mouse wheel scrolls, Ctrl+wheel zooms)")
        )
        self.reset_zoom_button.setEnabled(False)
        self.info_label = QLabel(" ")
        self.info_label.setWordWrap(True)
        self.info_label.setToolTip(
            self.tr("What is drawn; with a token clicked, where its attention goes or comes from")
        )
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Two lines kept, so that the canvas below does not jump as most summaries come and go.
        self.info_label.setMinimumHeight(2 * self.info_label.fontMetrics().lineSpacing() + 2)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setToolTip(self.tr("Heads that are switched off, lines left out"))
        self.note_label.hide()

        controls = QHBoxLayout()
        layer_label = QLabel(self.tr("&Layer"))
        layer_label.setBuddy(self.layer_spin)
        layer_label.setToolTip(self.layer_spin.toolTip())
        controls.addWidget(layer_label)
        controls.addWidget(self.layer_spin)
        controls.addWidget(self.hide_special)
        controls.addWidget(self.words_box)
        min_label = QLabel(self.tr("Min weight"))
        min_label.setBuddy(self.threshold_spin)
        min_label.setToolTip(self.threshold_spin.toolTip())
        controls.addWidget(min_label)
        controls.addWidget(self.threshold_spin)
        controls.addWidget(self.all_heads_button)
        controls.addWidget(self.no_heads_button)
        controls.addStretch(1)
        controls.addWidget(self.reset_zoom_button)
        self._heads_host = QWidget()
        self._heads_flow = FlowLayout(self._heads_host)
        self._heads_flow.setContentsMargins(0, 0, 0, 0)
        self.head_boxes: list[QCheckBox] = []
        heads_label = QLabel(self.tr("Heads (line and bar colours):"))
        heads_label.setToolTip(
            self.tr(
                "Tick the heads of the layer to draw. Each head draws its lines, and the bars of a clicked "
                "token, in its own colour."
            )
        )
        heads_row = QHBoxLayout()
        heads_row.addWidget(heads_label, 0, Qt.AlignmentFlag.AlignTop)
        heads_row.addWidget(self._heads_host, 1)

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.ci.setContentsMargins(0, 2, 0, 4)
        self.canvas.ci.layout.setVerticalSpacing(0)
        self.vb = RowsViewBox(enableMouse=True, invertY=True, enableMenu=False)
        self.vb.setMouseEnabled(x=False, y=True)
        self.vb.disableAutoRange()
        self.labels = TokenColumns()
        self.labels.setZValue(10)
        self.vb.addItem(self.labels, ignoreBounds=True)
        self.headings = ColumnHeadings(self.vb, self.labels)
        self.canvas.ci.addItem(self.headings, row=0, col=0)
        self.canvas.ci.addItem(self.vb, row=1, col=0)
        # The weights under the mouse, beside it; pixel-sized whatever the zoom.
        self.readout = pg.TextItem(anchor=(0, 0))
        self.readout.setZValue(20)
        self.readout.hide()
        self.vb.addItem(self.readout, ignoreBounds=True)
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical)
        self.scroll_bar.setToolTip(self.tr("More tokens than fit at a readable size: scroll (or use the mouse wheel)"))
        self.scroll_bar.hide()
        canvas_row = QHBoxLayout()
        canvas_row.setSpacing(0)
        canvas_row.addWidget(self.canvas, 1)
        canvas_row.addWidget(self.scroll_bar)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(heads_row)
        layout.addWidget(self.words_caption)
        layout.addWidget(self.info_label)
        layout.addWidget(self.note_label)
        layout.addLayout(canvas_row, 1)

        self.layer_spin.valueChanged.connect(self._recompute)
        self.hide_special.toggled.connect(self._on_rows_changed)
        self.words_box.toggled.connect(self._on_words_box_toggled)
        self.threshold_spin.valueChanged.connect(self._recompute)
        self.all_heads_button.clicked.connect(lambda: self.set_heads(list(range(self._heads))))
        self.no_heads_button.clicked.connect(lambda: self.set_heads([]))
        self.reset_zoom_button.clicked.connect(lambda: self._fit_rows(keep_top=True))
        self.scroll_bar.valueChanged.connect(self._on_scroll_bar_moved)
        self.vb.sigResized.connect(self._on_resized)
        self.vb.sigRangeChanged.connect(self._on_range_changed)
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
            self._names = []
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

    def set_word_mode(self, on: bool) -> None:
        """Show words (on) or pieces: the shared word mode changed."""
        self.words_box.setChecked(on)

    def focus_token(self, index: int | None, side: str = QUERY) -> None:
        """Follow token `index` (an index into Inspection.tokens, or into the words in word mode)
        as a query (its lines out, on the left) or as a key (the lines into it, on the right);
        None: all lines."""
        target = None
        if index is not None and index >= 0:
            found = np.flatnonzero(self._keep == index)
            target = (side, int(found[0])) if len(found) else None
        self._set_focus(target)

    def focused_token(self) -> int | None:
        """The token followed (an index into Inspection.tokens, or the words in word mode), on
        either side; see focused_side."""
        return None if self._focus is None else int(self._keep[self._focus[1]])

    def focused_side(self) -> str | None:
        """QUERY ("query") or KEY ("key") when a token is followed."""
        return None if self._focus is None else self._focus[0]

    def drawn_lines(self) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per head drawn, the (query, key, weight) of each line drawn at full strength (a
        followed token's lines, else all), as indices into Inspection.tokens (the words in word
        mode), sorted by
        query then key. Read from the visible plot items."""
        out = {}
        for head in self._matrices:  # the selected heads that are switched on
            q, k, w = self._strong_lines(head)
            order = np.lexsort((k, q))
            out[head] = (self._keep[q[order]], self._keep[k[order]], w[order])
        return out

    def dimmed_heads(self) -> list[int]:
        """Heads whose lines are drawn dimmed behind a followed token's."""
        return [
            head
            for head in self._matrices
            if any(c.isVisible() and c.opacity() < 1 for c in self._curves.get(head, []))
        ]

    def readout_text(self) -> str:
        """The value at the cursor as plain text; "" when none is shown."""
        return self.readout.textItem.toPlainText() if self.readout.isVisible() else ""

    # --- rows and layout ------------------------------------------------------------------

    def _on_rows_changed(self) -> None:
        focused, side = self.focused_token(), self.focused_side()
        self._set_rows(fit=True)
        self._focus = self._hover = None
        self._recompute()
        if focused is not None:
            self.focus_token(focused, side)

    def _on_words_box_toggled(self, on: bool) -> None:
        """Other rows: nothing followed carries over (a word is not a piece)."""
        self.words_caption.setVisible(on)
        self._set_rows(fit=True)
        self._focus = self._hover = None
        self._recompute()
        self.wordModeToggled.emit(on)

    def _set_rows(self, fit: bool) -> None:
        r = self._inspection
        if r is None:
            return
        words = self.words_box.isChecked()
        self._names = unit_names(r, words)
        self._keep = shown_units(r, self.hide_special.isChecked(), words)
        firsts = unit_firsts(r, words)
        texts, backgrounds = [], []
        for i in self._keep:
            name, first = self._names[i], firsts[i]
            texts.append(name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…")
            special = bool(r.special_tokens_mask[first])
            backgrounds.append(QColor(SPECIAL_COLOUR if special else SEGMENT_COLOURS[int(r.segment_ids[first]) % 2]))
        self.labels.set_tokens(texts, backgrounds, cjk=any_cjk(texts))
        if fit or not self._zoomed:
            self._fit_rows(keep_top=not fit)
        self._fit_x()

    def _fit_rows(self, keep_top: bool) -> None:
        """Label size and row spacing at which every token is labelled and no two labels overlap:
        the app's text size while all rows fit the height, smaller ones down to the labels'
        minimum (MIN_LABEL_POINTS, more for CJK) while that makes them fit, and past that the rows keep that spacing
        and scroll. keep_top: stay at the row at the top (a resize), else go to the first."""
        n = len(self._keep)
        pixels = max(self.vb.height(), 40.0)
        font = QFont(self.font())
        smallest = self.labels.min_label_points()
        points = max(font.pointSizeF(), smallest)
        while True:
            font.setPointSizeF(points)
            chip = self.labels.chip_height(font)
            pitch = (pixels - chip - 2 * ROW_MARGIN) / (n - 1) if n > 1 else MAX_PITCH
            if pitch >= chip + LABEL_GAP or points <= smallest:
                break
            points = max(points - 0.5, smallest)
        self.labels.set_label_points(points)
        pitch = float(np.clip(pitch, chip + LABEL_GAP, MAX_PITCH))
        margin = (chip / 2 + ROW_MARGIN) / pitch
        span = pixels / pitch
        lowest, highest = -margin, max(n - 1 + margin, span - margin)
        top = float(np.clip(self.vb.viewRange()[1][0], lowest, highest - span)) if keep_top else lowest
        self._extent, self._fit_span = (lowest, highest), span
        self.vb.setLimits(yMin=lowest, yMax=highest, minYRange=2.0)
        self.vb.setYRange(top, top + span, padding=0)
        self._fit_x()

    def _on_resized(self) -> None:
        if not self._zoomed:
            self._fit_rows(keep_top=True)
        self._fit_x()
        self._place_twins()

    def _fit_x(self) -> None:
        """Put x = 0 (left line ends) and x = 1 (right line ends) so that the labels, the bars
        of a followed token and the headings fit beside them in pixels, the lines at most 420 px
        long, everything centred."""
        width = max(self.vb.width(), 1.0)
        beside = TokenColumns.GAP + min(self.labels.label_width(), 220.0) + TokenColumns.BAR_SPACING
        side = max(beside + TokenColumns.BAR_ROOM, self.headings.column_heading_width() + TokenColumns.GAP)
        span = float(np.clip(width - 2 * side, 40.0, 420.0))
        x0 = (width - span) / 2
        self.vb.setXRange(-x0 / span, (width - x0) / span, padding=0)

    def _on_range_changed(self) -> None:
        """Keep the bold lines' twins, the zoom button and the scroll bar in step with the view."""
        self._place_twins()
        top, bottom = self.vb.viewRange()[1]
        span = bottom - top
        self._zoomed = self._fit_span > 0 and abs(span - self._fit_span) > 1e-3 * self._fit_span
        self.reset_zoom_button.setEnabled(self._zoomed)
        lowest, highest = self._extent
        hidden_rows = highest - lowest - span
        scrolls = hidden_rows > 1e-3 and len(self._keep) > 0
        if scrolls != self.scroll_bar.isVisibleTo(self):
            self.scroll_bar.setVisible(scrolls)
        if self._focus is None and self.info_label.text() != self._summary_text():
            self.info_label.setText(self._summary_text())
        self.scroll_bar.blockSignals(True)
        self.scroll_bar.setRange(0, max(round(hidden_rows * SCROLL_STEPS_PER_ROW), 0))
        self.scroll_bar.setPageStep(max(round(span * SCROLL_STEPS_PER_ROW), 1))
        self.scroll_bar.setSingleStep(SCROLL_STEPS_PER_ROW)
        self.scroll_bar.setValue(round((top - lowest) * SCROLL_STEPS_PER_ROW))
        self.scroll_bar.blockSignals(False)
        self.readout.hide()  # it was for the rows under the mouse before the move

    def _summary_text(self) -> str:
        """What is drawn, and how to see every label when some are out of view or left out."""
        if not len(self._keep):
            return self._summary
        top, bottom = self.vb.viewRange()[1]
        pitch = self.vb.height() / max(bottom - top, 1e-6)
        if not self.labels.labels_fit(pitch):
            return self._summary + QCoreApplication.translate("head_lines_view", ZOOM_NOTE)
        scroll_note = QCoreApplication.translate("head_lines_view", SCROLL_NOTE)
        return self._summary + (scroll_note if self.scroll_bar.isVisibleTo(self) else "")

    def _on_scroll_bar_moved(self, value: int) -> None:
        top, bottom = self.vb.viewRange()[1]
        new_top = self._extent[0] + value / SCROLL_STEPS_PER_ROW
        self.vb.setYRange(new_top, new_top + bottom - top, padding=0)

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
    def _show(curves: list[pg.PlotCurveItem], visible: bool, opacity: float = 1.0) -> None:
        for c in curves:
            on = visible and len(c.lines[2]) > 0
            for item in [c] if c.twin is None else [c, c.twin]:
                item.setVisible(on)
                item.setOpacity(opacity)

    def _strong_lines(self, head: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query rows, key rows, weights) of the head's lines drawn at full strength now."""
        curves = self._focus_curves[head] if self._shown() is not None else self._curves[head]
        parts = [c.lines for c in curves if c.isVisible()]
        parts.append((np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)))
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))

    def _recompute(self) -> None:
        """Lines of every selected head for the current layer, rows and threshold."""
        r = self._inspection
        heads = self.selected_heads()
        self._update_head_boxes()
        self._matrices = {}
        if r is None:
            for head, curves in self._curves.items():
                self._show(curves + self._focus_curves[head], False)
            self.labels.set_focus(None)
            self.headings.update()
            self.info_label.setText(" ")
            self.note_label.hide()
            return
        layer = self._layer = min(self.layer_spin.value(), r.num_layers - 1)
        threshold = self.threshold_spin.value()
        hide = self.hide_special.isChecked()
        notes = []
        off = [h for h in heads if r.head_mask[layer, h] == 0]
        if off:
            notes.append(
                self.tr("Switched off in layer {0}, so not drawn: {1}.").format(layer, ", ".join(f"H{h}" for h in off))
            )
        drawn = [h for h in heads if h not in off]
        for head, curves in self._curves.items():
            if head not in drawn:
                self._show(curves + self._focus_curves[head], False)
        cap = MAX_LINES // max(len(drawn), 1)
        capped_heads, total = [], 0
        for head in drawn:
            matrix, _ = line_matrix(r, layer, head, hide, self.words_box.isChecked())
            self._matrices[head] = matrix
            q, k, w, capped = strongest_lines(matrix, threshold, cap)
            if capped:
                capped_heads.append(head)
            total += len(w)
            self._fill(self._curves_for(head)[0], q, k, w)
        non_finite = non_finite_note(r.attentions[layer, drawn], how=self.tr("not drawn"))
        if non_finite:
            notes.append(f"Layer {layer}: {non_finite}.")
        if capped_heads:
            notes.append(
                self.tr(
                    "Too many lines: only the strongest {0:,} of each of {1} are drawn; raise the minimum weight."
                ).format(cap, ", ".join(f"H{h}" for h in capped_heads))
            )
        if hide and len(self._keep) == len(self._names) and r.special_tokens_mask.any():
            notes.append(self.tr("There is nothing but [CLS]/[SEP] to show."))
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        rows = self.tr("words") if self.words_box.isChecked() else self.tr("tokens")
        self._summary = self.tr(
            "Layer {0}, {1} head(s), {2:,} lines of weight ≥ {3:g} over {4} {5}. Click a token on "
            "either side to follow its lines; point at a line or a token for its weights; right-click "
            "a left token or a line: how its weights are computed."
        ).format(layer, len(drawn), total, threshold, len(self._keep), rows)
        self._apply_focus()

    def _shown(self) -> tuple[str, int] | None:
        """The token whose lines stand out: the one clicked, else the one under the mouse."""
        return self._focus if self._focus is not None else self._hover

    def _weights_of(self, matrix: np.ndarray, side: str, row: int) -> np.ndarray:
        """What a query gives each key, or what each query gives a key."""
        return np.ascontiguousarray(matrix[row] if side == QUERY else matrix[:, row])

    def _apply_focus(self) -> None:
        shown = self._shown()
        threshold = self.threshold_spin.value()
        per_head = []
        for head, matrix in self._matrices.items():
            curves, focus_curves = self._curves_for(head)
            if shown is None:
                self._show(focus_curves, False)
                self._show(curves, True)
                continue
            side, row = shown
            weights = self._weights_of(matrix, side, row)
            others = np.flatnonzero(weights >= threshold)
            ends = np.full(len(others), row, dtype=np.int64)
            q, k = (ends, others) if side == QUERY else (others, ends)
            self._fill(focus_curves, q, k, weights[others])
            self._show(curves, True, opacity=DIM_OPACITY)
            per_head.append((head, weights))
        focus = None
        if shown is not None:
            token = self.labels.texts[shown[1]]
            title = self.tr("bars: weight {0} '{1}'").format("from" if shown[0] == QUERY else "into", token)
            title += self.tr(", one per head") if len(per_head) > 1 else ""
            focus = Focus(shown[0], shown[1], [(QColor(head_colour(h)), w) for h, w in per_head], title)
        self.labels.set_focus(focus)
        self.headings.update()
        # Only a click changes the summary: were a hover to, its height could change, move the
        # rows under the mouse and so change the hover again.
        if self._focus is None or self._inspection is None:
            self.info_label.setText(self._summary_text())
        else:
            self.info_label.setText(self._focus_summary(*self._focus, per_head))

    def _token_name(self, row: int) -> str:
        return html.escape(self._names[self._keep[row]])

    def _focus_summary(self, side: str, row: int, per_head: list[tuple[int, np.ndarray]]) -> str:
        """'In layer 1, cat (#2) receives most attention from: H0: sat (0.41), the (0.22) ...'."""
        token = f"<b>{self._token_name(row)}</b> (#{self._keep[row]})"
        if not per_head:
            return token
        verb = self.tr("attends most to") if side == QUERY else self.tr("receives most attention from")

        shown = 3 if len(per_head) <= 2 else 2 if len(per_head) <= 4 else 1  # about two lines in all

        def partners(weights: np.ndarray) -> str:
            best = [j for j in np.argsort(weights, kind="stable")[::-1][:shown] if weights[j] >= 0.005]
            listed = ", ".join(f"<b>{self._token_name(j)}</b> ({weights[j]:.2f})" for j in best)
            return listed or self.tr("no token above 0.005")

        if len(per_head) == 1:
            head, weights = per_head[0]
            return self.tr("{0} {1} {2} in layer {3}, head {4}.").format(
                token, verb, partners(weights), self._layer, head
            )
        listed = "; ".join(f"{swatch(head)} H{head}: {partners(weights)}" for head, weights in per_head)
        return self.tr("In layer {0}, {1} {2}: {3}").format(self._layer, token, verb, listed)

    def _set_focus(self, target: tuple[str, int] | None) -> None:
        if target == self._focus:
            return
        self._focus = target
        self._apply_focus()

    def _update_head_boxes(self) -> None:
        r = self._inspection
        layer = self.layer_spin.value()
        for head, box in enumerate(self.head_boxes):
            off = bool(r is not None and layer < r.num_layers and head < r.num_heads and r.head_mask[layer, head] == 0)
            box.setText(f"H{head} (off)" if off else f"H{head}")
            font = box.font()
            font.setStrikeOut(off)
            box.setFont(font)
            box.setToolTip(
                self.tr("Head {0} of layer {1} is switched off (its attention is zero): nothing to draw").format(
                    head, layer
                )
                if off
                else self.tr("Draw head {0}'s attention: its lines and bars are this colour").format(head)
            )

    # --- mouse ----------------------------------------------------------------------------

    def _row_at(self, scene_pos: QPointF) -> tuple[str, int | None]:
        """(QUERY | KEY | 'lines' | 'outside', row) for a point in the scene."""
        n = len(self._keep)
        if not n or not self.vb.sceneBoundingRect().contains(scene_pos):
            return "outside", None
        view = self.vb.mapSceneToView(scene_pos)
        row = int(round(view.y()))
        row = row if 0 <= row < n else None
        left = self.vb.mapViewToScene(QPointF(0, 0)).x()
        right = self.vb.mapViewToScene(QPointF(1, 0)).x()
        if scene_pos.x() < left:
            return QUERY, row
        if scene_pos.x() > right:
            return KEY, row
        return "lines", row

    def _on_clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self.neuron_menu = self.neuron_view_menu(event.scenePos())
            if self.neuron_menu is not None:
                self.neuron_menu.popup(event.screenPos().toPoint())
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        side, row = self._row_at(event.scenePos())
        if side == "outside":
            return
        target = (side, row) if side in (QUERY, KEY) and row is not None else None
        self._set_focus(None if target == self._focus else target)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        side, row = self._row_at(scene_pos)
        hover = (side, row) if side in (QUERY, KEY) and row is not None else None
        if hover != self._hover:
            self._hover = hover
            if self._focus is None:
                self._apply_focus()
        if hover is not None:
            text = self._token_readout(*hover)
        elif side == "lines":
            text = self._lines_readout(scene_pos)
        else:
            text = ""
        self._place_readout(scene_pos, text)

    def _token_readout(self, side: str, row: int) -> str:
        """The full token, and its weights: with a token of the other column followed, the
        weight between the two per head, else its strongest partner per head."""
        token = self._token_name(row)
        heads = list(self._matrices.items())
        if not heads:
            return f"<b>{token}</b> #{self._keep[row]}"
        more = self.tr("<br>and {0} more heads").format(len(heads) - READOUT_ROWS) if len(heads) > READOUT_ROWS else ""
        if self._focus is not None and self._focus[0] != side:
            q, k = (row, self._focus[1]) if side == QUERY else (self._focus[1], row)
            rows = [f"{swatch(h)} H{h}: {m[q, k]:.3f}" for h, m in heads[:READOUT_ROWS]]
            return f"<b>{self._token_name(q)}</b> → <b>{self._token_name(k)}</b><br>" + "<br>".join(rows) + more
        rows = []
        for head, matrix in heads[:READOUT_ROWS]:
            weights = self._weights_of(matrix, side, row)
            best = int(np.argmax(weights))
            rows.append(f"{swatch(head)} H{head}: {self._token_name(best)} {weights[best]:.3f}")
        verb = self.tr("attends most to") if side == QUERY else self.tr("gets most attention from")
        return f"<b>{token}</b> #{self._keep[row]} {verb}<br>" + "<br>".join(rows) + more

    def neuron_view_targets(self, scene_pos: QPointF) -> list[tuple[int, int]] | None:
        """(head, query token) pairs whose neuron view a right-click here offers: a left token with
        each head drawn, or the strongest line under the mouse; None outside the canvas."""
        side, row = self._row_at(scene_pos)
        if side == "outside":
            return None
        if self.words_box.isChecked():  # a word's weights mix its pieces': no one neuron view
            return []
        if side == QUERY and row is not None:
            return [(head, int(self._keep[row])) for head in self._matrices]
        if side == "lines":
            hits = self._lines_at(scene_pos)
            if hits:
                _, head, q, _ = hits[0]
                return [(head, int(self._keep[q]))]
        return []

    def neuron_view_menu(self, scene_pos: QPointF) -> QMenu | None:
        """The right-click menu at scene_pos: "Show how ... is computed" per head, or why there is none."""
        targets = self.neuron_view_targets(scene_pos)
        if targets is None:
            return None
        menu = QMenu(self)
        layer = self._layer
        for head, query in targets:
            token = self._inspection.tokens[query]
            action = menu.addAction(
                self.tr("Show how {0}'s weights are computed (neuron view, layer {1}, head {2})").format(
                    token, layer, head
                )
            )
            action.triggered.connect(lambda _=False, h=head, q=query: self.neuronViewRequested.emit(layer, h, q))
        if not targets:
            where = (
                self.tr("untick Words first (a word mixes its pieces)")
                if self.words_box.isChecked()
                else self.tr("right-click a token on the left (a query) or a line")
            )
            menu.addAction(self.tr("Neuron view: {0}").format(where)).setEnabled(False)
        return menu

    def _lines_at(self, scene_pos: QPointF) -> list[tuple[float, int, int, int]]:
        """(weight, head, query row, key row) of the lines drawn at full strength within
        LINE_HIT_PIXELS of scene_pos, strongest first."""
        point = self.vb.mapSceneToView(scene_pos)
        x_size, y_size = self.vb.viewPixelSize()  # view units per pixel
        hits = []
        for head in self._matrices:
            q, k, w = self._strong_lines(head)
            rise = (k - q).astype(np.float64)
            off_line = np.abs(q + rise * point.x() - point.y()) / y_size  # pixels, vertically
            distance = off_line / np.sqrt(1.0 + (rise / y_size * x_size) ** 2)  # pixels, square to the line
            for i in np.flatnonzero(distance <= LINE_HIT_PIXELS):
                hits.append((float(w[i]), head, int(q[i]), int(k[i])))
        hits.sort(key=lambda hit: -hit[0])
        return hits

    def _lines_readout(self, scene_pos: QPointF) -> str:
        """The lines drawn at full strength within LINE_HIT_PIXELS of the mouse, strongest first."""
        hits = self._lines_at(scene_pos)
        if not hits:
            return ""
        rows = [
            f"{swatch(head)} H{head}: {self._token_name(q)} → {self._token_name(k)} {weight:.3f}"
            for weight, head, q, k in hits[:READOUT_ROWS]
        ]
        if len(hits) > READOUT_ROWS:
            rows.append(self.tr("and {0} more lines here").format(len(hits) - READOUT_ROWS))
        return "<br>".join(rows)

    def _place_readout(self, scene_pos: QPointF, text: str) -> None:
        """Beside the mouse, on the side with room (towards the middle of the canvas)."""
        if not text:
            self.readout.hide()
            return
        self.readout.setHtml(text)
        centre = self.vb.sceneBoundingRect().center()
        right, low = scene_pos.x() > centre.x(), scene_pos.y() > centre.y()
        self.readout.setAnchor((1 if right else 0, 1 if low else 0))
        offset = QPointF(-10 if right else 14, -8 if low else 18)  # clear of the pointer
        self.readout.setPos(self.vb.mapSceneToView(scene_pos + offset))
        self.readout.show()

    def eventFilter(self, watched, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:  # the mouse left the canvas
            self.readout.hide()
            if self._hover is not None:
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
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        dark = base.lightnessF() < 0.5
        self.canvas.setBackground(base)
        self.labels.text_colour = text
        self.labels.update()
        self.headings.text_colour = text
        self.headings.muted_colour = QColor(
            *(round(0.75 * a + 0.25 * b) for a, b in zip(text.getRgb()[:3], base.getRgb()[:3], strict=True))
        )
        self.headings.update()
        self.readout.fill = pg.mkBrush(palette.color(QPalette.ColorRole.ToolTipBase))
        self.readout.border = pg.mkPen(palette.color(QPalette.ColorRole.Mid))
        self.readout.setColor(palette.color(QPalette.ColorRole.ToolTipText))
        self.note_label.setStyleSheet(f"color: {NOTE_COLOURS[dark]};")
