"""Head ablation: a layers x heads table of switches. Switching a head off re-runs the model
with that head's attention zeroed; the list of what is off and one reset stay in sight, in the
dock and, above the tabs, in a notice every inspecting tab shows."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

FITTED_HEADS = 16  # the dock widens to show this many head columns without scrolling; more scroll
HEADER_FONT_SCALE = 0.85  # head and layer numbers a little smaller than the text, so 16 columns fit
NAMED_IN_NOTICE = 8  # past this many switched-off heads, the notice counts the rest
# A warning's amber, dark on pale, the same in every palette (a test checks the contrast of both).
NOTICE_STYLE = "#heads-off-notice { background: #fef3c7; border: 1px solid #d97706; border-radius: 4px; }"
NOTICE_TEXT_STYLE = "color: #78350f;"
# A switched-off head's cell, tinted red: in the dark palette Fusion draws an empty check box
# almost invisibly, and the tint shows what is off at a glance in either palette.
OFF_CELL = QBrush(QColor(220, 38, 38, 110))


def switched_off(mask: np.ndarray) -> list[str]:
    """The switched-off heads by name (L0H2: layer 0, head 2, counted from 0), in layer order."""
    return [f"L{layer}H{head}" for layer, head in zip(*np.nonzero(mask == 0))]


class HeadsView(QWidget):
    headToggled = Signal(int, int, bool)  # layer, head, enabled
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 0)
        self.table.setToolTip(self.tr("Untick a head to switch it off (its attention is zeroed in every forward pass)"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # Narrow columns: each holds only a check box, under a small head number.
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * HEADER_FONT_SCALE)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setFont(small)
            header.setMinimumSectionSize(0)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        self.legend = QLabel(
            self.tr("Rows: layers L0, L1, …; columns: heads H0, H1, … (counted from 0). Untick to switch off.")
        )
        self.legend.setWordWrap(True)
        self.off_label = QLabel(self.tr("All heads on."))
        self.off_label.setWordWrap(True)
        self.reset_button = QPushButton(self.tr("Switch all heads on"))
        self.reset_button.setToolTip(self.tr("Undo every head ablation"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.legend)
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
            self.table.setHorizontalHeaderLabels([str(head) for head in range(heads)])  # H0, H1, ...: see the legend
            for layer in range(layers):
                for head in range(heads):
                    item = QTableWidgetItem()
                    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                    self.table.setItem(layer, head, item)
            self._fit_columns(heads)
        for layer in range(layers):
            for head in range(heads):
                item = self.table.item(layer, head)
                on = bool(mask[layer, head])
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                item.setBackground(QBrush() if on else OFF_CELL)
                item.setToolTip(
                    self.tr("layer {0}, head {1}: {2}").format(
                        layer, head, self.tr("on") if on else (self.tr("switched off"))
                    )
                )
        self.table.blockSignals(False)
        off = switched_off(mask)
        self.off_label.setText(
            self.tr("Switched off ({0}): {1}").format(len(off), ", ".join(off)) if off else (self.tr("All heads on."))
        )
        self.reset_button.setEnabled(bool(off))

    def _fit_columns(self, heads: int) -> None:
        """Columns as narrow as a check box or a head number allows, and the table at least wide
        enough for FITTED_HEADS of them, so that 12 or 16 heads need no sideways scrolling."""
        style = self.table.style()
        header = self.table.horizontalHeader()
        number = header.fontMetrics().horizontalAdvance(str(heads - 1)) + 6
        check = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 5  # the box and the item's margin
        column = max(number, check)
        header.setDefaultSectionSize(column)
        for head in range(heads):
            self.table.setColumnWidth(head, column)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(max(rows.fontMetrics().height() + 6, check - 4))
        self.table.verticalHeader().setFixedWidth(rows.fontMetrics().horizontalAdvance(f"L{rows.count() - 1}") + 10)
        scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.table.frameWidth()
        fitted = min(heads, FITTED_HEADS)
        self.table.setMinimumWidth(self.table.verticalHeader().width() + fitted * column + scroll_bar + frame)

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        self.headToggled.emit(item.row(), item.column(), item.checkState() == Qt.CheckState.Checked)


class HeadsOffNotice(QFrame):
    """ "2 heads off: L0H2, L1H1" with a button to switch them all on, shown while any head is off,
    above the tabs, so every inspecting tab says that what it shows is the model without them."""

    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("heads-off-notice")
        self.setStyleSheet(NOTICE_STYLE)
        self.label = QLabel()
        self.label.setStyleSheet(NOTICE_TEXT_STYLE)
        self.label.setWordWrap(True)
        self.reset_button = QPushButton(self.tr("Switch all on"))
        self.reset_button.setToolTip(self.tr("Switch every head on again (Model > Switch all heads on)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reset_button)
        self.reset_button.clicked.connect(self.resetRequested)
        self._any_off = False
        self._on_inspecting_tab = True
        self.hide()

    def set_on_inspecting_tab(self, inspecting: bool) -> None:
        """The Model and Fine-tune tabs do not run the inspector: no notice there."""
        self._on_inspecting_tab = inspecting
        self.setVisible(self._any_off and inspecting)

    def show_mask(self, mask: np.ndarray) -> None:
        off = switched_off(mask)
        self._any_off = bool(off)
        self.setVisible(self._any_off and self._on_inspecting_tab)
        if not off:
            return
        named = ", ".join(off[:NAMED_IN_NOTICE])
        if len(off) > NAMED_IN_NOTICE:
            named += self.tr(" and {0} more (see the Heads dock)").format(len(off) - NAMED_IN_NOTICE)
        heads = "1 head" if len(off) == 1 else f"{len(off)} heads"
        self.label.setText(
            self.tr("<b>{0} off:</b> {1}. The model runs without them on every tab.").format(heads, named)
        )
