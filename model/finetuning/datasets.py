"""Labelled datasets for fine-tuning: CSV, TSV or JSONL with `text` + `label` columns, or
`text_a` + `text_b` + `label` for sentence pairs (other column names can be chosen).

Everything is checked before training starts; each problem raises DatasetError with one line
that names the file and the line, so nothing starts on bad data.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from ..errors import BertError
from ..safe_read import FileKind, open_file

TEXT, TEXT_A, TEXT_B, LABEL = "text", "text_a", "text_b", "label"
DELIMITERS = {".csv": ",", ".tsv": "\t"}
JSON_SUFFIXES = (".jsonl", ".json")
# A decimal number as people write labels; not "nan", "inf" or "1_000", which float() also takes.
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# At least this many labels, and more labels than half the rows: most classes have one example.
FEW_ROWS_PER_LABEL_MIN_LABELS = 10


# The (line number, row) pairs of a file, read as they are asked for; close() closes the file.
Rows = Generator[tuple[int, dict[str, str]], None, None]


class DatasetError(BertError):
    """A dataset that cannot be trained on; the message names the file and the line."""


# Any size (the rows are streamed), but a regular file: a FIFO would block the reading thread.
DATASET = FileKind("a dataset", DatasetError)


@dataclass(frozen=True)
class Example:
    text: str
    text_b: str | None
    label: str
    line: int  # where it came from, for messages


def label_order(labels: Iterable[str]) -> list[str]:
    """Sorted, so the same data always gives the same label ids; numerically (2 before 10) when
    every label is a number, though each stays the string it was written as."""
    labels = list(labels)
    if all(NUMBER.fullmatch(label) for label in labels):
        return sorted(labels, key=lambda label: (float(label), label))
    return sorted(labels)


def count_of(n: int, noun: str) -> str:
    """'1 row', '2 rows'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass
class LabelledDataset:
    examples: list[Example]
    source: Path
    text_column: str
    text_b_column: str | None
    label_column: str
    part: str | None = None  # "training split" or "held-out split" of the file, when split_off made it

    @property
    def is_pair(self) -> bool:
        return self.text_b_column is not None

    def label_counts(self) -> Counter:
        return Counter(e.label for e in self.examples)

    @property
    def label_names(self) -> list[str]:
        return label_order(self.label_counts())

    def describe(self, full_path: bool = True) -> str:
        """How messages name it: the file, or which split of the file, so that what is said of a
        split's rows is not taken for the file's."""
        name = str(self.source) if full_path else self.source.name
        return f"the {self.part} of {name}" if self.part else name

    def __len__(self) -> int:
        return len(self.examples)


class ChosenColumns(NamedTuple):
    text: str
    text_b: str | None  # None: single sentences
    label: str


def dataset_path(path: str | Path) -> Path:
    """The file a dataset path names: `~` is the home folder, as for the output folder."""
    return Path(path).expanduser()


def detect_columns(columns: list[str]) -> tuple[str, str | None, str]:
    """(text, text_b or None, label) from a header: text_a/text_b/label for pairs, else text/label."""
    names = set(columns)
    if {TEXT_A, TEXT_B, LABEL} <= names:
        return TEXT_A, TEXT_B, LABEL
    return TEXT, None, LABEL


def choose_columns(columns: list[str], text_column: str | None, text_b_column: str | None,
                   label_column: str | None) -> ChosenColumns:
    """Columns left as None are detected from the names; text_b_column "" means single sentences."""
    auto_text, auto_b, auto_label = detect_columns(columns)
    text = text_column or auto_text
    if text_b_column is None:
        text_b = auto_b if text == auto_text else None
    else:
        text_b = text_b_column or None
    return ChosenColumns(text, text_b, label_column or auto_label)


def check_columns(path: Path, columns: list[str], chosen: ChosenColumns) -> None:
    """Refuses a chosen column the file lacks, and one column chosen for two roles (a label
    column that is the text column would make every text its own class)."""
    missing = [c for c in chosen if c and c not in columns]
    if missing:
        raise DatasetError(f"{path}: no column named {', '.join(repr(c) for c in missing)}; the columns are "
                           f"{', '.join(repr(c) for c in columns) or 'none'}, so choose among them")
    role_of: dict[str, str] = {}
    for role, column in zip(("text", "text B", "label"), chosen):
        if column in role_of:
            raise DatasetError(f"{path}: the column '{column}' is chosen as both the {role_of[column]} and the "
                               f"{role}; choose a different column for each")
        if column:
            role_of[column] = role


def open_rows(path: Path) -> tuple[list[str], Rows]:
    """The column names and the (line number, row) pairs of a CSV, TSV or JSONL file, read one
    row at a time as they are asked for. The names are the header's; for JSONL they are the
    first object's fields (what the columns are chosen from), and the list grows by each new
    field name as later rows are read. The file stays open until the rows are read or closed:
    read them inside `with closing(rows)`, or an exception that keeps the rows alive keeps the
    file open (and locked, on Windows)."""
    suffix = path.suffix.lower()
    columns: list[str] = []
    if suffix in JSON_SUFFIXES:
        rows = _json_rows(path, columns)
    elif suffix in DELIMITERS:
        rows = _delimited_rows(path, DELIMITERS[suffix], columns)
    else:  # before the file is opened: a large file of another kind is not read for nothing
        raise DatasetError(f"{path}: unknown format '{suffix}'; use .csv, .tsv or .jsonl")
    first = next(rows, None)  # reads the header (JSONL: the first object), so `columns` is filled
    rows = _put_back(first, rows)
    next(rows)  # runs it into its `with`, so that closing it closes the file even before a row is read
    return columns, rows


def _put_back(first: tuple[int, dict[str, str]] | None, rows: Rows) -> Rows:
    """`first`, then the rest of `rows`; closing it closes `rows`. Not a chain, which has no
    close(); and open_rows starts it at the bare yield because a generator not yet started
    ignores close()."""
    with closing(rows):
        yield
        if first is not None:
            yield first
        yield from rows


def _open_text(path: Path, newline: str) -> IO[str]:
    return io.TextIOWrapper(open_file(path, DATASET), encoding="utf-8-sig", newline=newline)


def _not_utf8(path: Path) -> DatasetError:
    """The error for a file that is not UTF-8, naming its first such line: the text decoder reads
    ahead in blocks, so the line being parsed when it fails may be an earlier one."""
    offset = 0
    with open_file(path, DATASET) as file:
        for number, line in enumerate(file, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return DatasetError(f"{path}, line {number}: not UTF-8 text (byte {offset + exc.start}); "
                                    "save the file as UTF-8")
            offset += len(line)
    return DatasetError(f"{path}: not UTF-8 text (the file changed while it was read); save it as UTF-8")


def _json_rows(path: Path, columns: list[str]) -> Rows:
    # Only "\n" ends a line (newline="\n"): str.splitlines() would also cut at U+2028, form
    # feeds and other characters that JSON allows raw inside a string.
    with _open_text(path, newline="\n") as file:
        objects = 0
        try:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{path}, line {number}: not a JSON object ({exc.msg}); "
                                       "write one JSON object per line") from None
                if not isinstance(row, dict):
                    raise DatasetError(f"{path}, line {number}: not a JSON object with named fields; "
                                       "write one such object per line")
                columns.extend(k for k in row if k not in columns)
                objects += 1
                yield number, {k: "" if v is None else str(v) for k, v in row.items()}
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
    if not objects:
        raise DatasetError(f"{path}: the file is empty; write one JSON object per line")


def _delimited_rows(path: Path, delimiter: str, columns: list[str]) -> Rows:
    tsv = delimiter == "\t"
    # TSV files (GLUE's among them) are not quoted: a field may start with a double quote, which
    # CSV quoting would take as the start of a field running on to the next quote, lines later.
    quoting = csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL
    # The csv module splits lines itself (newline=""), so a quoted CSV field may hold a line
    # break or a character such as U+2028 that str.splitlines() would wrongly cut at.
    with _open_text(path, newline="") as file:
        reader = csv.reader(file, delimiter=delimiter, quoting=quoting)
        try:
            header = next(reader, None)
            while header is not None and _blank(header):  # blank lines above the header
                header = next(reader, None)
            if header is None:
                raise DatasetError(f"{path}: the file is empty; add a header line and labelled rows")
            columns.extend(h.strip() for h in header)
            for fields in reader:
                if _blank(fields):
                    continue
                if len(fields) != len(columns):
                    raise DatasetError(_ragged_row(path, reader.line_num, len(fields), len(columns), tsv))
                yield reader.line_num, dict(zip(columns, fields))
        except csv.Error as exc:
            raise DatasetError(f"{path}, line {reader.line_num}: {exc}; correct that line") from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None


def _blank(fields: list[str]) -> bool:
    """A blank line: the csv module gives no fields for an empty line, and only empty ones for ", ,"."""
    return not any(f.strip() for f in fields)


def _ragged_row(path: Path, line: int, fields: int, expected: int, tsv: bool) -> str:
    """Why a row has more or fewer fields than the header, and what to do about it."""
    where = f"{path}, line {line}: {count_of(fields, 'field')}, but the header has {expected}"
    if tsv:
        return (f"{where}; a TSV field cannot hold a tab or a line break, so remove them from the text "
                "or save the file as CSV")
    if fields > expected:
        return f"{where}; put text that contains a comma in double quotes"
    return f"{where}; fill in the missing fields, or put text that spans lines in double quotes"


def _example(path: Path, line: int, row: dict[str, str], chosen: ChosenColumns) -> Example:
    for column in chosen:
        if column and column not in row:  # only a JSONL object can lack a field
            raise DatasetError(f"{path}, line {line}: no field '{column}'; add it or remove the row")
    text = row[chosen.text].strip()
    text_b = row[chosen.text_b].strip() if chosen.text_b else None
    label = row[chosen.label].strip()
    if not text or (chosen.text_b and not text_b):
        raise DatasetError(f"{path}, line {line}: empty text; remove the row or fill it in")
    if not label:
        raise DatasetError(f"{path}, line {line}: empty label; remove the row or fill it in")
    return Example(text, text_b, label, line)


def load_dataset(path: str | Path, text_column: str | None = None, text_b_column: str | None = None,
                 label_column: str | None = None) -> LabelledDataset:
    """Columns left as None are detected; text_b_column "" means single sentences."""
    path = dataset_path(path)
    columns, rows = open_rows(path)
    with closing(rows):  # a refused column or row closes the file now, not when the error is dropped
        chosen = choose_columns(columns, text_column, text_b_column, label_column)
        check_columns(path, columns, chosen)
        examples = [_example(path, line, row, chosen) for line, row in rows]
    if not examples:
        raise DatasetError(f"{path}: no rows under the header; add labelled rows")
    return LabelledDataset(examples, path, *chosen)


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
    label_counts: dict[str, int]  # in label order; empty when `problem` is set
    problem: str | None  # why these columns cannot be trained on, in one line; None = ready
    warning: str | None  # why the labels look wrong though training would start, in one line


def preview_dataset(path: str | Path, text_column: str | None = None, text_b_column: str | None = None,
                    label_column: str | None = None, count: int = 8) -> DatasetPreview:
    """Reads the file once, a row at a time, keeping only the first `count` rows and the label
    counts. Raises DatasetError only for a file that cannot be read at all; whatever training
    would refuse in the chosen columns, rows or labels is reported in `problem`, so the user can
    choose other columns. The batch size and the evaluation data are not known here, so their
    checks wait for the run."""
    path = dataset_path(path)
    columns, rows = open_rows(path)
    chosen = choose_columns(columns, text_column, text_b_column, label_column)
    try:
        check_columns(path, columns, chosen)
        problem = None
    except DatasetError as exc:
        problem = str(exc)
    first_rows, labels, total = [], Counter(), 0
    with closing(rows):  # anything raised while reading (an interrupt, a bug) closes the file at once
        for line, row in rows:  # a file that cannot be parsed raises here
            total += 1
            if len(first_rows) < count:
                first_rows.append(row)
            if problem is None:
                try:
                    labels[_example(path, line, row, chosen).label] += 1
                except DatasetError as exc:
                    problem = str(exc)
    if problem is None:
        try:
            if not total:
                raise DatasetError(f"{path}: no rows under the header; add labelled rows")
            check_classes(str(path), labels)
        except DatasetError as exc:
            problem = str(exc)
    counts = {} if problem else {label: labels[label] for label in label_order(labels)}
    return DatasetPreview(path, list(columns), [[row.get(c, "") for c in columns] for row in first_rows], total,
                          *chosen, counts, problem, None if problem else label_warning(labels))


def label_warning(label_counts: Counter) -> str | None:
    """Labels a classifier would train on but that are probably the wrong column, or one class
    written two ways; None when they look like classes."""
    rows, distinct = sum(label_counts.values()), len(label_counts)
    if distinct >= FEW_ROWS_PER_LABEL_MIN_LABELS and distinct > rows / 2:
        if all(NUMBER.fullmatch(label) for label in label_counts):
            return (f"{distinct} different labels in {rows} rows look like scores (a regression target), not "
                    "classes; choose the column with class labels or group the scores into a few classes")
        return (f"{distinct} different labels in {rows} rows leave most classes with a single example; "
                "check that the label column holds the classes")
    same_number = defaultdict(list)
    for label in label_order(label_counts):
        if NUMBER.fullmatch(label):
            same_number[float(label)].append(label)
    for spellings in same_number.values():
        if len(spellings) > 1:
            return (f"the labels {' and '.join(map(repr, spellings))} are the same number but different "
                    "classes; write each class one way")
    return None


def check_classes(where: str, label_counts: Counter) -> None:
    """Refuses labels no classifier can learn from: a single class."""
    if len(label_counts) == 1:
        only = next(iter(label_counts))
        raise DatasetError(f"{where}: every row has the label '{only}'; a classifier needs at least two classes, "
                           "so add rows of another class or choose another label column")


def check_trainable(train: LabelledDataset, batch_size: int, eval_set: LabelledDataset | None = None) -> None:
    """What makes training pointless, refused before it starts."""
    labels = train.label_counts()
    check_classes(train.describe(), labels)
    if len(train) < batch_size:
        raise DatasetError(f"{train.describe()}: {count_of(len(train), 'row')}, fewer than one batch of "
                           f"{batch_size}; add rows or lower the batch size")
    if eval_set is not None:
        unknown = label_order(set(eval_set.label_counts()) - set(labels))
        if unknown:
            which = (f"the label {unknown[0]!r} never occurs" if len(unknown) == 1 else
                     f"the labels {', '.join(map(repr, unknown))} never occur")
            raise DatasetError(f"{eval_set.describe()}: {which} in {train.describe(full_path=False)}; remove "
                               "those rows or add training rows with those labels")
        if eval_set.is_pair != train.is_pair:
            raise DatasetError(f"{eval_set.describe()}: {'pairs' if eval_set.is_pair else 'single sentences'}, "
                               f"but {train.describe(full_path=False)} has "
                               f"{'pairs' if train.is_pair else 'single sentences'}; use data of the same kind")


def split_off(dataset: LabelledDataset, fraction: float, seed: int) -> tuple[LabelledDataset, LabelledDataset]:
    """Hold out `fraction` of the rows (rounded, at least one) as the eval split, fixed for a given
    seed and stratified: every label keeps at least one training row, so the training split has
    the file's classes, and as many labels as the held-out rows allow have one held out."""
    if not 0 < fraction < 1:
        raise DatasetError(f"the held-out fraction is {fraction}; choose one between 0 and 1")
    check_classes(dataset.describe(), dataset.label_counts())  # said of the file: a split would not help
    rows_by_label: dict[str, list[int]] = {label: [] for label in dataset.label_names}
    for index, example in enumerate(dataset.examples):
        rows_by_label[example.label].append(index)
    shuffler = random.Random(seed)
    held_per_label = _held_out_counts({label: len(rows) for label, rows in rows_by_label.items()}, fraction,
                                      shuffler)
    held: set[int] = set()
    for label, rows in rows_by_label.items():
        shuffler.shuffle(rows)
        held.update(rows[:held_per_label[label]])
    if not held:
        raise DatasetError(f"{dataset.source}: no label has two rows, so none can be held out for evaluation; "
                           "add rows or choose an evaluation file")

    def subset(examples: list[Example], part: str) -> LabelledDataset:
        return LabelledDataset(examples, dataset.source, dataset.text_column, dataset.text_b_column,
                               dataset.label_column, part)

    kept = [e for i, e in enumerate(dataset.examples) if i not in held]
    held_out = [e for i, e in enumerate(dataset.examples) if i in held]
    return subset(kept, "training split"), subset(held_out, "held-out split")


def _held_out_counts(sizes: dict[str, int], fraction: float, shuffler: random.Random) -> dict[str, int]:
    """How many rows of each label to hold out: round(total x fraction) in all, at least one, but
    never a label's last row. First one row each to as many labels as that total allows, the
    largest labels first, so the evaluation covers as many classes as it can; then the rest one at
    a time to the label furthest below its proportional share of the total (largest remainder).
    The total is never exceeded: one held-out row for every label whose share is half a row
    could hold out twice the fraction. Ties are broken by the seeded shuffle."""
    total = sum(sizes.values())
    spare = {label: n - 1 for label, n in sizes.items()}  # all but the last row
    target = min(max(1, round(total * fraction)), sum(spare.values()))
    labels = list(sizes)
    shuffler.shuffle(labels)
    labels.sort(key=lambda label: -sizes[label])  # a stable sort: equal sizes keep the seeded order
    held = dict.fromkeys(labels, 0)
    for label in [label for label in labels if spare[label]][:target]:
        held[label] = 1
    share = {label: n * target / total for label, n in sizes.items()}
    # A heap of (held - share): the label furthest below its share comes first; its rank breaks ties.
    below = [(held[label] - share[label], rank, label) for rank, label in enumerate(labels)
             if held[label] < spare[label]]
    heapq.heapify(below)
    for _ in range(target - sum(held.values())):
        _, rank, label = heapq.heappop(below)
        held[label] += 1
        if held[label] < spare[label]:
            heapq.heappush(below, (held[label] - share[label], rank, label))
    return held
