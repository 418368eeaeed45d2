"""Labelled datasets for fine-tuning: CSV, TSV or JSONL with `text` + `label` columns, or
`text_a` + `text_b` + `label` for sentence pairs (other column names can be chosen).

Everything is checked before training starts; each problem raises DatasetError with one line
that names the file and the line, so nothing starts on bad data. Files, lines, rows, columns and
classes are capped (see the limits below), so a hostile or mistaken file is refused early, and
reading one takes seconds and a few hundred megabytes at most.
"""

from __future__ import annotations

import codecs
import csv
import heapq
import io
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from ..errors import BertError
from ..safe_read import FileKind, check_file, open_file, size_text

TEXT, TEXT_A, TEXT_B, LABEL = "text", "text_a", "text_b", "label"
DELIMITERS = {".csv": ",", ".tsv": "\t"}
JSON_SUFFIXES = (".jsonl", ".json")
# A decimal number as people write labels; not "nan", "inf" or "1_000", which float() also takes.
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# One without an exponent, in ASCII digits: read as a class in canonical form (01, 1.0 and +1 are 1).
DECIMAL = re.compile(r"([+-]?)(?=\.?\d)(\d*)(?:\.(\d*))?", re.ASCII)
# Lone UTF-16 surrogates, which JSON's "\ud800" escapes make: no character, and `tokenizers` refuses them.
SURROGATES = re.compile("[\ud800-\udfff]")
# At least this many labels, and more labels than half the rows: most classes have one example.
FEW_ROWS_PER_LABEL_MIN_LABELS = 10

# The limits. Fine-tuning runs epochs over every row: 500,000 rows (more than GLUE's largest
# training sets, MNLI and QQP) take hours an epoch for a BERT-base on a CPU, so a larger file is
# a mistake or wants sampling first; and 100 MB holds that many rows of 200 characters (a few
# sentences: longer texts are cut at the model's maximum length anyway). The size is checked before
# anything is read (1 GB of CSV took 7.4 GB as rows); a file at both limits is read in about
# 3 s (CPU time, measured), so a refusal at its last line still comes within seconds. Thousands
# of classes are no job for this app's classifier: a label column of ids or free text has that many.
MAX_FILE_MB = 100
MAX_ROWS = 500_000
MAX_CLASSES = 1_000
MAX_COLUMNS = 1_000
MAX_LINE_CHARS = 1_000_000  # lines are read at most this long, so one huge line cannot fill memory
SHOWN_CHARS = 40  # a value quoted in a message is cut to this length


# The (line number, row) pairs of a file, read as they are asked for; close() closes the file.
Rows = Generator[tuple[int, dict[str, str]], None, None]


class DatasetError(BertError):
    """A dataset that cannot be trained on; the message names the file and the line."""


# A regular file: a FIFO would block the reading thread. Its size is checked apart (_check_size),
# so that the message can say what to do.
DATASET = FileKind("a dataset", DatasetError)


class Example(NamedTuple):  # not a frozen dataclass: made in a third of the time, in half the memory
    text: str
    text_b: str | None
    label: str
    line: int  # where it came from, for messages


def label_order(labels: Iterable[str]) -> list[str]:
    """Sorted, so the same data always gives the same label ids; numerically (2 before 10) when
    every label is a number."""
    labels = list(labels)
    if all(NUMBER.fullmatch(label) for label in labels):
        return sorted(labels, key=lambda label: (float(label), label))
    return sorted(labels)


def count_of(n: int, noun: str) -> str:
    """'1 row', '2 rows'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def shortened(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def quoted(value: str) -> str:
    """A value from the file as a message shows it: quoted as Python writes a string, so a line
    break or a control character in it cannot break the message's one line, and cut short after
    quoting (an escape such as \\U0002ebe1 takes ten characters of the message)."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


LISTED_CHARS = 2 * SHOWN_CHARS  # a list of values in a message takes about this many characters at most


def listed(values: list[str], shown: int = 4, quote=quoted) -> str:
    """ "'a', 'b', 'c' and 7 more": a few values, however many there are, and however long."""
    parts: list[str] = []
    for value in values[:shown]:
        part = quote(value)
        if parts and len(", ".join(parts)) + len(part) > LISTED_CHARS:
            break
        parts.append(part)
    rest = len(values) - len(parts)
    return ", ".join(parts) + (f" and {rest:,} more" if rest else "")


@dataclass
class LabelledDataset:
    examples: list[Example]
    source: Path
    text_column: str
    text_b_column: str | None
    label_column: str
    part: str | None = None  # "training split" or "held-out split" of the file, when split_off made it
    label_note: str | None = None  # how numeric labels written several ways were read (Labels.note)

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


def choose_columns(
    columns: list[str], text_column: str | None, text_b_column: str | None, label_column: str | None
) -> ChosenColumns:
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
        raise DatasetError(
            f"{path}: no column named {listed(missing)}; the columns are "
            f"{listed(columns, shown=6) or 'none'}, so choose among them"
        )
    role_of: dict[str, str] = {}
    for role, column in zip(("text", "text B", "label"), chosen):
        if column in role_of:
            raise DatasetError(
                f"{path}: the column {quoted(column)} is chosen as both the {role_of[column]} and "
                f"the {role}; choose a different column for each"
            )
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
    if suffix not in JSON_SUFFIXES and suffix not in DELIMITERS:  # a large file of another kind is not read
        raise DatasetError(f"{path}: unknown format {quoted(suffix)}; use .csv, .tsv or .jsonl")
    _check_size(path)
    columns: list[str] = []
    if suffix in JSON_SUFFIXES:
        rows = _json_rows(path, columns)
    else:
        rows = _delimited_rows(path, DELIMITERS[suffix], columns)
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


def _check_size(path: Path) -> None:
    """Refuses a file over MAX_FILE_MB unread (and anything that is not a regular file)."""
    size = check_file(path, DATASET)
    if size > MAX_FILE_MB << 20:
        raise DatasetError(
            f"{path}: is {size_text(size)}; a fine-tuning file is at most {MAX_FILE_MB} MB, so "
            "sample the rows, drop unused columns or cut long texts (BERT reads 512 tokens)"
        )


def _open_text(path: Path, newline: str) -> IO[str]:
    return io.TextIOWrapper(open_file(path, DATASET), encoding="utf-8-sig", newline=newline)


def _lines(file: IO[str], path: Path) -> Iterator[str]:
    """The lines of a text file, each read at most MAX_LINE_CHARS long, refusing a longer one and
    a NUL: no text has one, while binary files and UTF-16 text have many."""
    number = 0
    while line := file.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise DatasetError(
                f"{path}, line {number}: over {MAX_LINE_CHARS:,} characters; break the text up or shorten it"
            )
        if "\0" in line:
            raise DatasetError(
                f"{path}, line {number}: a NUL byte, so the file is binary or UTF-16, not text; save it as UTF-8 text"
            )
        yield line


def _not_utf8(path: Path) -> DatasetError:
    """The error for a file that is not UTF-8, naming its first such line: the text decoder reads
    ahead in blocks, so the line being parsed when it fails may be an earlier one. Read again in
    bounded pieces, so that a file that is one huge line is not held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    number, offset = 1, 0
    with open_file(path, DATASET) as file:
        while True:
            piece = file.readline(1 << 16)
            pending = len(decoder.getstate()[0])  # bytes of a character the last piece cut in two
            try:
                decoder.decode(piece, final=not piece)
            except UnicodeDecodeError as exc:
                return DatasetError(
                    f"{path}, line {number}: not UTF-8 text (byte {offset - pending + exc.start}); "
                    "save the file as UTF-8"
                )
            if not piece:
                break
            number += piece.endswith(b"\n")
            offset += len(piece)
    return DatasetError(f"{path}: not UTF-8 text (the file changed while it was read); save it as UTF-8")


class _Nested(str):
    """A JSONL field that holds an object or a list: its text, for the preview. Neither text nor
    a label, so refused in a column chosen as one."""


def _json_rows(path: Path, columns: list[str]) -> Rows:
    # Only "\n" ends a line (newline="\n"): str.splitlines() would also cut at U+2028, form
    # feeds and other characters that JSON allows raw inside a string.
    with _open_text(path, newline="\n") as file:
        objects, known = 0, set()  # `known`: the columns, looked up without a scan of the list
        try:
            for number, line in enumerate(_lines(file, path), start=1):
                if not line.strip():
                    continue
                row = _json_object(path, number, line)
                new = [k for k in row if k not in known]
                if new:
                    known.update(new)
                    columns.extend(new)
                    _check_column_count(path, number, len(columns))
                objects += 1
                yield number, {k: _field_text(v) for k, v in row.items()}
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
    if not objects:
        raise DatasetError(f"{path}: the file is empty; write one JSON object per line")


def _json_object(path: Path, number: int, line: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        reason = exc.msg
    except ValueError:  # Python reads no integer of over 4,300 digits
        reason = "a number too long to read"
    except RecursionError:
        reason = "nested too deeply"
    else:
        if not isinstance(row, dict):
            raise DatasetError(
                f"{path}, line {number}: not a JSON object with named fields; write one such object per line"
            )
        if any(isinstance(s, str) and _has_surrogate(s) for item in row.items() for s in item):
            raise DatasetError(
                f"{path}, line {number}: a \\u escape of half a UTF-16 surrogate pair, which is no "
                "character; write the character itself, or both halves"
            )
        return row
    raise DatasetError(f"{path}, line {number}: not a JSON object ({reason}); write one JSON object per line")


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and SURROGATES.search(text) is not None


def _field_text(value) -> str:
    if value is None:
        return ""
    return _Nested(value) if isinstance(value, (dict, list)) else str(value)


def _check_column_count(path: Path, line: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise DatasetError(f"{path}, line {line}: over {MAX_COLUMNS:,} columns; keep only the columns to train on")


def _delimited_rows(path: Path, delimiter: str, columns: list[str]) -> Rows:
    tsv = delimiter == "\t"
    # TSV files (GLUE's among them) are not quoted: a field may start with a double quote, which
    # CSV quoting would take as the start of a field running on to the next quote, lines later.
    quoting = csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL
    # The csv module splits lines itself (newline=""), so a quoted CSV field may hold a line
    # break or a character such as U+2028 that str.splitlines() would wrongly cut at. Strict: a
    # quote that never closes is an error, not a field that silently runs to the end of the file.
    with _open_text(path, newline="") as file:
        reader = csv.reader(_lines(file, path), delimiter=delimiter, quoting=quoting, strict=True)
        end = 0  # the line the last record ended on: a malformed one is named by the line it starts on
        try:
            for fields in reader:
                if _blank(fields):
                    pass
                elif not columns:  # the header: the first line that is not blank
                    _check_column_count(path, reader.line_num, len(fields))
                    columns.extend(h.strip() for h in fields)
                elif len(fields) != len(columns):
                    raise DatasetError(_ragged_row(path, reader.line_num, len(fields), len(columns), tsv))
                else:
                    yield reader.line_num, dict(zip(columns, fields))
                end = reader.line_num
        except csv.Error as exc:
            raise DatasetError(_malformed(path, end + 1, reader.line_num, str(exc))) from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
    if not columns:
        raise DatasetError(f"{path}: the file is empty; add a header line and labelled rows")


def _malformed(path: Path, start: int, line: int, problem: str) -> str:
    """What the csv module's error means, and what to do. A quote that never closes is named by
    the line where its record starts, where it opened: the csv module only notices at the end of
    the file or of its field size limit, lines later."""
    if problem == "unexpected end of data":
        return (
            f"{path}, line {start}: a double quote opens a field that never closes; close it, and write a "
            'quote inside a quoted field as two ("")'
        )
    if problem.startswith("field larger than field limit"):
        return (
            f"{path}, line {start}: a field of over {csv.field_size_limit():,} characters; shorten it, or "
            "close the double quote that opens it"
        )
    if "expected after" in problem:
        return (
            f"{path}, line {line}: text after the closing double quote of a field; write a quote inside "
            'a quoted field as two ("")'
        )
    return f"{path}, line {line}: {problem}; correct that line"


def _blank(fields: list[str]) -> bool:
    """A blank line: the csv module gives no fields for an empty line, and only empty ones for ", ,"."""
    return not any(map(str.strip, fields))


def _ragged_row(path: Path, line: int, fields: int, expected: int, tsv: bool) -> str:
    """Why a row has more or fewer fields than the header, and what to do about it."""
    where = f"{path}, line {line}: {count_of(fields, 'field')}, but the header has {expected}"
    if tsv:
        return (
            f"{where}; a TSV field cannot hold a tab or a line break, so remove them from the text "
            "or save the file as CSV"
        )
    if fields > expected:
        return f"{where}; put text that contains a comma in double quotes"
    return f"{where}; fill in the missing fields, or put text that spans lines in double quotes"


def canonical_label(label: str) -> str:
    """The class a label names: a decimal number in its shortest form (01, 1.0, +1 and 1. are 1;
    -0 is 0), so that one class written two ways is not two classes; anything else as written.
    Worked on as text, so no number is rounded (two long ids stay two classes)."""
    match = DECIMAL.fullmatch(label)
    if not match:
        return label
    sign, whole, fraction = match.groups()
    fraction = (fraction or "").rstrip("0")
    number = (whole.lstrip("0") or "0") + ("." + fraction if fraction else "")
    return "-" + number if sign == "-" and number != "0" else number


class Labels:
    """The classes of the rows read so far: how many rows each has, and how each label as
    written was read (canonical_label). Refuses a class past MAX_CLASSES."""

    def __init__(self, path: Path):
        self.path = path
        self.counts: Counter[str] = Counter()
        self._read_as: dict[str, str] = {}  # also makes every row's label one shared string

    def add(self, written: str, line: int) -> str:
        label = self._read_as.get(written)
        if label is None:
            label = self._read_as[written] = canonical_label(written)
        if label not in self.counts and len(self.counts) == MAX_CLASSES:
            raise DatasetError(
                f"{self.path}, line {line}: over {MAX_CLASSES:,} different labels (this one is "
                f"{quoted(label)}); check that the label column holds classes, or group them"
            )
        self.counts[label] += 1
        return label

    def note(self) -> str | None:
        """'labels 01, 1.0 read as 1', for the numbers not written in canonical form; None if none."""
        spellings = defaultdict(list)
        for written, label in self._read_as.items():
            if written != label:
                spellings[label].append(written)
        if not spellings:
            return None
        groups = [
            f"{listed(sorted(spellings[label]), quote=shortened)} read as {shortened(label)}"
            for label in label_order(spellings)
        ]
        return "labels " + "; ".join(groups[:3]) + (f"; and {len(groups) - 3:,} more" if len(groups) > 3 else "")


def _example(path: Path, line: int, row: dict[str, str], chosen: ChosenColumns, labels: Labels) -> Example:
    # Run for every row, so the usual case is a few operations: a missing or nested field is
    # looked for only once it is known that there is one.
    try:
        text, text_b, label = row[chosen.text], row[chosen.text_b] if chosen.text_b else None, row[chosen.label]
    except KeyError as exc:  # only a JSONL object can lack a field
        raise DatasetError(f"{path}, line {line}: no field {quoted(exc.args[0])}; add it or remove the row") from None
    if _Nested in (type(text), type(text_b), type(label)):
        raise _nested(path, line, row, chosen)
    text = text.strip()
    text_b = text_b.strip() if chosen.text_b else None
    label = label.strip()
    if not text or (chosen.text_b and not text_b):
        raise DatasetError(f"{path}, line {line}: empty text; remove the row or fill it in")
    if not label:
        raise DatasetError(f"{path}, line {line}: empty label; remove the row or fill it in")
    return Example(text, text_b, labels.add(label, line), line)


def _nested(path: Path, line: int, row: dict[str, str], chosen: ChosenColumns) -> DatasetError:
    column = next(c for c in chosen if c and type(row[c]) is _Nested)
    what = "an object" if row[column].startswith("{") else "a list"
    return DatasetError(
        f"{path}, line {line}: the field {quoted(column)} holds {what}, not "
        f"{'a label' if column == chosen.label else 'text'}; write it as a string"
    )


def _too_many_rows(path: Path, line: int) -> DatasetError:
    return DatasetError(
        f"{path}, line {line}: over {MAX_ROWS:,} rows, hours of training an epoch; sample at most {MAX_ROWS:,} rows"
    )


def load_dataset(
    path: str | Path, text_column: str | None = None, text_b_column: str | None = None, label_column: str | None = None
) -> LabelledDataset:
    """Columns left as None are detected; text_b_column "" means single sentences."""
    path = dataset_path(path)
    columns, rows = open_rows(path)
    labels = Labels(path)
    examples = []
    with closing(rows):  # a refused column or row closes the file now, not when the error is dropped
        chosen = choose_columns(columns, text_column, text_b_column, label_column)
        check_columns(path, columns, chosen)
        for line, row in rows:
            if len(examples) == MAX_ROWS:
                raise _too_many_rows(path, line)
            examples.append(_example(path, line, row, chosen, labels))
    if not examples:
        raise DatasetError(f"{path}: no rows under the header; add labelled rows")
    return LabelledDataset(examples, path, *chosen, label_note=labels.note())


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
    label_note: str | None = None  # how numeric labels written several ways were read, in one line


def preview_dataset(
    path: str | Path,
    text_column: str | None = None,
    text_b_column: str | None = None,
    label_column: str | None = None,
    count: int = 8,
) -> DatasetPreview:
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
    first_rows, labels, total = [], Labels(path), 0
    with closing(rows):  # anything raised while reading (an interrupt, a bug) closes the file at once
        for line, row in rows:  # a file that cannot be parsed raises here
            total += 1
            if len(first_rows) < count:
                first_rows.append(row)
            if problem is None:
                try:
                    if total > MAX_ROWS:
                        raise _too_many_rows(path, line)
                    _example(path, line, row, chosen, labels)
                except DatasetError as exc:
                    problem = str(exc)
    if problem is None:
        try:
            if not total:
                raise DatasetError(f"{path}: no rows under the header; add labelled rows")
            check_classes(str(path), labels.counts)
        except DatasetError as exc:
            problem = str(exc)
    if problem:
        counts, warning, note = {}, None, None
    else:
        counts = {label: labels.counts[label] for label in label_order(labels.counts)}
        warning, note = label_warning(labels.counts), labels.note()
    return DatasetPreview(
        path,
        list(columns),
        [[row.get(c, "") for c in columns] for row in first_rows],
        total,
        *chosen,
        counts,
        problem,
        warning,
        note,
    )


def label_warning(label_counts: Counter) -> str | None:
    """Labels a classifier would train on but that are probably the wrong column, or one class
    written two ways; None when they look like classes."""
    rows, distinct = sum(label_counts.values()), len(label_counts)
    if distinct >= FEW_ROWS_PER_LABEL_MIN_LABELS and distinct > rows / 2:
        if all(NUMBER.fullmatch(label) for label in label_counts):
            return (
                f"{distinct} different labels in {rows} rows look like scores (a regression target), not "
                "classes; choose the column with class labels or group the scores into a few classes"
            )
        return (
            f"{distinct} different labels in {rows} rows leave most classes with a single example; "
            "check that the label column holds the classes"
        )
    same_number = defaultdict(list)
    for label in label_order(label_counts):
        if NUMBER.fullmatch(label):
            same_number[float(label)].append(label)
    for spellings in same_number.values():
        if len(spellings) > 1:  # only with an exponent now: canonical_label made 1.0 and 01 one class
            return (
                f"the labels {' and '.join(map(quoted, spellings[:2]))} are the same number but different "
                "classes; write each class one way"
            )
    return None


def check_classes(where: str, label_counts: Counter) -> None:
    """Refuses labels no classifier can learn from: a single class."""
    if len(label_counts) == 1:
        only = next(iter(label_counts))
        raise DatasetError(
            f"{where}: every row has the label {quoted(only)}; a classifier needs at least two "
            "classes, so add rows of another class or choose another label column"
        )


def check_trainable(train: LabelledDataset, batch_size: int, eval_set: LabelledDataset | None = None) -> None:
    """What makes training pointless, refused before it starts."""
    labels = train.label_counts()
    check_classes(train.describe(), labels)
    if len(train) < batch_size:
        raise DatasetError(
            f"{train.describe()}: {count_of(len(train), 'row')}, fewer than one batch of "
            f"{batch_size}; add rows or lower the batch size"
        )
    if eval_set is not None:
        unknown = label_order(set(eval_set.label_counts()) - set(labels))
        if unknown:
            which = (
                f"the label {quoted(unknown[0])} never occurs"
                if len(unknown) == 1
                else f"the labels {listed(unknown)} never occur"
            )
            raise DatasetError(
                f"{eval_set.describe()}: {which} in {train.describe(full_path=False)}; remove "
                "those rows or add training rows with those labels"
            )
        if eval_set.is_pair != train.is_pair:
            raise DatasetError(
                f"{eval_set.describe()}: {'pairs' if eval_set.is_pair else 'single sentences'}, "
                f"but {train.describe(full_path=False)} has "
                f"{'pairs' if train.is_pair else 'single sentences'}; use data of the same kind"
            )


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
    held_per_label = _held_out_counts({label: len(rows) for label, rows in rows_by_label.items()}, fraction, shuffler)
    held: set[int] = set()
    for label, rows in rows_by_label.items():
        shuffler.shuffle(rows)
        held.update(rows[: held_per_label[label]])
    if not held:
        raise DatasetError(
            f"{dataset.source}: no label has two rows, so none can be held out for evaluation; "
            "add rows or choose an evaluation file"
        )

    def subset(examples: list[Example], part: str) -> LabelledDataset:
        return LabelledDataset(
            examples,
            dataset.source,
            dataset.text_column,
            dataset.text_b_column,
            dataset.label_column,
            part,
            dataset.label_note,
        )

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
    below = [
        (held[label] - share[label], rank, label) for rank, label in enumerate(labels) if held[label] < spare[label]
    ]
    heapq.heapify(below)
    for _ in range(target - sum(held.values())):
        _, rank, label = heapq.heappop(below)
        held[label] += 1
        if held[label] < spare[label]:
            heapq.heappush(below, (held[label] - share[label], rank, label))
    return held
