"""The Head view's canvas items: the two token columns under their headings, with the per-head
bars of a clicked token, painted in device pixels so that text keeps its size whatever the
zoom; and the view box whose mouse wheel scrolls the rows (Ctrl+wheel zooms)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform

QUERY, KEY = "query", "key"  # the left column (the token attending) and the right one (attended to)
FOCUS_COLOUR = "#f59e0b"
LABEL_TEXT_COLOUR = "#111111"  # on the pale segment-coloured chips, in either palette
MIN_LABEL_POINTS = 7.5  # labels shrink to this size at most, then the rows scroll
# Chinese, Japanese and Korean characters pack a word into a few strokes-dense glyphs, unreadable at
# 7.5 pt; and the font Qt falls back on for them is often taller than the app's: chips are measured
# on these characters (CJK_SAMPLE) then.
MIN_CJK_LABEL_POINTS = 9.0
CJK_SAMPLE = "中國語한글"
LABEL_GAP = 1.0  # pixels between two neighbouring chips
SCROLL_ROWS = 3  # rows a wheel notch scrolls
HEADINGS = {
    QUERY: QT_TRANSLATE_NOOP("head_lines_columns", "attends from (query)"),
    KEY: QT_TRANSLATE_NOOP("head_lines_columns", "attends to (key)"),
}
HINTS = {
    QUERY: QT_TRANSLATE_NOOP("head_lines_columns", "click one: where it looks"),
    KEY: QT_TRANSLATE_NOOP("head_lines_columns", "click one: who looks at it"),
}


def heading(side: str) -> str:
    """A column's heading in the interface's language."""
    return QCoreApplication.translate("head_lines_columns", HEADINGS[side])


def hint(side: str) -> str:
    """What a click on a column's token does, in the interface's language."""
    return QCoreApplication.translate("head_lines_columns", HINTS[side])


LINES_HEADING = QT_TRANSLATE_NOOP("head_lines_columns", "line strength = attention weight")


@dataclass(frozen=True)
class Label:
    """A token chip as painted: which column, which row, where (device pixels)."""

    side: str
    row: int
    rect: QRectF


@dataclass(frozen=True)
class Heading:
    """A heading as painted: its text, where (canvas viewport pixels), bold (a column's) or not."""

    text: str
    rect: QRectF
    bold: bool


@dataclass(frozen=True)
class Focus:
    """The token whose lines are followed, and its weights per head: what it gives each key
    (side QUERY) or what each query gives it (side KEY)."""

    side: str
    row: int
    bars: list[tuple[QColor, np.ndarray]]
    title: str  # heading of the bars, e.g. "bars: weight from sat"


def viewport_transform(item: pg.GraphicsItem) -> QTransform | None:
    """From the item's coordinates to its canvas viewport's pixels (what it paints with)."""
    view, view_box = item.getViewWidget(), item.getViewBox()
    if view is None:
        return None
    if isinstance(view_box, pg.ViewBox):
        view_box.updateMatrix()  # the view box brings its transform up to date lazily, when it paints
    return item.deviceTransform(view.viewportTransform())


def chip_height(font: QFont, cjk: bool = False) -> float:
    """A label chip's height: the font's line, or for CJK labels the taller of it and the line of
    the font CJK characters are drawn in."""
    metrics = QFontMetricsF(font)
    text = max(metrics.height(), metrics.boundingRect(CJK_SAMPLE).height()) if cjk else metrics.height()
    return text + 1


def labels_fit(pitch: float, font: QFont, cjk: bool = False) -> bool:
    """Whether rows `pitch` pixels apart leave room for a label each (give or take rounding)."""
    return pitch >= chip_height(font, cjk) + LABEL_GAP - 1e-6


class TokenColumns(pg.GraphicsObject):
    """Both token columns and the focused token's bars, painted by one item for the rows in view.
    A label is only drawn where it overlaps none: when the user zooms out so far that rows are
    closer than a label is tall, every n-th is labelled and every row gets a thin segment-coloured
    strip."""

    PAD, GAP = 5.0, 6.0
    BAR = 60.0  # pixels for the focused token's largest weight
    BAR_ROOM = BAR + 44.0  # the bar and its value
    BAR_SPACING = 6.0  # between the widest label and the bars

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.backgrounds: list[QColor] = []
        self.cjk = False  # the labels hold CJK characters: measured on them, and never below 9 pt
        self.focus: Focus | None = None
        self.font = QFont()
        self.note_font = QFont()  # the value beside a single head's bar
        self.text_colour = QColor("#111111")  # for text on the canvas itself, set from the palette

    def set_tokens(self, texts: list[str], backgrounds: list[QColor], cjk: bool = False) -> None:
        self.prepareGeometryChange()
        self.texts, self.backgrounds, self.cjk = texts, backgrounds, cjk
        self.update()

    def min_label_points(self) -> float:
        return MIN_CJK_LABEL_POINTS if self.cjk else MIN_LABEL_POINTS

    def chip_height(self, font: QFont | None = None) -> float:
        return chip_height(self.font if font is None else font, self.cjk)

    def labels_fit(self, pitch: float) -> bool:
        return labels_fit(pitch, self.font, self.cjk)

    def set_focus(self, focus: Focus | None) -> None:
        self.focus = focus
        self.update()

    def set_label_points(self, points: float) -> None:
        self.font.setPointSizeF(points)
        self.update()

    def label_width(self) -> float:
        """Pixel width of the widest label chip."""
        fm = QFontMetricsF(self.font)
        widest = max((fm.horizontalAdvance(t) for t in self.texts), default=0.0)
        return widest + 2 * self.PAD

    def boundingRect(self) -> QRectF:
        rect = self.viewRect()  # the labels live in pixels outside x = 0..1: claim what is in view
        return QRectF() if rect is None else rect

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        self.update()

    # --- layout, shared by painting and by whoever asks what is on screen -------------------

    def label_rects(self) -> list[Label]:
        """The labels painted now, in the canvas viewport's pixels."""
        t = viewport_transform(self)
        return [] if t is None else self._layout(t)[0]

    @staticmethod
    def _geometry(t: QTransform) -> tuple[float, float, float, float]:
        """Device x of the left and right line ends, y of row 0 and pixels from row to row."""
        x_left, x_right = t.map(QPointF(0, 0)).x(), t.map(QPointF(1, 0)).x()
        y0, y1 = t.map(QPointF(0, 0)).y(), t.map(QPointF(0, 1)).y()
        return x_left, x_right, y0, y1 - y0

    def _layout(self, t: QTransform) -> tuple[list[Label], float]:
        """The labels to paint and the pixels between rows."""
        n = len(self.texts)
        view = self.viewRect()
        if not n or view is None:
            return [], 0.0
        x_left, x_right, y0, step = self._geometry(t)
        pitch = max(abs(step), 1e-6)
        fm = QFontMetricsF(self.font)
        height = self.chip_height()
        stride = 1 if self.labels_fit(pitch) else math.ceil((height + LABEL_GAP) / pitch)
        first = max(0, math.floor(min(view.top(), view.bottom())))
        last = min(n - 1, math.ceil(max(view.top(), view.bottom())))
        if first > last:
            return [], pitch
        every = range(first - first % stride, last + 1, stride)
        focused = [self.focus.row] if self.focus is not None else []
        strongest = []  # with a token focused, its strongest partners are labelled first
        if self.focus is not None and self.focus.bars and stride > 1:
            strongest = np.argsort(np.max([w for _, w in self.focus.bars], axis=0))[::-1][:8].tolist()
        labels = []
        for side in (QUERY, KEY):
            own = self.focus is not None and self.focus.side == side
            priority = focused + strongest if own else strongest + focused
            for row in self._spaced(priority, every, first, last, pitch, height, stride):
                width = fm.horizontalAdvance(self.texts[row]) + 2 * self.PAD
                x = x_left - self.GAP - width if side == QUERY else x_right + self.GAP
                labels.append(Label(side, row, QRectF(x, y0 + step * row - height / 2, width, height)))
        return labels, pitch

    def bars_x(self, x_left: float, x_right: float) -> float:
        """Where the bars start: after the widest key label, or (growing leftwards) before the widest
        query label, so that every row's bar starts at the same x."""
        offset = self.GAP + self.label_width() + self.BAR_SPACING
        return x_right + offset if self.focus is None or self.focus.side == QUERY else x_left - offset

    @staticmethod
    def _spaced(
        priority: list[int], every: range, first: int, last: int, pitch: float, height: float, stride: int
    ) -> list[int]:
        """Rows to label: every row in range when they fit, else the priority ones, then every
        stride-th, leaving out any that would overlap a label already placed."""
        if stride == 1:
            return list(every)
        taken: list[int] = []
        for row in [r for r in priority if first <= r <= last] + list(every):
            if row not in taken and all(abs(row - t) * pitch >= height + LABEL_GAP for t in taken):
                taken.append(row)
        return taken

    # --- painting -------------------------------------------------------------------------

    def paint(self, p: QPainter, *args) -> None:
        t = p.transform()
        labels, pitch = self._layout(t)
        if not labels:
            return
        x_left, x_right, y0, step = self._geometry(t)
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not self.labels_fit(pitch):  # zoomed out: a strip for every row
            self._paint_strips(p, x_left, x_right, y0, step)
        border = QPen(QColor("#9ca3af"), 1)
        focus_border = QPen(QColor(FOCUS_COLOUR), 2.5)
        p.setFont(self.font)
        for label in labels:
            focused = self.focus is not None and (label.side, label.row) == (self.focus.side, self.focus.row)
            p.setPen(focus_border if focused else border)
            p.setBrush(self.backgrounds[label.row])
            p.drawRoundedRect(label.rect, 4, 4)
            p.setPen(QColor(LABEL_TEXT_COLOUR))
            p.drawText(label.rect, Qt.AlignmentFlag.AlignCenter, self.texts[label.row])
        if self.focus is not None and self.focus.bars:
            bars_x = self.bars_x(x_left, x_right)
            other = KEY if self.focus.side == QUERY else QUERY
            for label in labels:
                if label.side == other:
                    self._paint_bars(p, label.row, bars_x, label.rect.top() + 1, label.rect.height() - 2)
        p.restore()

    def _paint_strips(self, p: QPainter, x_left: float, x_right: float, y0: float, step: float) -> None:
        view = self.viewRect()
        first = max(0, math.floor(min(view.top(), view.bottom())))
        last = min(len(self.texts) - 1, math.ceil(max(view.top(), view.bottom())))
        strip = max(abs(step), 1.0)
        for row in range(first, last + 1):
            y = y0 + step * row - strip / 2
            p.fillRect(QRectF(x_left - self.GAP + 1, y, 3, strip), self.backgrounds[row])
            p.fillRect(QRectF(x_right + self.GAP - 4, y, 3, strip), self.backgrounds[row])

    def _paint_bars(self, p: QPainter, row: int, x: float, y: float, height: float) -> None:
        """One bar per head, BAR pixels for the largest weight of the focused token; growing right
        from x beside the keys, left from x beside the queries."""
        bars = self.focus.bars
        thickness = height / len(bars)
        scale = self.BAR / max(max(float(w.max()) for _, w in bars), 1e-6)
        leftwards = self.focus.side == KEY
        p.setPen(Qt.PenStyle.NoPen)
        for i, (colour, weights) in enumerate(bars):
            if weights[row] > 0:
                length = max(scale * float(weights[row]), 1.0)
                p.fillRect(QRectF(x - length if leftwards else x, y + i * thickness, length, thickness), colour)
        weight = float(bars[0][1][row])
        if len(bars) == 1 and weight >= 0.005:  # the value itself, where it is not 0.00
            p.setPen(self.text_colour)
            p.setFont(self.note_font)
            text = f"{weight:.2f}"
            fm = QFontMetricsF(self.note_font)
            end = scale * weight + 4
            text_x = x - end - fm.horizontalAdvance(text) if leftwards else x + end
            p.drawText(QPointF(text_x, y + height / 2 + fm.capHeight() / 2), text)


class ColumnHeadings(pg.GraphicsWidget):
    """The band above the view box: what each column is and what the lines mean on the first line;
    on the second, what clicking a token does, or above the bars of a followed token what they
    show. Outside the view box, so that rows scroll under nothing and an exported image carries
    the headings."""

    def __init__(self, view_box: pg.ViewBox, columns: TokenColumns):
        super().__init__()
        self.view_box, self.columns = view_box, columns
        self.heading_font = QFont()
        self.heading_font.setBold(True)
        self.note_font = QFont()
        self.text_colour = QColor("#111111")
        self.muted_colour = QColor("#4b5563")
        bold, note = QFontMetricsF(self.heading_font), QFontMetricsF(self.note_font)
        self.setFixedHeight(math.ceil(bold.height() + note.height() + 8))
        view_box.sigRangeChanged.connect(lambda *_: self.update())
        view_box.sigResized.connect(lambda *_: self.update())

    def column_heading_width(self) -> float:
        """Pixels the widest column heading or hint needs."""
        bold, note = QFontMetricsF(self.heading_font), QFontMetricsF(self.note_font)
        widths = [bold.horizontalAdvance(heading(side)) for side in HEADINGS] + [
            note.horizontalAdvance(hint(side)) for side in HINTS
        ]
        return max(widths) + 2

    def headings(self) -> list[Heading]:
        """The headings painted now, in the canvas viewport's pixels."""
        t = viewport_transform(self)
        return [] if t is None else [Heading(h.text, t.mapRect(h.rect), h.bold) for h in self._layout()]

    def _layout(self) -> list[Heading]:
        """In this item's coordinates."""
        if not self.columns.texts:
            return []
        x_left = self.mapFromScene(self.view_box.mapViewToScene(QPointF(0, 0))).x()
        x_right = self.mapFromScene(self.view_box.mapViewToScene(QPointF(1, 0))).x()
        bold, note = QFontMetricsF(self.heading_font), QFontMetricsF(self.note_font)
        gap, top = TokenColumns.GAP, 3.0
        left_width = bold.horizontalAdvance(heading(QUERY)) + 2
        right_width = bold.horizontalAdvance(heading(KEY)) + 2
        headings = [
            Heading(heading(QUERY), QRectF(x_left - gap - left_width, top, left_width, bold.height()), True),
            Heading(heading(KEY), QRectF(x_right + gap, top, right_width, bold.height()), True),
        ]
        middle = note.horizontalAdvance(QCoreApplication.translate("head_lines_columns", LINES_HEADING)) + 2
        if middle + 8 < x_right - x_left:  # between the columns, above the lines
            centre = (x_left + x_right) / 2
            headings.append(
                Heading(
                    QCoreApplication.translate("head_lines_columns", LINES_HEADING),
                    QRectF(centre - middle / 2, top, middle, bold.height()),
                    False,
                )
            )
        focus = self.columns.focus
        second = top + bold.height() + 2
        bars_side = None if focus is None or not focus.bars else (KEY if focus.side == QUERY else QUERY)
        for side in HINTS:  # under each column heading, unless that column has bars
            hint_text = hint(side)
            if side != bars_side:
                width = note.horizontalAdvance(hint_text) + 2
                x = x_left - gap - width if side == QUERY else x_right + gap
                headings.append(Heading(hint_text, QRectF(x, second, width, note.height()), False))
        if bars_side is not None:
            width = note.horizontalAdvance(focus.title) + 2
            x = self.columns.bars_x(x_left, x_right)
            x = x if bars_side == KEY else x - width  # the bars grow leftwards from x: so does their heading
            headings.append(Heading(focus.title, QRectF(x, second, width, note.height()), False))
        return headings

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for heading in self._layout():
            p.setFont(self.heading_font if heading.bold else self.note_font)
            p.setPen(self.text_colour if heading.bold else self.muted_colour)
            p.drawText(heading.rect, Qt.AlignmentFlag.AlignCenter, heading.text)


class RowsViewBox(pg.ViewBox):
    """A view box whose mouse wheel scrolls the rows, as in any list; Ctrl+wheel zooms."""

    def wheelEvent(self, ev, axis=None) -> None:
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(ev, axis=1)
            return
        notches = ev.delta() / 120
        self.translateBy(y=-notches * SCROLL_ROWS)
        ev.accept()
