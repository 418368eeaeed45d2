"""The fine-tuning loop: a BERT with a fresh classification head, trained on labelled
sentences or pairs, in plain PyTorch. It reports through callbacks and checks a stop flag
between steps, so the GUI can run it on a worker thread and the CLI in a terminal.

Under `torchrun` (WORLD_SIZE > 1) the same loop runs data-parallel: one process per device,
each global batch split across the ranks (`batch_size` is per process), gradients averaged by
DistributedDataParallel, eval metrics summed across ranks, and only rank 0 reports and writes."""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from ..bert import load
from ..checkpoint import check_output_folder, save_checkpoint
from ..device import use_bf16
from ..errors import BertError
from ..heads import BertWithHeads, HeadSpec
from .datasets import LabelledDataset, check_trainable, load_dataset, split_off
from .metrics import ClassificationMetrics, classification_metrics


@dataclass
class FinetuneSettings:
    train: str  # CSV/TSV/JSONL with text + label (or text_a + text_b + label)
    out: str  # output model folder (written atomically at the end)
    eval: str | None = None  # eval file; without one, eval_fraction of train is held out
    eval_fraction: float = 0.1
    model: str | None = None  # base model folder; None = the bundled model
    text_column: str | None = None
    text_b_column: str | None = None
    label_column: str | None = None
    epochs: int = 3
    max_steps: int | None = None  # stop after this many optimizer steps (overrides epochs)
    batch_size: int = 32
    lr: float | None = None  # peak learning rate; None = suggested_learning_rate(the model's hidden size)
    warmup_ratio: float = 0.1  # share of the steps spent warming up, then linear decay to 0
    weight_decay: float = 0.01
    dropout: float | None = None  # hidden, attention and classifier dropout; None = the model's own
    max_len: int = 128  # tokens per example, [CLS]/[SEP] included
    grad_accum: int = 1  # batches per optimizer step
    clip: float = 1.0
    freeze_embeddings: bool = False
    freeze_layers: int = 0  # the lowest N encoder layers stay fixed
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"  # bf16 autocast where the hardware does it natively (CUDA, AMX CPUs), or fp32
    time_budget_s: float | None = None  # end training after this long, then evaluate and save as usual
    log_every: int = 20


def suggested_learning_rate(hidden_size: int) -> float:
    """Small BERTs take larger steps than BERT-base (whose paper range is 2e-5 to 5e-5)."""
    if hidden_size <= 256:
        return 2e-4
    if hidden_size <= 512:
        return 1e-4
    return 3e-5


@dataclass
class StepEvent:
    step: int
    total_steps: int
    epoch: int
    loss: float
    lr: float
    tokens_per_s: float
    elapsed_s: float


@dataclass
class FinetuneResult:
    metrics: ClassificationMetrics | None  # None when cancelled: a cancel stops at once, without an evaluation
    output: Path | None  # None when stopped before the end: nothing half-written
    steps: int
    labels: list[str]


def _start_distributed() -> tuple[int, int]:
    """(rank, world size); joins the process group torchrun describes, if any."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    if dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class FineTuner:
    def __init__(self, settings: FinetuneSettings):
        s = self.settings = settings
        self.rank, self.world = _start_distributed()
        device = s.device
        if self.world > 1 and torch.cuda.is_available() and device in ("auto", "cuda"):
            device = f"cuda:{os.environ.get('LOCAL_RANK', self.rank)}"
        train = load_dataset(s.train, s.text_column, s.text_b_column, s.label_column)
        if s.eval:
            eval_set = load_dataset(s.eval, s.text_column, s.text_b_column, s.label_column)
        else:
            train, eval_set = split_off(train, s.eval_fraction, s.seed)
        check_trainable(train, s.batch_size, eval_set)
        self.train_set, self.eval_set = train, eval_set
        self.labels = train.label_names
        base = load(s.model, device=device)
        if s.lr is None:
            s.lr = suggested_learning_rate(base.config.hidden_size)
        check_output_folder(s.out, source=base.path)  # before any work: the result must not destroy a folder
        self.device = base.device
        self.bf16 = use_bf16(s.precision, self.device)
        self.tokenizer = base.tokenizer.with_max_length(min(s.max_len, base.config.max_position_embeddings))
        self.network = self._classifier_from(base)
        self._freeze()
        self.train_batches = self._encode(train)
        self.eval_batches = self._encode(eval_set)
        self.trained = (DistributedDataParallel(self.network, device_ids=[self.device] if self.device.type == "cuda"
                                                else None) if self.world > 1 else self.network)

    def _classifier_from(self, base) -> BertWithHeads:
        s = self.settings
        config = replace(base.config, id2label=dict(enumerate(self.labels)), architectures=None,
                         extra=dict(base.config.extra))
        if s.dropout is not None:
            config.hidden_dropout_prob = config.attention_probs_dropout_prob = config.classifier_dropout = s.dropout
        torch.manual_seed(s.seed)
        network = BertWithHeads(config, HeadSpec(mlm=False, nsp=False, classifier="sequence",
                                                 num_labels=len(self.labels)))
        network.init_weights()  # the new head (and a pooler the base may lack) start from BERT's init
        trunk = {k: v for k, v in base.network.state_dict().items() if k.startswith("bert.")}
        network.load_state_dict(trunk, strict=False)
        return network.to(self.device)

    def _freeze(self) -> None:
        s = self.settings
        bert = self.network.bert
        frozen = list(bert.embeddings.parameters()) if s.freeze_embeddings else []
        for layer in bert.encoder.layer[: s.freeze_layers]:
            frozen += list(layer.parameters())
        for p in frozen:
            p.requires_grad_(False)

    def _encode(self, ds: LabelledDataset) -> list[tuple[list[int], list[int], int]]:
        label_id = {name: i for i, name in enumerate(self.labels)}
        out = []
        for e in ds.examples:
            enc = self.tokenizer.encode(e.text, e.text_b)
            out.append((enc.ids, enc.segment_ids, label_id[e.label]))
        return out

    def _collate(self, items) -> tuple[torch.Tensor, ...]:
        # Widths rounded up to a multiple of 8: a handful of tensor shapes per run keeps the
        # kernels' per-shape caches small (the padding is masked out, so the result is the same).
        T = -(-max(len(ids) for ids, _, _ in items) // 8) * 8
        ids = torch.full((len(items), T), self.tokenizer.pad_token_id, dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for r, (i, t, _) in enumerate(items):
            ids[r, : len(i)] = torch.tensor(i)
            types[r, : len(t)] = torch.tensor(t)
            mask[r, : len(i)] = 1
        labels = torch.tensor([label for _, _, label in items])
        return tuple(x.to(self.device) for x in (ids, types, mask, labels))

    def _logits(self, ids, types, mask, module=None) -> torch.Tensor:
        autocast = torch.autocast(self.device.type, dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with autocast:
            return (module or self.network)(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits

    @torch.no_grad()
    def evaluate(self) -> ClassificationMetrics:
        self.network.eval()
        shard = self.eval_batches[self.rank::self.world]  # each rank scores its share
        loss_sum = 0.0
        n = len(self.labels)
        confusion = torch.zeros(n * n, dtype=torch.float64)
        for start in range(0, len(shard), 64):
            ids, types, mask, labels = self._collate(shard[start:start + 64])
            logits = self._logits(ids, types, mask).float()
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            pairs = (labels * n + logits.argmax(-1)).cpu()
            confusion += torch.bincount(pairs, minlength=n * n).double()
        totals = torch.cat([confusion, torch.tensor([loss_sum], dtype=torch.float64)])
        if self.world > 1:
            dist.all_reduce(totals)  # gloo and NCCL both sum float64 on the CPU/GPU it lives on
        self.network.train()
        matrix = totals[:-1].view(n, n).long().numpy()
        true = np.repeat(np.arange(n), matrix.sum(1))
        predicted = np.concatenate([np.repeat(np.arange(n), row) for row in matrix])
        return classification_metrics(true, predicted, n, float(totals[-1]) / len(self.eval_batches))

    def total_steps(self) -> int:
        s = self.settings
        per_epoch = math.ceil(len(self.train_batches) / (s.batch_size * self.world * s.grad_accum))
        return s.max_steps if s.max_steps is not None else per_epoch * s.epochs

    def _out_of_time(self, elapsed: float) -> bool:
        over = torch.tensor([float(elapsed >= self.settings.time_budget_s)])
        if self.world > 1:
            dist.all_reduce(over, op=dist.ReduceOp.MAX)  # the ranks' clocks differ; all stop at the same step
        return bool(over.item())

    def run(self, on_step: Callable[[StepEvent], None] | None = None,
            on_eval: Callable[[int, ClassificationMetrics], None] | None = None,
            should_stop: Callable[[], bool] = lambda: False) -> FinetuneResult:
        s = self.settings
        total = self.total_steps()
        warmup = max(1, round(s.warmup_ratio * total))
        params = [(n, p) for n, p in self.network.named_parameters() if p.requires_grad]
        decay = [p for n, p in params if p.ndim >= 2 and "LayerNorm" not in n]
        no_decay = [p for n, p in params if p.ndim < 2 or "LayerNorm" in n]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay},
                                       {"params": no_decay, "weight_decay": 0.0}], lr=s.lr,
                                      fused=True)  # one kernel for all tensors: the same update, a little faster
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
        generator = torch.Generator().manual_seed(s.seed)
        torch.manual_seed(s.seed)  # dropout: same seed, same data, same device -> same result
        self.network.train()
        step, epoch, started, tokens = 0, 0, time.monotonic(), 0
        stopped = out_of_time = False  # stopped: cancelled, nothing is saved; out of time: evaluated and saved
        global_batch = s.batch_size * self.world
        while step < total and not stopped and not out_of_time:
            order = torch.randperm(len(self.train_batches), generator=generator).tolist()  # the same on every rank
            batches = [order[i:i + global_batch][self.rank::self.world] for i in range(0, len(order), global_batch)]
            batches = [b for b in batches if b]
            for group_start in range(0, len(batches), s.grad_accum):
                if step >= total or should_stop():
                    stopped = step < total
                    break
                if s.time_budget_s is not None and self._out_of_time(time.monotonic() - started):
                    out_of_time = True
                    break
                optimizer.zero_grad(set_to_none=True)
                group = batches[group_start:group_start + s.grad_accum]
                loss_sum = 0.0
                for k, batch in enumerate(group):
                    ids, types, mask, labels = self._collate([self.train_batches[i] for i in batch])
                    last = k == len(group) - 1
                    sync = self.trained.no_sync() if self.world > 1 and not last else contextlib.nullcontext()
                    with sync:  # DDP averages gradients once per optimizer step
                        loss = F.cross_entropy(self._logits(ids, types, mask, self.trained).float(), labels)
                        if torch.isfinite(loss):
                            (loss / len(group)).backward()
                    if not torch.isfinite(loss):
                        raise BertError(f"the loss became {loss.item()} at step {step + 1}; "
                                        "lower the learning rate and start again")
                    loss_sum += loss.item() / len(group)
                    tokens += int(mask.sum())
                torch.nn.utils.clip_grad_norm_(self.network.parameters(), s.clip)
                optimizer.step()
                scheduler.step()
                step += 1
                if on_step and self.rank == 0 and (step % s.log_every == 0 or step == total):
                    elapsed = time.monotonic() - started
                    on_step(StepEvent(step, total, epoch, loss_sum, scheduler.get_last_lr()[0],
                                      tokens / max(elapsed, 1e-9), elapsed))
            epoch += 1
            if not stopped and not out_of_time and (on_eval or self.world > 1):
                metrics = self.evaluate()  # every rank takes part in the reduction, reporting or not
                if on_eval and self.rank == 0:
                    on_eval(step, metrics)
        if stopped:
            return FinetuneResult(None, None, step, self.labels)
        metrics = self.evaluate()
        self.network.eval()
        output = None
        if self.rank == 0:
            output = save_checkpoint(self.network, self.tokenizer, Path(s.out))
        if self.world > 1:
            dist.barrier()  # no rank returns before the model is on disk
            output = Path(s.out)
        return FinetuneResult(metrics, output, step, self.labels)
