"""A run's verdict: the accuracy's 95% interval and the warnings, on made-up numbers and curves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.finetuning.verdict import (
    evaluation_warning,
    judge_run,
    overfitting_warning,
    still_falling_warning,
    wilson_interval,
)


@pytest.mark.parametrize(
    "correct, rows, low, high",
    [
        (1, 4, 0.0456, 0.6994),  # the run: 1 of 4 right
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_wilson_interval_matches_published_values(correct, rows, low, high):
    got = wilson_interval(correct, rows)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_wilson_interval_stays_in_range_and_narrows_with_rows():
    for rows in (1, 3, 17, 400):
        for correct in range(0, rows + 1, max(1, rows // 7)):
            low, high = wilson_interval(correct, rows)
            assert 0.0 <= low <= correct / rows <= high <= 1.0
    widths = [np.subtract(*wilson_interval(rows * 3 // 4, rows)[::-1]) for rows in (4, 40, 400, 4000)]
    assert widths == sorted(widths, reverse=True)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_four_evaluation_rows_cannot_measure_anything():
    warning = evaluation_warning(1, 4, 0.5)
    assert warning.startswith("4 evaluation rows cannot measure this: the 95% interval is 0.05–0.70")
    assert "(0.50)" in warning and "use at least ~100" in warning


def test_a_clear_win_over_the_baseline_gets_no_evaluation_warning():
    assert evaluation_warning(54, 60, 0.5) is None  # interval 0.80-0.95, all above 0.5
    assert evaluation_warning(0, 0, 0.0) is None


def test_many_rows_at_the_baseline_mean_the_model_learnt_nothing():
    warning = evaluation_warning(505, 1000, 0.5)
    assert warning.startswith("accuracy 0.51 (95% interval 0.47–0.54) is no better than always answering")
    assert "check the labels" in warning


def overfit_curves():
    """30 epochs of 4 steps: training loss falls to ~0, eval loss falls to 0.70 at step 20, then climbs to 1.30."""
    steps = list(range(1, 121))
    train = [0.7 * math.exp(-step / 15) for step in steps]
    eval_steps = list(range(4, 121, 4))
    eval_losses = [0.75 - 0.05 * min(step, 20) / 20 + max(0, step - 20) * 0.006 for step in eval_steps]
    return steps, train, eval_steps, eval_losses


def test_eval_loss_rising_while_training_loss_falls_is_overfitting():
    steps, train, eval_steps, eval_losses = overfit_curves()
    warning = overfitting_warning(steps, train, eval_steps, eval_losses)
    assert warning.startswith("eval loss rose from 0.70 to 1.30 while training loss fell to 0.00")
    assert "memorised the training rows" in warning and "Max steps 20" in warning


def test_eval_loss_that_only_wobbles_or_rises_with_the_training_loss_is_not_overfitting():
    steps = list(range(1, 41))
    falling = [1.0 - step / 50 for step in steps]
    assert overfitting_warning(steps, falling, [10, 20, 30, 40], [0.70, 0.60, 0.58, 0.61]) is None  # +5%: noise
    assert overfitting_warning(steps, falling, [10, 20, 30, 40], [0.9, 0.8, 0.7, 0.6]) is None  # still falling
    assert overfitting_warning(steps, falling, [40], [0.6]) is None  # one evaluation shows no trend
    rising = [0.5 + step / 50 for step in steps]  # a learning rate too high: both rise
    assert overfitting_warning(steps, rising, [10, 20, 30, 40], [0.7, 0.6, 0.9, 1.2]) is None


def test_a_run_that_ended_while_the_loss_fell_says_more_steps_may_help():
    losses = [1.0 - 0.02 * step for step in range(30)]  # 1.0 down to 0.42, still going
    warning = still_falling_warning(losses)
    assert warning.startswith("loss was still falling at the end (from 0.59 to 0.47 over the last 12 steps)")
    assert "more steps may help" in warning


def test_a_settled_or_noisy_flat_loss_is_not_still_falling():
    rng = np.random.default_rng(0)
    settled = [0.3 + 0.05 * rng.standard_normal() for _ in range(60)]
    assert still_falling_warning(settled) is None
    assert still_falling_warning([1.0, 0.9, 0.8]) is None  # too few steps to tell a trend
    falling = [1.0 - 0.02 * step for step in range(30)]
    assert still_falling_warning(falling, eval_losses=[0.6, 0.7]) is None  # eval already going up


def test_a_verdict_gathers_the_interval_and_one_loss_warning():
    steps, train, eval_steps, eval_losses = overfit_curves()
    verdict = judge_run(1, 4, 0.5, train, eval_steps, eval_losses, train_steps=steps)
    assert verdict.accuracy == 0.25 and verdict.interval_text == "0.05–0.70" and verdict.rows == 4
    assert len(verdict.warnings) == 2  # too few rows, and memorising; not "still falling" as well
    assert verdict.warnings[0].startswith("4 evaluation rows") and verdict.warnings[1].startswith("eval loss rose")
    good = judge_run(90, 100, 0.5, [0.3] * 50, [25, 50], [0.35, 0.34])
    assert good.warnings == [] and good.low > 0.8
