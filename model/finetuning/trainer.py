"""Fine-tuning: a BERT with a fresh classification head, trained on labelled sentences or
pairs (here) or on tagged words (token_trainer.py, which shares all but the data and the scores)
by the shared training loop (model/train_loop.py), which reports through callbacks and
checks a stop flag between steps, so the GUI can run it on a worker thread and the CLI in a
terminal.

Under `torchrun` (WORLD_SIZE > 1) it runs data-parallel: one process per device, each global
batch split across the ranks (`batch_size` is per process), eval metrics summed across ranks,
and only rank 0 reports and writes."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from ..bert import BUNDLED_MODEL, Bert, load
from ..checkpoint import check_output_folder, save_checkpoint
from ..device import use_bf16
from ..heads import BertWithHeads, HeadSpec
from ..train_loop import LoopSettings, Progress, TrainLoop, distributed_device, start_distributed
from .datasets import LabelledDataset, check_trainable, load_dataset, split_off
from .metrics import ClassificationMetrics, classification_metrics
from .settings import FinetuneSettings, suggested_learning_rate  # re-exported: the trainer's settings
from .token_metrics import TaggingMetrics


@dataclass
class FinetuneResult:
    metrics: ClassificationMetrics | TaggingMetrics | None  # None when cancelled: a cancel stops at once, without an
    # evaluation; TaggingMetrics for a token classifier
    output: Path | None  # None when cancelled before any checkpoint: nothing half-written
    steps: int
    labels: list[str]  # the classes, or a tagger's tags
    task: str = "sequence"  # FinetuneSettings.task: "sequence" or "tokens"


def make_fine_tuner(settings: FinetuneSettings, load_base: Callable[[str | None, str], Bert] = load) -> FineTuner:
    """The trainer of the settings' task: a class per sentence, or a tag per word."""
    if settings.task == "tokens":
        from .token_trainer import TokenFineTuner

        return TokenFineTuner(settings, load_base)
    return FineTuner(settings, load_base)


class FineTuner:
    """A class per sentence (or pair), from the pooled [CLS] vector."""

    head = "sequence"  # the classifier this task puts on the encoder (HeadSpec.classifier)

    def __init__(self, settings: FinetuneSettings, load_base: Callable[[str | None, str], Bert] = load):
        """`load_base(folder, device)` reads the model to start from: the GUI passes its cache, which
        then has the base at hand to compare the result with."""
        s = self.settings = settings
        self.rank, self.world = start_distributed()
        device = distributed_device(s.device)
        # Before any work: the result must not destroy a folder, and must be writable.
        check_output_folder(s.out, source=s.model or BUNDLED_MODEL)
        self.notes: list[str] = []  # what the run should say about its data before it starts, a line each
        self.train_set, self.eval_set = self._read_data()
        self.labels = self._label_names()
        base = load_base(s.model, device)
        if s.lr is None:
            s.lr = suggested_learning_rate(base.config.hidden_size)
        self.device = base.device
        self.bf16 = use_bf16(s.precision, self.device)
        self.tokenizer = base.tokenizer.with_max_length(min(s.max_len, base.config.max_position_embeddings))
        self.network = self._classifier_from(base)
        self._freeze()
        self.train_batches = self._encode(self.train_set)
        self.eval_batches = self._encode_eval(self.eval_set)
        self.checkpointed = False  # a complete model is in settings.out from a checkpoint of this run

    def _read_data(self) -> tuple[LabelledDataset, LabelledDataset]:
        s = self.settings
        train = load_dataset(s.train, s.text_column, s.text_b_column, s.label_column)
        if s.eval:
            eval_set = load_dataset(s.eval, s.text_column, s.text_b_column, s.label_column)
        else:
            train, eval_set = split_off(train, s.eval_fraction, s.seed)
        check_trainable(train, s.batch_size, eval_set)
        return train, eval_set

    def _label_names(self) -> list[str]:
        return self.train_set.label_names

    def _classifier_from(self, base) -> BertWithHeads:
        s = self.settings
        config = replace(
            base.config, id2label=dict(enumerate(self.labels)), architectures=None, extra=dict(base.config.extra)
        )
        if s.dropout is not None:
            config.hidden_dropout_prob = config.attention_probs_dropout_prob = config.classifier_dropout = s.dropout
        torch.manual_seed(s.seed)
        # A token classifier has no pooler, as in Hugging Face's BertForTokenClassification.
        heads = HeadSpec(
            mlm=False, nsp=False, classifier=self.head, num_labels=len(self.labels), pooler=self.head == "sequence"
        )
        network = BertWithHeads(config, heads)
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

    def _encode_eval(self, ds: LabelledDataset) -> list[tuple[list[int], list[int], int]]:
        return self._encode(ds)

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

    def _logits(self, ids, types, mask) -> torch.Tensor:
        autocast = torch.autocast(self.device.type, dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with autocast:
            return self.network(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits

    # --- the task the training loop runs ----------------------------------------------------

    def epoch(self, epoch: int, rank: int, world: int) -> list[np.ndarray]:
        """This rank's micro-batches (example indices): each global batch of batch_size x world
        shuffled examples, split across the ranks; the order depends only on the seed and epoch."""
        order = np.random.default_rng([self.settings.seed, epoch]).permutation(len(self.train_batches))
        size = self.settings.batch_size * world
        # A last global batch of fewer than `world` rows is dropped: every rank needs a share.
        return [order[i : i + size][rank::world] for i in range(0, len(order), size) if len(order) - i >= world]

    def loss(self, module: torch.nn.Module, batch: np.ndarray) -> tuple[torch.Tensor, dict[str, float]]:
        ids, types, mask, labels = self._collate([self.train_batches[i] for i in batch])
        logits = module(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits
        return F.cross_entropy(logits.float(), labels), {"tokens": int(mask.sum())}

    @torch.no_grad()
    def evaluate(self) -> ClassificationMetrics:
        self.network.eval()
        shard = self.eval_batches[self.rank :: self.world]  # each rank scores its share
        loss_sum = 0.0
        n = len(self.labels)
        confusion = torch.zeros(n * n, dtype=torch.float64)
        for start in range(0, len(shard), 64):
            ids, types, mask, labels = self._collate(shard[start : start + 64])
            logits = self._logits(ids, types, mask).float()
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            pairs = (labels * n + logits.argmax(-1)).cpu()
            confusion += torch.bincount(pairs, minlength=n * n).double()
        totals = torch.cat([confusion, torch.tensor([loss_sum], dtype=torch.float64)])
        if self.world > 1:
            dist.all_reduce(totals)  # a CPU tensor: summed by gloo (see train_loop.start_distributed)
        self.network.train()
        matrix = totals[:-1].view(n, n).long().numpy()
        true = np.repeat(np.arange(n), matrix.sum(1))
        predicted = np.concatenate([np.repeat(np.arange(n), row) for row in matrix])
        return classification_metrics(true, predicted, n, float(totals[-1]) / len(self.eval_batches))

    def total_steps(self) -> int:
        s = self.settings
        per_epoch = math.ceil(len(self.train_batches) / (s.batch_size * self.world * s.grad_accum))
        return s.max_steps if s.max_steps is not None else per_epoch * s.epochs

    def run(
        self,
        on_step: Callable[[Progress], None] | None = None,
        on_eval: Callable[[int, ClassificationMetrics | TaggingMetrics], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> FinetuneResult:
        s = self.settings
        planned = self.total_steps()
        # With a time limit the learning rate decays to 0 as it ends, not at the end of steps it
        # would never reach (the epochs or max_steps are then a cap).
        loop = TrainLoop(
            self.network,
            self,
            LoopSettings(
                lr=s.lr,
                total_steps=planned,
                warmup_steps=max(1, round(s.warmup_ratio * planned)),
                weight_decay=s.weight_decay,
                clip=s.clip,
                grad_accum=s.grad_accum,
                bf16=self.bf16,
                time_budget_s=s.time_budget_s,
                checkpoint_every=s.checkpoint_every,
                fit_to_budget=True,
            ),
            self.rank,
            self.world,
        )
        torch.manual_seed(s.seed)  # dropout: same seed, same data, same device -> same result

        def report(progress: Progress) -> None:
            if (
                on_step
                and self.rank == 0
                and (progress.step % s.log_every == 0 or progress.step == progress.total_steps)
            ):
                on_step(progress)

        evaluated: dict[int, ClassificationMetrics | TaggingMetrics] = {}  # by step

        def evaluate_epoch(_epoch: int) -> None:
            if on_eval or self.world > 1:
                evaluated[loop.step] = self.evaluate()  # every rank takes part in the reduction
                if on_eval and self.rank == 0:
                    on_eval(loop.step, evaluated[loop.step])

        ended = loop.run(should_stop, report, evaluate_epoch, self._save)
        if ended == "stopped":  # at once, without an evaluation; only a complete checkpoint remains
            return FinetuneResult(None, Path(s.out) if self.checkpointed else None, loop.step, self.labels, s.task)
        metrics = evaluated.get(loop.step)  # out of time right after an epoch's evaluation: no second one
        if metrics is None:
            metrics = self.evaluate()
            if on_eval and self.rank == 0:
                on_eval(loop.step, metrics)
        self._save()
        self.network.eval()
        return FinetuneResult(metrics, Path(s.out), loop.step, self.labels, s.task)

    def _save(self) -> None:
        """Write the model to settings.out (atomically; rank 0 only, the others wait for it)."""
        if self.rank == 0:
            self.network.eval()
            save_checkpoint(self.network, self.tokenizer, Path(self.settings.out))
            self.network.train()
        if self.world > 1:
            dist.barrier()
        self.checkpointed = True
