"""Scores of a token classifier (a tagger): word accuracy, and chunk-level precision, recall and
F1 by exact span match, computed as CoNLL's conlleval script computes them, per chunk type too.

Tags in the BIO scheme (B-NP, I-NP, O) name chunks: a chunk starts at a B- tag, or at an I- tag
after O or after a tag of another type (so IOB1 files, where I- starts most chunks, read right),
and ends before the next tag that starts one, or at O, or at the end of the sentence. A
predicted chunk counts as correct only if a gold chunk has the same first word, last word and
type. Any other tag set (part-of-speech tags, say) has no chunks: it is scored per tag instead,
with the macro-average of the tags' F1 as its headline score.

Pure NumPy (no torch, no Qt): the GUI thread reads these results, and the trainer sums the
counts across processes before turning them into scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

OUTSIDE = "O"
BIO, PLAIN = "BIO", "plain"  # tag schemes


@dataclass(frozen=True)
class Chunk:
    start: int  # the index of its first word
    end: int  # one past its last word
    type: str  # NP, PER, ...


def is_bio_tag(tag: str) -> bool:
    return tag == OUTSIDE or (len(tag) > 2 and tag[1] == "-" and tag[0] in "BI")


def tag_scheme(tags: Sequence[str]) -> str:
    """BIO when every tag is O, B-TYPE or I-TYPE and one of them names a chunk; plain otherwise."""
    return BIO if all(is_bio_tag(t) for t in tags) and any(t != OUTSIDE for t in tags) else PLAIN


def split_tag(tag: str) -> tuple[str, str]:
    """('B', 'NP') for B-NP, ('O', '') for O: a BIO tag's prefix and chunk type."""
    return (OUTSIDE, "") if tag == OUTSIDE else (tag[0], tag[2:])


def _starts_chunk(prefix: str, prev_prefix: str, type_: str, prev_type: str) -> bool:
    # conlleval's startOfChunk, for BIO: B always; I after O or after another type.
    return prefix == "B" or (prefix == "I" and (prev_prefix == OUTSIDE or prev_type != type_))


def chunks(tags: Sequence[str]) -> list[Chunk]:
    """The chunks of one sentence's BIO tags, as conlleval reads them."""
    found, start, prev_prefix, prev_type = [], None, OUTSIDE, ""
    for i, tag in enumerate([*tags, OUTSIDE]):  # a final O closes the last chunk
        prefix, type_ = split_tag(tag)
        # A chunk ends where the next one starts or at O (conlleval's endOfChunk, for BIO).
        if start is not None and (prefix == OUTSIDE or _starts_chunk(prefix, prev_prefix, type_, prev_type)):
            found.append(Chunk(start, i, prev_type))
            start = None
        if _starts_chunk(prefix, prev_prefix, type_, prev_type):
            start = i
        prev_prefix, prev_type = prefix, type_
    return found


def chunk_types(tags: Sequence[str]) -> list[str]:
    """The chunk types a BIO tag set names, sorted: NP, PP, VP ..."""
    return sorted({split_tag(t)[1] for t in tags if t != OUTSIDE})


def tag_order(tags) -> list[str]:
    """O first, then by chunk type with B- before I- (B-NP, I-NP, B-PP ...); a plain tag set sorted.
    The same tags always give the same ids."""
    tags = set(tags)
    if tag_scheme(list(tags)) == PLAIN:
        return sorted(tags)
    return sorted(tags, key=lambda t: (t != OUTSIDE, split_tag(t)[1], split_tag(t)[0]))


@dataclass
class TaggingCounts:
    """What the scores are made of, as sums: counts from several batches or processes add up.
    Chunk counts are per chunk type (BIO) or per tag (plain)."""

    confusion: np.ndarray  # (tags, tags) int64: rows = gold tag, columns = predicted, one count per word
    gold_chunks: np.ndarray  # (types,) int64
    predicted_chunks: np.ndarray  # (types,) int64
    correct_chunks: np.ndarray  # (types,) int64

    @classmethod
    def zeros(cls, num_tags: int, num_types: int) -> TaggingCounts:
        return cls(np.zeros((num_tags, num_tags), np.int64), *(np.zeros(num_types, np.int64) for _ in range(3)))

    def vector(self) -> np.ndarray:
        """All the counts in one float64 vector (to be summed across processes)."""
        parts = (self.confusion.ravel(), self.gold_chunks, self.predicted_chunks, self.correct_chunks)
        return np.concatenate(parts).astype(np.float64)

    @classmethod
    def from_vector(cls, vector: np.ndarray, num_tags: int, num_types: int) -> TaggingCounts:
        values = np.rint(np.asarray(vector, dtype=np.float64)).astype(np.int64)
        n2 = num_tags * num_tags
        k = num_types
        return cls(
            values[:n2].reshape(num_tags, num_tags),
            values[n2 : n2 + k],
            values[n2 + k : n2 + 2 * k],
            values[n2 + 2 * k :],
        )


class TagCounter:
    """Counts gold against predicted tags sentence by sentence, for one tag set."""

    def __init__(self, tags: Sequence[str]):
        self.tags = list(tags)
        self.scheme = tag_scheme(self.tags)
        self.types = chunk_types(self.tags) if self.scheme == BIO else self.tags
        self._type_index = {t: i for i, t in enumerate(self.types)}
        self.counts = TaggingCounts.zeros(len(self.tags), len(self.types))

    def add(self, gold: Sequence[int], predicted: Sequence[int]) -> None:
        """One sentence: the gold and the predicted tag id of each word."""
        if len(gold) != len(predicted):
            raise ValueError(f"{len(gold)} gold tags but {len(predicted)} predicted")
        np.add.at(self.counts.confusion, (np.asarray(gold, np.int64), np.asarray(predicted, np.int64)), 1)
        if self.scheme == PLAIN:
            return  # plain tags are scored from the confusion matrix
        names = self.tags
        gold_chunks = set(chunks([names[i] for i in gold]))
        predicted_chunks = set(chunks([names[i] for i in predicted]))
        c = self.counts
        for chunk in gold_chunks:
            c.gold_chunks[self._type_index[chunk.type]] += 1
        for chunk in predicted_chunks:
            c.predicted_chunks[self._type_index[chunk.type]] += 1
        for chunk in gold_chunks & predicted_chunks:
            c.correct_chunks[self._type_index[chunk.type]] += 1


@dataclass
class TagScore:
    """One row of the per-tag table: a chunk type (BIO) or a tag (plain)."""

    name: str
    precision: float
    recall: float
    f1: float
    support: int  # gold chunks (or words) of this type
    predicted: int  # predicted chunks (or words) of this type


@dataclass
class TaggingMetrics:
    loss: float  # mean cross-entropy per labelled word
    accuracy: float  # words tagged right (O included), as conlleval's "accuracy"
    precision: float  # chunks (BIO, micro over types) or the tags' macro-average (plain)
    recall: float
    f1: float
    per_tag: list[TagScore]  # per chunk type (BIO) or per tag (plain), in tag order
    confusion: np.ndarray  # (tags, tags) int64; rows = gold tag, columns = predicted, one count per word
    tags: list[str]
    scheme: str  # BIO or plain
    words: int  # words scored

    accuracy_name = "word accuracy"  # what the curves call `accuracy`

    @property
    def score_name(self) -> str:
        """What `score`, the headline score the curves draw, is."""
        return "chunk F1" if self.scheme == BIO else "macro-F1"

    @property
    def score(self) -> float:
        return self.f1

    @property
    def majority(self) -> float:
        """The word accuracy of always answering the most common gold tag: the floor to beat."""
        return float(self.confusion.sum(1).max() / self.words) if self.words else 0.0

    def as_dict(self) -> dict:
        return {
            "eval_loss": self.loss,
            "accuracy": self.accuracy,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "scheme": self.scheme,
            "words": self.words,
            "per_tag": {
                s.name: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
                for s in self.per_tag
            },
        }

    def table(self) -> str:
        """The per-tag table as text, as conlleval prints it (with the gold count too)."""
        head = "chunk type" if self.scheme == BIO else "tag"
        width = max([len(head), *(len(s.name) for s in self.per_tag)])
        lines = [f"{head:<{width}}  precision  recall      F1  support  predicted"]
        for s in self.per_tag:
            lines.append(
                f"{s.name:<{width}}  {s.precision:9.4f}  {s.recall:6.4f}  {s.f1:6.4f}  {s.support:7,}  {s.predicted:9,}"
            )
        return "\n".join(lines)


def _ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def _f1(precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    return _ratio(2 * precision * recall, precision + recall)


def tagging_metrics(counts: TaggingCounts, tags: Sequence[str], loss: float) -> TaggingMetrics:
    tags = list(tags)
    scheme = tag_scheme(tags)
    confusion = counts.confusion
    words = int(confusion.sum())
    accuracy = float(np.trace(confusion) / words) if words else 0.0
    if scheme == BIO:
        names = chunk_types(tags)
        gold, predicted, correct = counts.gold_chunks, counts.predicted_chunks, counts.correct_chunks
        precision, recall = _ratio(correct, predicted), _ratio(correct, gold)
        total_p, total_r = float(_ratio(correct.sum(), predicted.sum())), float(_ratio(correct.sum(), gold.sum()))
        total_f1 = float(_f1(np.float64(total_p), np.float64(total_r)))
    else:
        names = tags
        gold, predicted, correct = confusion.sum(1), confusion.sum(0), np.diag(confusion)
        precision, recall = _ratio(correct, predicted), _ratio(correct, gold)
        present = gold > 0  # macro-averages over the tags that occur in the evaluation data
        total_p, total_r = (float(x[present].mean()) if present.any() else 0.0 for x in (precision, recall))
        total_f1 = float(_f1(precision, recall)[present].mean()) if present.any() else 0.0
    f1 = _f1(precision, recall)
    per_tag = [
        TagScore(name, float(precision[i]), float(recall[i]), float(f1[i]), int(gold[i]), int(predicted[i]))
        for i, name in enumerate(names)
    ]
    return TaggingMetrics(loss, accuracy, total_p, total_r, total_f1, per_tag, confusion, tags, scheme, words)


def score_tags(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], loss: float = 0.0) -> TaggingMetrics:
    """The scores of predicted tag sequences against gold ones, one pair per sentence."""
    tags = tag_order({t for sentence in (*gold, *predicted) for t in sentence})
    index = {t: i for i, t in enumerate(tags)}
    counter = TagCounter(tags)
    for g, p in zip(gold, predicted, strict=True):
        counter.add([index[t] for t in g], [index[t] for t in p])
    return tagging_metrics(counter.counts, tags, loss)
