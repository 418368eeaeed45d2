"""Held-out masked-token accuracy: `python -m model evaluate-mlm FILE`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .bert import Bert
from .errors import BertError

MASK_FRACTION = 0.15


@dataclass
class MLMEvaluation:
    accuracy: float  # share of masked tokens whose top-1 prediction is the original token
    masked_tokens: int
    windows: int  # model inputs the passages were cut into


def passages(path: Path) -> Iterator[str]:
    """Non-empty lines of a text file, streamed; undecodable bytes are replaced."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    yield line
    except OSError as exc:
        raise BertError(f"{path}: cannot read ({exc.strerror or exc})") from None


def windows(bert: Bert, path: Path, chunk_lines: int = 256) -> Iterator[list[int]]:
    """Token ids of every passage, cut into windows that fit the model with [CLS] and [SEP];
    every token lands in exactly one window."""
    width = bert.config.max_position_embeddings - 2
    batch: list[str] = []
    for line in passages(path):
        batch.append(line)
        if len(batch) == chunk_lines:
            yield from _cut(bert, batch, width)
            batch = []
    yield from _cut(bert, batch, width)


def _cut(bert: Bert, lines: list[str], width: int) -> Iterator[list[int]]:
    for ids in bert.tokenizer.encode_plain_batch(lines):
        for start in range(0, len(ids), width):
            yield ids[start : start + width]


@torch.inference_mode()
def evaluate_mlm(bert: Bert, path: str | Path, seed: int = 0, batch_size: int = 64) -> MLMEvaluation:
    """Mask 15% of each window's tokens (at least one; positions drawn from `seed`, so the
    same file and seed always mask the same tokens), predict, count top-1 hits."""
    bert.require_mlm()
    path = Path(path)
    rng = np.random.default_rng(seed)
    tok = bert.tokenizer
    correct = total = count = 0
    pending: list[tuple[list[int], np.ndarray]] = []

    def flush() -> None:
        # Sorting by length before batching keeps padding (wasted work) small.
        pending.sort(key=lambda item: len(item[0]))
        for start in range(0, len(pending), batch_size):
            run_batch(pending[start : start + batch_size])
        pending.clear()

    def run_batch(batch: list[tuple[list[int], np.ndarray]]) -> None:
        nonlocal correct, total
        T = max(len(ids) for ids, _ in batch) + 2
        input_ids = torch.full((len(batch), T), tok.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(batch), T), dtype=torch.long)
        chosen = torch.zeros((len(batch), T), dtype=torch.bool)
        for row, (ids, picks) in enumerate(batch):
            input_ids[row, : len(ids) + 2] = torch.tensor([tok.cls_token_id, *ids, tok.sep_token_id])
            attention[row, : len(ids) + 2] = 1
            chosen[row, torch.from_numpy(picks + 1)] = True  # +1: after [CLS]
        targets = input_ids[chosen]
        input_ids[chosen] = tok.mask_token_id
        dev = bert.device
        out = bert.network(
            input_ids.to(dev), attention_mask=attention.to(dev), mlm_positions=chosen.to(dev), nsp=False, classify=False
        )
        correct += int((out.mlm_logits.argmax(-1).cpu() == targets).sum())
        total += int(targets.numel())

    for ids in windows(bert, path):
        k = max(1, round(MASK_FRACTION * len(ids)))
        pending.append((ids, np.sort(rng.choice(len(ids), size=k, replace=False))))
        count += 1
        if len(pending) == 16 * batch_size:
            flush()
    flush()
    if total == 0:
        raise BertError(f"{path}: no text to evaluate on")
    return MLMEvaluation(correct / total, total, count)


@dataclass
class NSPEvaluation:
    accuracy: float  # share of pairs whose IsNext/NotNext prediction is right
    pairs: int
    random_share: float  # share of NotNext pairs (about 0.5)


@torch.inference_mode()
def evaluate_nsp(bert: Bert, path: str | Path, seed: int = 0, batch_size: int = 64) -> NSPEvaluation:
    """Next-sentence accuracy on a corpus-format file (blank lines between documents, a sentence
    per line): the pairs are made exactly as in pretraining, half true next segments and half
    from another document, fixed by `seed`; no tokens are masked."""
    from .pretraining.data import epoch_examples, tokenize_in_memory

    if not bert.heads.nsp:
        raise BertError(f"this model has no next-sentence head (saved as {bert.heads.architecture})")
    data = tokenize_in_memory(Path(path), bert.tokenizer)
    if data.num_documents < 2:
        raise BertError(f"{path}: next-sentence pairs need at least two documents (separate them by blank lines)")
    rows = epoch_examples(data, bert.config.max_position_embeddings, seed, 0)
    tok = bert.tokenizer
    correct = 0
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        seqs = [
            np.concatenate(
                [[tok.cls_token_id], data.tokens[a0:a1], [tok.sep_token_id], data.tokens[b0:b1], [tok.sep_token_id]]
            )
            for a0, a1, b0, b1, _ in batch
        ]
        T = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), T), tok.pad_token_id, dtype=torch.long)
        types = torch.zeros_like(ids)
        attention = torch.zeros_like(ids)
        for r, ((a0, a1, _, _, _), s) in enumerate(zip(batch, seqs)):
            ids[r, : len(s)] = torch.from_numpy(s.astype(np.int64))
            types[r, a1 - a0 + 2 : len(s)] = 1
            attention[r, : len(s)] = 1
        dev = bert.device
        out = bert.network(ids.to(dev), types.to(dev), attention.to(dev), mlm_positions=False, classify=False)
        predicted_random = out.nsp_logits.argmax(-1).cpu().numpy()  # class 1 = NotNext
        correct += int((predicted_random == batch[:, 4]).sum())
    return NSPEvaluation(correct / len(rows), len(rows), float(rows[:, 4].mean()))
