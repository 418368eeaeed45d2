"""Fill-mask view: for each [MASK], the top-k predictions as a table and a bar chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model



class FillMaskView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._masks: list[model.MaskPrediction] = []
        self.message = QLabel("Type [MASK] in the text (or double-click a token) to see the model's predictions.")
        self.message.setWordWrap(True)
        self.mask_combo = QComboBox()
        self.mask_combo.setToolTip("Which [MASK] to show")
        self.mask_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush="#3b82f6")
        self.chart.addItem(self.bars)
        top = QHBoxLayout()
        top.addWidget(QLabel("Mask"))
        top.addWidget(self.mask_combo)
        top.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 2)
        body.addWidget(self.chart, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.mask_combo.currentIndexChanged.connect(self._show_mask)

    def show_inspection(self, r: model.Inspection) -> None:
        self._masks = r.fill_mask
        if not r.mlm_available:
            self.message.setText("This model has no MLM head, so it cannot fill masks.")
        elif not r.fill_mask:
            self.message.setText("Type [MASK] in the text (or double-click a token) to see the model's predictions.")
        else:
            self.message.setText(f"{len(r.fill_mask)} mask(s): the model's most probable tokens.")
        self.mask_combo.blockSignals(True)
        previous = self.mask_combo.currentIndex()
        self.mask_combo.clear()
        for m in r.fill_mask:
            self.mask_combo.addItem(f"position {m.index}")
        self.mask_combo.setCurrentIndex(min(max(previous, 0), len(r.fill_mask) - 1) if r.fill_mask else -1)
        self.mask_combo.blockSignals(False)
        self._show_mask()

    def _show_mask(self) -> None:
        index = self.mask_combo.currentIndex()
        predictions = self._masks[index].predictions if 0 <= index < len(self._masks) else []
        self.table.setRowCount(len(predictions))
        for row, p in enumerate(predictions):
            self.table.setItem(row, 0, QTableWidgetItem(p.token))
            self.table.setItem(row, 1, QTableWidgetItem(f"{p.score:.3f}"))
        scores = np.array([p.score for p in predictions], dtype=np.float32)
        positions = np.arange(len(predictions), dtype=np.float32)
        self.bars.setOpts(x0=np.zeros_like(scores), y=positions, width=scores, height=0.7)
        self.chart.getAxis("left").setTicks([[(float(i), p.token) for i, p in enumerate(predictions)]])
        self.chart.setXRange(0, max(float(scores.max()) if len(scores) else 1.0, 1e-3), padding=0.05)
        self.chart.setYRange(-0.5, max(len(predictions), 1) - 0.5, padding=0)
