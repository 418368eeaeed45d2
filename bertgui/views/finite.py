"""Model outputs made safe to draw. A checkpoint with NaN or Inf weights (warned about when it
loads) gives NaN or Inf activations and probabilities, and each drawing call fails on them in
its own way: int() and round() of a NaN raise, pyqtgraph refuses an axis or colour-bar range
with a NaN or Inf end, NumPy's SVD does not converge. The views take their scales from the
finite values only, draw the others as holes (or at a scale's end), and say how many there are."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication

from model.finetuning.datasets import count_of  # a pure module: no torch on the GUI thread


def finite_or(value: float, default: float) -> float:
    """`value`, or `default` where it is NaN or Inf (for a bar's length, a cell's shade)."""
    return value if math.isfinite(value) else default


def non_finite_count(*arrays: np.ndarray) -> int:
    return sum(int(a.size - np.count_nonzero(np.isfinite(a))) for a in arrays)


def non_finite_note(*arrays: np.ndarray, how: str) -> str:
    """'' when every value is finite, else e.g. '12 NaN or Inf values (not drawn)'."""
    n = non_finite_count(*arrays)
    return QCoreApplication.translate("finite", "{0} ({1})").format(count_of(n, "NaN or Inf value"), how) if n else ""


def noted(title: str, *arrays: np.ndarray, how: str) -> str:
    """`title`, followed by the arrays' non_finite_note when they have one."""
    note = non_finite_note(*arrays, how=how)
    return f"{title}; {note}" if note else title


def finite_max(*arrays: np.ndarray, floor: float) -> float:
    """The largest finite value of all arrays, and at least `floor` (also when none is finite):
    the top of a colour scale or an axis range, which pyqtgraph needs finite."""
    peak = floor
    for a in arrays:
        top = float(np.max(a, initial=-np.inf))
        if not math.isfinite(top):  # NaN or +Inf among them: look again at the finite ones only
            top = float(np.max(a, where=np.isfinite(a), initial=-np.inf))
        peak = max(peak, top)
    return peak


def drawable(a: np.ndarray, low: float, high: float) -> np.ndarray:
    """`a` as C-contiguous float32 for an image on the colour scale low..high: +Inf and -Inf at
    the scale's ends; NaN stays NaN, which pyqtgraph draws transparent (a hole, rather than a
    colour that would read as a value)."""
    if math.isfinite(float(a.sum())):  # so is every value: no copy (a sum that overflows costs one)
        return np.ascontiguousarray(a, dtype=np.float32)
    return np.ascontiguousarray(np.nan_to_num(a, nan=np.nan, posinf=high, neginf=low), dtype=np.float32)


def finite_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of a curve whose y is finite, as C-contiguous float32: an Inf point would
    stretch the axis without end, and pyqtgraph warns on a curve of NaN alone."""
    keep = np.isfinite(y)
    return (np.ascontiguousarray(x[keep], dtype=np.float32), np.ascontiguousarray(y[keep], dtype=np.float32))
