"""A plot axis that labels tokens: as many as fit without overlapping, evenly spaced.

pyqtgraph's own crowding check compares the labels' total size with the whole axis, which
overlaps labels when an aspect-locked image covers only part of the axis, and always draws
its coarsest level however crowded. This axis instead picks, at every redraw, the smallest
step (1, 2, 4, 8, ...) at which no two neighbouring labels touch, from the pixels a token
really gets on screen and each label's own width.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

LABEL_GAP_PX = 4.0  # free space kept between neighbouring labels
END_OVERHANG_PX = 30  # how far a horizontal axis's first and last labels may reach past its ends


def label_step(extents: list[float], px_per_token: float, gap: float = LABEL_GAP_PX) -> int:
    """Smallest power-of-two step at which every pair of neighbouring labels fits side by side.

    extents[i] is label i's size along the axis (its width on a horizontal axis, the line
    height on a vertical one); labels are centred on their tokens.
    """

    def fits(step: int) -> bool:
        shown = extents[::step]
        return all((a + b) / 2 + gap <= step * px_per_token for a, b in zip(shown, shown[1:]))

    step = 1
    while step < len(extents) and not fits(step):  # at step >= len only the first label is left
        step *= 2
    return step


class TokenAxis(pg.AxisItem):
    """Labels tokens at i + offset; call set_tokens when the tokens change."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        if orientation in ("top", "bottom"):  # else the first token, [CLS], is dropped for poking out
            self.setStyle(hideOverlappingLabels=END_OVERHANG_PX)
        self._tokens: list[str] = []
        self._offset = 0.5

    def set_tokens(self, tokens: list[str], offset: float = 0.5) -> None:
        """offset 0.5 centres a label on an image's cell; 0 puts it on a curve's point."""
        self._tokens = list(tokens)
        self._offset = offset
        self.picture = None  # the cached drawing shows the old tokens
        self.update()

    def _label_extents(self) -> list[float]:
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        if self.orientation in ("left", "right"):
            return [metrics.height()] * len(self._tokens)
        return [metrics.horizontalAdvance(token) for token in self._tokens]

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        span = abs(maxVal - minVal)  # an inverted view box hands its range over reversed
        if not self._tokens or span == 0 or size <= 0:
            return []
        step = label_step(self._label_extents(), size / span)
        return [(float(step), [i + self._offset for i in range(0, len(self._tokens), step)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = []
        for value in values:
            index = round(value - self._offset)
            strings.append(self._tokens[index] if 0 <= index < len(self._tokens) else "")
        return strings
