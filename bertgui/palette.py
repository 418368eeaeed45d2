"""Light and dark palettes for the whole app (Fusion style, so both look the same everywhere), and
the pyqtgraph canvases kept in the palette's colours."""

from __future__ import annotations

from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Fusion's own light palette, with the colours that fail WCAG AA's 4.5:1 for text replaced: white
# on its selection blue (3.7:1) and its half-transparent black placeholder (4.0:1 on white).
LIGHT_CHANGES = {
    QPalette.ColorRole.Highlight: "#2a6fb0",
    QPalette.ColorRole.PlaceholderText: "#6b7280",
    QPalette.ColorRole.Link: "#1d4ed8",
    QPalette.ColorRole.LinkVisited: "#7e22ce",
}
DARK = {
    QPalette.ColorRole.Window: "#1f2328",
    QPalette.ColorRole.WindowText: "#e6edf3",
    QPalette.ColorRole.Base: "#161b22",
    QPalette.ColorRole.AlternateBase: "#21262d",
    QPalette.ColorRole.Text: "#e6edf3",
    QPalette.ColorRole.Button: "#2d333b",
    QPalette.ColorRole.ButtonText: "#e6edf3",
    QPalette.ColorRole.Highlight: "#1f6feb",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#2d333b",
    QPalette.ColorRole.ToolTipText: "#e6edf3",
    QPalette.ColorRole.PlaceholderText: "#8b949e",
    QPalette.ColorRole.Link: "#58a6ff",
    QPalette.ColorRole.LinkVisited: "#bc8cff",
}
# A disabled control's text is dimmer than the rest (WCAG exempts it from the contrast rule), so
# that a greyed-out button reads as one.
DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#7d8590",
    QPalette.ColorRole.Text: "#7d8590",
    QPalette.ColorRole.ButtonText: "#7d8590",
}
# Light fills for chunk types (or tags), one colour per type: dark text (#111) reads on all of them
# in either palette (WCAG AA). The tagged preview and a tagger's answer use the same ones.
CHUNK_COLOURS = ("#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#ffedd5", "#ccfbf1", "#e0e7ff", "#fee2e2")


def apply_palette(app: QApplication, dark: bool) -> None:
    app.setStyle("Fusion")
    palette = app_palette(app, dark)
    # Plot items made from now on (axes, labels) start in the palette's colours too.
    pg.setConfigOptions(
        background=palette.color(QPalette.ColorRole.Base), foreground=palette.color(QPalette.ColorRole.Text)
    )
    app.setPalette(palette)


def app_palette(app: QApplication, dark: bool) -> QPalette:
    """The light palette (Fusion's, made readable) or the dark one, for app's style."""
    if not dark:
        palette = app.style().standardPalette()
        for role, colour in LIGHT_CHANGES.items():
            palette.setColor(role, QColor(colour))
    else:
        palette = QPalette()
        for role, colour in DARK.items():
            palette.setColor(role, QColor(colour))
        for role, colour in DARK_DISABLED.items():
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def plots_follow_palette(root: QWidget) -> None:
    """Give every pyqtgraph canvas under root the palette's background and text colours, now and
    whenever the palette changes (pyqtgraph has its own colours and ignores Qt's palette)."""
    for canvas in root.findChildren(pg.GraphicsView):
        if canvas.findChild(_PlotColours) is None:
            _PlotColours(canvas)


class _PlotColours(QObject):
    def __init__(self, canvas: pg.GraphicsView):
        super().__init__(canvas)
        self._canvas = canvas
        canvas.installEventFilter(self)
        self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply()
        return False

    def apply(self) -> None:
        palette = self._canvas.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self._canvas.setBackground(background)
        for item in self._canvas.scene().items():
            if isinstance(item, pg.AxisItem):
                item.setPen(text)
                item.setTextPen(text)
            elif isinstance(item, pg.LabelItem):  # plot titles
                item.setAttr("color", text.name())
                item.setText(item.text)
            elif isinstance(item, pg.LegendItem):
                item.setLabelTextColor(text)


def chunk_colours(kinds: Iterable[str]) -> dict[str, str]:
    """Chunk type (or tag) -> fill colour, in the order given, cycling when there are more kinds."""
    return {kind: CHUNK_COLOURS[i % len(CHUNK_COLOURS)] for i, kind in enumerate(kinds)}
