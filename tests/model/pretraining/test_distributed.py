"""Pretraining under torchrun: the shared training loop, two CPU processes (gloo) with half the
batch each, give the model one process gets with the whole batch."""

from __future__ import annotations

import json

import torch
from safetensors.torch import load_file

from model.pretraining.vocab import train_wordpiece


def test_two_processes_pretrain_like_one_and_only_rank_0_writes(small_corpus, tmp_path, torchrun):
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    train_wordpiece(small_corpus, 300, 48).save(vocab)
    common = [
        "pretrain",
        "--corpus",
        str(small_corpus),
        "--vocab",
        str(vocab),
        "--layers",
        "2",
        "--hidden",
        "32",
        "--heads",
        "2",
        "--intermediate",
        "64",
        "--max-len",
        "48",
        "--lr",
        "1e-3",
        "--warmup-steps",
        "2",
        "--max-steps",
        "6",
        "--log-every",
        "3",
        "--checkpoint-every",
        "3",
        "--dropout",
        "0",
        "--precision",
        "fp32",
        "--device",
        "cpu",
    ]
    single = torchrun([*common, "--batch-size", "8", "--out", str(tmp_path / "one")], processes=1)
    assert single.returncode == 0, single.stderr[-3000:]
    double = torchrun([*common, "--batch-size", "4", "--out", str(tmp_path / "two")], processes=2)
    assert double.returncode == 0, double.stderr[-3000:]
    assert double.stdout.count("max steps reached at step 6") == 1  # rank 0 alone reports
    one = [json.loads(line) for line in (tmp_path / "one" / "log.jsonl").read_text().splitlines()]
    two = [json.loads(line) for line in (tmp_path / "two" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in two] == [3, 6]  # one log, from rank 0, with both ranks' sums
    for a, b in zip(one, two):
        assert a["nsp_accuracy"] == b["nsp_accuracy"] and a["mlm_accuracy"] == b["mlm_accuracy"]
        assert abs(a["loss"] - b["loss"]) < 1e-4
    a = load_file(str(tmp_path / "one" / "model" / "model.safetensors"))
    b = load_file(str(tmp_path / "two" / "model" / "model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        assert torch.allclose(a[key].float(), b[key].float(), atol=1e-5), key
    assert (tmp_path / "two" / "training_state.pt").is_file()


def test_two_processes_fit_one_schedule_to_a_time_budget(small_corpus, tmp_path, torchrun):
    """Each rank measures its own speed; they decide at the same step and take one length."""
    import re

    vocab = tmp_path / "vocab"
    vocab.mkdir()
    train_wordpiece(small_corpus, 300, 48).save(vocab)
    run = torchrun(
        [
            "pretrain",
            "--corpus",
            str(small_corpus),
            "--vocab",
            str(vocab),
            "--layers",
            "2",
            "--hidden",
            "32",
            "--heads",
            "2",
            "--intermediate",
            "64",
            "--max-len",
            "48",
            "--batch-size",
            "4",
            "--warmup-steps",
            "100000",
            "--time-budget",
            "4s",
            "--log-every",
            "1000",
            "--precision",
            "fp32",
            "--device",
            "cpu",
            "--out",
            str(tmp_path / "two"),
        ],
        processes=2,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    fitted = int(re.search(r"the schedule ends at step (\d+)", run.stdout).group(1))
    why, step = re.search(r"(max steps reached|time budget used) at step (\d+);", run.stdout).groups()
    # The run ends where the schedule was fitted to end, or, on a machine that slowed down after
    # the fit (another job started), a little before it when the budget runs out: never after it.
    assert int(step) == fitted if why == "max steps reached" else int(step) <= fitted
    state = torch.load(tmp_path / "two" / "training_state.pt", weights_only=True)
    assert state["fitted"] and state["total_steps"] == fitted and state["step"] == int(step)
