"""Tagged datasets: CoNLL-style columns and JSONL, the preview, and one-line refusals that name
the file and the line."""

from __future__ import annotations

import json

import pytest

from model.finetuning import datasets, token_datasets
from model.finetuning.datasets import DatasetError
from model.finetuning.token_datasets import (
    check_taggable,
    load_token_dataset,
    preview_token_dataset,
    split_sentences,
    unseen_tags_warning,
)

CONLL = """-DOCSTART- -X- O

Confidence NN B-NP
in IN B-PP
the DT B-NP
pound NN I-NP
. . O


He PRP B-NP
reckons VBZ B-VP
"""


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refusal(path, **kwargs) -> str:
    with pytest.raises(DatasetError) as info:
        load_token_dataset(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_reads_conll_columns_with_the_last_as_tags(tmp_path):
    ds = load_token_dataset(write(tmp_path, "train.txt", CONLL))
    assert len(ds) == 2 and ds.words == 7 and ds.tag_column == 3
    assert ds.sentences[0].words == ("Confidence", "in", "the", "pound", ".")
    assert ds.sentences[0].tags == ("B-NP", "B-PP", "B-NP", "I-NP", "O")
    assert (ds.sentences[0].line, ds.sentences[1].line) == (3, 10)  # -DOCSTART- and blank lines skipped
    assert ds.tag_names == ["O", "B-NP", "I-NP", "B-PP", "B-VP"]


def test_another_tag_column_can_be_chosen(tmp_path):
    ds = load_token_dataset(write(tmp_path, "train.txt", CONLL), tag_column=2)
    assert ds.sentences[1].tags == ("PRP", "VBZ") and ds.tag_column == 2


def test_tab_separated_columns_may_hold_spaces_and_crlf_line_ends(tmp_path):
    ds = load_token_dataset(write(tmp_path, "ner.tsv", "New York\tB-LOC\r\nis\tO\r\n\r\nParis\tB-LOC\r\n"))
    assert ds.sentences[0].words == ("New York", "is") and ds.sentences[1].tags == ("B-LOC",)


def test_reads_jsonl_tokens_and_tags(tmp_path):
    lines = [{"tokens": ["The", "cat"], "tags": ["B-NP", "I-NP"]}, {"tokens": ["Run", 7], "tags": [3, 4], "id": 9}]
    ds = load_token_dataset(write(tmp_path, "d.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n"))
    assert ds.tag_column is None and [s.line for s in ds.sentences] == [1, 2]
    assert ds.sentences[1].words == ("Run", "7") and ds.sentences[1].tags == ("3", "4")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.txt", "The DT B-NP\ncat\n", "a.txt, line 2: one column ('cat')"),
        ("a.txt", "The DT B-NP\ncat NN\n", "a.txt, line 2: 2 columns, but the first word's line has 3"),
        ("a.txt", "The\tB-NP\ncat\t\n", "a.txt, line 2: one column ('cat')"),
        ("a.txt", "\n\n", "a.txt: no sentences"),
        ("a.txt", "x O\n\0\n", "a.txt, line 2: a NUL byte"),
        ("a.csv", "text,label\nhi,a\n", "a.csv: a .csv file holds sentences with labels, not tagged words"),
        ("a.jsonl", '{"tokens": ["a"]}\n', 'a.jsonl, line 1: no field "tags"'),
        ("a.jsonl", '{"tokens": ["a", "b"], "tags": ["O"]}\n', "a.jsonl, line 1: 2 tokens but 1 tag"),
        ("a.jsonl", '\n{"tokens": "a b", "tags": ["O"]}\n', 'line 2: the field "tokens" holds a string, not a list'),
        ("a.jsonl", '{"tokens": ["a", " "], "tags": ["O", "O"]}\n', 'line 1: item 2 of "tokens" is empty'),
        ("a.jsonl", '{"tokens": ["a"], "tags": [null]}\n', 'line 1: item 1 of "tags" is null'),
        ("a.jsonl", '{"tokens": [], "tags": []}\n', "a.jsonl, line 1: no tokens"),
        ("a.jsonl", '["a", "O"]\n', "a.jsonl, line 1: not a JSON object"),
    ],
)
def test_refusals_name_the_file_and_the_line(tmp_path, name, text, expected):
    assert expected in refusal(write(tmp_path, name, text))


def test_a_tag_column_the_file_lacks_or_the_words_column_is_refused(tmp_path):
    path = write(tmp_path, "a.txt", "\nThe DT B-NP\n")
    assert "a.txt, line 2: no column 4, the lines have 3; choose the tag column from 2 to 3" in refusal(
        path, tag_column=4
    )
    assert "column 1 cannot hold the tags" in refusal(path, tag_column=1)
    empty = write(tmp_path, "b.txt", "The\tB-NP\tx\ncat\t\tx\n")
    assert "b.txt, line 2: an empty tag; fill it in" in refusal(empty, tag_column=2)


def test_not_utf8_names_the_first_bad_line(tmp_path):
    path = write(tmp_path, "a.txt", "fine O\n\nCafé B-NP\n", encoding="latin-1")
    assert "a.txt, line 3: not UTF-8 text" in refusal(path)


def test_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(token_datasets, "MAX_SENTENCE_WORDS", 3)
    assert "line 4: a sentence of over 3 words (from line 1); put a blank line" in refusal(
        write(tmp_path, "a.txt", "a O\nb O\nc O\nd O\n")
    )
    monkeypatch.setattr(token_datasets, "MAX_ROWS", 2)
    assert "line 5: over 2 sentences" in refusal(write(tmp_path, "b.txt", "a O\n\nb O\n\nc O\n"))
    monkeypatch.setattr(token_datasets, "MAX_CLASSES", 2)
    assert "line 4: over 2 different tags" in refusal(write(tmp_path, "c.txt", "a X\nb Y\n\nc Z\n"))
    monkeypatch.setattr(datasets, "MAX_FILE_MB", 0)
    assert "a fine-tuning file is at most 0 MB" in refusal(write(tmp_path, "d.txt", "a O\n"))


def test_preview_shows_the_first_sentences_counts_and_chunks(tmp_path):
    p = preview_token_dataset(write(tmp_path, "train.txt", CONLL), count=1)
    assert p.problem is None and p.warning is None and p.scheme == "BIO"
    assert (p.total_sentences, p.total_words, p.columns, p.tag_column) == (2, 7, 3, 3)
    assert [s.words[0] for s in p.sentences] == ["Confidence"]
    assert p.tag_counts == {"O": 1, "B-NP": 3, "I-NP": 1, "B-PP": 1, "B-VP": 1}
    assert p.chunk_counts == {"NP": 3, "PP": 1, "VP": 1}
    pos = preview_token_dataset(tmp_path / "train.txt", tag_column=2)
    assert pos.scheme == "plain" and pos.chunk_counts == {} and "NN" in pos.tag_counts


def test_preview_keeps_what_it_read_before_a_bad_line(tmp_path):
    p = preview_token_dataset(write(tmp_path, "a.txt", "a DT B-NP\n\nb NN\n"))
    assert p.problem.endswith(
        "line 3: 2 columns, but the first word's line has 3; give every line the same "
        "columns (a word with a space in it needs tab-separated columns)"
    )
    assert len(p.sentences) == 1 and p.tag_counts == {}


def test_preview_warnings(tmp_path):
    iob1 = preview_token_dataset(write(tmp_path, "a.txt", "a I-NP\nb O\nc I-NP\nd B-NP\n"))
    assert iob1.warning.startswith("2 of 3 chunks start with an I- tag") and iob1.chunk_counts == {"NP": 3}
    mixed = preview_token_dataset(write(tmp_path, "b.txt", "a B-NP\nb NN\n"))
    assert "'B-NP' name chunks but 'NN' do not" in mixed.warning and mixed.scheme == "plain"
    words = "\n".join(f"w{i} t{i}" for i in range(12))
    assert "12 different tags in 12 words" in preview_token_dataset(write(tmp_path, "c.txt", words)).warning
    single = preview_token_dataset(write(tmp_path, "d.txt", "a O\nb O\n"))
    assert "every word has the tag 'O'; a tagger needs at least two tags" in single.problem


def test_checks_before_a_run(tmp_path):
    train = load_token_dataset(write(tmp_path, "train.txt", CONLL))
    with pytest.raises(DatasetError, match="2 sentences, fewer than one batch of 8"):
        check_taggable(train, 8)
    check_taggable(train, 2)
    test = load_token_dataset(write(tmp_path, "test.txt", "a B-LST\nb I-LST\nc O\n"))
    assert unseen_tags_warning(train, test) == (
        "the tags 'B-LST', 'I-LST' of test.txt never occur in train.txt: the model cannot learn them, "
        "so 2 words count as errors"
    )
    assert unseen_tags_warning(train, train) is None


def test_split_sentences_is_seeded_and_holds_out_at_least_one(tmp_path):
    text = "".join(f"w{i} B-X\nv O\n\n" for i in range(20))
    ds = load_token_dataset(write(tmp_path, "a.txt", text))
    kept, held = split_sentences(ds, 0.1, seed=1)
    assert (len(kept), len(held)) == (18, 2) and held.describe().startswith("the held-out split of")
    again = split_sentences(ds, 0.1, seed=1)[1]
    assert [s.line for s in again.sentences] == [s.line for s in held.sentences]
    assert len(split_sentences(ds, 0.001, seed=1)[1]) == 1
