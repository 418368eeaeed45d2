"""Labelled datasets for fine-tuning: CSV, TSV or JSONL with `text` + `label` columns, or
`text_a` + `text_b` + `label` for sentence pairs (other column names can be chosen).

Everything is checked before training starts; each problem raises DatasetError with one line
that names the file and the line, so nothing starts on bad data.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import BertError

TEXT, TEXT_A, TEXT_B, LABEL = "text", "text_a", "text_b", "label"


class DatasetError(BertError):
    """A dataset that cannot be trained on; the message names the file and the line."""


@dataclass(frozen=True)
class Example:
    text: str
    text_b: str | None
    label: str
    line: int  # where it came from, for messages


@dataclass
class LabelledDataset:
    examples: list[Example]
    source: Path
    text_column: str
    text_b_column: str | None
    label_column: str

    @property
    def is_pair(self) -> bool:
        return self.text_b_column is not None

    def label_counts(self) -> Counter:
        return Counter(e.label for e in self.examples)

    @property
    def label_names(self) -> list[str]:
        """Sorted, so the same data always gives the same label ids."""
        return sorted(self.label_counts())

    def __len__(self) -> int:
        return len(self.examples)


def detect_columns(columns: list[str]) -> tuple[str, str | None, str]:
    """(text, text_b or None, label) from a header: text_a/text_b/label for pairs, else text/label."""
    names = set(columns)
    if {TEXT_A, TEXT_B, LABEL} <= names:
        return TEXT_A, TEXT_B, LABEL
    return TEXT, None, LABEL


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The column names and (line number, row) pairs of a CSV, TSV or JSONL file."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path}, line {line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    if suffix in (".jsonl", ".json"):
        rows, columns = [], []
        # Only "\n" ends a line: str.splitlines() would also cut at U+2028, form feeds and
        # other characters that JSON allows raw inside a string.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}, line {number}: not a JSON object ({exc.msg})") from None
            if not isinstance(row, dict):
                raise DatasetError(f"{path}, line {number}: expected a JSON object with named fields")
            columns.extend(k for k in row if k not in columns)
            rows.append((number, {k: "" if v is None else str(v) for k, v in row.items()}))
        return columns, rows
    if suffix not in (".csv", ".tsv"):
        raise DatasetError(f"{path}: unknown format '{suffix}'; use .csv, .tsv or .jsonl")
    # The csv module splits lines itself (newline=""), so a quoted field may hold a line break
    # or a character such as U+2028 that str.splitlines() would wrongly cut at.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else ",")
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise DatasetError(f"{path}, line 1: {exc}") from None
    header = [h.strip() for h in header]
    rows = []
    try:
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue  # a blank line
            rows.append((reader.line_num, dict(zip(header, fields))))
    except csv.Error as exc:
        raise DatasetError(f"{path}, line {reader.line_num}: {exc}") from None
    return header, rows


def load_dataset(path: str | Path, text_column: str | None = None, text_b_column: str | None = None,
                 label_column: str | None = None) -> LabelledDataset:
    path = Path(path)
    columns, rows = read_rows(path)
    return dataset_from_rows(path, columns, rows, text_column, text_b_column, label_column)


def dataset_from_rows(path: Path, columns: list[str], rows: list[tuple[int, dict]], text_column: str | None = None,
                      text_b_column: str | None = None, label_column: str | None = None) -> LabelledDataset:
    """Columns left as None are detected; text_b_column "" means single sentences."""
    auto_text, auto_b, auto_label = detect_columns(columns)
    text_column = text_column or auto_text
    label_column = label_column or auto_label
    text_b_column = text_b_column if text_b_column is not None else (auto_b if text_column == auto_text else None)
    text_b_column = text_b_column or None
    wanted = [c for c in (text_column, text_b_column, label_column) if c]
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise DatasetError(f"{path}: no column named {', '.join(repr(c) for c in missing)}; the columns are "
                           f"{', '.join(repr(c) for c in columns) or 'none'}")
    examples = []
    for line, row in rows:
        text = (row.get(text_column) or "").strip()
        text_b = (row.get(text_b_column) or "").strip() if text_b_column else None
        label = (row.get(label_column) or "").strip()
        if not text or (text_b_column and not text_b):
            raise DatasetError(f"{path}, line {line}: empty text; remove the row or fill it in")
        if not label:
            raise DatasetError(f"{path}, line {line}: empty label; remove the row or fill it in")
        examples.append(Example(text, text_b, label, line))
    if not examples:
        raise DatasetError(f"{path}: no rows under the header")
    return LabelledDataset(examples, path, text_column, text_b_column, label_column)


@dataclass
class DatasetPreview:
    """What the GUI shows before a run: the first rows, the columns in use and the label counts."""

    source: Path
    columns: list[str]
    rows: list[list[str]]  # the first rows, one value per column
    total_rows: int
    text_column: str
    text_b_column: str | None
    label_column: str
    label_counts: dict[str, int]  # empty when `problem` is set
    problem: str | None  # why these columns cannot be trained on, in one line; None = ready


def preview_dataset(path: str | Path, text_column: str | None = None, text_b_column: str | None = None,
                    label_column: str | None = None, count: int = 8) -> DatasetPreview:
    """Raises DatasetError only for a file that cannot be read at all; a problem with the chosen
    columns or rows is reported in `problem`, so the user can choose other columns."""
    path = Path(path)
    columns, rows = read_rows(path)
    auto_text, auto_b, auto_label = detect_columns(columns)
    text_column = text_column or auto_text
    label_column = label_column or auto_label
    if text_b_column is None:
        text_b_column = auto_b if text_column == auto_text else None
    text_b_column = text_b_column or None
    first = [[row.get(c, "") for c in columns] for _, row in rows[:count]]
    try:
        dataset = dataset_from_rows(path, columns, rows, text_column, text_b_column or "", label_column)
        counts, problem = dict(sorted(dataset.label_counts().items())), None
    except DatasetError as exc:
        counts, problem = {}, str(exc)
    return DatasetPreview(path, columns, first, len(rows), text_column, text_b_column, label_column, counts, problem)


def check_trainable(train: LabelledDataset, batch_size: int, eval_set: LabelledDataset | None = None) -> None:
    """What makes training pointless, refused before it starts."""
    labels = train.label_counts()
    if len(labels) < 2:
        only = next(iter(labels))
        raise DatasetError(f"{train.source}: every row has the label '{only}'; a classifier needs at least two classes")
    if len(train) < batch_size:
        raise DatasetError(f"{train.source}: {len(train)} rows, fewer than one batch of {batch_size}; "
                           "add rows or lower the batch size")
    if eval_set is not None:
        unknown = sorted(set(eval_set.label_counts()) - set(labels))
        if unknown:
            raise DatasetError(f"{eval_set.source}: label(s) {', '.join(map(repr, unknown))} never occur in "
                               f"{train.source.name}")
        if eval_set.is_pair != train.is_pair:
            raise DatasetError(f"{eval_set.source}: {'pairs' if eval_set.is_pair else 'single sentences'}, but "
                               f"{train.source.name} has {'pairs' if train.is_pair else 'single sentences'}")


def split_off(dataset: LabelledDataset, fraction: float, seed: int) -> tuple[LabelledDataset, LabelledDataset]:
    """Hold out `fraction` of the rows (a fixed shuffle for a given seed) as the eval split."""
    if not 0 < fraction < 1:
        raise DatasetError(f"the held-out fraction must be between 0 and 1, got {fraction}")
    order = list(range(len(dataset)))
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(order) * fraction))
    held = sorted(order[:cut])
    kept = sorted(order[cut:])

    def subset(indices: list[int]) -> LabelledDataset:
        return LabelledDataset([dataset.examples[i] for i in indices], dataset.source, dataset.text_column,
                               dataset.text_b_column, dataset.label_column)

    return subset(kept), subset(held)
