"""Head ablation: a layers x heads table of switches. Switching a head off re-runs the model
with that head's attention zeroed; the list of what is off and one reset stay in sight."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


class HeadsView(QWidget):
    headToggled = Signal(int, int, bool)  # layer, head, enabled
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 0)
        self.table.setToolTip("Untick a head to switch it off (its attention is zeroed in every forward pass)")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.off_label = QLabel("All heads on.")
        self.off_label.setWordWrap(True)
        self.reset_button = QPushButton("Switch all heads on")
        self.reset_button.setToolTip("Undo every head ablation")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.off_label)
        layout.addWidget(self.reset_button)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.reset_button.clicked.connect(self.resetRequested)

    def show_mask(self, mask: np.ndarray) -> None:
        layers, heads = mask.shape
        self.table.blockSignals(True)
        if (self.table.rowCount(), self.table.columnCount()) != (layers, heads):
            self.table.setRowCount(layers)
            self.table.setColumnCount(heads)
            self.table.setVerticalHeaderLabels([f"L{layer}" for layer in range(layers)])
            self.table.setHorizontalHeaderLabels([f"H{head}" for head in range(heads)])
            for layer in range(layers):
                for head in range(heads):
                    item = QTableWidgetItem()
                    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                    item.setToolTip(f"layer {layer}, head {head}")
                    self.table.setItem(layer, head, item)
            self.table.resizeColumnsToContents()
        for layer in range(layers):
            for head in range(heads):
                state = Qt.CheckState.Checked if mask[layer, head] else Qt.CheckState.Unchecked
                self.table.item(layer, head).setCheckState(state)
        self.table.blockSignals(False)
        off = [f"L{layer}H{head}" for layer, head in zip(*np.nonzero(mask == 0))]
        self.off_label.setText(f"Switched off ({len(off)}): {', '.join(off)}" if off else "All heads on.")
        self.reset_button.setEnabled(bool(off))

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        self.headToggled.emit(item.row(), item.column(), item.checkState() == Qt.CheckState.Checked)
