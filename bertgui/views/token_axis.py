"""Token labels on a plot axis that thin out instead of overlapping.

pyqtgraph always draws an axis's first tick level and each further level only while the
labels still fit, so the tokens are split into levels by position: every 8th token first,
then every 4th, every 2nd, and the rest. It draws at most three text levels unless told
otherwise, which would leave every odd token unlabelled, hence maxTextLevel. A short sentence shows every token; a long one
shows as many evenly spaced tokens as fit, never a smear of overlapping text.
"""

from __future__ import annotations

import pyqtgraph as pg

FILL_LIMIT = 0.9  # stop adding levels once the labels drawn cover this share of the axis
MAX_LEVEL = 3  # the finest level token_tick_levels makes (every odd token)


def token_tick_levels(tokens: list[str], offset: float = 0.5) -> list[list[tuple[float, str]]]:
    """Tick levels for setTicks: label i at position i + offset, coarsest level first."""
    levels: list[list[tuple[float, str]]] = [[], [], [], []]
    for i, token in enumerate(tokens):
        level = 0 if i % 8 == 0 else 1 if i % 4 == 0 else 2 if i % 2 == 0 else 3
        levels[level].append((i + offset, token))
    return [level for level in levels if level]


def set_token_ticks(axis: pg.AxisItem, tokens: list[str], offset: float = 0.5) -> None:
    axis.setStyle(textFillLimits=[(0, FILL_LIMIT)], maxTextLevel=MAX_LEVEL, maxTickLevel=MAX_LEVEL)
    axis.setTicks(token_tick_levels(tokens, offset))
