"""Pretraining, from scratch or continued from a model: MLM + NSP examples from a text corpus,
trained by the shared training loop (model/train_loop.py: AdamW, warmup then linear decay,
clipping, a wall-clock budget), with atomic checkpoints and an exact resume. Under `torchrun`
it runs data-parallel like fine-tuning; only rank 0 logs and writes.

out/ holds:  model/ (the latest Hugging Face-layout export, loadable by the app),
training_state.pt (weights, optimizer, schedule, RNG, data position; read back with
weights_only=True), cache/ (the tokenized corpus and heldout.txt), log.jsonl (every log line).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from ..atomic import atomic_write_bytes, recover_interrupted_save
from ..checkpoint import check_output_folder, load_checkpoint, save_checkpoint
from ..config import BertConfig
from ..device import resolve_device, use_bf16
from ..embeddings import sinusoidal_table
from ..errors import BertError
from ..heads import BertWithHeads, HeadSpec
from ..tokenizer import BertTokenizer
from ..train_loop import LoopSettings, Progress, TrainLoop, distributed_device, start_distributed
from .corpus import corpus_files
from .data import IGNORE_LABEL, TokenizedCorpus, epoch_examples, make_batch, tokenize_corpus
from .settings import PretrainSettings  # re-exported: the trainer's settings
from .vocab import train_wordpiece

STATE_FILE = "training_state.pt"


def progress_line(p: Progress) -> str:
    """A pretraining log line (its metrics are the log window's, see Pretrainer.run)."""
    m = p.metrics
    return (
        f"step {p.step:>7} | epoch {p.epoch} | loss {p.loss:.4f} (mlm {m['mlm_loss']:.4f}, "
        f"nsp {m['nsp_loss']:.4f}) | mlm acc {m['mlm_accuracy']:.3f} | nsp acc {m['nsp_accuracy']:.3f} | "
        f"lr {p.lr:.2e} | {p.tokens_per_s:,.0f} tok/s | ETA {_hms(p.eta_s)}"
    )


def progress_json(p: Progress) -> str:
    """A log.jsonl line: the record with its metrics flattened, one key per number."""
    fields = {k: v for k, v in asdict(p).items() if k != "metrics"}
    return json.dumps({**fields, **p.metrics})


def _empty_window() -> dict[str, float]:
    """Sums over the steps since the last log line."""
    return dict.fromkeys(
        ("loss", "mlm_loss", "nsp_loss", "mlm_correct", "mlm_total", "nsp_correct", "nsp_total", "tokens", "steps"), 0
    )


def _hms(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Pretrainer:
    def __init__(self, settings: PretrainSettings, resume: bool = False, log: Callable[[str], None] = print):
        self.log = log
        out = Path(settings.out)
        state_path = out / STATE_FILE
        self.state = None
        check_output_folder(out / "model")  # before any work: writable, and destroys nothing of the user's
        if resume:
            recover_interrupted_save(out / "model")  # a save killed mid-swap left the model beside it
            if not state_path.is_file():
                raise BertError(f"{state_path}: nothing to resume; start without --resume")
            self.state = torch.load(state_path, map_location="cpu", weights_only=True)
            saved = self.state["settings"]
            # What the data and the model are made of must not change mid-run; the budget may.
            _check_same_corpus(settings.corpus, saved.get("corpus", settings.corpus))
            for key in (
                "corpus",
                "init",
                "vocab",
                "vocab_size",
                "layers",
                "hidden",
                "heads",
                "intermediate",
                "max_len",
                "dropout",
                "position_init",
                "batch_size",
                "seed",
            ):
                setattr(settings, key, saved.get(key, getattr(settings, key)))
        self.settings = s = settings
        self.out = out
        self.device = resolve_device(distributed_device(s.device))
        self.bf16 = use_bf16(s.precision, self.device)
        corpus = corpus_files(s.corpus)  # every file named, checked before any work
        out.mkdir(parents=True, exist_ok=True)

        self.rank, self.world = start_distributed()
        if self.rank != 0:
            self.log = log = _quiet
        self.tokenizer, self.network = self._build_model(out)
        if self.rank == 0:  # the others wait, then read the cache rank 0 wrote
            self.data: TokenizedCorpus = tokenize_corpus(corpus, self.tokenizer, out / "cache", log)
        _barrier(self.world)
        if self.rank != 0:
            self.data = tokenize_corpus(corpus, self.tokenizer, out / "cache", log)
        if self.data.num_documents < 2:
            raise BertError(
                f"{_corpus_text(corpus)}: next-sentence pairs need at least two documents "
                "(separate them by blank lines)"
            )
        self.network.to(self.device)
        torch.manual_seed(s.seed)
        self.loop = TrainLoop(
            self.network,
            self,
            LoopSettings(
                lr=s.lr,
                total_steps=s.max_steps,
                warmup_steps=s.warmup_steps,
                weight_decay=s.weight_decay,
                adam_eps=1e-6,
                clip=s.clip,
                bf16=self.bf16,
                time_budget_s=s.time_budget_s,
                checkpoint_every=s.checkpoint_every,
                fit_to_budget=s.fit_schedule,
            ),
            self.rank,
            self.world,
        )
        if self.state is not None:
            self.network.load_state_dict(self.state["model"])
            # The state counts examples (exact with the same number of processes as before).
            self.loop.load_state_dict({**self.state, "position": int(self.state["position"]) // self._global_batch})
            log(f"resumed at step {self.step} (epoch {self.loop.epoch}, example {self.state['position']})")
            self.state = None  # weights and optimizer moments are in place now: free the copy

    @property
    def step(self) -> int:
        return self.loop.step

    @property
    def _global_batch(self) -> int:
        return self.settings.batch_size * self.world

    def _build_model(self, out: Path) -> tuple[BertTokenizer, BertWithHeads]:
        s = self.settings
        heads = HeadSpec(mlm=True, nsp=True)
        if s.init:
            ckpt = load_checkpoint(s.init)
            config = ckpt.config
            config.id2label = None
            self._set_dropout(config)
            s.max_len = min(s.max_len, config.max_position_embeddings)
            network = BertWithHeads(config, heads)
            network.init_weights()
            torch_state = {k: v for k, v in ckpt.network.state_dict().items() if k in network.state_dict()}
            network.load_state_dict(torch_state, strict=False)  # a missing NSP head stays freshly initialised
            network.tie_weights()
            return ckpt.tokenizer, network
        if self.state is not None:  # the vocabulary the run started with (training one is not deterministic)
            tokenizer = BertTokenizer.from_folder(out / "model", s.max_len)
        elif s.vocab:
            tokenizer = BertTokenizer.from_folder(Path(s.vocab), s.max_len)
        else:  # training a vocabulary is not deterministic: rank 0 trains it and the others read it
            shared = out / "cache" / "vocab"
            if self.rank == 0:
                corpus = corpus_files(s.corpus)
                self.log(f"training a {s.vocab_size:,}-token WordPiece vocabulary on {_corpus_text(corpus)}")
                tokenizer = train_wordpiece(corpus, s.vocab_size, s.max_len)
                if self.world > 1:
                    shared.mkdir(parents=True, exist_ok=True)
                    tokenizer.save(shared)
            _barrier(self.world)
            if self.rank != 0:
                tokenizer = BertTokenizer.from_folder(shared, s.max_len)
        config = BertConfig(
            vocab_size=tokenizer.vocab_size,
            hidden_size=s.hidden,
            num_hidden_layers=s.layers,
            num_attention_heads=s.heads,
            intermediate_size=s.intermediate,
            max_position_embeddings=s.max_len,
        )
        config.validate("settings")
        self._set_dropout(config)
        if s.position_init not in ("sinusoidal", "random"):
            raise BertError(f"unknown position initialisation '{s.position_init}'; use sinusoidal or random")
        torch.manual_seed(s.seed)
        network = BertWithHeads(config, heads)
        network.init_weights()
        if s.position_init == "sinusoidal":
            table = sinusoidal_table(config.max_position_embeddings, config.hidden_size)
            with torch.no_grad():
                network.bert.embeddings.position_embeddings.weight.copy_(
                    table * (config.initializer_range / table.std())
                )
        return tokenizer, network

    def _set_dropout(self, config: BertConfig) -> None:
        if self.settings.dropout is not None:
            config.hidden_dropout_prob = config.attention_probs_dropout_prob = self.settings.dropout

    # --- the task the training loop runs ----------------------------------------------------

    def epoch(self, epoch: int, rank: int, world: int) -> _EpochBatches:
        return _EpochBatches(
            self, epoch_examples(self.data, self.settings.max_len, self.settings.seed, epoch), epoch, rank, world
        )

    def loss(self, module: torch.nn.Module, batch) -> tuple[torch.Tensor, dict[str, float]]:
        dev = self.device
        out = module(
            batch.input_ids.to(dev),
            batch.token_type_ids.to(dev),
            batch.attention_mask.to(dev),
            mlm_positions=batch.mlm_positions.to(dev),
            classify=False,
        )
        labels, nsp = batch.mlm_labels.to(dev).flatten(), batch.nsp_labels.to(dev)  # (B * P,), IGNORE_LABEL on padding
        logits = out.mlm_logits.float().flatten(0, 1)  # (B * P, vocab)
        scored = labels != IGNORE_LABEL
        # The mean over every masked token of the global batch: with several ranks each divides its
        # sum by the global count (times the world, as DDP averages the ranks' gradients), so N
        # processes compute exactly the gradient of one process with the whole batch.
        masked = scored.sum().double()
        if self.world > 1:
            dist.all_reduce(masked)
        mlm_loss = F.cross_entropy(logits, labels, ignore_index=IGNORE_LABEL, reduction="sum") * (
            self.world / masked.clamp(min=1).float()
        )
        nsp_loss = F.cross_entropy(out.nsp_logits.float(), nsp)
        return mlm_loss + nsp_loss, {
            "loss": (mlm_loss + nsp_loss).item(),
            "mlm_loss": mlm_loss.item(),
            "nsp_loss": nsp_loss.item(),
            "mlm_correct": int(((logits.argmax(-1) == labels) & scored).sum()),
            "mlm_total": int(scored.sum()),
            "nsp_correct": int((out.nsp_logits.argmax(-1) == nsp).sum()),
            "nsp_total": int(nsp.numel()),
            "tokens": batch.num_tokens,
        }

    # --- checkpoints and the run ------------------------------------------------------------

    def save(self) -> None:
        """Write the model/ export, then training_state.pt, each atomically (rank 0; the others
        wait). The state file goes last: a run that resumes from it finds the vocabulary in model/."""
        if self.rank == 0:
            self.network.eval()
            save_checkpoint(self.network, self.tokenizer, self.out / "model")
            self.network.train()
            state = {
                "model": self.network.state_dict(),
                **self.loop.state_dict(),
                "position": self.loop.position * self._global_batch,
                "settings": asdict(self.settings),
            }
            buffer = io.BytesIO()
            torch.save(state, buffer)
            atomic_write_bytes(self.out / STATE_FILE, buffer.getvalue())
        _barrier(self.world)

    def run(
        self, should_stop: Callable[[], bool] = lambda: False, on_report: Callable[[Progress], None] | None = None
    ) -> int:
        """Train until max_steps, the time budget, or should_stop(); always ends with a checkpoint.
        on_report receives what each log line says, every log_every steps."""
        s = self.settings
        # Timed by the loop's training clock, which leaves out the pauses inside should_stop().
        window, window_started = _empty_window(), self.loop.elapsed
        log_file = open(self.out / "log.jsonl", "a", encoding="utf-8") if self.rank == 0 else None

        announced = self.loop.fitted  # a resumed run has said so already

        def report(progress: Progress) -> None:
            nonlocal window, window_started, announced
            for k, v in progress.metrics.items():
                window[k] += v
            window["steps"] += 1
            if self.loop.fitted and not announced:
                announced = True
                self.log(
                    f"measured speed: the schedule ends at step {self.loop.settings.total_steps:,}, "
                    f"with the time budget"
                )
            if progress.step % s.log_every == 0 or progress.step == progress.total_steps:
                r = _over_window(progress, _sum_over_ranks(window, self.world), self.loop.elapsed - window_started)
                self.log(progress_line(r))
                if on_report is not None and self.rank == 0:
                    on_report(r)
                if log_file is not None:
                    log_file.write(progress_json(r) + "\n")
                    log_file.flush()
                window, window_started = _empty_window(), self.loop.elapsed

        try:
            ended = self.loop.run(should_stop, report, on_checkpoint=self.save)
        finally:
            if log_file is not None:
                log_file.close()
        self.save()
        reason = {"done": "max steps reached", "out of time": "time budget used"}.get(ended, ended)
        self.log(f"{reason} at step {self.step}; model saved to {self.out / 'model'}")
        return self.step


class _EpochBatches:
    """One epoch's micro-batches for one rank, made when the loop reaches them: global batch j is
    examples [j * B * world, (j + 1) * B * world) and this rank masks and trains on its share."""

    def __init__(self, trainer: Pretrainer, examples: np.ndarray, epoch: int, rank: int, world: int):
        self.trainer, self.examples, self.epoch, self.rank, self.world = trainer, examples, epoch, rank, world
        self.batch_size = trainer.settings.batch_size

    def __len__(self) -> int:
        return len(self.examples) // (self.batch_size * self.world)

    def __getitem__(self, span: slice) -> list:
        t = self.trainer
        batches = []
        for j in range(len(self))[span]:
            first = (j * self.world + self.rank) * self.batch_size
            idx = np.arange(first, first + self.batch_size)
            batches.append(
                make_batch(
                    t.data, self.examples[idx], idx, t.tokenizer, t.settings.seed, self.epoch, pad_to=t.settings.max_len
                )
            )
        return batches


def _over_window(progress: Progress, w: dict[str, float], window_s: float) -> Progress:
    """The step's record with its loss, speed and metrics averaged over the log window: one
    step's accuracy on one batch is too noisy to read."""
    n = max(1, w["steps"])
    return replace(
        progress,
        loss=w["loss"] / n,
        tokens_per_s=w["tokens"] / max(window_s, 1e-9),
        metrics={
            "mlm_loss": w["mlm_loss"] / n,
            "nsp_loss": w["nsp_loss"] / n,
            "mlm_accuracy": w["mlm_correct"] / max(1, w["mlm_total"]),
            "nsp_accuracy": w["nsp_correct"] / max(1, w["nsp_total"]),
        },
    )


def _quiet(_line: str) -> None:
    pass


def _barrier(world: int) -> None:
    if world > 1:
        dist.barrier()


def _sum_over_ranks(window: dict[str, float], world: int) -> dict[str, float]:
    """The log window's sums over every rank (each rank saw its own share of the batch)."""
    if world == 1:
        return window
    keys = [k for k in window if k != "steps"]
    t = torch.tensor([float(window[k]) for k in keys], dtype=torch.float64)
    dist.all_reduce(t)
    sums = dict(zip(keys, t.tolist()))
    for k in ("loss", "mlm_loss", "nsp_loss"):  # means: the ranks' sums of means, back to one mean
        sums[k] /= world
    return {**sums, "steps": window["steps"]}


def _check_same_corpus(given: str | list[str], saved: str | list[str]) -> None:
    """A resumed run reads the documents it started with: another list of files would change
    which documents are held out and what an epoch is."""
    if [f.resolve() for f in corpus_files(given)] != [f.resolve() for f in corpus_files(saved)]:
        raise BertError(
            f"--corpus names other files than the run in --out started with ({_corpus_text(corpus_files(saved))}); "
            "give the same corpus to --resume, or start a new run in another --out"
        )


def _corpus_text(files: list[Path]) -> str:
    """The corpus as a message names it: its file, or its first file and how many more."""
    return str(files[0]) if len(files) == 1 else f"{files[0]} and {len(files) - 1} more file(s)"
