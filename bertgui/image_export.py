"""A view saved as an image: PNG as it is shown, or SVG, the widget painted into a vector file."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget


def save_widget_image(widget: QWidget, path: str) -> bool:
    """Write `widget` to `path` (.svg: vector; else a raster format by the extension). False when
    the file could not be written."""
    if not path.lower().endswith(".svg"):
        return widget.grab().save(path)
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(widget.size())
    generator.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
    generator.setTitle("BERT Explorer")
    painter = QPainter()  # QSvgGenerator is a paint device: the widget paints into the file
    if not painter.begin(generator):  # the file cannot be opened
        return False
    widget.render(painter, QPoint(0, 0))
    return painter.end()
