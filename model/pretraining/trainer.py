"""The pretraining loop: MLM + NSP, AdamW, warmup then linear decay, clipping, atomic
checkpoints, exact resume and a wall-clock budget.

out/ holds:  model/ (the latest Hugging Face-layout export, loadable by the app),
training_state.pt (weights, optimizer, schedule, RNG, data position; read back with
weights_only=True), cache/ (the tokenized corpus and heldout.txt), log.jsonl (every log line).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..atomic import atomic_write_bytes
from ..checkpoint import load_checkpoint, save_checkpoint
from ..config import BertConfig
from ..device import resolve_device, use_bf16
from ..embeddings import sinusoidal_table
from ..errors import BertError
from ..heads import BertWithHeads, HeadSpec
from ..tokenizer import BertTokenizer
from .data import IGNORE_LABEL, TokenizedCorpus, epoch_examples, make_batch, tokenize_corpus
from .vocab import train_wordpiece

STATE_FILE = "training_state.pt"


@dataclass
class PretrainSettings:
    corpus: str  # text file: documents separated by blank lines, one sentence per line
    out: str  # output folder (see the module docstring)
    init: str | None = None  # continue from this model folder (keeps its vocabulary and architecture)
    vocab: str | None = None  # use this folder's vocabulary (vocab.txt/tokenizer.json) instead of training one
    vocab_size: int = 12_000  # WordPiece vocabulary trained on the corpus (from scratch, without --vocab)
    layers: int = 4
    hidden: int = 256
    heads: int = 4
    intermediate: int = 1024
    max_len: int = 128  # tokens per example, [CLS]/[SEP] included; also max_position_embeddings
    dropout: float | None = None  # hidden and attention dropout while pretraining; None = BERT's 0.1 (or --init's)
    position_init: str = "sinusoidal"  # from scratch: the learned position embeddings start as a sinusoidal
    # table scaled to the other embeddings' std ("random": N(0, 0.02) as in BERT). Relative offsets are then
    # one linear map from the start, so previous/next-token heads form thousands of steps sooner.
    batch_size: int = 64
    lr: float = 5e-4  # peak learning rate
    warmup_steps: int = 1_000
    max_steps: int = 100_000  # the schedule's length; training stops here
    weight_decay: float = 0.01
    clip: float = 1.0  # max global gradient norm
    seed: int = 0
    precision: str = "auto"  # auto (bf16 where the hardware does it natively, else fp32), bf16, fp32
    log_every: int = 50
    checkpoint_every: int = 500
    time_budget_s: float | None = None  # stop cleanly (with a checkpoint) after this many seconds
    device: str = "auto"


@dataclass
class StepReport:
    step: int
    epoch: int
    loss: float
    mlm_loss: float
    nsp_loss: float
    mlm_accuracy: float
    nsp_accuracy: float
    lr: float
    tokens_per_s: float
    elapsed_s: float
    eta_s: float

    def line(self) -> str:
        return (f"step {self.step:>7} | epoch {self.epoch} | loss {self.loss:.4f} (mlm {self.mlm_loss:.4f}, "
                f"nsp {self.nsp_loss:.4f}) | mlm acc {self.mlm_accuracy:.3f} | nsp acc {self.nsp_accuracy:.3f} | "
                f"lr {self.lr:.2e} | {self.tokens_per_s:,.0f} tok/s | ETA {_hms(self.eta_s)}")


def _empty_window() -> dict[str, float]:
    """Sums over the steps since the last log line."""
    return dict.fromkeys(("loss", "mlm_loss", "nsp_loss", "mlm_correct", "mlm_total", "nsp_correct", "nsp_total",
                          "tokens", "steps"), 0)


def _hms(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Pretrainer:
    def __init__(self, settings: PretrainSettings, resume: bool = False, log: Callable[[str], None] = print):
        self.log = log
        out = Path(settings.out)
        state_path = out / STATE_FILE
        self.state = None
        if resume:
            if not state_path.is_file():
                raise BertError(f"{state_path}: nothing to resume; start without --resume")
            self.state = torch.load(state_path, map_location="cpu", weights_only=True)
            saved = self.state["settings"]
            # What the data and the model are made of must not change mid-run; the budget may.
            for key in ("corpus", "init", "vocab", "vocab_size", "layers", "hidden", "heads", "intermediate", "max_len",
                        "dropout", "position_init", "batch_size", "seed"):
                setattr(settings, key, saved.get(key, getattr(settings, key)))
        self.settings = s = settings
        self.out = out
        self.device = resolve_device(s.device)
        self.bf16 = use_bf16(s.precision, self.device)
        corpus = Path(s.corpus)
        if not corpus.is_file():
            raise BertError(f"{corpus}: no such corpus file")
        out.mkdir(parents=True, exist_ok=True)

        self.tokenizer, self.network = self._build_model(out)
        self.data: TokenizedCorpus = tokenize_corpus(corpus, self.tokenizer, out / "cache", log)
        if self.data.num_documents < 2:
            raise BertError(f"{corpus}: next-sentence pairs need at least two documents (separate them by blank lines)")
        self.network.to(self.device).train()
        decay, no_decay = [], []
        for name, p in self.network.named_parameters():
            (no_decay if p.ndim < 2 or "LayerNorm" in name else decay).append(p)
        self.optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay},
                                            {"params": no_decay, "weight_decay": 0.0}],
                                           lr=s.lr, betas=(0.9, 0.999), eps=1e-6)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._lr_factor)
        self.step, self.epoch, self.position, self.elapsed = 0, 0, 0, 0.0
        torch.manual_seed(s.seed)
        if self.state is not None:
            self.network.load_state_dict(self.state["model"])
            self.optimizer.load_state_dict(self.state["optimizer"])
            self.scheduler.load_state_dict(self.state["scheduler"])
            self.step, self.epoch, self.position = (int(self.state[k]) for k in ("step", "epoch", "position"))
            self.elapsed = float(self.state["elapsed"])
            torch.set_rng_state(self.state["torch_rng"])
            log(f"resumed at step {self.step} (epoch {self.epoch}, example {self.position})")
        self.examples = epoch_examples(self.data, s.max_len, s.seed, self.epoch)

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
        else:
            self.log(f"training a {s.vocab_size:,}-token WordPiece vocabulary on {s.corpus}")
            tokenizer = train_wordpiece(Path(s.corpus), s.vocab_size, s.max_len)
        config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=s.hidden, num_hidden_layers=s.layers,
                            num_attention_heads=s.heads, intermediate_size=s.intermediate,
                            max_position_embeddings=s.max_len)
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
                    table * (config.initializer_range / table.std()))
        return tokenizer, network

    def _set_dropout(self, config: BertConfig) -> None:
        if self.settings.dropout is not None:
            config.hidden_dropout_prob = config.attention_probs_dropout_prob = self.settings.dropout

    def _lr_factor(self, step: int) -> float:
        s = self.settings
        if step < s.warmup_steps:
            return (step + 1) / s.warmup_steps
        return max(0.0, (s.max_steps - step) / max(1, s.max_steps - s.warmup_steps))

    def next_batch(self):
        s = self.settings
        if self.position + s.batch_size > len(self.examples):
            self.epoch += 1
            self.position = 0
            self.examples = epoch_examples(self.data, s.max_len, s.seed, self.epoch)
        idx = np.arange(self.position, self.position + s.batch_size)
        self.position += s.batch_size
        return make_batch(self.data, self.examples[idx], idx, self.tokenizer, s.seed, self.epoch, pad_to=s.max_len)

    def train_step(self) -> dict[str, float]:
        batch = self.next_batch()
        dev = self.device
        autocast = torch.autocast(dev.type, dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with autocast:
            out = self.network(batch.input_ids.to(dev), batch.token_type_ids.to(dev), batch.attention_mask.to(dev),
                               mlm_positions=batch.mlm_positions.to(dev), classify=False)
        labels, nsp = batch.mlm_labels.to(dev), batch.nsp_labels.to(dev)
        logits = out.mlm_logits.float().flatten(0, 1)  # (B * P, vocab)
        labels = labels.flatten()  # (B * P,), IGNORE_LABEL on the padding
        scored = labels != IGNORE_LABEL
        mlm_loss = F.cross_entropy(logits, labels, ignore_index=IGNORE_LABEL)
        nsp_loss = F.cross_entropy(out.nsp_logits.float(), nsp)
        loss = mlm_loss + nsp_loss
        if not torch.isfinite(loss):
            raise BertError(f"the loss became {loss.item()} at step {self.step + 1}; lower --lr and --resume")
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.network.parameters(), self.settings.clip)
        self.optimizer.step()
        self.scheduler.step()
        self.step += 1
        return {"loss": loss.item(), "mlm_loss": mlm_loss.item(), "nsp_loss": nsp_loss.item(),
                "mlm_correct": int(((logits.argmax(-1) == labels) & scored).sum()), "mlm_total": int(scored.sum()),
                "nsp_correct": int((out.nsp_logits.argmax(-1) == nsp).sum()), "nsp_total": int(nsp.numel()),
                "tokens": batch.num_tokens}

    def save(self) -> None:
        """Write training_state.pt and the model/ export, each atomically."""
        state = {"model": self.network.state_dict(), "optimizer": self.optimizer.state_dict(),
                 "scheduler": self.scheduler.state_dict(), "torch_rng": torch.get_rng_state(),
                 "step": self.step, "epoch": self.epoch, "position": self.position, "elapsed": self.elapsed,
                 "settings": asdict(self.settings)}
        buffer = io.BytesIO()
        torch.save(state, buffer)
        atomic_write_bytes(self.out / STATE_FILE, buffer.getvalue())
        self.network.eval()
        save_checkpoint(self.network, self.tokenizer, self.out / "model")
        self.network.train()

    def run(self, should_stop: Callable[[], bool] = lambda: False,
            on_report: Callable[[StepReport], None] | None = None) -> int:
        """Train until max_steps, the time budget, or should_stop(); always ends with a checkpoint.
        on_report receives what each log line says, every log_every steps."""
        s = self.settings
        started = time.monotonic()
        elapsed_before = self.elapsed
        window = _empty_window()
        window_started = time.monotonic()
        log_file = open(self.out / "log.jsonl", "a", encoding="utf-8")
        reason = "max steps reached"
        try:
            while self.step < s.max_steps:
                if should_stop():
                    reason = "stopped"
                    break
                run_time = time.monotonic() - started
                if s.time_budget_s is not None and run_time >= s.time_budget_s:
                    reason = "time budget used"
                    break
                stats = self.train_step()
                self.elapsed = elapsed_before + time.monotonic() - started
                for k in stats:
                    window[k] += stats[k]
                window["steps"] += 1
                if self.step % s.log_every == 0 or self.step == s.max_steps:
                    report = self._report(window, time.monotonic() - window_started, run_time)
                    self.log(report.line())
                    if on_report is not None:
                        on_report(report)
                    log_file.write(json.dumps(asdict(report)) + "\n")
                    log_file.flush()
                    window = _empty_window()
                    window_started = time.monotonic()
                if self.step % s.checkpoint_every == 0:
                    self.save()
        finally:
            log_file.close()
        self.save()
        self.log(f"{reason} at step {self.step}; model saved to {self.out / 'model'}")
        return self.step

    def _report(self, w: dict, window_s: float, run_time: float) -> StepReport:
        s = self.settings
        n = max(1, w["steps"])
        per_step = window_s / n
        eta = (s.max_steps - self.step) * per_step
        if s.time_budget_s is not None:
            eta = min(eta, max(0.0, s.time_budget_s - run_time))
        return StepReport(step=self.step, epoch=self.epoch, loss=w["loss"] / n, mlm_loss=w["mlm_loss"] / n,
                          nsp_loss=w["nsp_loss"] / n, mlm_accuracy=w["mlm_correct"] / max(1, w["mlm_total"]),
                          nsp_accuracy=w["nsp_correct"] / max(1, w["nsp_total"]),
                          lr=self.scheduler.get_last_lr()[0], tokens_per_s=w["tokens"] / max(window_s, 1e-9),
                          elapsed_s=self.elapsed, eta_s=eta if math.isfinite(eta) else 0.0)
