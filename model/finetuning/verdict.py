"""What a fine-tuning run's numbers can and cannot say, in words a learner can act on: the
accuracy with its 95% interval (a tagger's scores, whose words are not independent draws, get no
interval but the same warnings where they apply), and warnings when the evaluation set is too small to tell the
model from always answering the most common class, when the model memorised its training rows
(eval loss rising while training loss falls), and when the loss was still falling at the end.

Pure Python and NumPy (no torch, no Qt): the GUI thread judges a run from the numbers it drew."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Z_95 = 1.959964  # the normal quantile of a two-sided 95% interval
# An interval of +-0.10 tells a useful classifier from a coin or from the majority baseline; at
# accuracy 0.5 (the widest case) it takes z^2 * 0.25 / 0.1^2 = 96 rows, said as "about 100".
PRECISE_HALF_WIDTH = 0.10
SUGGESTED_EVAL_ROWS = 100
# The eval loss "rose" when its last value is this much above its lowest, relatively and absolutely
# (a wobble of a few percent between evaluations is noise, not memorising).
ROSE_RATIO, ROSE_BY = 1.10, 0.05
# The training loss "was still falling" when the mean of its last fifth of steps is this much below
# the mean of the fifth before (per-step losses are noisy: means of windows, not single steps).
STILL_FALLING_RATIO, STILL_FALLING_BY = 0.90, 0.01
MIN_STEPS_TO_JUDGE_THE_TREND = 10


def wilson_interval(correct: int, rows: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (correct out of rows): unlike accuracy +- z * SE it
    stays inside 0..1 and is honest for few rows and for accuracies near 0 or 1. (0, 1) for no rows."""
    if rows <= 0:
        return 0.0, 1.0
    p = correct / rows
    z2 = z * z
    centre = (p + z2 / (2 * rows)) / (1 + z2 / rows)
    half = z * math.sqrt(p * (1 - p) / rows + z2 / (4 * rows * rows)) / (1 + z2 / rows)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Verdict:
    accuracy: float
    low: float  # the 95% Wilson interval of the accuracy
    high: float
    rows: int  # evaluation rows
    majority: float  # the accuracy of always answering the evaluation data's most common class
    warnings: list[str] = field(default_factory=list)

    @property
    def interval_text(self) -> str:
        return f"{self.low:.2f}–{self.high:.2f}"


def judge_run(
    correct: int,
    rows: int,
    majority: float,
    train_losses: Sequence[float],
    eval_steps: Sequence[int] = (),
    eval_losses: Sequence[float] = (),
    train_steps: Sequence[int] | None = None,
) -> Verdict:
    """The verdict on a finished run: `correct` of `rows` evaluation rows right, `majority` the
    baseline; the training loss at each reported step (`train_steps`, 1, 2, ... if None) and the
    eval loss at each evaluation. Warnings come in the order a learner should act on them."""
    low, high = wilson_interval(correct, rows)
    accuracy = correct / rows if rows else 0.0
    warnings = [w for w in (evaluation_warning(correct, rows, majority),) if w]
    steps = list(train_steps) if train_steps is not None else list(range(1, len(train_losses) + 1))
    overfitting = overfitting_warning(steps, train_losses, eval_steps, eval_losses)
    if overfitting:
        warnings.append(overfitting)
    else:  # a falling training loss is no reason for more steps once the model memorises
        unsettled = still_falling_warning(train_losses, eval_losses)
        if unsettled:
            warnings.append(unsettled)
    return Verdict(accuracy, low, high, rows, majority, warnings)


def evaluation_warning(correct: int, rows: int, majority: float) -> str | None:
    """None when the accuracy is above the majority baseline beyond doubt (its whole interval is)."""
    if rows <= 0:
        return None
    low, high = wilson_interval(correct, rows)
    if low > majority:
        return None
    if (high - low) / 2 > PRECISE_HALF_WIDTH:
        return (
            f"{rows} evaluation {'row' if rows == 1 else 'rows'} cannot measure this: the 95% interval is "
            f"{low:.2f}–{high:.2f}, too wide to tell the model from always answering the most common class "
            f"({majority:.2f}); use at least ~{SUGGESTED_EVAL_ROWS} evaluation rows"
        )
    return (
        f"accuracy {correct / rows:.2f} (95% interval {low:.2f}–{high:.2f}) is no better than always answering "
        f"the most common class ({majority:.2f}): the model has not learnt the task; train for more steps, "
        "try a higher learning rate, or check the labels"
    )


def _mean_up_to(steps: Sequence[int], losses: Sequence[float], step: int, window: int) -> float:
    """The mean training loss of the `window` reported steps up to and including `step`."""
    at = int(np.searchsorted(np.asarray(steps), step, side="right"))
    chosen = np.asarray(losses[max(0, at - window) : max(at, 1)], dtype=np.float64)
    return float(chosen.mean())


def overfitting_warning(
    train_steps: Sequence[int],
    train_losses: Sequence[float],
    eval_steps: Sequence[int],
    eval_losses: Sequence[float],
) -> str | None:
    """Eval loss clearly above its lowest at the end while the training loss went on falling:
    the model learnt its training rows by heart instead of the task."""
    if len(eval_losses) < 2 or not len(train_losses):
        return None
    best = int(np.argmin(eval_losses))
    lowest, last = float(eval_losses[best]), float(eval_losses[-1])
    if best == len(eval_losses) - 1 or last < lowest * ROSE_RATIO or last - lowest < ROSE_BY:
        return None
    window = max(1, len(train_losses) // 10)
    train_then = _mean_up_to(train_steps, train_losses, eval_steps[best], window)
    train_end = float(np.mean(np.asarray(train_losses[-window:], dtype=np.float64)))
    if train_end >= train_then:
        return None  # both rose: a learning rate too high, not memorising
    return (
        f"eval loss rose from {lowest:.2f} to {last:.2f} while training loss fell to {train_end:.2f}: the model "
        f"memorised the training rows; use fewer epochs (Max steps {eval_steps[best]}, where the eval loss was "
        "lowest), more data, or more dropout"
    )


def still_falling_warning(train_losses: Sequence[float], eval_losses: Sequence[float] = ()) -> str | None:
    """The training loss still clearly going down over the last steps, and the eval loss (if any)
    not going up: the run stopped before the loss settled."""
    n = len(train_losses)
    if n < MIN_STEPS_TO_JUDGE_THE_TREND:
        return None
    window = max(2, n // 5)
    losses = np.asarray(train_losses, dtype=np.float64)
    before, last = float(losses[-2 * window : -window].mean()), float(losses[-window:].mean())
    if last > before * STILL_FALLING_RATIO or before - last < STILL_FALLING_BY:
        return None
    if len(eval_losses) >= 2 and eval_losses[-1] > eval_losses[-2]:
        return None
    return (
        f"loss was still falling at the end (from {before:.2f} to {last:.2f} over the last {2 * window} steps): "
        "more steps may help; raise Epochs or Max steps"
    )


# A tagger scored on fewer chunks (or words, for plain tags) than this has an F1 that a handful of
# them moves by points: CoNLL-2000's test set has 23,852 chunks.
SUGGESTED_EVAL_CHUNKS = 100


def tagging_warnings(
    accuracy: float,
    majority: float,
    scored: int,
    unit: str,
    train_losses: Sequence[float],
    eval_steps: Sequence[int] = (),
    eval_losses: Sequence[float] = (),
    train_steps: Sequence[int] | None = None,
) -> list[str]:
    """What a tagger's numbers cannot say, in the order a learner should act on it: too few
    `unit`s ("chunk" or "word") scored, a word accuracy no better than always answering the
    commonest tag, then the loss trends as for a classifier."""
    warnings = []
    if scored < SUGGESTED_EVAL_CHUNKS:
        warnings.append(
            f"only {scored} evaluation {unit}{'' if scored == 1 else 's'} scored: a few of them move the F1 by "
            f"points; use evaluation data with at least ~{SUGGESTED_EVAL_CHUNKS} {unit}s"
        )
    if accuracy <= majority:
        warnings.append(
            f"word accuracy {accuracy:.2f} is no better than always answering the commonest tag ({majority:.2f}): "
            "the model has not learnt the task; train for more steps, try a higher learning rate, or check the tags"
        )
    steps = list(train_steps) if train_steps is not None else list(range(1, len(train_losses) + 1))
    trend = overfitting_warning(steps, train_losses, eval_steps, eval_losses) or still_falling_warning(
        train_losses, eval_losses
    )
    if trend:
        warnings.append(trend.replace("training rows", "training sentences"))
    return warnings
