"""Hostile training files: binary data, broken JSON, files too large or with too many rows,
columns or classes, and fuzzed rows. Each is read or refused with one DatasetError line that
names the file and the line; nothing else escapes, and nothing fills memory."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model.finetuning.datasets as datasets
from model.errors import BertError
from model.finetuning.datasets import DatasetError, canonical_label, load_dataset, preview_dataset
from model.pretraining.corpus import MAX_LINE_CHARS, CorpusStats, read_documents

ROOT = Path(__file__).resolve().parents[3]  # `python -m model` runs this checkout's package


def write(tmp_path, name, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


def refusal(path: Path) -> str:
    """The message of load_dataset's refusal, checked to be what every refusal must be."""
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return checked_message(str(info.value), path)


def checked_message(message: str, path: Path) -> str:
    assert message.startswith(str(path)) and "\n" not in message and "\r" not in message, message
    assert len(message) - len(str(path)) < 200, message
    return message


@pytest.mark.parametrize(
    "name,data,says",
    [
        (
            "nul.csv",
            b"text,label\nfine,1\nbin\x00ary,0\n",
            "nul.csv, line 3: a NUL byte, so the file is binary or UTF-16",
        ),
        ("utf16.tsv", "text\tlabel\nhi\t1\n".encode("utf-16-le"), "utf16.tsv, line 1: a NUL byte"),
        ("utf16bom.csv", "text,label\nhi,1\n".encode("utf-16"), "utf16bom.csv, line 1: not UTF-8 text"),
        ("png.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png.csv, line 1: not UTF-8 text"),
        ("nul.jsonl", b'{"text": "a", "label": 1}\n{"text": "b\x00", "label": 0}\n', "nul.jsonl, line 2: a NUL byte"),
        ("late.csv", b"text,label\n" + b"fine,1\n" * 5000 + b"caf\xe9,0\n", "late.csv, line 5002: not UTF-8 text"),
        ("cut.csv", b"text,label\nfine,1\ncut \xe2\x82", "cut.csv, line 3: not UTF-8 text"),
    ],
)
def test_binary_files_are_refused_naming_the_line(tmp_path, name, data, says):
    assert says in refusal(write(tmp_path, name, data))


@pytest.mark.parametrize(
    "line,says",
    [
        ('{"text": "a\\ud800b", "label": 1}', "a \\u escape of half a UTF-16 surrogate pair"),
        ('{"text": "a", "\\udc80": 1, "label": 1}', "a \\u escape of half a UTF-16 surrogate pair"),
        ('{"text": "a", "label": 1' + "0" * 5000 + "}", "not a JSON object (a number too long to read)"),
        ("[" * 100_000 + "]" * 100_000, "not a JSON object (nested too deeply)"),
        ('["text", "label"]', "not a JSON object with named fields"),
        ('{"text": "a", "label": 1', "not a JSON object (Expecting ',' delimiter)"),
    ],
    ids=["lone surrogate", "surrogate field name", "long number", "deep nesting", "list", "cut short"],
)
def test_json_lines_that_python_reads_badly_are_refused_naming_the_line(tmp_path, line, says):
    path = write(tmp_path, "d.jsonl", '{"text": "fine", "label": 0}\n' + line + "\n")
    assert f"d.jsonl, line 2: {says}" in refusal(path)


def test_a_surrogate_pair_escape_is_a_character(tmp_path):
    path = write(tmp_path, "d.jsonl", '{"text": "smile \\ud83d\\ude00", "label": 1}\n{"text": "b", "label": 0}\n')
    assert load_dataset(path).examples[0].text == "smile \U0001f600"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as file:
        file.write(b"text,label\n")
        file.truncate(1 << 30)  # a sparse 1 GB file: reading it would take seconds, and gigabytes as rows
    monkeypatch.setattr(datasets, "open_file", None)  # so it is never opened
    start = time.perf_counter()
    says = refusal(path)
    assert time.perf_counter() - start < 0.5
    assert "huge.csv: is 1.0 GB; a fine-tuning file is at most 100 MB, so sample the rows" in says
    with pytest.raises(DatasetError, match="is 1.0 GB"):
        preview_dataset(path)


def test_rows_past_the_limit_are_refused_naming_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_ROWS", 5)
    path = write(tmp_path, "d.csv", "text,label\n" + "row,a\nrow,b\n\n" * 3)
    assert "d.csv, line 9: over 5 rows, hours of training an epoch; sample at most 5 rows" in refusal(path)
    preview = preview_dataset(path)
    assert preview.total_rows == 6 and "line 9: over 5 rows" in preview.problem
    assert len(load_dataset(write(tmp_path, "ok.csv", "text,label\n" + "row,a\nrow,b\n" * 2 + "row,a\n"))) == 5


def test_classes_past_the_limit_are_refused_naming_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_CLASSES", 3)
    path = write(tmp_path, "d.csv", "text,label\n" + "".join(f"row,{i}\nrow,0{i}\n" for i in range(5)))
    says = refusal(path)
    assert "d.csv, line 8: over 3 different labels (this one is '3'); check that the label column holds" in says
    assert "line 8: over 3 different labels" in preview_dataset(path).problem


def test_columns_past_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_COLUMNS", 3)
    assert "d.csv, line 1: over 3 columns" in refusal(write(tmp_path, "d.csv", "text,label,a,b\nx,1,2,3\n"))
    # JSONL gains a column with each new field name; checked as a set, not a scan of the list.
    rows = "".join(json.dumps({"text": "x", "label": 1, f"field {i}": i}) + "\n" for i in range(5))
    assert "d.jsonl, line 2: over 3 columns" in refusal(write(tmp_path, "d.jsonl", rows))


def test_a_line_past_the_limit_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_LINE_CHARS", 1000)
    path = write(tmp_path, "d.jsonl", '{"text": "a", "label": 1}\n{"text": "' + "x" * 5000 + '", "label": 0}\n')
    assert "d.jsonl, line 2: over 1,000 characters; break the text up or shorten it" in refusal(path)


def test_values_quoted_in_messages_are_cut_and_kept_on_one_line(tmp_path):
    label = "one\ntwo " + "x" * 500
    path = write(tmp_path, "d.csv", f'text,label\na,"{label}"\nb,"{label}"\n')
    with pytest.raises(DatasetError) as info:
        datasets.check_trainable(load_dataset(path), batch_size=1)
    assert "the label 'one\\ntwo xxxx" in checked_message(str(info.value), path)
    header = ",".join(f'"column\n{i}"' for i in range(50))
    assert "and 44 more, so choose among them" in refusal(write(tmp_path, "h.csv", header + "\n" + "x," * 49 + "x\n"))


def test_a_file_at_both_limits_is_read_to_its_last_line_and_refused_there(tmp_path):
    """Half a million rows in 100 MB, refused at the last line: everything is read first. (Its
    time and memory, the slowest refusal, are measured by benchmarks/bench_refusals.py.)"""
    row = "word " * 38 + "{},{}\n"
    path = tmp_path / "d.csv"
    with open(path, "w") as file:
        file.write("text,label\n")
        file.writelines(row.format(i, i % 7) for i in range(datasets.MAX_ROWS - 1))
        file.write("last row,\n")
    assert path.stat().st_size <= datasets.MAX_FILE_MB << 20
    assert f"line {datasets.MAX_ROWS + 1}: empty label" in refusal(path)


# --- fuzzing ----------------------------------------------------------------------------------

# Pieces of text that stress the readers: quotes, separators, line breaks, a BOM, U+2028,
# numbers written several ways and JSON-looking text.
PIECES = [
    '"',
    '""',
    ",",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "",
    "\ufeff",
    "\u2028",
    "1",
    "01",
    "1.0",
    "1 ",
    "-0",
    "+1",
    "1e0",
    ".5",
    "nan",
    '{"a": 1}',
    "[1, 2]",
    "\\",
    "é猫😀",
]
# Put into a file's bytes now and then: a NUL, lone surrogates as UTF-8 would write them (which
# is not UTF-8), a JSON escape of one, and any bytes.
SURROGATE_BYTES = "\ud800".encode("utf-8", "surrogatepass")
POISON = st.sampled_from([b"\0", SURROGATE_BYTES, b"\xff", b"\\udc80"]) | st.binary(max_size=4)
text_pieces = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=6)
cells = st.lists(st.sampled_from(PIECES) | text_pieces, min_size=1, max_size=4).map("".join)
KNOWN_HEADERS = st.sampled_from([["text", "label"], ["text_a", "text_b", "label"], ["label", "text", "id"]])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | cells,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(cells, inner, max_size=2),
    max_leaves=4,
)


@st.composite
def dataset_files(draw) -> tuple[str, bytes]:
    """(suffix, content): rows of arbitrary cells as CSV (quoted by the csv module, or not), TSV
    or JSONL; a quarter of them with any header, a quarter with rows of any length, a quarter
    poisoned somewhere."""
    kind = draw(st.sampled_from(["csv", "raw csv", "tsv", "jsonl"]))
    header = draw(st.lists(cells, min_size=1, max_size=3) if draw(st.integers(0, 3)) == 0 else KNOWN_HEADERS)
    width = st.integers(0, len(header) + 1) if draw(st.integers(0, 3)) == 0 else st.just(len(header))
    rows = draw(st.lists(width.flatmap(lambda n: st.lists(cells, min_size=n, max_size=n)), max_size=8))
    if kind == "jsonl":  # values of any JSON type in a quarter of them, else text and numbers
        values = json_values if draw(st.integers(0, 3)) == 0 else cells | st.integers() | st.floats()
        objects = [dict(zip(header, draw(st.lists(values, min_size=len(row), max_size=len(row))))) for row in rows]
        text = "".join(json.dumps(o, ensure_ascii=draw(st.booleans())) + "\n" for o in objects)
    elif kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        text = buffer.getvalue()
    else:
        separator = "\t" if kind == "tsv" else ","
        text = "".join(separator.join(fields) + "\n" for fields in [header, *rows])
    data = text.encode("utf-8")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(POISON) + data[at:]
    return "jsonl" if kind == "jsonl" else kind[-3:], data


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=dataset_files())
def test_any_rows_are_read_or_refused_with_one_line(fuzz_folder, file):
    suffix, data = file
    path = write(fuzz_folder, f"d.{suffix}", data)
    try:
        ds = load_dataset(path)
    except DatasetError as exc:
        checked_message(str(exc), path)
    else:
        assert ds.examples and all(e.text and e.label and canonical_label(e.label) == e.label for e in ds.examples)
        for e in ds.examples:  # no lone surrogate, which would not encode
            assert (e.text + (e.text_b or "") + e.label).encode("utf-8")
    try:
        preview = preview_dataset(path)
    except DatasetError as exc:
        checked_message(str(exc), path)
    else:
        if preview.problem:
            checked_message(preview.problem, path)
        for line in (preview.warning, preview.label_note):
            assert line is None or "\n" not in line


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=300)
    | st.lists(
        st.sampled_from([b"", b"a b", b"\xff\xfe", b"\xed\xa0\x80", b" ", b"\r", b"\x00", "é😀".encode()]), max_size=12
    ).map(b"\n".join)
)
def test_any_bytes_are_a_corpus_or_refused_with_one_line(fuzz_folder, data):
    path = write(fuzz_folder, "corpus.txt", data)
    try:
        documents = list(read_documents(path))
    except BertError as exc:
        message = checked_message(str(exc), path)
        if data.startswith(b"\x1f\x8b"):  # gzip's magic bytes: read as gzip, so broken gzip is refused
            assert "not a valid gzip file" in message
        else:
            assert b"\0" in data and "a NUL byte" in message
    else:
        sentences = [s for document in documents for s in document]
        assert all(s and s == s.strip() and "\n" not in s and len(s) <= MAX_LINE_CHARS for s in sentences)
        assert all(s.encode("utf-8") for s in sentences)  # no surrogates: undecodable bytes became U+FFFD


def test_a_corpus_with_a_nul_byte_is_refused_naming_the_line(tmp_path):
    path = write(tmp_path, "corpus.txt", b"one\ntwo\n\nthree \x00 four\n")
    with pytest.raises(BertError, match=r"corpus.txt, line 4: a NUL byte, so the file is binary or UTF-16"):
        list(read_documents(path))


def test_a_corpus_without_blank_lines_is_not_held_whole(tmp_path, monkeypatch):
    import model.pretraining.corpus as corpus

    monkeypatch.setattr(corpus, "MAX_DOCUMENT_CHARS", 100)
    path = write(tmp_path, "corpus.txt", "".join(f"sentence number {i:03d}\n" for i in range(50)))  # 19 chars each
    stats = CorpusStats()
    documents = list(read_documents(path, stats))
    assert [len(d) for d in documents] == [5] * 10 and stats.split_documents == 10 - 1
    assert "9 very long document(s) split" in stats.summary()


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,says",
    [
        (b"text,label\nfine,1\nbin\x00ary,0\n", "hostile.csv, line 3: a NUL byte"),
        (b'text,label\nok,1\n"open,0\n' + b"more,1\n" * 3, "hostile.csv, line 3: a double quote opens a field"),
    ],
)
def test_cli_finetune_refuses_a_hostile_file_in_one_line(tmp_path, content, says):
    path = write(tmp_path, "hostile.csv", content)
    proc = subprocess.run(
        [sys.executable, "-m", "model", "finetune", "--train", str(path), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and says in proc.stderr and "Traceback" not in proc.stderr


def test_cli_finetune_says_once_how_numeric_labels_were_read(tmp_path, hf_folder, capsys):
    from model.cli import main

    path = write(tmp_path, "d.csv", "text,label\n" + "the cat,01\nthe dog,0\na cat,1.0\na dog,0.0\n" * 4)
    code = main(
        [
            "finetune",
            "--train",
            str(path),
            "--model",
            str(hf_folder("BertForPreTraining")[0]),
            "--out",
            str(tmp_path / "out"),
            "--max-steps",
            "1",
            "--batch-size",
            "2",
            "--device",
            "cpu",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    first, *rest = out.splitlines()
    assert "labels 0, 1 (labels 0.0 read as 0; 01, 1.0 read as 1); " in first
    assert not any("read as" in line for line in rest)
