"""Attention view: every layer x head as a labelled thumbnail on one shared colour scale; the
chosen map large, filling its panel, with every token labelled on both axes and the weight under
the cursor written beside it; per head, the mean or the max over a layer's heads, or attention
rollout (each explained in a caption); [CLS]/[SEP] can be hidden (rows renormalised); words instead
of pieces (word mode, shared with the Head view and Tokens tabs); the thumbnails' frames tinted by a
statistic of each head, so that positional and separator heads stand out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsRectItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from model.word_attention import AGGREGATIONS, HEAD_STATISTICS, aggregate_heads, head_statistics

from ..model_texts import model_text
from .attention_matrix import restricted
from .cursor_value import CursorValue
from .finite import drawable, finite_max, noted
from .token_axis import TokenAxis, every_kth_note
from .view_options import RemembersControls
from .word_units import all_heads_in_units, in_units, shown_units, unit_names, words_caption, words_check_box

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model


COLORMAP = "viridis"
AVERAGE = -1  # head selector value for the mean over heads
MAXIMUM = -2  # head selector value for the max over heads
AGGREGATE = {AVERAGE: "mean", MAXIMUM: "max"}  # head selector value -> model.word_attention.AGGREGATIONS
AGGREGATE_NAMES = {
    AVERAGE: QT_TRANSLATE_NOOP("attention_view", "Mean of heads"),
    MAXIMUM: QT_TRANSLATE_NOOP("attention_view", "Max of heads"),
}
# "Colour heads by": the statistics of model.word_attention.HEAD_STATISTICS offered, by their names here.
STATISTICS = {
    QT_TRANSLATE_NOOP("attention_view", "entropy"): "entropy",
    QT_TRANSLATE_NOOP("attention_view", "to [CLS]"): "to [CLS]",
    QT_TRANSLATE_NOOP("attention_view", "to [SEP]"): "to [SEP]",
    QT_TRANSLATE_NOOP("attention_view", "to previous"): "previous token",
    QT_TRANSLATE_NOOP("attention_view", "to next"): "next token",
}
STAT_COLOUR = (234, 88, 12)  # the mat behind a thumbnail, orange: its opacity is the head's statistic
STAT_MAT = 0.12  # the mat's width beyond the thumbnail, as a share of its side
RANKED = 3  # heads named in the statistic's caption
THUMBNAIL_SIDE = 96  # thumbnails of longer inputs are block-averaged down to about this many pixels
TITLE_SIZE = "10pt"  # the large map's title: small, the map gets the height
ROLLOUT_HEADS = QT_TRANSLATE_NOOP(
    "attention_view", "All heads (rollout)"
)  # what the head box reads in rollout mode, which mixes every head
NEURON_HINT = QT_TRANSLATE_NOOP(
    "attention_view", "Right-click a cell to see how its weight is computed (the neuron view of the Computation tab)."
)


def thumbnail(matrix: np.ndarray, side: int = THUMBNAIL_SIDE) -> np.ndarray:
    """Block-average a (T, T) map to at most about side x side: a thumbnail is drawn a hundred
    pixels wide, and 144 full-size 512 x 512 images would cost time and memory for nothing."""
    step = -(-matrix.shape[0] // side)  # ceil division
    if step <= 1:
        return matrix
    T = matrix.shape[0]
    padded = np.zeros((-(-T // step) * step,) * 2, dtype=np.float32)
    padded[:T, :T] = matrix
    n = padded.shape[0] // step
    return np.ascontiguousarray(padded.reshape(n, step, n, step).mean(axis=(1, 3)))


def rollout_caption(layer: int) -> str:
    """One line on what the rollout to this layer shows."""
    through = "layer 0" if layer == 0 else f"layers 0-{layer}"
    return QCoreApplication.translate(
        "attention_view",
        "Rollout to layer {0}: how much each token's representation after layer {1} draws on each "
        "input token, following attention through {2} with the residual connection (Abnar & "
        "Zuidema 2020).",
    ).format(layer, layer, through)


def translated(text: str) -> str:
    """One of this module's marked texts (AGGREGATE_NAMES, STATISTICS) in the interface's language."""
    return QCoreApplication.translate("attention_view", text)


def aggregate_caption(head: int, layer: int) -> str:
    """One line on what the mean or the max of a layer's heads computes."""
    return QCoreApplication.translate("attention_view", "{0} of layer {1}: {2}.").format(
        translated(AGGREGATE_NAMES[head]), layer, model_text(AGGREGATIONS[AGGREGATE[head]])
    )


def statistic_caption(name: str, values: np.ndarray) -> str:
    """What the thumbnails' mats show, and the heads where the statistic is highest."""
    order = [i for i in np.argsort(np.nan_to_num(values, nan=-np.inf), axis=None)[::-1] if np.isfinite(values.flat[i])]
    strongest = ", ".join(
        f"L{layer}H{head} {values[layer, head]:.2f}"
        for layer, head in (np.unravel_index(i, values.shape) for i in order[:RANKED])
    )
    return QCoreApplication.translate(
        "attention_view", "Frame colour = “{0}”: {1}; darker = higher. Highest: {2}."
    ).format(translated(name), model_text(HEAD_STATISTICS[STATISTICS[name]]), strongest)


def displayed_matrix(
    r: model.Inspection,
    layer: int,
    head: int,
    mode: str,
    hide_special: bool,
    words: bool = False,
    shown: np.ndarray | None = None,
) -> tuple[np.ndarray, list[int]]:
    """The (n, n) float32 matrix to draw and the indices it covers: into the tokens, or (words)
    into the words, whose heads are the pieces' by model.word_attention's rule (the mean and the
    max are of those). shown: every head as shown, in_units(r.attentions, r, words), if made already."""
    if mode == "rollout":
        matrix = in_units(r.rollout[layer], r, words)  # computed with the inspection, on the worker thread
    else:
        heads = shown[layer] if shown is not None else in_units(r.attentions[layer], r, words)
        matrix = aggregate_heads(heads, AGGREGATE[head]) if head in AGGREGATE else heads[head]
    keep = shown_units(r, hide_special, words)
    return restricted(matrix, keep), keep.tolist()


class AttentionView(RemembersControls, QWidget):
    headSelected = Signal(int, int)  # layer, head
    wordModeToggled = Signal(bool)  # the Words box was ticked or unticked
    neuronViewRequested = Signal(int, int, int)  # layer, head, query token: how its weights are computed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        self._layers = self._heads = 0
        self._thumbs: list[list[pg.ImageItem]] = []
        self._thumb_boxes: list[list[pg.ViewBox]] = []
        self._frames: list[list[QGraphicsRectItem]] = []  # the selection frame drawn around each thumbnail
        self._mats: list[list[QGraphicsRectItem]] = []  # behind each thumbnail, tinted by its statistic
        self._shown: np.ndarray | None = None  # every head as shown (pieces or words), made once per input and mode
        self._statistics: dict[str, np.ndarray] | None = None  # of the heads as shown, made when first asked
        self._cmap = pg.colormap.get(COLORMAP)

        self.layer_spin = QSpinBox()
        self.layer_spin.setToolTip(self.tr("Layer to show large (0 = the first layer)"))
        self.head_combo = QComboBox()
        self.head_combo.setToolTip(self.tr("Head to show large, or the mean or the max over all heads of the layer"))
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("Attention"), "attention")
        self.mode_combo.addItem(self.tr("Attention rollout"), "rollout")
        self.mode_combo.setToolTip(
            self.tr(
                "Rollout (Abnar & Zuidema, 2020): attention followed through all layers up to this one, "
                "residual connections included"
            )
        )
        self.hide_special = QCheckBox(self.tr("Hide [CLS]/[SEP]"))
        self.hide_special.setToolTip(self.tr("Drop the special tokens and renormalise each row to sum to 1"))
        self.words_box = words_check_box()
        self.stat_combo = QComboBox()
        self.stat_combo.addItem(self.tr("none"), "")
        for name in STATISTICS:
            self.stat_combo.addItem(translated(name), name)
        self.stat_combo.setToolTip(
            self.tr(
                "Tint the frame of each thumbnail by a statistic of its head (darker = higher), so that "
                "heads that look at the previous or next token, or at [CLS]/[SEP], stand out"
            )
        )
        # The controls stand above the grid they also choose from, so the large map gets the full height.
        controls = QGridLayout()
        for row, (label, widget) in enumerate(
            (
                (self.tr("Layer"), self.layer_spin),
                (self.tr("Head"), self.head_combo),
                (self.tr("Show"), self.mode_combo),
                (self.tr("Colour heads by"), self.stat_combo),
            )
        ):
            controls.addWidget(QLabel(label), row, 0)
            controls.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft)
        boxes = QHBoxLayout()
        boxes.addWidget(self.hide_special)
        boxes.addWidget(self.words_box)
        boxes.addStretch(1)
        controls.addLayout(boxes, 4, 0, 1, 2)
        controls.setColumnStretch(1, 1)
        self.caption = QLabel()  # what rollout, the mean or the max shows; hidden for one head
        self.caption.setWordWrap(True)
        self.caption.hide()
        self.words_caption = words_caption()
        self.stat_caption = QLabel()  # what the thumbnails' mats show, and the highest heads
        self.stat_caption.setWordWrap(True)
        self.stat_caption.hide()

        self.grid = pg.GraphicsLayoutWidget()
        self.grid.setToolTip(
            self.tr("Every head of every layer (rows: layers, columns: heads); click one to show it large")
        )
        self.grid.scene().sigMouseClicked.connect(self._on_grid_clicked)
        self.grid_colorbar = pg.ColorBarItem(
            values=(0, 1), colorMap=self._cmap, width=12, interactive=False, label=self.tr("weight (all heads)")
        )

        self.large = pg.GraphicsLayoutWidget()
        self.plot = self.large.addPlot(axisItems={"left": TokenAxis("left"), "bottom": TokenAxis("bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.setLabel("left", self.tr("query token (attends from)"))
        self.plot.setLabel("bottom", self.tr("key token (attends to)"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(self._cmap)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(0, 1), colorMap=self._cmap, width=15, interactive=False, label=self.tr("weight")
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.image.hoverEvent = self._on_image_hover
        self.cursor_value = CursorValue(self.plot, self)
        self.large.scene().sigMouseClicked.connect(self._on_large_clicked)
        self.neuron_menu: QMenu | None = None  # the large map's right-click menu, while it is open
        self.neuron_hint = QLabel(QCoreApplication.translate("attention_view", NEURON_HINT))
        self.neuron_hint.setWordWrap(True)
        self.labels_note = QLabel()  # shown when the axes cannot label every token
        self.labels_note.setWordWrap(True)
        self.labels_note.hide()
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).labelStepChanged.connect(
                self._on_axis_label_step_changed, Qt.ConnectionType.QueuedConnection
            )
        large_panel = QWidget()
        large_layout = QVBoxLayout(large_panel)
        large_layout.setContentsMargins(0, 0, 0, 0)
        large_layout.addWidget(self.large, 1)
        large_layout.addWidget(self.labels_note)

        grid_panel = QWidget()
        grid_layout = QVBoxLayout(grid_panel)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addLayout(controls)
        grid_layout.addWidget(self.caption)
        grid_layout.addWidget(self.words_caption)
        grid_layout.addWidget(self.stat_caption)
        grid_layout.addWidget(self.neuron_hint)  # here, not under the large map: that needs its height
        grid_layout.addWidget(self.grid, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(grid_panel)
        splitter.addWidget(large_panel)
        splitter.setSizes([300, 700])  # the large map is the one read token by token
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        self.layer_spin.valueChanged.connect(self._redraw_large)
        self.head_combo.currentIndexChanged.connect(self._redraw_large)
        self.mode_combo.currentIndexChanged.connect(self._redraw_large)
        self.hide_special.toggled.connect(self._redraw_large)
        self.words_box.toggled.connect(self._on_words_box_toggled)
        self.stat_combo.currentIndexChanged.connect(self._tint_heads)

    # --- model shape: thumbnails are created once per model -----------------------------

    def set_model_shape(self, layers: int, heads: int) -> None:
        if (layers, heads) == (self._layers, self._heads):
            return
        self._layers, self._heads = layers, heads
        self.grid.clear()
        self._thumbs, self._thumb_boxes, self._frames, self._mats = [], [], [], []
        for head in range(heads):
            self.grid.addLabel(f"H{head}", row=0, col=head + 1)
        for layer in range(layers):
            self.grid.addLabel(f"L{layer}", row=layer + 1, col=0)
            row_items, row_boxes, row_frames, row_mats = [], [], [], []
            for head in range(heads):
                vb = self.grid.addViewBox(row=layer + 1, col=head + 1, lockAspect=True, enableMouse=False, invertY=True)
                img = pg.ImageItem(axisOrder="row-major")
                img.setColorMap(self._cmap)
                vb.addItem(img)
                frame = QGraphicsRectItem()  # around the image itself, not the (wider) box
                frame.setZValue(10)
                frame.hide()
                vb.addItem(frame, ignoreBounds=True)
                mat = QGraphicsRectItem()
                mat.setPen(pg.mkPen(None))
                mat.setZValue(-10)
                mat.hide()
                vb.addItem(mat, ignoreBounds=True)
                row_items.append(img)
                row_boxes.append(vb)
                row_frames.append(frame)
                row_mats.append(mat)
            self._thumbs.append(row_items)
            self._thumb_boxes.append(row_boxes)
            self._frames.append(row_frames)
            self._mats.append(row_mats)
        # One colour bar for the whole grid: every thumbnail is drawn on the same scale.
        self.grid.addItem(self.grid_colorbar, row=1, col=heads + 1, rowspan=layers)
        grid_layout = self.grid.ci.layout
        grid_layout.setColumnStretchFactor(0, 0)
        for head in range(heads):
            grid_layout.setColumnStretchFactor(head + 1, 1)
        for layer in range(layers):
            grid_layout.setRowStretchFactor(layer + 1, 1)
        self.layer_spin.blockSignals(True)
        self.layer_spin.setRange(0, layers - 1)
        self.layer_spin.blockSignals(False)
        self.head_combo.blockSignals(True)
        self.head_combo.clear()
        for aggregate, name in AGGREGATE_NAMES.items():
            self.head_combo.addItem(translated(name), aggregate)
        for head in range(heads):
            self.head_combo.addItem(self.tr("Head {0}").format(head), head)
        self.head_combo.setCurrentIndex(self.head_combo.findData(0))
        self.head_combo.blockSignals(False)

    # --- rendering ------------------------------------------------------------------------

    def show_inspection(self, r: model.Inspection) -> None:
        self.set_model_shape(r.num_layers, r.num_heads)
        self._inspection = r
        self._shown = None
        self._redraw_grid()
        self._redraw_large()

    def set_word_mode(self, on: bool) -> None:
        """Show words (on) or pieces: the shared word mode changed."""
        self.words_box.setChecked(on)

    def _on_words_box_toggled(self, on: bool) -> None:
        self._shown = None
        if self._inspection is not None:
            self._redraw_grid()
            self._redraw_large()
        self.words_caption.setVisible(on)
        self.wordModeToggled.emit(on)

    def _words(self) -> bool:
        return self.words_box.isChecked()

    def _shown_attentions(self) -> np.ndarray:
        """(layers, heads, n, n): every head's attention as shown, between pieces or words."""
        if self._shown is None:
            r = self._inspection
            self._shown = all_heads_in_units(r, self._words())
        return self._shown

    def _redraw_grid(self) -> None:
        """Every head's thumbnail, of the pieces or the words, on one colour scale."""
        r = self._inspection
        shown = self._shown_attentions()
        top = finite_max(shown, floor=1e-6)  # one colour scale for every thumbnail
        levels = (0.0, top)
        attentions = drawable(shown, *levels)
        for layer in range(r.num_layers):
            for head in range(r.num_heads):
                thumb = self._thumbs[layer][head]
                image = thumbnail(attentions[layer, head])
                thumb.setImage(image, levels=levels)
                thumb.setOpacity(1.0 if r.head_mask[layer, head] else 0.25)
                rect = QRectF(0, 0, image.shape[1], image.shape[0])
                self._frames[layer][head].setRect(rect)
                mat = STAT_MAT * max(image.shape)
                self._mats[layer][head].setRect(rect.adjusted(-mat, -mat, mat, mat))
                self._thumb_boxes[layer][head].autoRange(padding=STAT_MAT + 0.02)  # room for the mat
        self.grid_colorbar.setLevels(levels)
        self._statistics = None
        self._tint_heads()

    def head_statistic(self) -> np.ndarray | None:
        """(layers, heads) values of the statistic the thumbnails are tinted by, of the heads as
        shown (pieces or words); None when none is chosen. NaN for a switched-off head."""
        name = self.stat_combo.currentData()
        r = self._inspection
        if not name or r is None:
            return None
        if self._statistics is None:  # the first time it is asked for this input and mode
            self._statistics = head_statistics(self._shown_attentions(), unit_names(r, self._words()))
        return self._statistics[STATISTICS[name]]

    def head_tints(self) -> np.ndarray:
        """(layers, heads) opacity of each thumbnail's mat, 0 to 1: the statistic scaled from its
        lowest to its highest over the heads; 0 everywhere when no statistic is chosen."""
        values = self.head_statistic()
        if values is None or not np.isfinite(values).any():
            return np.zeros((self._layers, self._heads))
        low, high = np.nanmin(values), np.nanmax(values)
        return np.nan_to_num((values - low) / (high - low) if high > low else np.ones_like(values), nan=0.0)

    def _tint_heads(self) -> None:
        tints = self.head_tints()
        for layer, mats in enumerate(self._mats):
            for head, mat in enumerate(mats):
                mat.setBrush(QBrush(QColor(*STAT_COLOUR, round(255 * tints[layer, head]))))
                mat.setVisible(bool(tints[layer, head] > 0))
        values = self.head_statistic()
        self.stat_caption.setVisible(values is not None)
        if values is not None:
            self.stat_caption.setText(statistic_caption(self.stat_combo.currentData(), values))

    def remembered_controls(self) -> dict:
        return {
            "mode": self.mode_combo,
            "hide_special": self.hide_special,
            "words": self.words_box,
            "colour_heads_by": self.stat_combo,
        }

    def select(self, layer: int, head: int) -> None:
        """Show this head large (a layer or head the model lacks is clamped to its last one)."""
        self.layer_spin.setValue(layer)
        self.head_combo.setCurrentIndex(self.head_combo.findData(min(head, max(0, self._heads - 1))))

    def current_matrix(self) -> tuple[np.ndarray, list[int]] | None:
        if self._inspection is None:
            return None
        return displayed_matrix(
            self._inspection,
            self.layer_spin.value(),
            self.head_combo.currentData(),
            self.mode_combo.currentData(),
            self.hide_special.isChecked(),
            self._words(),
            self._shown_attentions(),
        )

    def outlined_heads(self) -> list[tuple[int, int]]:
        """(layer, head) of every thumbnail framed as part of the large plot."""
        return [
            (row, h) for row, frames in enumerate(self._frames) for h, frame in enumerate(frames) if frame.isVisible()
        ]

    def _is_rollout(self) -> bool:
        return self.mode_combo.currentData() == "rollout"

    def _redraw_large(self) -> None:
        self._name_heads()
        self._outline_shown_heads()
        layer, head = self.layer_spin.value(), self.head_combo.currentData()
        if self._is_rollout():
            self.caption.setText(rollout_caption(layer))
        elif head in AGGREGATE:
            self.caption.setText(aggregate_caption(head, layer))
        self.caption.setVisible(self._is_rollout() or head in AGGREGATE)
        current = self.current_matrix()
        if current is None:
            return
        matrix, keep = current
        # A switched-off head's weights are all 0: a 0..1e-6 scale would dress that up as a pattern.
        top = finite_max(matrix, floor=0.0)
        levels = (0.0, top if top > 0 else 1.0)
        self.image.setImage(drawable(matrix, *levels), levels=levels)
        self.colorbar.setLevels(levels)
        n_rows, n_cols = matrix.shape
        self.image.setRect(0, 0, n_cols, n_rows)
        names = unit_names(self._inspection, self._words())
        unit = self.tr("word") if self._words() else self.tr("token")
        self.plot.setLabel("left", self.tr("query {0} (attends from)").format(unit))
        self.plot.setLabel("bottom", self.tr("key {0} (attends to)").format(unit))
        labels = [names[t] for t in keep]
        self.plot.getAxis("left").set_tokens(labels)
        self.plot.getAxis("bottom").set_tokens(labels)
        view = self.plot.getViewBox()
        # Zooming stays inside the map; the wheel zooms in until single tokens are labelled.
        view.setLimits(xMin=0, xMax=n_cols, yMin=0, yMax=n_rows, minXRange=1, minYRange=1)
        view.autoRange(padding=0)
        self.plot.setTitle(
            noted(self._large_title(), matrix, how=self.tr("NaN blank, Inf at the top of the scale")), size=TITLE_SIZE
        )

    def _name_heads(self) -> None:
        """In rollout mode the head box is off and reads that every head counts."""
        rollout = self._is_rollout()
        self.head_combo.setEnabled(not rollout)
        for index in range(self.head_combo.count()):
            head = self.head_combo.itemData(index)
            name = translated(AGGREGATE_NAMES[head]) if head in AGGREGATE_NAMES else self.tr("Head {0}").format(head)
            if rollout and index == self.head_combo.currentIndex():
                name = QCoreApplication.translate("attention_view", ROLLOUT_HEADS)
            self.head_combo.setItemText(index, name)

    def _large_title(self) -> str:
        """What the large plot shows, and which of the heads it is made of are switched off."""
        layer, head = self.layer_spin.value(), self.head_combo.currentData()
        off = self._inspection.head_mask == 0
        if self._is_rollout():
            n_off = int(off[: layer + 1].sum())
            return self.tr("rollout to layer {0}").format(layer) + (
                self.tr(" ({0} heads switched off)").format(n_off) if n_off else ""
            )
        if head in AGGREGATE:
            n_off = int(off[layer].sum())
            return self.tr("layer {0}, {1}").format(layer, translated(AGGREGATE_NAMES[head]).lower()) + (
                self.tr(" ({0} switched off)").format(n_off) if n_off else ""
            )
        return self.tr("layer {0}, head {1}").format(layer, head) + (
            self.tr(" (switched off: no attention)") if off[layer, head] else ""
        )

    def _outline_shown_heads(self) -> None:
        """Frame the thumbnails the large plot is made of: one head, a layer's heads for the mean or
        the max, or every layer up to this one for rollout."""
        layer, head = self.layer_spin.value(), self.head_combo.currentData()
        rollout = self._is_rollout()
        pen = pg.mkPen(self.palette().color(QPalette.ColorRole.Highlight), width=3)
        pen.setCosmetic(True)
        for row, frames in enumerate(self._frames):
            for h, frame in enumerate(frames):
                frame.setPen(pen)
                frame.setVisible((row <= layer) if rollout else (row == layer and (head == h or head in AGGREGATE)))

    def _on_image_hover(self, event) -> None:
        current = self.current_matrix()
        if current is None or event.isExit():
            self.cursor_value.hide()
            return
        matrix, keep = current
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if not (0 <= row < matrix.shape[0] and 0 <= col < matrix.shape[1]):
            self.cursor_value.hide()
            return
        names = unit_names(self._inspection, self._words())
        verb = self.tr("draws on") if self._is_rollout() else self.tr("attends to")
        self.cursor_value.show_at(
            self.image.mapToView(pos), f"{names[keep[row]]} {verb} {names[keep[col]]}: {matrix[row, col]:.3f}"
        )

    def _on_axis_label_step_changed(self, _step: int) -> None:
        step = max(self.plot.getAxis(axis).layout.step for axis in ("left", "bottom"))
        self.labels_note.setText(every_kth_note(step))
        self.labels_note.setVisible(step > 1)

    def _on_large_clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            cell = self.cell_at(event.scenePos())
            if cell is not None:
                self.neuron_menu = self.neuron_view_menu(*cell)
                self.neuron_menu.popup(event.screenPos().toPoint())
            return
        if event.double():  # back to the whole map after zooming in
            self.plot.getViewBox().autoRange(padding=0)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(query, key) indices of the large map's cell at a scene point (of tokens, or of words in
        word mode), or None off the map."""
        current = self.current_matrix()
        if current is None or not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return None
        matrix, keep = current
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, col = int(point.y()), int(point.x())
        if point.y() < 0 or point.x() < 0 or row >= matrix.shape[0] or col >= matrix.shape[1]:
            return None
        return keep[row], keep[col]

    def neuron_view_menu(self, query: int, key: int) -> QMenu:
        """The menu of a cell: its neuron view, for one head's attention (not an average or rollout)."""
        tokens = self._inspection.tokens
        layer, head = self.layer_spin.value(), self.head_combo.currentData()
        menu = QMenu(self)
        if self._is_rollout() or head in AGGREGATE:
            action = menu.addAction(self.tr("Show how this weight is computed: choose one head first (not an average)"))
            action.setEnabled(False)
            return menu
        if self._words():
            action = menu.addAction(
                self.tr("Show how this weight is computed: untick Words first (a word mixes its pieces)")
            )
            action.setEnabled(False)
            return menu
        action = menu.addAction(
            self.tr("Show how this weight is computed ({0} attends to {1}, layer {2}, head {3})").format(
                tokens[query], tokens[key], layer, head
            )
        )
        action.triggered.connect(lambda: self.neuronViewRequested.emit(layer, head, query))
        return menu

    def _on_grid_clicked(self, event) -> None:
        pos = event.scenePos()
        for layer, boxes in enumerate(self._thumb_boxes):
            for head, vb in enumerate(boxes):
                if vb.sceneBoundingRect().contains(pos):
                    self.select(layer, head)
                    self.headSelected.emit(layer, head)
                    return
