"""Fill-mask view: for each [MASK], the top-k predictions as a table and a bar chart; the logit
lens (the same MLM head read after every layer) with the final prediction's probability across
layers; and, on request, how probable the model finds each actual token of the text."""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .finite import finite_max, finite_or, finite_points
from .flow_layout import ChipArea
from .hidden_states_view import hidden_state_name
from .view_options import RemembersControls

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    import model.inspection

NO_MASK = "No [MASK] in the text: type [MASK] (or double-click a token) to see the model's predictions."
NO_MLM_HEAD = "This model has no MLM head, so it cannot fill masks."
NON_FINITE_SCORES = (
    " Its probabilities are not numbers (NaN): the model's weights hold NaN or Inf values, "
    "so the tokens listed mean nothing."
)
# Only the capitalised token is special; students often type it in lower case and see nothing.
MISCASED_MASK = re.compile(r"\[mask\]", re.IGNORECASE)
LENS_COLUMNS = 5  # top tokens per layer in the logit-lens table; the bar chart has the full top-k
BAR_COLOUR = "#3b82f6"
LENS_CELL_RGB = (59, 130, 246)  # the bar colour, as a translucent cell background scaled by probability
# Pastel, so dark text stays readable on every chip: red = the model finds the token improbable.
SCORE_STOPS = ("#fca5a5", "#fde68a", "#86efac")
SCORE_COLOURS = pg.ColorMap(pos=[0.0, 0.5, 1.0], color=list(SCORE_STOPS))
UNSCORED_COLOUR = "#e5e7eb"


class ScoreChip(QLabel):
    """One token of the text, coloured by the probability the model gives it at its position."""

    def __init__(self, index: int, token: str, probability: float, scored: bool, tooltip: str):
        score = f"{probability:.3f}" if scored else "–"
        super().__init__(f"<b>{html.escape(token)}</b><br><span style='font-size:8pt;color:#444'>{score}</span>")
        self.index = index
        self.probability = probability
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        background = SCORE_COLOURS.map(probability, mode="qcolor").name() if scored else UNSCORED_COLOUR
        self.setStyleSheet(
            f"QLabel {{ background: {background}; color: #111; border: 1px solid #999;"
            f" border-radius: 6px; padding: 3px 6px; }}"
        )
        self.setToolTip(tooltip)


MIN_PANE_HEIGHT = 230  # pixels: ten bars with legible labels


class FillMaskView(RemembersControls, QWidget):
    scoreAllPositionsToggled = Signal(bool)  # the user wants token_probabilities computed (or no longer)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        self.message = QLabel(NO_MASK)
        self.message.setWordWrap(True)
        self.mask_combo = QComboBox()
        self.mask_combo.setToolTip("Which [MASK] to show")
        self.mask_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.score_all = QCheckBox("Score every position")
        self.score_all.setToolTip(
            "Also show how probable the model finds each actual token of the text "
            "(costs one vocabulary projection per token)"
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("Mask"))
        top.addWidget(self.mask_combo)
        top.addStretch(1)
        top.addWidget(self.score_all)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.predictions_pane = self._build_predictions_pane()
        self.lens_pane = self._build_lens_pane()
        self.score_pane = self._build_score_pane()
        for pane in (self.predictions_pane, self.lens_pane, self.score_pane):
            self.splitter.addWidget(pane)
            pane.setMinimumHeight(MIN_PANE_HEIGHT)
            pane.hide()  # each appears when an inspection has something for it
        # In a short window the panes keep a readable height and the tab scrolls, rather than
        # squeezing ten bar labels into a few pixels.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.mask_combo.currentIndexChanged.connect(self._show_mask)
        self.score_all.toggled.connect(self._on_score_all_toggled)

    def remembered_controls(self) -> dict:
        return {"score_all": self.score_all}

    # --- construction: every plot item is made once and later updated in place --------------

    def _build_predictions_pane(self) -> QWidget:
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["token", "probability"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.chart = pg.PlotWidget()
        self.chart.setMenuEnabled(False)
        self.chart.getViewBox().invertY(True)
        self.chart.setLabel("bottom", "probability")
        self.chart.getAxis("bottom").enableAutoSIPrefix(False)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=BAR_COLOUR)
        self.chart.addItem(self.bars)
        pane = QWidget()
        row = QHBoxLayout(pane)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 2)
        row.addWidget(self.chart, 3)
        return pane

    def _build_lens_pane(self) -> QWidget:
        title = QLabel(
            "<b>Logit lens</b>: the MLM head applied to this [MASK] after every layer. "
            "Bold: the final prediction; the curve follows its probability through the layers."
        )
        title.setWordWrap(True)
        title.setToolTip(
            "nostalgebraist (2020): reading intermediate hidden states through the output head "
            "shows at which depth the prediction forms"
        )
        self.lens_table = QTableWidget(0, 0)
        self.lens_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.lens_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.lens_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.lens_plot = pg.PlotWidget()
        self.lens_plot.setMenuEnabled(False)
        self.lens_plot.setMouseEnabled(x=False, y=False)
        self.lens_plot.showGrid(x=True, y=True, alpha=0.3)
        self.lens_plot.setLabel("bottom", "layer (emb = the embeddings)")
        self.lens_plot.setLabel("left", "probability")
        self.lens_plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.lens_plot.getAxis("left").enableAutoSIPrefix(False)
        self.lens_curve = pg.PlotDataItem(
            pen=pg.mkPen(BAR_COLOUR, width=2), symbol="o", symbolSize=7, symbolBrush=BAR_COLOUR, symbolPen=None
        )
        self.lens_plot.addItem(self.lens_curve)
        body = QHBoxLayout()
        body.addWidget(self.lens_table, 3)
        body.addWidget(self.lens_plot, 2)
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addLayout(body, 1)
        return pane

    def _build_score_pane(self) -> QWidget:
        title = QLabel(
            "<b>Every position</b>: the probability the model gives each actual token of the text "
            "(unmasked, so it sees the token). Red: improbable; grey: [CLS], [SEP] and [MASK], "
            "not scored. Hover a token for the model's own guesses there."
        )
        title.setWordWrap(True)
        legend = QHBoxLayout()
        legend.addWidget(QLabel("0"))
        ramp = QLabel()
        ramp.setFixedSize(160, 12)
        ramp.setStyleSheet(
            "background: qlineargradient(x1:0, y1:0, x2:1, y2:0, "
            f"stop:0 {SCORE_STOPS[0]}, stop:0.5 {SCORE_STOPS[1]}, stop:1 {SCORE_STOPS[2]});"
            " border: 1px solid #999;"
        )
        legend.addWidget(ramp)
        legend.addWidget(QLabel("1"))
        legend.addStretch(1)
        self._chip_area = ChipArea()
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addLayout(legend)
        column.addWidget(self._chip_area, 1)
        return pane

    # --- rendering ----------------------------------------------------------------------------

    def show_inspection(self, r: model.Inspection) -> None:
        self._inspection = r
        self.message.setText(summary_line(r))
        self.mask_combo.blockSignals(True)
        previous = self.mask_combo.currentIndex()
        self.mask_combo.clear()
        for m in r.fill_mask:
            self.mask_combo.addItem(f"position {m.index}")
        self.mask_combo.setCurrentIndex(min(max(previous, 0), len(r.fill_mask) - 1) if r.fill_mask else -1)
        self.mask_combo.setEnabled(len(r.fill_mask) > 1)
        self.mask_combo.blockSignals(False)
        self.score_all.setEnabled(r.mlm_available)  # the scores come from the MLM head
        self.predictions_pane.setVisible(bool(r.fill_mask))
        self.lens_pane.setVisible(bool(r.logit_lens))
        self._show_mask()
        self._show_token_scores(r)

    def score_chips(self) -> list[ScoreChip]:
        return self._chip_area.chips()

    def _show_mask(self) -> None:
        index = self.mask_combo.currentIndex()
        masks = self._inspection.fill_mask if self._inspection else []
        self._show_predictions(masks[index].predictions if 0 <= index < len(masks) else [])
        lenses = self._inspection.logit_lens if self._inspection else None
        if lenses and 0 <= index < len(lenses):
            self._show_lens(lenses[index], self._inspection.logit_lens_final_probability[:, index])

    def _show_predictions(self, predictions: list[model.Prediction]) -> None:
        self.table.setRowCount(len(predictions))
        for row, p in enumerate(predictions):
            self.table.setItem(row, 0, QTableWidgetItem(p.token))
            self.table.setItem(row, 1, QTableWidgetItem(f"{p.score:.3f}"))
        scores = np.array([finite_or(p.score, 0.0) for p in predictions], dtype=np.float32)  # NaN: no bar
        positions = np.arange(len(predictions), dtype=np.float32)
        self.bars.setOpts(x0=np.zeros_like(scores), y=positions, width=scores, height=0.7)
        self.chart.getAxis("left").setTicks([[(float(i), p.token) for i, p in enumerate(predictions)]])
        self.chart.setXRange(0, finite_max(scores, floor=1e-3) if len(scores) else 1.0, padding=0.05)
        self.chart.setYRange(-0.5, max(len(predictions), 1) - 0.5, padding=0)

    def _show_lens(self, lens: model.inspection.LogitLens, final_probability: np.ndarray) -> None:
        """final_probability: (layers + 1,) P(final top-1 token) after each layer."""
        final = lens.layers[-1][0]
        columns = min(LENS_COLUMNS, len(lens.layers[0]))
        self.lens_table.setRowCount(len(lens.layers))
        self.lens_table.setColumnCount(columns)
        self.lens_table.setHorizontalHeaderLabels([f"top {i + 1}" for i in range(columns)])
        self.lens_table.setVerticalHeaderLabels([hidden_state_name(state) for state in range(len(lens.layers))])
        bold = QFont(self.lens_table.font())
        bold.setBold(True)
        # Shade relative to the table's largest probability: an undertrained model's are all small.
        peak = max(finite_or(p.score, 0.0) for predictions in lens.layers for p in predictions[:columns]) or 1.0
        for state, predictions in enumerate(lens.layers):
            for column, p in enumerate(predictions[:columns]):
                item = QTableWidgetItem(f"{p.token}  {p.score:.2f}")
                item.setBackground(QColor(*LENS_CELL_RGB, round(150 * finite_or(p.score, 0.0) / peak)))
                item.setToolTip(f"{p.token}: probability {p.score:.4f} ({hidden_state_name(state)})")
                if p.token_id == final.token_id:
                    item.setFont(bold)
                self.lens_table.setItem(state, column, item)
        curve = np.ascontiguousarray(final_probability, dtype=np.float32)  # a column of (layers + 1, masks)
        self.lens_curve.setData(*finite_points(np.arange(len(curve)), curve))  # NaN from NaN weights: no point
        self.lens_plot.setTitle(f"P(“{html.escape(final.token)}”) after each layer")
        self.lens_plot.setXRange(0, len(curve) - 1, padding=0.05)
        self.lens_plot.setYRange(0, finite_max(curve, floor=1e-3), padding=0.08)
        step = 1 + len(curve) // 14  # whole layers only, at most about a dozen labels
        ticks = [(float(state), lens_tick(state)) for state in range(0, len(curve), step)]
        self.lens_plot.getAxis("bottom").setTicks([ticks])

    def _show_token_scores(self, r: model.Inspection) -> None:
        if r.token_probabilities is None:
            self._chip_area.set_chips([])
            self.score_pane.hide()
            return
        chips = []
        masks = {m.index for m in r.fill_mask}  # P([MASK]) there says nothing about the text
        for i, (token, probability) in enumerate(zip(r.tokens, r.token_probabilities.tolist())):
            if r.special_tokens_mask[i] or i in masks:
                chip = ScoreChip(
                    i,
                    token,
                    probability,
                    False,
                    f"#{i}: {token}, not scored" + ("; its predictions are above" if i in masks else ""),
                )
            else:  # a NaN probability has no colour on the scale: grey, as unscored
                chip = ScoreChip(i, token, probability, math.isfinite(probability), score_tooltip(r, i))
            chips.append(chip)
        self._chip_area.set_chips(chips)
        self.score_pane.show()

    def _on_score_all_toggled(self, checked: bool) -> None:
        if not checked:  # hide at once; the next inspection comes without the scores
            self.score_pane.hide()
        self.scoreAllPositionsToggled.emit(checked)


def lens_tick(state: int) -> str:
    """The short name of hidden_states[state] under the logit-lens curve."""
    return "emb" if state == 0 else f"L{state - 1}"


def summary_line(r: model.Inspection) -> str:
    """The message above the view."""
    if not r.mlm_available:
        return NO_MLM_HEAD
    if not r.fill_mask:
        line = NO_MASK
    elif len(r.fill_mask) == 1:
        line = "1 mask: the model's most probable tokens."
    else:
        line = f"{len(r.fill_mask)} masks: choose one in the list to see the model's most probable tokens for it."
    if any(not math.isfinite(p.score) for m in r.fill_mask for p in m.predictions):
        line += NON_FINITE_SCORES
    miscased = [m for m in MISCASED_MASK.findall(f"{r.text}\n{r.text_b or ''}") if m != "[MASK]"]
    if miscased:
        line += f" Write [MASK] in capitals: “{miscased[0]}” is read as ordinary text."
    return line


def score_tooltip(r: model.Inspection, index: int) -> str:
    line = f"#{index}: P({r.tokens[index]}) = {float(r.token_probabilities[index]):.4f}"
    if r.position_predictions is None:
        return line
    guesses = ", ".join(f"{p.token} {p.score:.3f}" for p in r.position_predictions[index].predictions[:3])
    return f"{line}\nthe model's top guesses here: {guesses}"
