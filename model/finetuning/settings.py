"""The settings of a fine-tuning run: pure, so that the GUI thread builds them without loading
torch, and the one source of the defaults the GUI and the command line show."""

from __future__ import annotations

from dataclasses import dataclass

TASKS = ("sequence", "tokens")


@dataclass
class FinetuneSettings:
    train: str  # CSV/TSV/JSONL with text + label (or text_a + text_b + label); for tokens, CoNLL-style or JSONL
    out: str  # output model folder (written atomically at the end, and at checkpoints)
    task: str = "sequence"  # "sequence": a class per sentence (or pair); "tokens": a tag per word
    eval: str | None = None  # eval file; without one, eval_fraction of train is held out
    eval_fraction: float = 0.1
    model: str | None = None  # base model folder; None = the bundled model
    text_column: str | None = None
    text_b_column: str | None = None
    label_column: str | None = None
    tag_column: int | None = None  # tokens: the CoNLL column of the tags, the word's being 1; None = the last
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
    time_budget_s: float | None = None  # end training after this long (pauses left out; the learning rate decays
    # to 0 by then), then evaluate and save as usual
    checkpoint_every: int | None = None  # also save the model every N steps: a cancel then keeps the latest
    log_every: int = 20


def suggested_learning_rate(hidden_size: int) -> float:
    """Small BERTs take larger steps than BERT-base (whose paper range is 2e-5 to 5e-5)."""
    if hidden_size <= 256:
        return 2e-4
    if hidden_size <= 512:
        return 1e-4
    return 3e-5
