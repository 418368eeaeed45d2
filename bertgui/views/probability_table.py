"""A ranked table of label probabilities with a bar in each row (classifier outputs), and the rule
that sizes a table to its rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QProgressBar, QTableWidget, QTableWidgetItem, QWidget

from .finite import finite_or


class ProbabilityTable(QTableWidget):
    def __init__(self, tooltip: str, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([self.tr("class"), self.tr("probability")])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setToolTip(tooltip)

    def show_probabilities(self, probabilities: dict[str, float]) -> list[tuple[str, float]]:
        """Most probable first, NaN last (a model with NaN weights); returns the ranking shown."""
        ranked = sorted(probabilities.items(), key=lambda kv: -finite_or(kv[1], -1.0))
        self.setRowCount(len(ranked))
        for row, (label, p) in enumerate(ranked):
            self.setItem(row, 0, QTableWidgetItem(label))
            bar = self.cellWidget(row, 1)
            if not isinstance(bar, QProgressBar):
                bar = QProgressBar()
                bar.setRange(0, 1000)
                self.setCellWidget(row, 1, bar)
            bar.setValue(round(finite_or(p, 0.0) * 1000))
            bar.setFormat(f"{p:.3f}")
        return ranked

    def probability_text(self, row: int) -> str:
        """The probability shown in a row, as text (for tests and screen readers)."""
        return self.cellWidget(row, 1).text()


def fit_height_to_rows(table: QTableWidget) -> None:
    """Make the table exactly as tall as its header and rows, so that no row is ever cut off: the
    page around it scrolls instead of the table."""
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header_height = header.sizeHint().height() if not header.isHidden() else 0
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    table.setFixedHeight(header_height + rows + 2 * table.frameWidth())
