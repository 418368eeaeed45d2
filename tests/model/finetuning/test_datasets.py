"""Fine-tuning datasets: formats, column detection, and one-line refusals naming file and line."""

from __future__ import annotations

import json

import pytest

from model.finetuning.datasets import DatasetError, check_trainable, load_dataset, split_off


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_csv_single_sentences(tmp_path):
    path = write(tmp_path, "d.csv", 'text,label\n"a good, fine film",positive\nbad film,negative\n\n')
    ds = load_dataset(path)
    assert not ds.is_pair and len(ds) == 2
    assert ds.examples[0].text == "a good, fine film" and ds.examples[0].line == 2
    assert ds.label_names == ["negative", "positive"]


def test_line_breaks_and_separators_inside_fields_stay_in_the_field(tmp_path):
    odd = "one\u2028two\x0cthree"
    path = write(tmp_path, "d.csv", f'text,label\r\n"two\nlines",a\r\n"{odd}",b\r\nlast,a\r\n')
    ds = load_dataset(path)
    assert [e.text for e in ds.examples] == ["two\nlines", odd, "last"]
    assert [e.line for e in ds.examples] == [3, 4, 5]  # the line where each row ends
    path = write(tmp_path, "d.jsonl", json.dumps({"text": odd, "label": "a"}, ensure_ascii=False) + "\r\n"
                 + json.dumps({"text": "x", "label": "b"}) + "\n")
    assert [e.text for e in load_dataset(path).examples] == [odd, "x"]


def test_tsv_pairs_are_detected(tmp_path):
    path = write(tmp_path, "d.tsv", "text_a\ttext_b\tlabel\nA man runs.\tA person moves.\tentailment\n"
                                    "A cat.\tA dog.\tnot_entailment\n")
    ds = load_dataset(path)
    assert ds.is_pair and ds.examples[1].text_b == "A dog."


def test_jsonl_and_chosen_columns(tmp_path):
    rows = [{"sentence": "hi there", "y": 1}, {"sentence": "bye", "y": 0}]
    path = write(tmp_path, "d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    ds = load_dataset(path, text_column="sentence", label_column="y")
    assert [e.label for e in ds.examples] == ["1", "0"]


@pytest.mark.parametrize("content,pattern", [
    ("sentence,label\nx,1\n", r"d.csv: no column named 'text'; the columns are 'sentence', 'label'"),
    ("text,label\nok,1\n ,0\n", r"d.csv, line 3: empty text"),
    ("text,label\nok,1\nfine,\n", r"d.csv, line 3: empty label"),
    ("text,label\n", r"d.csv: no rows under the header"),
    ("", r"d.csv: the file is empty"),
])
def test_bad_files_name_the_file_and_line(tmp_path, content, pattern):
    with pytest.raises(DatasetError, match=pattern) as info:
        load_dataset(write(tmp_path, "d.csv", content))
    assert "\n" not in str(info.value)


def test_unreadable_encoding_names_the_line(tmp_path):
    path = write(tmp_path, "d.csv", b"text,label\nfine,1\ncaf\xe9 latin-1,0\n")
    with pytest.raises(DatasetError, match=r"d.csv, line 3: not UTF-8 text"):
        load_dataset(path)


def test_bad_json_line(tmp_path):
    path = write(tmp_path, "d.jsonl", '{"text": "a", "label": "x"}\n{oops\n')
    with pytest.raises(DatasetError, match=r"d.jsonl, line 2: not a JSON object"):
        load_dataset(path)


def test_unknown_format(tmp_path):
    with pytest.raises(DatasetError, match=r"unknown format '.xlsx'"):
        load_dataset(write(tmp_path, "d.xlsx", "x"))


def test_trainability_checks(tmp_path):
    one_class = load_dataset(write(tmp_path, "a.csv", "text,label\na,x\nb,x\nc,x\n"))
    with pytest.raises(DatasetError, match="every row has the label 'x'"):
        check_trainable(one_class, batch_size=2)
    small = load_dataset(write(tmp_path, "b.csv", "text,label\na,x\nb,y\n"))
    with pytest.raises(DatasetError, match="2 rows, fewer than one batch of 8"):
        check_trainable(small, batch_size=8)
    other = load_dataset(write(tmp_path, "c.csv", "text,label\na,x\nb,z\n"))
    with pytest.raises(DatasetError, match=r"c.csv: label\(s\) 'z' never occur in b.csv"):
        check_trainable(small, batch_size=2, eval_set=other)
    check_trainable(small, batch_size=2, eval_set=small)


def test_held_out_split_is_fixed_by_seed(tmp_path):
    lines = "".join(f"sentence {i},{i % 3}\n" for i in range(50))
    ds = load_dataset(write(tmp_path, "d.csv", "text,label\n" + lines))
    train, held = split_off(ds, 0.2, seed=1)
    assert len(held) == 10 and len(train) == 40
    assert {e.line for e in train.examples}.isdisjoint(e.line for e in held.examples)
    assert [e.line for e in split_off(ds, 0.2, seed=1)[1].examples] == [e.line for e in held.examples]
    assert [e.line for e in split_off(ds, 0.2, seed=2)[1].examples] != [e.line for e in held.examples]


def test_preview_shows_first_rows_detected_columns_and_label_counts(tmp_path):
    from model.finetuning.datasets import preview_dataset

    path = tmp_path / "pairs.csv"
    path.write_text("id,text_a,text_b,label\n" + "".join(f"{i},a {i},b {i},{'yes' if i % 3 else 'no'}\n"
                                                         for i in range(20)))
    p = preview_dataset(path, count=5)
    assert p.columns == ["id", "text_a", "text_b", "label"] and p.total_rows == 20
    assert p.rows[0] == ["0", "a 0", "b 0", "no"] and len(p.rows) == 5
    assert (p.text_column, p.text_b_column, p.label_column) == ("text_a", "text_b", "label")
    assert p.label_counts == {"no": 7, "yes": 13} and p.problem is None
    # Other columns chosen: single sentences (text_b ""), labelled by id: 20 classes of one row each.
    single = preview_dataset(path, text_column="text_b", text_b_column="", label_column="id")
    assert single.text_b_column is None and len(single.label_counts) == 20
    bad = preview_dataset(path, label_column="missing")
    assert bad.label_counts == {} and "no column named 'missing'" in bad.problem


def test_preview_of_an_unreadable_file_raises_one_line(tmp_path):
    from model.finetuning.datasets import preview_dataset

    path = tmp_path / "latin1.csv"
    path.write_bytes("text,label\ncaf\xe9,x\n".encode("latin-1"))
    with pytest.raises(DatasetError, match="line 2: not UTF-8"):
        preview_dataset(path)
