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


def test_blank_lines_above_the_header_are_skipped(tmp_path):
    ds = load_dataset(write(tmp_path, "d.tsv", "\n\t\r\ntext\tlabel\na\tx\n\nb\ty\n"))
    assert [(e.text, e.label, e.line) for e in ds.examples] == [("a", "x", 4), ("b", "y", 6)]


def test_line_breaks_and_separators_inside_fields_stay_in_the_field(tmp_path):
    odd = "one\u2028two\x0cthree"
    path = write(tmp_path, "d.csv", f'text,label\r\n"two\nlines",a\r\n"{odd}",b\r\nlast,a\r\n')
    ds = load_dataset(path)
    assert [e.text for e in ds.examples] == ["two\nlines", odd, "last"]
    assert [e.line for e in ds.examples] == [3, 4, 5]  # the line where each row ends
    path = write(
        tmp_path,
        "d.jsonl",
        json.dumps({"text": odd, "label": "a"}, ensure_ascii=False)
        + "\r\n"
        + json.dumps({"text": "x", "label": "b"})
        + "\n",
    )
    assert [e.text for e in load_dataset(path).examples] == [odd, "x"]


def test_tsv_pairs_are_detected(tmp_path):
    path = write(
        tmp_path,
        "d.tsv",
        "text_a\ttext_b\tlabel\nA man runs.\tA person moves.\tentailment\nA cat.\tA dog.\tnot_entailment\n",
    )
    ds = load_dataset(path)
    assert ds.is_pair and ds.examples[1].text_b == "A dog."


def test_jsonl_and_chosen_columns(tmp_path):
    rows = [{"sentence": "hi there", "y": 1}, {"sentence": "bye", "y": 0}]
    path = write(tmp_path, "d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    ds = load_dataset(path, text_column="sentence", label_column="y")
    assert [e.label for e in ds.examples] == ["1", "0"]


@pytest.mark.parametrize(
    "content,pattern",
    [
        ("sentence,label\nx,1\n", r"d.csv: no column named 'text'; the columns are 'sentence', 'label'"),
        ("text,label\nok,1\n ,0\n", r"d.csv, line 3: empty text"),
        ("text,label\nok,1\nfine,\n", r"d.csv, line 3: empty label"),
        ("text,label\n", r"d.csv: no rows under the header"),
        ("", r"d.csv: the file is empty"),
        ("\n \n\r\n", r"d.csv: the file is empty"),  # blank lines are no header
        # The header below blank lines is the header, and lines keep their numbers.
        ("\n\ntext,label\nI liked it, a lot,pos\n", r"d.csv, line 4: 3 fields, but the header has 2;"),
    ],
)
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
    with pytest.raises(DatasetError, match=r"c.csv: the label 'z' never occurs in b.csv; remove those rows"):
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
    path.write_text(
        "id,text_a,text_b,label\n" + "".join(f"{i},a {i},b {i},{'yes' if i % 3 else 'no'}\n" for i in range(20))
    )
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


@pytest.mark.parametrize(
    "content,pattern",
    [
        # An unquoted comma in the text makes a third field: "a lot" must not become the label.
        (
            "text,label\nI liked it, a lot,pos\nbad,neg\n",
            r"d.csv, line 2: 3 fields, but the header has 2; put text that contains a comma in double quotes",
        ),
        ("text,label\nfine,pos\nterrible film\n", r"d.csv, line 3: 1 field, but the header has 2; fill in"),
    ],
)
def test_a_row_with_more_or_fewer_fields_than_the_header_is_refused(tmp_path, content, pattern):
    with pytest.raises(DatasetError, match=pattern):
        load_dataset(write(tmp_path, "d.csv", content))


def test_tsv_quotes_are_text_and_a_tsv_row_cannot_span_lines(tmp_path):
    # GLUE-style TSVs are not quoted: a field that starts with a double quote must not swallow
    # the lines up to the next quote.
    lines = ['"Hello there, said the cat\t1'] + [f"plain sentence {i}\t{i % 2}" for i in range(10)]
    ds = load_dataset(write(tmp_path, "d.tsv", "text\tlabel\n" + "\n".join(lines) + '\nend of quote" here\t0\n'))
    assert len(ds) == 12 and ds.examples[0].text == '"Hello there, said the cat'
    assert ds.examples[-1].text == 'end of quote" here'
    with pytest.raises(
        DatasetError,
        match=r"d.tsv, line 2: 1 field, but the header has 2; a TSV field cannot "
        r"hold a tab or a line break",
    ):
        load_dataset(write(tmp_path, "d.tsv", 'text\tlabel\n"two\nlines"\t1\n'))


def test_a_dataset_path_may_start_with_the_home_folder(tmp_path, monkeypatch):
    from model.finetuning.datasets import preview_dataset

    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, "d.csv", "text,label\na,x\nb,y\n")
    assert len(load_dataset("~/d.csv")) == 2
    assert preview_dataset("~/d.csv").source == tmp_path / "d.csv"


def test_the_format_is_checked_before_the_file_is_read(tmp_path):
    with pytest.raises(DatasetError, match=r"unknown format '.xlsx'"):
        load_dataset(tmp_path / "missing.xlsx")


def test_numeric_labels_are_ordered_as_numbers_and_kept_as_written(tmp_path):
    from model.finetuning.datasets import preview_dataset

    path = write(tmp_path, "d.csv", "text,label\n" + "".join(f"row {i},{i % 12}\n" for i in range(24)) + "x,-1.5\n")
    assert load_dataset(path).label_names == ["-1.5"] + [str(i) for i in range(12)]
    assert list(preview_dataset(path).label_counts) == ["-1.5"] + [str(i) for i in range(12)]
    mixed = write(tmp_path, "m.csv", "text,label\na,10\nb,9\nc,nine\n")
    assert load_dataset(mixed).label_names == ["10", "9", "nine"]


def test_preview_refuses_what_training_would_refuse(tmp_path):
    from model.finetuning.datasets import preview_dataset

    one_class = preview_dataset(write(tmp_path, "one.csv", "text,label\n" + "a,pos\n" * 5))
    assert "every row has the label 'pos'" in one_class.problem and one_class.label_counts == {}
    same = preview_dataset(write(tmp_path, "same.csv", "text,label\na,x\nb,y\n"), label_column="text")
    assert "the column 'text' is chosen as both the text and the label" in same.problem
    with pytest.raises(DatasetError, match="chosen as both the text and the label"):
        load_dataset(tmp_path / "same.csv", label_column="text")


def test_preview_warns_about_labels_that_look_like_scores_or_ids(tmp_path):
    from model.finetuning.datasets import preview_dataset

    scores = write(tmp_path, "s.csv", "text,label\n" + "".join(f"row {i},{i * 0.37:.2f}\n" for i in range(40)))
    p = preview_dataset(scores)
    assert p.problem is None and "look like scores" in p.warning
    ids = preview_dataset(write(tmp_path, "i.csv", "text,label\n" + "".join(f"row {i},id{i}\n" for i in range(40))))
    assert "40 different labels in 40 rows" in ids.warning
    same_number = preview_dataset(write(tmp_path, "n.csv", "text,label\na,1\nb,1e0\nc,0\nd,0\n"))
    assert "'1' and '1e0' are the same number" in same_number.warning  # 1.0 would be read as 1
    assert preview_dataset(write(tmp_path, "ok.csv", "text,label\na,x\nb,y\n")).warning is None


def test_the_held_out_split_keeps_every_class_in_training(tmp_path):
    ds = load_dataset(write(tmp_path, "d.csv", "text,label\n" + "row,a\n" * 19 + "only one,b\n" + "c,c\n" * 5))
    for seed in range(40):
        train, held = split_off(ds, 0.1, seed)
        assert set(train.label_counts()) == {"a", "b", "c"}  # the only 'b' is never held out
        assert held.label_counts() == {"a": 1, "c": 1}  # 10% of 25 is 2 rows: one each from 'a' and 'c'
        assert len(train) + len(held) == len(ds)
    # Twelve classes of four rows: 10% is five rows, from five classes, not one row from each.
    many = load_dataset(write(tmp_path, "m.csv", "text,label\n" + "".join(f"row,{i % 12}\n" for i in range(48))))
    covered = [set(split_off(many, 0.1, seed)[1].label_counts()) for seed in range(5)]
    assert all(len(labels) == 5 for labels in covered) and len(set.union(*covered)) > 5


def test_split_messages_name_the_split_not_the_file(tmp_path):
    ds = load_dataset(write(tmp_path, "d.csv", "text,label\n" + "row,a\nrow,b\n" * 5))
    train, _ = split_off(ds, 0.2, seed=0)
    with pytest.raises(DatasetError, match=r"the training split of .*d.csv: 8 rows, fewer than one batch of 32"):
        check_trainable(train, batch_size=32)
    singles = load_dataset(write(tmp_path, "s.csv", "text,label\na,x\nb,y\nc,z\n"))
    with pytest.raises(DatasetError, match=r"s.csv: no label has two rows, so none can be held out"):
        split_off(singles, 0.1, seed=0)


@pytest.mark.parametrize(
    "classes,rows_each,fraction,held_rows", [(40, 5, 0.1, 20), (100, 2, 0.25, 50), (12, 4, 0.15, 7), (50, 3, 0.2, 30)]
)
def test_the_held_out_split_is_the_fraction_asked_for_from_as_many_classes_as_it_allows(
    tmp_path, classes, rows_each, fraction, held_rows
):
    # Every class's share is half a row or more, yet only round(rows x fraction) are held out.
    lines = "".join(f"row,{i % classes}\n" for i in range(classes * rows_each))
    ds = load_dataset(write(tmp_path, "d.csv", "text,label\n" + lines))
    for seed in range(3):
        train, held = split_off(ds, fraction, seed)
        assert len(held) == held_rows and set(held.label_counts().values()) == {1}
        assert len(set(train.label_counts())) == classes


def test_covering_classes_comes_before_the_large_class_share(tmp_path):
    # 10% of 120 rows is 12: one each from the eleven classes, and the last from the large one,
    # whose share (10 rows) is not met.
    lines = "row,big\n" * 100 + "".join(f"row,{i % 10}\n" for i in range(20))
    train, held = split_off(load_dataset(write(tmp_path, "d.csv", "text,label\n" + lines)), 0.1, seed=0)
    assert held.label_counts() == {"big": 2, **{str(i): 1 for i in range(10)}}
    # Too few rows for every class: the largest classes have one held out.
    lines = "row,a\n" * 5 + "row,b\n" * 3 + "row,c\n" * 2
    for seed in range(5):
        assert split_off(load_dataset(write(tmp_path, "s.csv", "text,label\n" + lines)), 0.2, seed)[
            1
        ].label_counts() == {"a": 1, "b": 1}


@pytest.fixture
def opened_files(monkeypatch):
    """The files the dataset module opens, as it opens them."""
    import model.finetuning.datasets as datasets

    opened, open_file = [], datasets.open_file

    def recording_open(*args, **kwargs):
        opened.append(open_file(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(datasets, "open_file", recording_open)
    return opened


@pytest.mark.parametrize(
    "content,problem",
    [
        ("a,b\n1,2\n3,4\n", "no column named 'text'"),
        ("text,label\nok,1\n ,0\nok,1\n", "line 3: empty text"),
    ],
)
def test_a_refused_file_is_closed_at_once(tmp_path, opened_files, content, problem):
    with pytest.raises(DatasetError, match=problem) as info:
        load_dataset(write(tmp_path, "d.csv", content))
    # The error is still alive in `info`, and its traceback holds the rows that were being read.
    assert info.value.__traceback__ and [file.closed for file in opened_files] == [True]


def test_an_interrupted_preview_closes_the_file(tmp_path, monkeypatch, opened_files):
    import model.finetuning.datasets as datasets

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(datasets, "_example", interrupted)
    with pytest.raises(KeyboardInterrupt) as info:
        datasets.preview_dataset(write(tmp_path, "d.csv", "text,label\na,x\nb,y\n"))
    assert info.value.__traceback__ and [file.closed for file in opened_files] == [True]


def test_numeric_labels_written_several_ways_are_one_class(tmp_path):
    from model.finetuning.datasets import preview_dataset

    path = write(tmp_path, "d.csv", "text,label\na,1\nb,1.0\nc,01\nd,1 \ne,0\nf,-0.0\ng,+2.50\nh,nine\n")
    ds = load_dataset(path)
    assert [e.label for e in ds.examples] == ["1", "1", "1", "1", "0", "0", "2.5", "nine"]
    assert ds.label_names == ["0", "1", "2.5", "nine"]
    assert ds.label_note == "labels -0.0 read as 0; 01, 1.0 read as 1; +2.50 read as 2.5"
    preview = preview_dataset(path)
    assert preview.label_counts == {"0": 2, "1": 4, "2.5": 1, "nine": 1} and preview.label_note == ds.label_note
    assert split_off(ds, 0.3, seed=0)[0].label_note == ds.label_note
    # An evaluation file's labels are read the same way, so "01" there is the class "1" here.
    check_trainable(ds, batch_size=2, eval_set=load_dataset(write(tmp_path, "e.csv", "text,label\nx,01\ny,00\n")))
    assert load_dataset(write(tmp_path, "plain.csv", "text,label\na,1\nb,0\n")).label_note is None


def test_long_numbers_stay_exact_and_exponents_stay_as_written(tmp_path):
    ids = ["12345678901234567890123", "12345678901234567890124"]
    ds = load_dataset(write(tmp_path, "d.csv", "text,label\n" + "".join(f"row,{i}\n" for i in ids) + "x,1e3\n"))
    assert ds.label_names == ["1e3", *ids]  # two classes, though they are one float


def test_the_label_note_is_one_short_line_however_many_spellings(tmp_path):
    lines = "".join(f"row,{'0' * n}{i}.0\n" for i in range(10) for n in range(1, 8)) + f"row,{'0' * 500}7\n"
    note = load_dataset(write(tmp_path, "d.csv", "text,label\n" + lines)).label_note
    assert note.startswith("labels 00.0, 000.0, 0000.0, 00000.0 and 3 more read as 0; ")
    assert note.endswith("; and 7 more") and len(note) < 300


@pytest.mark.parametrize(
    "row,problem",
    [
        ({"text": {"a": 1}, "label": "x"}, "the field 'text' holds an object, not text; write it as a string"),
        ({"text": "ok", "label": ["x"]}, "the field 'label' holds a list, not a label; write it as a string"),
    ],
)
def test_a_nested_json_value_as_text_or_label_is_refused_naming_the_line(tmp_path, row, problem):
    from model.finetuning.datasets import preview_dataset

    path = write(tmp_path, "d.jsonl", json.dumps({"text": "fine", "label": "y"}) + "\n\n" + json.dumps(row) + "\n")
    with pytest.raises(DatasetError, match=rf"d.jsonl, line 3: {problem}"):
        load_dataset(path)
    assert f"line 3: {problem}" in preview_dataset(path).problem


def test_a_nested_json_value_in_a_column_not_used_is_kept_for_the_preview(tmp_path):
    from model.finetuning.datasets import preview_dataset

    rows = [{"text": "a", "label": 1, "meta": {"source": "web"}}, {"text": "b", "label": 0.0, "meta": [1]}]
    path = write(tmp_path, "d.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert [e.label for e in load_dataset(path).examples] == ["1", "0"]
    assert preview_dataset(path).rows[0] == ["a", "1", "{'source': 'web'}"]


@pytest.mark.parametrize(
    "content,line",
    [
        ('text,label\nok,1\n"never closed,1\nmore,0\nand more,1\n', 3),  # found at the end of the file
        ('text,label\nok,1\n\n"two\nlines",0\n"never closed,1\n' + "long line,0\n" * 20_000, 6),  # at the field limit
        ('\n\n"text,label\nok,1\n', 3),  # in the header
    ],
)
def test_a_quote_that_never_closes_is_blamed_on_the_line_it_opens(tmp_path, content, line):
    with pytest.raises(
        DatasetError,
        match=rf"d.csv, line {line}: a (double quote opens a field that never closes|"
        r"field of over 131,072 characters; shorten it, or close the double quote)",
    ):
        load_dataset(write(tmp_path, "d.csv", content))


def test_text_after_a_closing_quote_is_refused(tmp_path):
    with pytest.raises(
        DatasetError,
        match=r"d.csv, line 3: text after the closing double quote of a field; write a "
        r'quote inside a quoted field as two \(""\)',
    ):
        load_dataset(write(tmp_path, "d.csv", 'text,label\nok,1\n"he said "hi" there",0\n'))
