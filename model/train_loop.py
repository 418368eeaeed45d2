"""The one training loop behind fine-tuning (sentence and pair classification) and
pretraining (masked LM + next sentence, from scratch or continued on a user's text).

A task says what an epoch's micro-batches are and how one becomes a loss; the loop owns the
rest: AdamW with BERT's weight-decay groups, warmup then linear decay, gradient accumulation
and clipping, bf16 autocast, the NaN check, the stop flag and the time budget between steps,
checkpoint and epoch callbacks, and its own state for an exact resume (same device, same number of processes; the CUDA
random state is not kept, so with dropout on a GPU the resumed run differs slightly).

Under `torchrun` (WORLD_SIZE > 1) the same loop runs data-parallel: one process per device,
each rank taking its share of every global batch from the task, gradients averaged by
DistributedDataParallel once per optimizer step, and the ranks agreeing on when to stop.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from .errors import BertError


class Task(Protocol):
    def epoch(self, epoch: int, rank: int, world: int) -> Sequence[Any]:
        """This rank's micro-batches of the given epoch, in order (the same for the same epoch),
        as a sized sequence that can be sliced. Every rank must get as many as the others: each
        micro-batch is a gradient reduction all ranks take part in."""

    def loss(self, module: nn.Module, batch: Any) -> tuple[torch.Tensor, dict[str, float]]:
        """The batch's mean loss, and sums worth reporting (tokens, correct predictions, ...)."""


@dataclass
class LoopSettings:
    lr: float  # peak learning rate
    total_steps: int  # optimizer steps; the schedule decays to 0 here and training stops
    warmup_steps: int  # linear warmup from 0 to lr, then linear decay to 0
    weight_decay: float = 0.01  # AdamW, not on biases and LayerNorm
    adam_eps: float = 1e-8
    clip: float = 1.0  # max global gradient norm
    grad_accum: int = 1  # micro-batches per optimizer step
    bf16: bool = False  # bf16 autocast for the forward pass (the loss is computed in fp32)
    time_budget_s: float | None = None  # stop between steps after this much training time (pauses left out)
    checkpoint_every: int | None = None  # call on_checkpoint every N steps
    fit_to_budget: bool = False  # total_steps is only a cap: a run that starts inside the warm-up with a time
    # budget sets total_steps from its measured speed so that the decay ends with the budget,
    # and a resumed run keeps the length it chose (see TrainLoop._fit_schedule)


@dataclass
class Progress:
    """Where a run stands after a step: the one record the trainers, the CLI and the GUI share."""

    step: int  # optimizer steps done
    total_steps: int  # the schedule's length (a time budget may fit it shorter as the run goes)
    epoch: int
    loss: float  # mean over the step's micro-batches
    lr: float  # the learning rate the step used
    tokens_per_s: float  # over this run's training time (pauses left out)
    elapsed_s: float  # training time, over resumes too
    eta_s: float  # training time left: to the schedule's end at this run's speed, or to the time budget's
    metrics: dict[str, float] = field(default_factory=dict)  # the task's sums over the step, or what a trainer
    # makes of them (pretraining: MLM and NSP losses and accuracies)


def start_distributed() -> tuple[int, int]:
    """(rank, world size); joins the process group torchrun describes, if any."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            # NCCL for CUDA tensors (gradients), gloo for the CPU ones (stop flags, metric sums) and
            # for CPU models on a machine that also has a GPU.
            dist.init_process_group("cuda:nccl,cpu:gloo")
        else:
            dist.init_process_group("gloo")
    if dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def stop_distributed() -> None:
    """Leave the process group, if this process joined one. A process that exits still in it can
    abort in gloo's threads at interpreter exit ("terminate called without an active exception",
    SIGABRT), which fails the whole torchrun job after the work is done."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def distributed_device(device: str) -> str:
    """Under torchrun with GPUs, each process takes the GPU of its local rank."""
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and torch.cuda.is_available() and device in ("auto", "cuda"):
        return f"cuda:{os.environ.get('LOCAL_RANK', '0')}"
    return device


def all_ranks_agree(flag: bool, world: int) -> bool:
    """True on every rank if it is true on any: the ranks' clocks and flags differ, but all must
    stop at the same step or the next gradient reduction waits forever."""
    if world == 1:
        return flag
    t = torch.tensor([float(flag)])
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


class TrainLoop:
    def __init__(self, network: nn.Module, task: Task, settings: LoopSettings, rank: int = 0, world: int = 1):
        self.network, self.task, self.settings = network, task, settings
        self.rank, self.world = rank, world
        self.device = next(network.parameters()).device
        self.trained = network
        if world > 1:
            self.trained = DistributedDataParallel(
                network, device_ids=[self.device] if self.device.type == "cuda" else None
            )
        decay, no_decay = [], []
        for name, p in network.named_parameters():
            if p.requires_grad:
                (no_decay if p.ndim < 2 or "LayerNorm" in name else decay).append(p)
        self.optimizer = torch.optim.AdamW(
            [{"params": decay, "weight_decay": settings.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=settings.lr,
            eps=settings.adam_eps,
            fused=True,
        )  # one kernel for all tensors: the same update, faster
        self.ramp_from = (-1, 0.0)  # the (step, factor) the warm-up climbs from: moved by a fit that shortens it
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._lr_factor)
        self.step = self.epoch = 0
        self.position = 0  # micro-batches of the current epoch already trained on
        self.elapsed = 0.0  # training time (pauses left out), over resumes too
        self.fitted = False  # total_steps was set from the measured speed (fit_to_budget)

    def _lr_factor(self, step: int) -> float:
        """The learning rate, as a fraction of the peak, for the optimizer step after `step` steps."""
        s = self.settings
        if step < s.warmup_steps:  # linear from ramp_from to 1.0 at the warm-up's last step
            start, factor = self.ramp_from
            return factor + (1 - factor) * (step - start) / (s.warmup_steps - 1 - start)
        return max(0.0, (s.total_steps - step) / max(1, s.total_steps - s.warmup_steps))

    # --- state, for an exact resume ------------------------------------------------------

    def state_dict(self) -> dict:
        return {
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "step": self.step,
            "epoch": self.epoch,
            "position": self.position,
            "elapsed": self.elapsed,
            "total_steps": self.settings.total_steps,
            "warmup_steps": self.settings.warmup_steps,
            "fitted": self.fitted,
            "ramp_from": self.ramp_from,
        }

    def load_state_dict(self, state: dict) -> None:
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        self.step, self.epoch, self.position = (int(state[k]) for k in ("step", "epoch", "position"))
        self.elapsed = float(state["elapsed"])
        if self.settings.fit_to_budget and state.get("fitted"):  # an interrupted run keeps the schedule it chose
            self.settings.total_steps = int(state["total_steps"])
            self.settings.warmup_steps = int(state["warmup_steps"])
            self.ramp_from = tuple(state.get("ramp_from", self.ramp_from))  # older states lack it
            self.fitted = True

    # --- training -------------------------------------------------------------------------

    def run(
        self,
        should_stop: Callable[[], bool] = lambda: False,
        on_step: Callable[[Progress], None] | None = None,
        on_epoch_end: Callable[[int], None] | None = None,
        on_checkpoint: Callable[[], None] | None = None,
    ) -> str:
        """Train until total_steps, the time budget or should_stop() (checked between steps).
        Returns why it ended: "done", "out of time" or "stopped".

        should_stop() may block while the user pauses (as the GUI's does): the time it takes is not
        training time, so it counts neither against the budget nor in `elapsed` and the speed."""
        s = self.settings
        started, elapsed_before = time.monotonic(), self.elapsed
        waited = 0.0  # in should_stop(): paused, not training

        def training_s() -> float:
            return time.monotonic() - started - waited

        steps_before, tokens = self.step, 0  # this run's speed is measured from here
        batches = self.task.epoch(self.epoch, self.rank, self.world)
        if not batches:  # every epoch has the same data, so one check does
            raise BertError("the training data makes no batch; add data or lower the batch size")
        self.network.train()
        first_step_done = None  # (time, step) after this run's first step: the speed is measured from there
        # Only inside the warm-up does the schedule not depend on its length yet: a run past it keeps its own.
        fitting = s.fit_to_budget and s.time_budget_s is not None and not self.fitted and self.step < s.warmup_steps
        while self.step < s.total_steps:
            # Stop and time first: a cancel at an epoch's end does not wait for its evaluation.
            # A pause blocks rank 0 in should_stop() and the other ranks here, waiting for its vote:
            # the wait ends after the vote so that every rank leaves the same pause out.
            asked = time.monotonic()
            stop = all_ranks_agree(should_stop(), self.world)
            waited += time.monotonic() - asked
            if stop:
                return "stopped"
            over = s.time_budget_s is not None and training_s() >= s.time_budget_s
            if s.time_budget_s is not None and all_ranks_agree(over, self.world):
                return "out of time"
            if self.position >= len(batches):  # the epoch is over
                if on_epoch_end is not None:
                    on_epoch_end(self.epoch)
                    self.network.train()
                self.epoch, self.position = self.epoch + 1, 0
                batches = self.task.epoch(self.epoch, self.rank, self.world)
            group = batches[self.position : self.position + s.grad_accum]
            try:
                loss, lr, sums = self._optimizer_step(group)
            except torch.OutOfMemoryError:
                self.optimizer.zero_grad(set_to_none=True)  # give the memory back before saying so
                if self.device.type == "cuda":
                    torch.cuda.empty_cache()
                raise BertError(
                    f"the {self.device.type.upper()} ran out of memory at step {self.step + 1}; "
                    "use a smaller batch size or a shorter maximum length"
                ) from None
            self.position += len(group)  # only once the step is done, so the state stays consistent
            now = training_s()
            self.elapsed = elapsed_before + now
            if fitting:
                if first_step_done is None:  # the first step pays for warming up: leave it out
                    first_step_done = (now, self.step)
                # Every rank decides at the same step (their clocks differ), then they agree on a length.
                elif all_ranks_agree(self._speed_known(now, self.step - first_step_done[1]), self.world):
                    rate = (self.step - first_step_done[1]) / max(now - first_step_done[0], 1e-9)
                    self._fit_schedule(rate, s.time_budget_s - now)
                    fitting = False
            if on_step is not None:
                tokens += sums.get("tokens", 0)
                budget_left = None if s.time_budget_s is None else s.time_budget_s - now
                on_step(
                    Progress(
                        self.step,
                        s.total_steps,
                        self.epoch,
                        loss,
                        lr,
                        tokens / max(now, 1e-9),
                        self.elapsed,
                        self._eta(now / (self.step - steps_before), budget_left),
                        sums,
                    )
                )
            if (
                on_checkpoint is not None
                and s.checkpoint_every
                and self.step % s.checkpoint_every == 0
                and self.step < s.total_steps
            ):  # the last step's model is the caller's to save
                on_checkpoint()
        return "done"

    def _eta(self, s_per_step: float, budget_left_s: float | None) -> float:
        """Training time left: the rest of the schedule at this speed, or of the time budget if less."""
        eta = s_per_step * (self.settings.total_steps - self.step)
        return eta if budget_left_s is None else min(eta, max(0.0, budget_left_s))

    def _speed_known(self, run_s: float, steps: int) -> bool:
        """Measure over a few steps and 5% of the budget, or until the warm-up ends: inside the
        warm-up the learning rate does not depend on total_steps, so fitting there changes
        nothing already done, and the run is as if it had known its length from the start."""
        s = self.settings
        return steps >= 3 and (run_s >= 0.05 * s.time_budget_s or self.step >= s.warmup_steps - 1)

    def _fit_schedule(self, steps_per_s: float, remaining_s: float) -> None:
        """Set total_steps to the steps the rest of the budget allows at this speed (2% short,
        so that a slower stretch still reaches the end of the decay), capped by the given total.
        A budget shorter than the warm-up shortens the warm-up to a tenth of the run, so that
        the learning rate still climbs and then decays to 0; it climbs on from where the last
        step was, as restarting the ramp on the shorter warm-up would make it leap."""
        s = self.settings
        fitted = self.step + int(steps_per_s * max(0.0, remaining_s) * 0.98)
        if self.world > 1:  # every rank must stop at the same step
            t = torch.tensor([float(fitted)])
            dist.all_reduce(t, op=dist.ReduceOp.MIN)
            fitted = int(t.item())
        s.total_steps = max(self.step + 1, min(s.total_steps, fitted))
        if s.total_steps <= s.warmup_steps:
            self.ramp_from = (self.step - 1, self._lr_factor(self.step - 1))
            s.warmup_steps = max(self.step + 1, s.total_steps // 10)
        self.fitted = True
        # The scheduler has set the next step's learning rate from the old schedule: set it again.
        self.scheduler.last_epoch -= 1
        self.scheduler.step()

    def _optimizer_step(self, group: Sequence[Any]) -> tuple[float, float, dict[str, float]]:
        """One optimizer step over the group: its mean loss, the learning rate it used and the task's sums."""
        s = self.settings
        lr = self.scheduler.get_last_lr()[0]
        self.optimizer.zero_grad(set_to_none=True)
        loss_sum, sums = 0.0, {}
        for k, batch in enumerate(group):
            last = k == len(group) - 1
            sync = self.trained.no_sync() if self.world > 1 and not last else contextlib.nullcontext()
            with sync:  # DDP averages the gradients once, on the step's last micro-batch
                autocast = (
                    torch.autocast(self.device.type, dtype=torch.bfloat16) if s.bf16 else contextlib.nullcontext()
                )
                with autocast:
                    loss, batch_sums = self.task.loss(self.trained, batch)
                if not torch.isfinite(loss):
                    raise BertError(
                        f"the loss became {loss.item()} at step {self.step + 1}; "
                        "lower the learning rate and start again"
                    )
                (loss / len(group)).backward()
            loss_sum += loss.item() / len(group)
            for key, value in batch_sums.items():
                sums[key] = sums.get(key, 0) + value
        torch.nn.utils.clip_grad_norm_(self.network.parameters(), s.clip)
        self.optimizer.step()
        self.scheduler.step()
        self.step += 1
        return loss_sum, lr, sums
