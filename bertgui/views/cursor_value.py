"""The value under the mouse, written next to the cursor inside a heatmap.

One label per plot, made once and moved. It lives in the canvas's scene, not in the plot's view
box, so a narrow heatmap does not clip it; it sits below right of the cursor, or on whichever
side has room, on the palette's tooltip colours so it reads on any cell and in either palette.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem, QWidget

CURSOR_GAP_PX = 14  # from the cursor's tip to the text, so the arrow does not cover it
PADDING_PX = 3


class CursorValue:
    """A label at the cursor over `plot`; `palette_of` gives the colours (a widget's palette)."""

    def __init__(self, plot: pg.PlotItem, palette_of: QWidget):
        self._view = plot.getViewBox()
        self._palette_of = palette_of
        self.item = QGraphicsRectItem()  # the background; the text is its child
        self._text = QGraphicsSimpleTextItem(self.item)
        self._text.setPos(PADDING_PX, PADDING_PX)
        self.item.setZValue(1_000_000)  # above every plot in the canvas
        self.item.hide()
        plot.scene().addItem(self.item)

    def text(self) -> str:
        return self._text.text() if self.item.isVisible() else ""

    def show_at(self, position: QPointF, text: str) -> None:
        """Write text beside position (in the plot's data coordinates)."""
        palette = self._palette_of.palette()
        self._text.setBrush(palette.color(QPalette.ColorRole.ToolTipText))
        self._text.setFont(self._palette_of.font())
        self._text.setText(text)
        self.item.setBrush(palette.color(QPalette.ColorRole.ToolTipBase))
        self.item.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        size = self._text.boundingRect().size()
        width, height = size.width() + 2 * PADDING_PX, size.height() + 2 * PADDING_PX
        self.item.setRect(0, 0, width, height)
        cursor = self._view.mapViewToScene(position)
        room = self.item.scene().sceneRect()
        x = cursor.x() + CURSOR_GAP_PX
        if x + width > room.right():  # no room on the right: on the left of the cursor
            x = cursor.x() - CURSOR_GAP_PX / 2 - width
        y = cursor.y() + CURSOR_GAP_PX
        if y + height > room.bottom():
            y = cursor.y() - CURSOR_GAP_PX / 2 - height
        self.item.setPos(max(room.left(), x), max(room.top(), y))
        self.item.show()

    def hide(self) -> None:
        self.item.hide()
