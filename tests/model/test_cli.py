"""`python -m model ...`: output formats, files written, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.cli import main


@pytest.fixture
def folder(hf_folder):
    return str(hf_folder("BertForPreTraining")[0])


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fill_mask_json(folder, capsys):
    code, out, err = run_cli(
        capsys,
        "fill-mask",
        "the cat [MASK] on the [MASK] .",
        "--model",
        folder,
        "--top-k",
        "3",
        "--json",
        "--device",
        "cpu",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["tokens"][0] == "[CLS]"
    assert [m["index"] for m in data["masks"]] == [3, 6]
    for m in data["masks"]:
        assert len(m["predictions"]) == 3
        assert set(m["predictions"][0]) == {"token", "score"}


def test_tokenize_plain_and_json(folder, capsys):
    code, out, _ = run_cli(capsys, "tokenize", "the sits", "--text-b", "a dog", "--model", folder)
    assert code == 0 and "##s" in out and "[SEP]" in out
    code, out, _ = run_cli(capsys, "tokenize", "the sits", "--model", folder, "--json")
    data = json.loads(out)
    assert data["tokens"] == ["[CLS]", "the", "sit", "##s", "[SEP]"] and data["truncated"] is False


def test_inspect_writes_npz_and_json(folder, tmp_path, capsys):
    out_file = tmp_path / "run" / "x.npz"
    code, _, err = run_cli(
        capsys, "inspect", "the cat [MASK] .", "--text-b", "ok", "--out", str(out_file), "--model", folder
    )
    assert code == 0, err
    arrays = np.load(out_file)
    T = len(arrays["input_ids"])
    assert arrays["attentions"].shape == (2, 4, T, T)
    assert arrays["hidden_states"].shape == (3, T, 32)
    summary = json.loads(out_file.with_suffix(".json").read_text())
    assert summary["tokens"][0] == "[CLS]" and summary["fill_mask"][0]["index"] == 3


def test_evaluate_mlm_json(folder, tmp_path, capsys):
    text = tmp_path / "held_out.txt"
    text.write_text("the cat sat on the mat .\n\nhello world\n" + "the dog ran " * 60 + "\n")
    code, out, err = run_cli(capsys, "evaluate-mlm", str(text), "--model", folder, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert 0.0 <= data["accuracy"] <= 1.0 and data["masked_tokens"] > 0


def test_convert_to_fp16_halves_the_weights_and_keeps_the_predictions(folder, tmp_path, capsys):
    import model

    out = tmp_path / "half"
    code, stdout, err = run_cli(capsys, "convert", "--model", folder, "--out", str(out), "--dtype", "fp16")
    assert code == 0 and "fp16" in stdout, err
    full_size = (Path(folder) / "model.safetensors").stat().st_size
    assert (out / "model.safetensors").stat().st_size < 0.6 * full_size
    text = "the cat [MASK] on the mat ."
    full, half = model.load(folder, device="cpu").inspect(text), model.load(out, device="cpu").inspect(text)
    assert half.tokens == full.tokens
    assert np.allclose(half.attentions, full.attentions, atol=1e-2)
    assert half.fill_mask[0].predictions[0].token == full.fill_mask[0].predictions[0].token
    code, _, err = run_cli(capsys, "convert", "--model", folder, "--out", folder)
    assert code == 2 and "choose another folder" in err


def test_errors_are_one_line_on_stderr(tmp_path, capsys, monkeypatch):
    code, out, err = run_cli(capsys, "fill-mask", "x [MASK]", "--model", str(tmp_path / "missing"))
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: ") and "no such folder" in err
    monkeypatch.setattr("model.bert.BUNDLED_MODEL", tmp_path / "not-installed")
    code, _, err = run_cli(capsys, "tokenize", "hi")
    assert code == 2 and "bundled model is not installed" in err and "--model" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (["finetune", "--batch-size", "0"], "argument --batch-size: 0 is too small: give at least 1"),
        (["finetune", "--grad-accum", "0"], "argument --grad-accum: 0 is too small"),
        (["finetune", "--epochs", "0"], "argument --epochs: 0 is too small"),
        (["finetune", "--lr", "-1"], "argument --lr: -1 is too small: give more than 0"),
        (["finetune", "--dropout", "2"], "argument --dropout: 2 is too large: give a share below 1"),
        (["pretrain", "--max-steps", "0"], "argument --max-steps: 0 is too small"),
        (["pretrain", "--heads", "two"], "argument --heads: 'two' is not a whole number"),
        (["finetune", "--lr", "nan"], "argument --lr: 'nan' is not a number"),
        (["finetune", "--clip", "inf"], "argument --clip: 'inf' is not a number"),
        (["finetune", "--eval-fraction", "0"], "argument --eval-fraction: 0 is too small: give more than 0"),
        (["pretrain", "--seed", "-1"], "argument --seed: -1 is too small: give at least 0"),
    ],
)
def test_impossible_settings_are_refused_before_anything_runs(capsys, argv, says):
    required = {"finetune": ["--train", "x.csv", "--out", "o"], "pretrain": ["--corpus", "c.txt", "--out", "o"]}
    with pytest.raises(SystemExit) as stopped:
        main(argv + required[argv[0]])
    assert stopped.value.code == 2 and says in capsys.readouterr().err


def test_fill_mask_without_mlm_head_says_so(hf_folder, capsys):
    folder, _ = hf_folder("BertModel")
    code, _, err = run_cli(capsys, "fill-mask", "the [MASK]", "--model", str(folder))
    assert code == 2 and "no MLM head" in err


def test_cuda_request_on_a_cpu_machine_is_a_clear_error(folder, capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    code, _, err = run_cli(capsys, "tokenize", "hi", "--model", folder, "--device", "cuda")
    assert code == 2 and "CUDA is not available" in err and "--device cpu" in err


def test_python_dash_m_model_entry_point(folder):
    proc = subprocess.run(
        [sys.executable, "-m", "model", "fill-mask", "the [MASK] .", "--model", folder, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["masks"][0]["index"] == 2
    proc = subprocess.run(
        [sys.executable, "-m", "model", "tokenize", "x", "--model", "/nonexistent"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0


def test_pretrain_takes_several_corpus_paths(tmp_path, capsys):
    present = tmp_path / "present.txt"
    present.write_text("a sentence .\n\nanother one .\n")
    code, _, err = run_cli(
        capsys, "pretrain", "--corpus", str(present), str(tmp_path / "gone.txt.gz"), "--out", str(tmp_path / "o")
    )
    assert code == 2 and err == f"error: {tmp_path / 'gone.txt.gz'}: no such corpus file or folder\n"
