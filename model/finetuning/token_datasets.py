"""Tagged sentences for token classification (chunking, named entities, part-of-speech tags):
CoNLL-style column files or JSONL.

A CoNLL-style file has one word a line with its tag in a later column (`Confidence NN B-NP`:
word, part of speech, chunk tag), the columns separated by spaces, or by tabs when a line has
one; a blank line ends a sentence and `-DOCSTART-` lines (CoNLL-2003's document marks) are
skipped. The tag column is chosen, counted from 1 (the word), by default the last. A JSONL file
has one sentence a line: {"tokens": ["The", "cat"], "tags": ["B-NP", "I-NP"]}.

As for the sentence datasets (datasets.py, whose helpers and limits this shares), everything is
checked before training starts, and each problem is one line that names the file and the line.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .datasets import (
    FEW_ROWS_PER_LABEL_MIN_LABELS,
    JSON_SUFFIXES,
    MAX_CLASSES,
    MAX_ROWS,
    DatasetError,
    _check_size,
    _has_surrogate,
    _json_object,
    _lines,
    _not_utf8,
    _open_text,
    count_of,
    dataset_path,
    listed,
    quoted,
)
from .token_metrics import BIO, OUTSIDE, chunks, is_bio_tag, split_tag, tag_order, tag_scheme

TOKENS, TAGS = "tokens", "tags"  # the JSONL fields
DOCSTART = "-DOCSTART-"
REFUSED_SUFFIXES = (".csv",)  # sentence-classification files, not tagged words
# A sentence of more words than this is a file without its blank lines: BERT reads 512 tokens at most.
MAX_SENTENCE_WORDS = 1_000
FORMAT_HINT = "one word and its tag a line, a blank line between sentences"


class TaggedSentence(NamedTuple):
    words: tuple[str, ...]
    tags: tuple[str, ...]
    line: int  # where it starts, for messages


@dataclass
class TaggedDataset:
    sentences: list[TaggedSentence]
    source: Path
    tag_column: int | None  # the column the tags came from, counting the word as 1; None for JSONL
    part: str | None = None  # "training split" or "held-out split" of the file, when split_sentences made it

    def tag_counts(self) -> Counter:
        """Words per tag."""
        return Counter(t for s in self.sentences for t in s.tags)

    @property
    def tag_names(self) -> list[str]:
        return tag_order(self.tag_counts())

    @property
    def words(self) -> int:
        return sum(len(s.words) for s in self.sentences)

    def describe(self, full_path: bool = True) -> str:
        name = str(self.source) if full_path else self.source.name
        return f"the {self.part} of {name}" if self.part else name

    def __len__(self) -> int:
        return len(self.sentences)


# --- reading ------------------------------------------------------------------------------


class _Reader:
    """The sentences of a file, read one at a time as they are asked for (iterate it inside
    `with closing(...)`: the file stays open until they are read); `columns` is the column count
    of a CoNLL file once its first word is read (None for JSONL)."""

    def __init__(self, path: Path, tag_column: int | None):
        suffix = path.suffix.lower()
        if suffix in REFUSED_SUFFIXES:
            raise DatasetError(
                f"{path}: a {suffix} file holds sentences with labels, not tagged words; for tagging use a "
                f"CoNLL-style text file ({FORMAT_HINT}) or JSONL with tokens and tags lists"
            )
        if tag_column is not None and tag_column < 2:
            raise DatasetError(
                f"{path}: column {tag_column} cannot hold the tags (column 1 holds the words); choose 2 or more"
            )
        _check_size(path)
        self.path, self.tag_column = path, tag_column
        self.json = suffix in JSON_SUFFIXES
        self.columns: int | None = None
        self._interned: dict[str, str] = {}  # one string per tag, shared by every word it tags

    def __iter__(self) -> Iterator[TaggedSentence]:
        try:
            yield from self._json() if self.json else self._conll()
        except UnicodeDecodeError:
            raise _not_utf8(self.path) from None

    def _sentence(self, words: list[str], tags: list[str], line: int) -> TaggedSentence:
        return TaggedSentence(tuple(words), tuple(self._interned.setdefault(t, t) for t in tags), line)

    def _conll(self) -> Iterator[TaggedSentence]:
        path = self.path
        words: list[str] = []
        tags: list[str] = []
        start = 0
        with _open_text(path, newline=None) as file:
            for number, line in enumerate(_lines(file, path), start=1):
                line = line.strip()
                fields = [f.strip() for f in line.split("\t")] if "\t" in line else line.split()
                if not line or fields[0] == DOCSTART:  # the end of a sentence
                    if words:
                        yield self._sentence(words, tags, start)
                    words, tags = [], []
                    continue
                word, tag = self._word_and_tag(number, fields)
                if not words:
                    start = number
                elif len(words) == MAX_SENTENCE_WORDS:
                    raise DatasetError(
                        f"{path}, line {number}: a sentence of over {MAX_SENTENCE_WORDS:,} words (from line "
                        f"{start}); put a blank line between sentences"
                    )
                words.append(word)
                tags.append(tag)
        if words:
            yield self._sentence(words, tags, start)

    def _word_and_tag(self, number: int, fields: list[str]) -> tuple[str, str]:
        path = self.path
        if len(fields) == 1:
            raise DatasetError(
                f"{path}, line {number}: one column ({quoted(fields[0])}); write {FORMAT_HINT}, the word and "
                "tag separated by a space or a tab"
            )
        if self.columns is None:
            self.columns = len(fields)
            if self.tag_column is not None and self.tag_column > self.columns:
                raise DatasetError(
                    f"{path}, line {number}: no column {self.tag_column}, the lines have {self.columns}; "
                    f"choose the tag column from 2 to {self.columns}"
                )
        elif len(fields) != self.columns:
            raise DatasetError(
                f"{path}, line {number}: {len(fields)} columns, but the first word's line has {self.columns}; "
                "give every line the same columns (a word with a space in it needs tab-separated columns)"
            )
        tag = fields[(self.tag_column or self.columns) - 1]
        if not fields[0] or not tag:
            raise DatasetError(f"{path}, line {number}: an empty {'word' if not fields[0] else 'tag'}; fill it in")
        return fields[0], tag

    def _json(self) -> Iterator[TaggedSentence]:
        path = self.path
        with _open_text(path, newline="\n") as file:  # only "\n" ends a line: JSON strings may hold U+2028
            for number, line in enumerate(_lines(file, path), start=1):
                if not line.strip():
                    continue
                row = _json_object(path, number, line)
                words, tags = (self._json_list(number, row, field) for field in (TOKENS, TAGS))
                if len(words) != len(tags):
                    raise DatasetError(
                        f"{path}, line {number}: {count_of(len(words), 'token')} but {count_of(len(tags), 'tag')}; "
                        "give one tag per token"
                    )
                if not words:
                    raise DatasetError(f"{path}, line {number}: no tokens; remove the line or fill it in")
                if len(words) > MAX_SENTENCE_WORDS:
                    raise DatasetError(
                        f"{path}, line {number}: a sentence of over {MAX_SENTENCE_WORDS:,} tokens; "
                        "split it into sentences"
                    )
                yield self._sentence(words, tags, number)

    def _json_list(self, number: int, row: dict, field: str) -> list[str]:
        where = f"{self.path}, line {number}"
        if field not in row:
            raise DatasetError(f'{where}: no field "{field}"; each line needs "{TOKENS}" and "{TAGS}" lists')
        items = row[field]
        if not isinstance(items, list):
            raise DatasetError(
                f'{where}: the field "{field}" holds {_json_kind(items)}, not a list; write it as a list, '
                'e.g. ["The", "cat"]'
            )
        texts = []
        for n, item in enumerate(items, start=1):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise DatasetError(f'{where}: item {n} of "{field}" is {_json_kind(item)}; write each as a string')
            text = str(item).strip()
            if not text:
                raise DatasetError(f'{where}: item {n} of "{field}" is empty; fill it in')
            if _has_surrogate(text):
                raise DatasetError(
                    f'{where}: item {n} of "{field}" has a \\u escape of half a UTF-16 surrogate pair, which is no '
                    "character; write the character itself"
                )
            texts.append(text)
        return texts


def _json_kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else "a number"


class _TagTally:
    """Words per tag so far; refuses a tag past MAX_CLASSES (a column of words, not tags)."""

    def __init__(self, path: Path):
        self.path = path
        self.counts: Counter[str] = Counter()

    def add(self, sentence: TaggedSentence) -> None:
        self.counts.update(sentence.tags)
        if len(self.counts) > MAX_CLASSES:
            raise DatasetError(
                f"{self.path}, line {sentence.line}: over {MAX_CLASSES:,} different tags; check that the tag "
                "column holds tags, not words"
            )


def _too_many_sentences(path: Path, line: int) -> DatasetError:
    return DatasetError(
        f"{path}, line {line}: over {MAX_ROWS:,} sentences, hours of training an epoch; sample at most {MAX_ROWS:,}"
    )


def _empty(path: Path) -> DatasetError:
    return DatasetError(f"{path}: no sentences; write {FORMAT_HINT} (or JSONL with tokens and tags lists)")


def load_token_dataset(path: str | Path, tag_column: int | None = None) -> TaggedDataset:
    """tag_column: the CoNLL column of the tags, the word's being 1; None = the last."""
    path = dataset_path(path)
    reader = _Reader(path, tag_column)
    tally, sentences = _TagTally(path), []
    with closing(iter(reader)) as read:
        for sentence in read:
            if len(sentences) == MAX_ROWS:
                raise _too_many_sentences(path, sentence.line)
            tally.add(sentence)
            sentences.append(sentence)
    if not sentences:
        raise _empty(path)
    return TaggedDataset(sentences, path, None if reader.json else (tag_column or reader.columns))


# --- before a run: the preview and the checks --------------------------------------------


@dataclass
class TokenDatasetPreview:
    """What the GUI shows before a run: the first sentences with their tags, and the tag counts."""

    source: Path
    sentences: list[TaggedSentence]  # the first ones
    total_sentences: int
    total_words: int
    columns: int | None  # columns per line of a CoNLL file; None for JSONL (or nothing read)
    tag_column: int | None  # the column the tags are read from, counting the word as 1; None for JSONL
    tag_counts: dict[str, int]  # words per tag, in tag order; empty when `problem` is set
    scheme: str  # BIO (chunks) or plain
    chunk_counts: dict[str, int]  # chunks per type (BIO), by type; empty for plain tags
    problem: str | None  # why this file cannot be trained on, in one line; None = ready
    warning: str | None  # why the tags look wrong though training would start, in one line


def preview_token_dataset(path: str | Path, tag_column: int | None = None, count: int = 8) -> TokenDatasetPreview:
    """Reads the file once, a sentence at a time, keeping the first `count` sentences and the
    counts. Raises DatasetError only for a file that cannot be opened as a tagged file at all;
    a problem in its lines is reported in `problem`, with the sentences read up to it."""
    path = dataset_path(path)
    reader = _Reader(path, tag_column)
    first, tally, total, words, problem = [], _TagTally(path), 0, 0, None
    type_counts: Counter[str] = Counter()
    starts_inside = 0  # chunks that start at an I- tag
    try:
        with closing(iter(reader)) as read:
            for sentence in read:
                if total == MAX_ROWS:
                    raise _too_many_sentences(path, sentence.line)
                total += 1
                words += len(sentence.words)
                tally.add(sentence)
                if len(first) < count:
                    first.append(sentence)
                if all(is_bio_tag(t) for t in sentence.tags):
                    found = chunks(sentence.tags)
                    type_counts.update(c.type for c in found)
                    starts_inside += sum(sentence.tags[c.start].startswith("I-") for c in found)
        if not total:
            raise _empty(path)
        check_tags(str(path), tally.counts)
    except DatasetError as exc:
        problem = str(exc)
    scheme = tag_scheme(list(tally.counts))
    counts = {} if problem else {t: tally.counts[t] for t in tag_order(tally.counts)}
    return TokenDatasetPreview(
        path,
        first,
        total,
        words,
        reader.columns,
        None if reader.json else (tag_column or reader.columns),
        counts,
        scheme,
        dict(sorted(type_counts.items())) if scheme == BIO and not problem else {},
        problem,
        None if problem else tag_warning(tally.counts, starts_inside, sum(type_counts.values())),
    )


def tag_warning(tag_counts: Counter, starts_inside: int = 0, chunk_count: int = 0) -> str | None:
    """Tags a tagger would train on that are probably the wrong column or mixed schemes; None when
    they look right."""
    words, distinct = sum(tag_counts.values()), len(tag_counts)
    if distinct >= FEW_ROWS_PER_LABEL_MIN_LABELS and distinct > words / 2:
        return (
            f"{distinct:,} different tags in {words:,} words leave most tags with a single word; check that "
            "the tag column holds the tags"
        )
    tags = list(tag_counts)
    bio = [t for t in tags if t != OUTSIDE and is_bio_tag(t)]
    other = [t for t in tags if not is_bio_tag(t)]
    if bio and other:
        return (
            f"tags such as {quoted(bio[0])} name chunks but {listed(other, shown=2)} do not: scored per tag, "
            "without chunk F1; check the tag column"
        )
    if starts_inside:
        return (
            f"{starts_inside:,} of {chunk_count:,} chunks start with an I- tag (after O or another type): each is "
            "read as a chunk's first word, as conlleval does, which is right for IOB1 tags; check the tags if "
            "they should be BIO"
        )
    return None


def check_tags(where: str, tag_counts: Counter) -> None:
    """Refuses tags no tagger can learn from: a single tag."""
    if len(tag_counts) == 1:
        only = next(iter(tag_counts))
        raise DatasetError(
            f"{where}: every word has the tag {quoted(only)}; a tagger needs at least two tags, so add "
            "sentences with other tags or choose another tag column"
        )


def check_taggable(train: TaggedDataset, batch_size: int) -> None:
    """What makes training pointless, refused before it starts."""
    check_tags(train.describe(), train.tag_counts())
    if len(train) < batch_size:
        raise DatasetError(
            f"{train.describe()}: {count_of(len(train), 'sentence')}, fewer than one batch of "
            f"{batch_size}; add sentences or lower the batch size"
        )


def unseen_tags_warning(train: TaggedDataset, eval_set: TaggedDataset) -> str | None:
    """Tags of the evaluation data that training never shows: the model cannot learn them, so
    their words count as errors (rare tags such as CoNLL-2000's B-LST miss a split now and then)."""
    unseen = tag_order(set(eval_set.tag_counts()) - set(train.tag_counts()))
    if not unseen:
        return None
    words = sum(eval_set.tag_counts()[t] for t in unseen)
    return (
        f"{'the tag' if len(unseen) == 1 else 'the tags'} {listed(unseen)} of {eval_set.describe(full_path=False)} "
        f"never occur{'s' if len(unseen) == 1 else ''} in {train.describe(full_path=False)}: the model cannot learn "
        f"{'it' if len(unseen) == 1 else 'them'}, so {count_of(words, 'word')} count as errors"
    )


def split_sentences(dataset: TaggedDataset, fraction: float, seed: int) -> tuple[TaggedDataset, TaggedDataset]:
    """Hold out `fraction` of the sentences (rounded, at least one, never all) as the eval split,
    chosen at random, fixed for a given seed."""
    if not 0 < fraction < 1:
        raise DatasetError(f"the held-out fraction is {fraction}; choose one between 0 and 1")
    n = len(dataset)
    if n < 2:
        raise DatasetError(
            f"{dataset.source}: one sentence, none to hold out for evaluation; add sentences or "
            "choose an evaluation file"
        )
    held = set(random.Random(seed).sample(range(n), min(n - 1, max(1, round(n * fraction)))))

    def subset(indices, part: str) -> TaggedDataset:
        return TaggedDataset([dataset.sentences[i] for i in indices], dataset.source, dataset.tag_column, part)

    return subset([i for i in range(n) if i not in held], "training split"), subset(sorted(held), "held-out split")


def chunk_type_of(tag: str) -> str:
    """The chunk type a BIO tag names ('NP' for B-NP and I-NP), or the tag itself: what the
    preview colours words by."""
    return split_tag(tag)[1] if tag != OUTSIDE and is_bio_tag(tag) else tag
