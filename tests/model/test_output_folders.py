"""Writing a model never loses the user's files, and an impossible output is said before any work.

The rule (README, "Output folders"): a save replaces its folder whole, so the folder may be new,
empty or hold an earlier model's own files; a folder holding anything else is refused with one
line that names those files, and nothing in it changes.
"""

from __future__ import annotations

import pytest

from model.cli import main


@pytest.fixture
def base(hf_folder):
    return str(hf_folder("BertForPreTraining")[0])


@pytest.fixture
def model_with_notes(tmp_path, base):
    """A folder holding a model (an earlier convert of `base`) and the user's own files."""
    folder = tmp_path / "mine"
    assert main(["convert", "--model", base, "--out", str(folder), "--dtype", "fp32"]) == 0
    (folder / "notes.txt").write_text("my notes")
    (folder / "src").mkdir()
    (folder / "src" / "train.py").write_text("print('mine')")
    return folder


def contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def labelled_csv(tmp_path):
    rows = [f"the cat sat {i},animal" for i in range(8)] + [f"paris is big {i},city" for i in range(8)]
    path = tmp_path / "train.csv"
    path.write_text("text,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def corpus(tmp_path):
    docs = ["the cat sat on the mat .\nthe dog ran to the house .", "paris is a city .\nlondon is a city too ."] * 6
    path = tmp_path / "corpus.txt"
    path.write_text("\n\n".join(docs) + "\n")
    return path


def refused(capsys, argv):
    capsys.readouterr()  # what the fixtures printed
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    return out, err


def test_convert_refuses_a_model_folder_holding_other_files(capsys, base, model_with_notes):
    before = contents(model_with_notes)
    _, err = refused(capsys, ["convert", "--model", base, "--out", str(model_with_notes)])
    assert "notes.txt" in err and "src/" in err and "not part of a model" in err
    assert contents(model_with_notes) == before


def test_finetune_refuses_it_before_reading_the_data(capsys, base, model_with_notes, labelled_csv):
    before = contents(model_with_notes)
    out, err = refused(
        capsys,
        [
            "finetune",
            "--model",
            base,
            "--train",
            str(labelled_csv),
            "--out",
            str(model_with_notes),
            "--max-steps",
            "1",
            "--device",
            "cpu",
        ],
    )
    assert "notes.txt" in err and "src/" in err and "rows" not in out  # refused before the data was read
    assert contents(model_with_notes) == before


def test_pretrain_refuses_it_in_out_model(capsys, model_with_notes, corpus, tmp_path):
    run = tmp_path / "run"
    (run / "model").parent.mkdir()
    model_with_notes.rename(run / "model")
    before = contents(run / "model")
    _, err = refused(
        capsys,
        [
            "pretrain",
            "--corpus",
            str(corpus),
            "--out",
            str(run),
            "--vocab-size",
            "200",
            "--layers",
            "1",
            "--hidden",
            "16",
            "--heads",
            "2",
            "--intermediate",
            "32",
            "--max-steps",
            "1",
            "--device",
            "cpu",
        ],
    )
    assert "notes.txt" in err and "src/" in err
    assert contents(run / "model") == before and sorted(p.name for p in run.iterdir()) == ["model"]


def test_an_earlier_model_alone_is_replaced(capsys, base, model_with_notes, tmp_path):
    only_a_model = tmp_path / "only-a-model"
    assert main(["convert", "--model", base, "--out", str(only_a_model), "--dtype", "fp32"]) == 0
    assert main(["convert", "--model", base, "--out", str(only_a_model), "--dtype", "fp16"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".only-a-model")) == []  # no leftovers


# An inspection may replace an existing file (that is saving it again), so FILE is not refused for it.
@pytest.mark.parametrize(
    "command, where",
    [
        (c, w)
        for c in ("convert", "finetune", "pretrain", "inspect")
        for w in ("/proc/bertgui-out", "FILE/model", "FILE")
        if (c, w) != ("inspect", "FILE")
    ],
)
def test_an_output_that_cannot_be_written_is_said_before_any_work(
    capsys, command, where, base, labelled_csv, corpus, tmp_path
):
    existing_file = tmp_path / "existing.txt"
    existing_file.write_text("mine")
    out = where.replace("FILE", str(existing_file))
    argv = {
        "convert": ["convert", "--model", base, "--out", out],
        "finetune": ["finetune", "--model", base, "--train", str(labelled_csv), "--out", out, "--device", "cpu"],
        "pretrain": ["pretrain", "--corpus", str(corpus), "--out", out, "--device", "cpu"],
        "inspect": ["inspect", "the cat", "--model", base, "--out", out],
    }[command]
    stdout, err = refused(capsys, argv)
    assert out.split("/")[-1] in err and stdout == ""  # nothing was trained, tokenized or loaded first
    assert existing_file.read_text() == "mine"
