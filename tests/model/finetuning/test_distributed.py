"""The fine-tuning loop under torchrun: two CPU processes (gloo) with half the batch each give
the model a single process gets with the whole batch."""

from __future__ import annotations

import json

import torch
from safetensors.torch import load_file


def test_two_processes_match_one_with_the_same_global_batch(hf_folder, tmp_path, torchrun):
    folder, _ = hf_folder("BertForMaskedLM")
    train = tmp_path / "train.csv"
    rows = [f"the cat sat {i},animal" for i in range(12)] + [f"paris is big {i},city" for i in range(12)]
    train.write_text("text,label\n" + "\n".join(rows) + "\n")
    common = [
        "finetune",
        "--train",
        str(train),
        "--eval",
        str(train),
        "--model",
        str(folder),
        "--max-steps",
        "4",
        "--lr",
        "1e-3",
        "--max-len",
        "16",
        "--dropout",
        "0",
        "--device",
        "cpu",
        "--precision",
        "fp32",
    ]  # exact comparison: bf16 rounding would differ with the reduction order
    single = torchrun([*common, "--batch-size", "8", "--out", str(tmp_path / "one")], processes=1)
    assert single.returncode == 0, single.stderr
    double = torchrun([*common, "--batch-size", "4", "--out", str(tmp_path / "two")], processes=2)
    assert double.returncode == 0, double.stderr[-3000:]
    one = json.loads(single.stdout.strip().splitlines()[-1])
    two = json.loads(double.stdout.strip().splitlines()[-1])
    assert abs(one["accuracy"] - two["accuracy"]) < 1e-9 and abs(one["eval_loss"] - two["eval_loss"]) < 1e-4
    a = load_file(str(tmp_path / "one" / "model.safetensors"))
    b = load_file(str(tmp_path / "two" / "model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        assert torch.allclose(a[key], b[key], atol=1e-5), key
