"""A plot axis that labels every token it can: it shrinks the font, turns a bottom axis's labels
upright and shortens long tokens before it leaves any token out.

For the pixels a token really gets on screen (an image may cover only part of the axis, and the
user may zoom in), the axis picks the first layout in which no two neighbouring labels touch:
level text at the usual size or a little smaller, then (bottom and top axes) upright text from the
usual size down to MIN_FONT_PX. When even the smallest upright labels would touch, it labels every
k-th token (k as small as fits) and says so through labelStepChanged, for the view to tell the user
to zoom in; a zoomed-in axis labels every token it shows. Pointing at a label shows the whole token.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF

LABEL_GAP_PX = 1.0  # free space kept between neighbouring labels stacked line above line (or upright)
WORD_GAP_PX = 4.0  # free space kept between level labels side by side, so two words never read as one
END_OVERHANG_PX = 30  # how far a horizontal axis's first and last labels may reach past its ends
MIN_FONT_PX = 7  # smallest label font: smaller is not readable on a common screen
LEVEL_SHRINK_PX = 2  # level labels may shrink this much before the axis turns them upright
MAX_LABEL_CHARS = 10  # longer tokens are shortened to this many characters, the last one "…"
LINE_FILL = 0.75  # a label needs this share of its font's line height: few words fill ascent and descent


def shortened(token: str, max_chars: int = MAX_LABEL_CHARS) -> str:
    """The token itself, or its first max_chars - 1 characters and "…"."""
    return token if len(token) <= max_chars else token[: max_chars - 1] + "…"


def ordinal(n: int) -> str:
    """2 -> '2nd', 3 -> '3rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def every_kth_note(step: int) -> str:
    """What a view says when its axis labels only every step-th token ('' when it labels them all)."""
    if step <= 1:
        return ""
    return QCoreApplication.translate(
        "token_axis", "Every {0} token labelled: zoom in with the mouse wheel to label each (double-click: all again)."
    ).format(ordinal(step))


@dataclass(frozen=True)
class LabelLayout:
    """How the labels are drawn: font size in pixels, upright or level, and every step-th token."""

    font_px: int
    upright: bool
    step: int


def label_layout(
    widths: dict[int, list[float]],
    line_heights: dict[int, float],
    px_per_token: float,
    along_text: bool,
) -> LabelLayout:
    """The first layout in which every neighbouring pair of labels fits side by side.

    widths[px][i] is label i's width in a font of px pixels, line_heights[px] that font's line
    height, from the largest size down. along_text: the labels run along their text (a bottom or
    top axis), and are turned upright when level text does not fit.
    """
    sizes = sorted(widths, reverse=True)

    def level_fits(px: int) -> bool:
        w = widths[px]
        return all((a + b) / 2 + WORD_GAP_PX <= px_per_token for a, b in zip(w, w[1:]))

    def across_fits(px: int) -> bool:  # labels stacked across their text: one line each
        return LINE_FILL * line_heights[px] + LABEL_GAP_PX <= px_per_token

    if along_text:
        for px in sizes:
            if px >= sizes[0] - LEVEL_SHRINK_PX and level_fits(px):
                return LabelLayout(px, upright=False, step=1)
    for px in sizes:
        if across_fits(px):
            return LabelLayout(px, upright=along_text, step=1)
    smallest = sizes[-1]
    step = math.ceil((LINE_FILL * line_heights[smallest] + LABEL_GAP_PX) / max(px_per_token, 1e-9))
    return LabelLayout(smallest, upright=along_text, step=max(1, step))


class TokenAxis(pg.AxisItem):
    """Labels tokens at i + offset; call set_tokens when the tokens change."""

    labelStepChanged = Signal(int)  # 1: every token labelled; k: every k-th (too many to fit)

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        # Room for the first and last labels, which reach past a horizontal axis's ends.
        self.setStyle(hideOverlappingLabels=END_OVERHANG_PX)
        self._tokens: list[str] = []
        self._labels: list[str] = []  # the tokens as drawn: long ones shortened
        self._offset = 0.5
        self._fonts: dict[int, tuple[QFont, QFontMetricsF]] = {}
        self._widths: dict[int, list[float]] = {}  # per font size, every label's width
        self._layout = LabelLayout(0, False, 1)
        self._step_said = 1
        self.setAcceptHoverEvents(True)

    @property
    def layout(self) -> LabelLayout:
        """How the labels were drawn last."""
        return self._layout

    def set_tokens(self, tokens: list[str], offset: float = 0.5) -> None:
        """offset 0.5 centres a label on an image's cell; 0 puts it on a curve's point."""
        self._tokens = list(tokens)
        self._labels = [shortened(token) for token in self._tokens]
        self._offset = offset
        self._widths = {}
        self.picture = None  # the cached drawing shows the old tokens
        self.update()

    # --- choosing the layout ---------------------------------------------------------------

    def _font_sizes(self) -> dict[int, tuple[QFont, QFontMetricsF]]:
        base = self.style["tickFont"] or self.font()
        usual = max(MIN_FONT_PX, QFontInfo(base).pixelSize())
        if not self._fonts or max(self._fonts) != usual:
            self._fonts = {}
            for px in range(usual, MIN_FONT_PX - 1, -1):
                font = QFont(base)
                font.setPixelSize(px)
                self._fonts[px] = (font, QFontMetricsF(font))
            self._widths = {}
        return self._fonts

    def _label_widths(self, px: int) -> list[float]:
        if px not in self._widths:
            metrics = self._font_sizes()[px][1]
            self._widths[px] = [metrics.horizontalAdvance(label) for label in self._labels]
        return self._widths[px]

    def _visible_indices(self, low: float, high: float) -> range:
        first = max(0, math.ceil(low - self._offset - 1e-6))
        last = min(len(self._tokens) - 1, math.floor(high - self._offset + 1e-6))
        return range(first, last + 1)

    def _choose_layout(self, low: float, high: float, size: float) -> LabelLayout:
        fonts = self._font_sizes()
        shown = self._visible_indices(low, high)
        horizontal = self.orientation in ("top", "bottom")
        widths = {px: [self._label_widths(px)[i] for i in shown] for px in fonts}
        heights = {px: metrics.height() for px, (_, metrics) in fonts.items()}
        return label_layout(widths, heights, size / (high - low), along_text=horizontal)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        low, high = sorted((minVal, maxVal))  # an inverted view box hands its range over reversed
        if not self._tokens or high == low or size <= 0:
            return []
        self._layout = self._choose_layout(low, high, size)
        if self._layout.step != self._step_said:
            self._step_said = self._layout.step
            self.labelStepChanged.emit(self._layout.step)
        step = self._layout.step
        # Every step-th token counted from the first, so panning does not move the labels around.
        shown = [i for i in self._visible_indices(low, high) if i % step == 0]
        return [(float(step), [i + self._offset for i in shown])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = []
        for value in values:
            index = round(value - self._offset)
            strings.append(self._labels[index] if 0 <= index < len(self._labels) else "")
        return strings

    # --- drawing ---------------------------------------------------------------------------

    def generateDrawSpecs(self, p):
        """The axis line, a tick per label and each label's on-screen box, as pyqtgraph's AxisItem
        returns them; upright labels' boxes are tall and narrow (drawPicture turns the text)."""
        bounds = self.mapRectFromParent(self.geometry())
        horizontal = self.orientation in ("top", "bottom")
        length = bounds.width() if horizontal else bounds.height()
        start_value, end_value = self.range  # reversed for an inverted view
        if length <= 0 or start_value == end_value:
            return None
        if horizontal:  # start_value at the left end
            scale, origin = length / (end_value - start_value), bounds.left()
        else:  # start_value at the bottom end
            scale, origin = -length / (end_value - start_value), bounds.bottom()
        levels = self.tickValues(start_value, end_value, length)
        values = levels[0][1] if levels else []
        strings = self.tickStrings(values, 1.0, 1.0)
        layout = self._layout
        font, metrics = (
            self._font_sizes()[layout.font_px] if layout.font_px else (self.font(), QFontMetricsF(self.font()))
        )
        line = metrics.height()

        edge = {"left": bounds.right(), "right": bounds.left(), "top": bounds.bottom(), "bottom": bounds.top()}[
            self.orientation
        ]
        # No tick marks: a label per token says where it is, and a tick per row would streak the image.
        text_offset = self.style["tickTextOffset"][1 if horizontal else 0]
        text_specs = []
        widest = 0.0
        for value, text in zip(values, strings):
            at = origin + (value - start_value) * scale
            width = metrics.horizontalAdvance(text)
            widest = max(widest, width)
            if not horizontal:
                x = edge - text_offset - width if self.orientation == "left" else edge + text_offset
                rect = QRectF(x, at - LINE_FILL * line / 2, width, LINE_FILL * line)
                flags = (Qt.AlignmentFlag.AlignRight if self.orientation == "left" else Qt.AlignmentFlag.AlignLeft) | (
                    Qt.AlignmentFlag.AlignVCenter
                )
            elif layout.upright:
                top = edge + text_offset if self.orientation == "bottom" else edge - text_offset - width
                rect = QRectF(at - LINE_FILL * line / 2, top, LINE_FILL * line, width)
                flags = Qt.AlignmentFlag.AlignCenter
            else:
                top = edge + text_offset if self.orientation == "bottom" else edge - text_offset - line
                rect = QRectF(at - width / 2, top, width, line)
                flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            text_specs.append((rect, flags | Qt.TextFlag.TextDontClip, text))
        across = widest if (layout.upright or not horizontal) else line
        self._updateMaxTextSize(int(math.ceil(across)))  # the axis grows or shrinks to fit its labels
        axis_spec = (self.pen(), QPointF(bounds.left(), edge), QPointF(bounds.right(), edge))
        if not horizontal:
            axis_spec = (self.pen(), QPointF(edge, bounds.top()), QPointF(edge, bounds.bottom()))
        return axis_spec, [], text_specs

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setRenderHint(p.RenderHint.TextAntialiasing, True)
        pen, start, end = axisSpec
        p.setPen(pen)
        p.drawLine(start, end)
        for pen, start, end in tickSpecs:
            p.setPen(pen)
            p.drawLine(start, end)
        if self._layout.font_px:
            p.setFont(self._font_sizes()[self._layout.font_px][0])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        line = QFontMetricsF(p.font()).height()
        for rect, flags, text in textSpecs:
            if self._layout.upright and self.orientation in ("top", "bottom"):
                # Read from bottom to top, the word's end at the axis, as upright labels usually are.
                p.save()
                p.translate(rect.center())
                p.rotate(-90)
                towards_axis = (
                    Qt.AlignmentFlag.AlignRight if self.orientation == "bottom" else Qt.AlignmentFlag.AlignLeft
                )
                box = QRectF(-rect.height() / 2, -line / 2, rect.height(), line)
                p.drawText(box, int(towards_axis | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip), text)
                p.restore()
            else:
                p.drawText(rect, int(flags), text)

    # --- the whole token on hover -----------------------------------------------------------

    def hoverEvent(self, event) -> None:
        view = self.linkedView()
        if event.isExit() or view is None or not self._tokens:
            self.setToolTip("")
            return
        point = view.mapSceneToView(self.mapToScene(event.pos()))
        value = point.x() if self.orientation in ("top", "bottom") else point.y()
        index = round(value - self._offset)
        self.setToolTip(self._tokens[index] if 0 <= index < len(self._tokens) else "")
