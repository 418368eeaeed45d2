"""The settings of a pretraining run: pure, so that the GUI thread builds them without loading
torch, and the one source of the defaults the GUI and the command line show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PretrainSettings:
    corpus: str | list[str]  # text or gzip files, or folders of *.txt / *.txt.gz files: documents separated by
    # blank lines, one sentence per line; the held-out documents are numbered across the files in this order
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
    fit_schedule: bool = False  # max_steps was not given: with a time budget, the schedule's length comes from
    # the measured speed so that the learning rate reaches 0 as the budget ends (max_steps is then a cap), and
    # --resume keeps that length, with or without a budget
    weight_decay: float = 0.01
    clip: float = 1.0  # max global gradient norm
    seed: int = 0
    precision: str = "auto"  # auto (bf16 where the hardware does it natively, else fp32), bf16, fp32
    log_every: int = 50
    checkpoint_every: int = 500
    time_budget_s: float | None = None  # stop cleanly (with a checkpoint) after this many seconds
    device: str = "auto"
