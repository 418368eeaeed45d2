"""The tokenized corpus on disk, and BERT's pretraining examples drawn from it.

Tokenizing is done once into memory-mapped arrays (a corpus larger than memory still fits),
with documents split into training and held-out sets by a fixed rule. Each epoch then draws
its sentence-pair examples and its masks anew from (seed, epoch), so a resumed run sees
exactly the data an uninterrupted one would.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..atomic import atomic_write_text
from ..tokenizer import BertTokenizer
from .corpus import CorpusStats, corpus_files, read_documents

# Document i is held out when i % 50 == 49: 2% of documents, fixed. Documents are numbered across
# all the corpus's files in the order given, so a corpus that starts with the same file holds out
# the same documents of it (and more of the files after it).
HOLDOUT_EVERY = 50
# Documents are tokenized in batches of this many, or fewer when they are long, so that a batch
# of long documents (up to corpus.MAX_DOCUMENT_CHARS each) does not fill memory.
BATCH_DOCUMENTS, BATCH_CHARS = 512, 10_000_000
CACHE_VERSION = 3  # 3: the key lists every file of the corpus


@dataclass
class TokenizedCorpus:
    """tokens: every sentence's ids, concatenated; sentence_starts[s]..[s+1] spans sentence s;
    document_starts[d]..[d+1] spans document d's sentences."""

    tokens: np.ndarray  # (N,) int32
    sentence_starts: np.ndarray  # (S + 1,) int64
    document_starts: np.ndarray  # (D + 1,) int64

    @property
    def num_documents(self) -> int:
        return len(self.document_starts) - 1

    @property
    def num_tokens(self) -> int:
        return len(self.tokens)


def is_held_out(document_index: int) -> bool:
    return document_index % HOLDOUT_EVERY == HOLDOUT_EVERY - 1


def corpus_key(corpus: str | Path | list[str | Path]) -> list[dict]:
    """Each file of the corpus with its size and time of change: a different list, or a file
    changed, makes a different key."""
    key = []
    for file in corpus_files(corpus):
        stat = file.stat()
        key.append({"path": str(file.resolve()), "size": stat.st_size, "mtime": stat.st_mtime})
    return key


def tokenize_corpus(
    corpus: str | Path | list[str | Path], tokenizer: BertTokenizer, cache: Path, log=print
) -> TokenizedCorpus:
    """Tokenize the training documents of the corpus (one or more files or folders) into `cache`
    (reused when no file changed) and write the held-out documents out (see write_heldout)."""
    cache.mkdir(parents=True, exist_ok=True)
    key = {"version": CACHE_VERSION, "files": corpus_key(corpus), "tokenizer": tokenizer.fingerprint}
    meta = cache / "meta.json"
    if meta.is_file() and json.loads(meta.read_text()).get("key") == key:
        return load_tokenized(cache)

    stats = CorpusStats()
    token_chunks: list[np.ndarray] = []
    sentence_lengths: list[int] = []
    document_sizes: list[int] = []
    heldout: list[list[str]] = []
    batch: list[list[str]] = []
    batch_chars = 0

    def flush() -> None:
        flat = [s for doc in batch for s in doc]
        encoded = tokenizer.encode_plain_batch(flat)
        i = 0
        for doc in batch:
            kept = [ids for ids in encoded[i : i + len(doc)] if ids]
            i += len(doc)
            if kept:
                sentence_lengths.extend(len(ids) for ids in kept)
                document_sizes.append(len(kept))
                token_chunks.append(np.fromiter((t for ids in kept for t in ids), dtype=np.int32))
        batch.clear()

    # The old cache stops being valid before any of its files changes (meta.json comes last),
    # and the tokens go to a new file, so that a run reading the old one through a memory map
    # keeps its data.
    meta.unlink(missing_ok=True)
    tokens_path = cache / "tokens.int32"
    partial = cache / "tokens.int32.partial"
    with open(partial, "wb") as out:
        for index, document in enumerate(read_documents(corpus, stats)):
            if is_held_out(index):
                heldout.append(document)
                continue
            batch.append(document)
            batch_chars += sum(map(len, document))
            if len(batch) >= BATCH_DOCUMENTS or batch_chars >= BATCH_CHARS:
                flush()
                batch_chars = 0
                for chunk in token_chunks:
                    out.write(chunk.tobytes())
                token_chunks.clear()
        flush()
        for chunk in token_chunks:
            out.write(chunk.tobytes())
    os.replace(partial, tokens_path)
    np.save(cache / "sentence_starts.npy", np.concatenate([[0], np.cumsum(sentence_lengths)]).astype(np.int64))
    np.save(cache / "document_starts.npy", np.concatenate([[0], np.cumsum(document_sizes)]).astype(np.int64))
    write_heldout(heldout, cache)
    atomic_write_text(meta, json.dumps({"key": key, "stats": stats.__dict__}, indent=2))
    log(
        f"corpus: {stats.summary()}; {len(heldout):,} documents held out "
        f"(every {HOLDOUT_EVERY}th) in {cache / 'heldout.txt'}"
    )
    return load_tokenized(cache)


def tokenize_in_memory(path: Path, tokenizer: BertTokenizer) -> TokenizedCorpus:
    """A small corpus-format file (e.g. held-out documents) tokenized into memory."""
    sentence_lengths, document_sizes, tokens = [], [], []
    for document in read_documents(path):
        encoded = [ids for ids in tokenizer.encode_plain_batch(document) if ids]
        if encoded:
            document_sizes.append(len(encoded))
            sentence_lengths.extend(len(ids) for ids in encoded)
            tokens.extend(t for ids in encoded for t in ids)
    return TokenizedCorpus(
        np.asarray(tokens, dtype=np.int32),
        np.concatenate([[0], np.cumsum(sentence_lengths)]).astype(np.int64),
        np.concatenate([[0], np.cumsum(document_sizes)]).astype(np.int64),
    )


def write_heldout(documents: list[list[str]], folder: Path) -> None:
    """heldout.txt: one document per line (for `evaluate-mlm`); heldout_documents.txt: the
    corpus format, a sentence per line and blank lines between documents (for `evaluate-nsp`)."""
    atomic_write_text(folder / "heldout.txt", "".join(" ".join(doc) + "\n" for doc in documents))
    atomic_write_text(folder / "heldout_documents.txt", "\n".join("\n".join(doc) + "\n" for doc in documents))


def load_tokenized(cache: Path) -> TokenizedCorpus:
    return TokenizedCorpus(
        np.memmap(cache / "tokens.int32", dtype=np.int32, mode="r"),
        np.load(cache / "sentence_starts.npy"),
        np.load(cache / "document_starts.npy"),
    )


# --- examples ----------------------------------------------------------------------------

SHORT_SEQUENCE_PROB = 0.1  # BERT: sometimes train on shorter pairs so short inputs are not unseen


def epoch_examples(corpus: TokenizedCorpus, max_len: int, seed: int, epoch: int) -> np.ndarray:
    """All of one epoch's sentence-pair examples, shuffled: (E, 5) int64 rows of
    (a_start, a_end, b_start, b_end, is_random_next) token offsets into corpus.tokens.

    As in BERT's create_pretraining_data: sentences of a document are gathered up to a target
    length; A is the first 1..n-1 of them; B is the rest (IsNext) or, half of the time, a run
    of sentences from another document (NotNext); the pair is trimmed to fit."""
    rng = np.random.default_rng([seed, epoch, 0])
    budget = max_len - 3  # [CLS] A [SEP] B [SEP]
    ss, ds = corpus.sentence_starts, corpus.document_starts
    D = corpus.num_documents
    rows: list[tuple[int, int, int, int, int]] = []
    for d in range(D):
        first, last = int(ds[d]), int(ds[d + 1])  # sentence range of document d
        target = budget if rng.random() >= SHORT_SEQUENCE_PROB else int(rng.integers(2, budget + 1))
        s = first
        chunk_start = first
        length = 0
        while s < last:
            length += int(ss[s + 1] - ss[s])
            s += 1
            if s < last and length < target:
                continue
            n = s - chunk_start  # sentences in the chunk
            random_next = int(rng.random() < 0.5)
            if (not random_next and n == 1) or (random_next and D == 1):
                # IsNext needs two sentences: take one more, or at a document's end drop the
                # chunk (rather than force NotNext, which would skew the 50/50 balance).
                # A single document cannot make a NotNext pair.
                if s < last and not random_next:
                    continue
                chunk_start, length = s, 0
                continue
            a_sentences = int(rng.integers(1, n)) if n >= 2 else 1
            a0, a1 = int(ss[chunk_start]), int(ss[chunk_start + a_sentences])
            if random_next:
                other = int(rng.integers(0, D - 1))
                other += other >= d  # any document but this one
                o_first, o_last = int(ds[other]), int(ds[other + 1])
                o = int(rng.integers(o_first, o_last))
                b0 = int(ss[o])
                b1 = int(ss[min(o_last, o + 1)])
                want = max(1, target - (a1 - a0))
                while b1 - b0 < want and o + 1 < o_last:
                    o += 1
                    b1 = int(ss[o + 1])
                s = chunk_start + a_sentences  # the unused sentences of this chunk start the next one
            else:
                b0, b1 = a1, int(ss[s])
            a0, a1, b0, b1 = _trim(a0, a1, b0, b1, budget, rng)
            rows.append((a0, a1, b0, b1, random_next))
            chunk_start = s
            length = 0
    table = np.asarray(rows, dtype=np.int64).reshape(-1, 5)
    return table[rng.permutation(len(table))]


def _trim(a0, a1, b0, b1, budget, rng):
    """Drop tokens from the longer segment, at its front or back at random, until both fit."""
    while (a1 - a0) + (b1 - b0) > budget:
        if a1 - a0 > b1 - b0:
            if rng.random() < 0.5:
                a0 += 1
            else:
                a1 -= 1
        elif rng.random() < 0.5:
            b0 += 1
        else:
            b1 -= 1
    return a0, a1, b0, b1


@dataclass
class PretrainingBatch:
    input_ids: torch.Tensor  # (B, T) with [MASK]/random/kept tokens at the chosen positions
    token_type_ids: torch.Tensor  # (B, T)
    attention_mask: torch.Tensor  # (B, T) 1 = token, 0 = padding
    mlm_positions: torch.Tensor  # (B, P) index of each position chosen for prediction; padding points at 0
    mlm_labels: torch.Tensor  # (B, P) original id there; IGNORE_LABEL where the row has fewer than P
    nsp_labels: torch.Tensor  # (B,) 0 = IsNext, 1 = NotNext (random)

    @property
    def num_tokens(self) -> int:
        return int(self.attention_mask.sum())


MASK_PROB = 0.15
IGNORE_LABEL = -100  # cross_entropy's default ignore_index


def max_predictions(max_len: int) -> int:
    """The most positions one sequence of max_len tokens can have chosen ([CLS] and two [SEP] never are)."""
    return max(1, round(MASK_PROB * max(1, max_len - 3)))


def make_batch(
    corpus: TokenizedCorpus,
    rows: np.ndarray,
    indices: np.ndarray,
    tokenizer: BertTokenizer,
    seed: int,
    epoch: int,
    pad_to: int | None = None,
) -> PretrainingBatch:
    """Assemble [CLS] A [SEP] B [SEP] for each row and mask it: 15% of the non-special
    positions are chosen; of those 80% become [MASK], 10% a random token, 10% stay.
    Every random number is a hash of (seed, epoch, example index, position): the masks of
    example i are new every epoch and the same however the examples are batched or shared
    out among processes, and the whole batch is made by array operations (a GPU waits on this).
    `pad_to` fixes the batch width, and with it the number of predictions per row (as BERT's
    max_predictions_per_seq): one set of tensor shapes for the whole run keeps the CPU kernels'
    per-shape caches (and the allocator) from growing without bound over a long run; measured
    with bf16 autocast, a varying prediction count grew resident memory by about 20 MB a step."""
    rows = np.asarray(rows, dtype=np.int64)
    a0, a1, b0, b1 = (rows[:, j, None] for j in range(4))  # (B, 1) each
    len_a, len_b = a1 - a0, b1 - b0
    n = len_a + len_b + 3  # [CLS] A [SEP] B [SEP]
    T = max(int(n.max()), pad_to or 0)
    B = len(rows)
    pos = np.arange(T)[None, :]  # (1, T)
    in_a = (pos >= 1) & (pos <= len_a)  # (B, T)
    in_b = (pos >= len_a + 2) & (pos <= len_a + 1 + len_b)
    real = pos < n
    source = np.where(in_a, a0 + pos - 1, np.where(in_b, b0 + pos - len_a - 2, 0))
    original = np.where(in_a | in_b, corpus.tokens[source], tokenizer.pad_token_id).astype(np.int64)
    original[:, 0] = tokenizer.cls_token_id
    original[(pos == len_a + 1) | (pos == n - 1)] = tokenizer.sep_token_id
    segments = ((pos >= len_a + 2) & real).astype(np.int64)

    # Choose k = 15% of each row's A and B positions: those with the k smallest random keys.
    candidates = in_a | in_b
    k = np.minimum(np.maximum(1, np.round(MASK_PROB * (len_a + len_b))), len_a + len_b)[:, 0].astype(np.int64)
    draws = _uniform_hash(seed, epoch, np.asarray(indices, dtype=np.int64), T, streams=3)  # (3, B, T)
    order = np.argsort(np.where(candidates, draws[0], 2.0), axis=1, kind="stable")
    P = max(max_predictions(T), int(k.max()))
    valid = np.arange(P)[None, :] < k[:, None]  # (B, P)
    positions = np.sort(np.where(valid, order[:, :P], T), axis=1)  # ascending, T after the last pick
    positions = np.where(valid, positions, 0)  # padding points at 0
    chosen = np.zeros((B, T), dtype=bool)
    chosen[np.nonzero(valid)[0], positions[valid]] = True
    labels = np.where(valid, np.take_along_axis(original, positions, axis=1), IGNORE_LABEL)

    first_regular = 5  # the special tokens come first in our vocabularies; random replacements skip them
    fate = draws[1]
    replacement = first_regular + (draws[2] * (tokenizer.vocab_size - first_regular)).astype(np.int64)
    ids = np.where(chosen & (fate < 0.8), tokenizer.mask_token_id, original)
    ids = np.where(chosen & (fate >= 0.8) & (fate < 0.9), replacement, ids)
    return PretrainingBatch(
        torch.from_numpy(ids),
        torch.from_numpy(segments),
        torch.from_numpy(real.astype(np.int64)),
        torch.from_numpy(positions.astype(np.int64)),
        torch.from_numpy(labels.astype(np.int64)),
        torch.from_numpy(np.ascontiguousarray(rows[:, 4])),
    )


def _uniform_hash(seed: int, epoch: int, indices: np.ndarray, length: int, streams: int) -> np.ndarray:
    """(streams, B, length) uniform numbers in [0, 1), each a SplitMix64 hash of (seed, epoch,
    example index, position, stream): independent of how the examples are grouped."""
    base = np.uint64((seed * 1_000_003 + epoch) * 0x9E3779B97F4A7C15 % (1 << 64))
    counter = (
        ((indices.astype(np.uint64)[None, :, None] + np.uint64(1)) << np.uint64(24))
        | (np.arange(length, dtype=np.uint64)[None, None, :] << np.uint64(4))
        | np.arange(streams, dtype=np.uint64)[:, None, None]
    )
    x = counter ^ base
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)  # uint64 arithmetic wraps, as intended
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
