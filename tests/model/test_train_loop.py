"""The shared training loop, on a toy task: accumulation, epochs, stop, budget and resume."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from model.errors import BertError
from model.train_loop import LoopSettings, TrainLoop

X = torch.randn(24, 3, generator=torch.Generator().manual_seed(0))
Y = X @ torch.tensor([1.0, -2.0, 0.5])


class Regression:
    """Batches of row indices, in an order fixed by the epoch; mean squared error."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.epochs_asked: list[int] = []

    def epoch(self, epoch, rank, world):
        self.epochs_asked.append(epoch)
        order = torch.randperm(len(X), generator=torch.Generator().manual_seed(epoch)).tolist()
        return [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]

    def loss(self, module, batch):
        return ((module(X[batch]).squeeze(-1) - Y[batch]) ** 2).mean(), {"rows": len(batch)}


def net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Linear(3, 1)


def settings(**overrides) -> LoopSettings:
    return LoopSettings(**{"lr": 0.05, "total_steps": 9, "warmup_steps": 2, "weight_decay": 0.0, **overrides})


def test_two_accumulated_halves_make_the_step_of_the_whole_batch():
    whole, halves = net(), net()
    TrainLoop(whole, Regression(8), settings()).run()
    TrainLoop(halves, Regression(4), settings(grad_accum=2)).run()
    for a, b in zip(whole.parameters(), halves.parameters()):
        assert torch.allclose(a, b, atol=1e-6)


def test_epochs_steps_and_reports():
    task, steps, epochs = Regression(8), [], []
    loop = TrainLoop(net(), task, settings())
    assert loop.run(on_step=steps.append, on_epoch_end=epochs.append) == "done"
    assert [s.step for s in steps] == list(range(1, 10)) and loop.step == 9
    assert epochs == [0, 1] and task.epochs_asked == [0, 1, 2]  # 3 batches an epoch; step 9 ends epoch 2
    assert all(s.metrics == {"rows": 8} for s in steps)
    assert steps[0].lr == pytest.approx(0.025) and steps[1].lr == pytest.approx(0.05)  # warmup, then decay
    assert steps[-1].lr < steps[2].lr
    assert steps[-1].loss < steps[0].loss


def test_stop_flag_time_budget_and_checkpoints():
    calls, saved = [], []
    loop = TrainLoop(net(), Regression(8), settings(checkpoint_every=2))
    assert (
        loop.run(should_stop=lambda: len(calls.append(1) or calls) > 5, on_checkpoint=lambda: saved.append(1))
        == "stopped"
    )
    assert loop.step == 5 and len(saved) == 2
    assert TrainLoop(net(), Regression(8), settings(time_budget_s=0.0)).run() == "out of time"
    saved_at = []
    loop = TrainLoop(net(), Regression(8), settings(checkpoint_every=3))
    loop.run(on_checkpoint=lambda: saved_at.append(loop.step))
    assert saved_at == [3, 6]  # not 9: the final model is the caller's to save, once


def test_a_stop_at_the_end_of_an_epoch_does_not_wait_for_its_evaluation():
    calls, epochs = [], []
    loop = TrainLoop(net(), Regression(8), settings())  # 3 batches an epoch
    assert loop.run(should_stop=lambda: len(calls.append(1) or calls) > 3, on_epoch_end=epochs.append) == "stopped"
    assert loop.step == 3 and epochs == []


def test_a_resumed_loop_ends_where_an_uninterrupted_one_does():
    straight = net()
    TrainLoop(straight, Regression(8), settings()).run()
    first, calls = net(), []
    loop = TrainLoop(first, Regression(8), settings())
    loop.run(should_stop=lambda: len(calls.append(1) or calls) > 4)
    state, weights = loop.state_dict(), {k: v.clone() for k, v in first.state_dict().items()}
    resumed = nn.Linear(3, 1)
    resumed.load_state_dict(weights)
    again = TrainLoop(resumed, Regression(8), settings())
    again.load_state_dict(state)
    assert (again.step, again.epoch, again.position) == (4, 1, 1)
    again.run()
    for a, b in zip(straight.parameters(), resumed.parameters()):
        assert torch.equal(a, b)


def test_a_non_finite_loss_names_the_step():
    class Exploding(Regression):
        def loss(self, module, batch):
            return module(X[batch]).sum() * float("inf"), {}

    with pytest.raises(BertError, match="at step 1"):
        TrainLoop(net(), Exploding(8), settings()).run()


def test_running_out_of_device_memory_says_what_to_change():
    class Greedy(Regression):
        def loss(self, module, batch):
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    with pytest.raises(BertError, match="ran out of memory at step 1; use a smaller batch size"):
        TrainLoop(net(), Greedy(8), settings()).run()


def test_data_that_makes_no_batch_is_a_clear_error():
    class Empty(Regression):
        def epoch(self, epoch, rank, world):
            return []

    with pytest.raises(BertError, match="makes no batch"):
        TrainLoop(net(), Empty(8), settings()).run()


class Clock:
    """Stands in for time.monotonic: every training micro-batch takes exactly `per_batch` seconds."""

    def __init__(self, per_batch: float, first_extra: float = 0.0):
        self.now, self.per_batch, self.extra = 0.0, per_batch, first_extra

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += self.per_batch + self.extra
        self.extra = 0.0  # only the first step is slow, as a GPU's is


class TimedRegression(Regression):
    def __init__(self, batch_size: int, clock: Clock):
        super().__init__(batch_size)
        self.clock = clock

    def loss(self, module, batch):
        self.clock.tick()
        return super().loss(module, batch)


def test_a_time_budget_fits_the_schedule_to_the_measured_speed(monkeypatch):
    import types

    from model import train_loop

    clock = Clock(per_batch=0.1, first_extra=5.0)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
    steps = []
    loop = TrainLoop(
        net(),
        TimedRegression(8, clock),
        settings(total_steps=10_000, warmup_steps=50, time_budget_s=30.0, fit_to_budget=True),
    )
    assert loop.run(on_step=steps.append) == "done"  # the schedule ended before the budget did
    # Step 1 takes 5.1 s and is left out; by step 4, 5% of the budget has gone and 3 steps took
    # 0.3 s: 10 steps/s for the 24.6 s left, 2% short.
    assert loop.fitted and loop.settings.total_steps == 4 + int(10 * 24.6 * 0.98) == steps[-1].step
    assert steps[-1].lr < 0.05 * 0.01  # the learning rate decayed to (nearly) 0 inside the budget
    assert [s.lr for s in steps[:50]] == pytest.approx([0.05 * (i + 1) / 50 for i in range(50)])  # warm-up as usual
    # A resumed run keeps the length it chose, given a budget or not.
    resumed = TrainLoop(net(), Regression(8), settings(total_steps=10_000, warmup_steps=50, fit_to_budget=True))
    resumed.load_state_dict(loop.state_dict())
    assert resumed.fitted and resumed.settings.total_steps == loop.settings.total_steps


def test_a_budget_shorter_than_the_warm_up_shortens_the_warm_up(monkeypatch):
    import types

    from model import train_loop

    clock = Clock(per_batch=0.1)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
    steps = []
    loop = TrainLoop(
        net(),
        TimedRegression(8, clock),
        settings(total_steps=10_000, warmup_steps=1_000, time_budget_s=30.0, fit_to_budget=True),
    )
    assert loop.run(on_step=steps.append) == "done"
    total = loop.settings.total_steps
    assert 250 < total < 300 and loop.settings.warmup_steps == total // 10
    peak = max(s.lr for s in steps)
    assert peak == pytest.approx(0.05, rel=0.05) and steps[-1].lr < 0.01 * peak  # climbs, then decays to ~0


def test_a_run_resumed_past_its_warm_up_keeps_its_schedule(monkeypatch):
    import types

    from model import train_loop

    first = TrainLoop(net(), Regression(8), settings(total_steps=10_000, warmup_steps=5))
    first.run(should_stop=lambda: first.step >= 20)
    clock = Clock(per_batch=0.1)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
    resumed = TrainLoop(
        net(),
        TimedRegression(8, clock),
        settings(total_steps=10_000, warmup_steps=5, time_budget_s=3.0, fit_to_budget=True),
    )
    resumed.load_state_dict(first.state_dict())
    assert resumed.run() == "out of time" and not resumed.fitted and resumed.settings.total_steps == 10_000


def test_without_fitting_a_time_budget_only_stops_the_run(monkeypatch):
    import types

    from model import train_loop

    clock = Clock(per_batch=0.1)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
    loop = TrainLoop(net(), TimedRegression(8, clock), settings(total_steps=10_000, warmup_steps=50, time_budget_s=3.0))
    assert loop.run() == "out of time" and not loop.fitted and loop.settings.total_steps == 10_000


def test_a_pause_inside_should_stop_uses_none_of_the_time_budget(monkeypatch):
    import types

    from model import train_loop

    clock = Clock(per_batch=0.25)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))

    def pause_after_step_5() -> bool:  # as the GUI's should_stop blocks while the user pauses
        if loop.step == 5:
            clock.now += 100.0  # longer than the whole budget
        return False

    loop = TrainLoop(net(), TimedRegression(8, clock), settings(total_steps=10_000, warmup_steps=50, time_budget_s=3.0))
    assert loop.run(should_stop=pause_after_step_5) == "out of time"
    assert loop.step == 12 and loop.elapsed == 3.0  # 3 s of steps; the pause is in neither


def test_a_pause_while_the_speed_is_measured_does_not_shorten_the_fitted_schedule(monkeypatch):
    import types

    from model import train_loop

    clock = Clock(per_batch=0.1, first_extra=5.0)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))

    def pause_after_step_2() -> bool:
        if loop.step == 2:
            clock.now += 100.0
        return False

    loop = TrainLoop(
        net(),
        TimedRegression(8, clock),
        settings(total_steps=10_000, warmup_steps=50, time_budget_s=30.0, fit_to_budget=True),
    )
    assert loop.run(should_stop=pause_after_step_2) == "done"
    # As in the run without a pause (test_a_time_budget_fits_the_schedule_to_the_measured_speed).
    assert loop.fitted and loop.settings.total_steps == 4 + int(10 * 24.6 * 0.98)


def test_a_warm_up_shortened_by_the_fit_climbs_on_from_where_it_was_and_resumes_alike(monkeypatch):
    import types

    from model import train_loop

    def fitted_run() -> TrainLoop:
        clock = Clock(per_batch=0.1)
        monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
        return TrainLoop(
            net(),
            TimedRegression(8, clock),
            settings(total_steps=10_000, warmup_steps=1_000, time_budget_s=30.0, fit_to_budget=True),
        )

    steps = []
    loop = fitted_run()
    assert loop.run(on_step=steps.append) == "done"
    # The speed is known after step 15 (5% of the budget): 294 steps fit, with a 29-step warm-up.
    assert (loop.settings.total_steps, loop.settings.warmup_steps) == (294, 29)
    start = 15 / 1_000  # where step 15 was on the planned warm-up
    ramp = [i / 1_000 for i in range(1, 16)] + [start + (1 - start) * i / 14 for i in range(1, 15)]
    assert [s.lr / 0.05 for s in steps[:29]] == pytest.approx(ramp)  # no leap at step 16: on, evenly, to the peak
    # Stopped inside the new warm-up and resumed (without a budget), the run has the same schedule.
    first = fitted_run()
    first.run(should_stop=lambda: first.step >= 20)
    resumed = TrainLoop(net(), Regression(8), settings(total_steps=10_000, warmup_steps=1_000, fit_to_budget=True))
    resumed.load_state_dict(first.state_dict())
    rest = []
    assert resumed.run(on_step=rest.append) == "done"
    assert [s.lr for s in rest] == [s.lr for s in steps[20:]]


def test_a_pause_on_rank_0_uses_none_of_the_other_ranks_time_budget(monkeypatch):
    """Only rank 0 asks the GUI, which blocks while the user pauses; the other ranks spend that
    time waiting in the stop vote. Seen from such a rank: the vote itself takes the pause."""
    import types

    from model import train_loop

    clock = Clock(per_batch=0.1)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=clock))
    votes = []

    def vote_waiting_for_rank_0(flag: bool, world: int) -> bool:
        votes.append(flag)
        if len(votes) == 3:  # the stop vote after step 2: rank 0 is paused for 100 s
            clock.now += 100.0
        return flag

    monkeypatch.setattr(train_loop, "all_ranks_agree", vote_waiting_for_rank_0)
    loop = TrainLoop(net(), TimedRegression(8, clock), settings(total_steps=10, time_budget_s=1.5))
    assert loop.run(should_stop=lambda: False) == "done" and loop.step == 10
