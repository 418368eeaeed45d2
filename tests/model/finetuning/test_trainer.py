"""The fine-tuning loop on a tiny model and a separable toy dataset."""

from __future__ import annotations

import types

import pytest
import torch

import model
from model.finetuning.trainer import FineTuner, FinetuneSettings

ANIMALS = ["the cat sat", "a dog ran", "the cats played", "a dog slept", "the cat drank tea", "dogs run"]
CITIES = ["paris is big", "london is old", "the city of paris", "london river", "paris and london", "a big city"]


@pytest.fixture
def data(tmp_path):
    rows = [f"{t},animal" for t in ANIMALS] + [f"{t},city" for t in CITIES]
    train = tmp_path / "train.csv"
    train.write_text("text,label\n" + "\n".join(rows * 4) + "\n")
    test = tmp_path / "test.csv"
    test.write_text("text,label\n" + "\n".join(rows) + "\n")
    return train, test


def settings(folder, data, out, **overrides):
    values = dict(
        train=str(data[0]),
        eval=str(data[1]),
        model=str(folder),
        out=str(out),
        epochs=6,
        batch_size=8,
        lr=2e-3,
        max_len=16,
        device="cpu",
        precision="fp32",
        log_every=1,
    )
    values.update(overrides)
    return FinetuneSettings(**values)


def test_learns_a_separable_task_and_saves_a_transformers_loadable_model(hf_folder, data, tmp_path):
    from transformers import BertForSequenceClassification

    folder, _ = hf_folder("BertForMaskedLM")
    events, evals = [], []
    result = FineTuner(settings(folder, data, tmp_path / "out")).run(
        on_step=events.append, on_eval=lambda s, m: evals.append(m)
    )
    assert result.metrics.accuracy == 1.0 and result.metrics.macro_f1 == 1.0
    assert events[-1].step == result.steps == 36 and len(evals) == 6
    assert result.metrics.confusion.sum() == 12
    ours = model.load(result.output, device="cpu")
    assert ours.config.id2label == {0: "animal", 1: "city"}
    probabilities = ours.classify("the dog ran")
    assert max(probabilities, key=probabilities.get) == "animal"
    ref = BertForSequenceClassification.from_pretrained(result.output, attn_implementation="eager").eval()
    enc = ours.tokenize("paris is old", "a cat")
    with torch.no_grad():
        ref_logits = ref(input_ids=torch.tensor([enc.ids]), token_type_ids=torch.tensor([enc.segment_ids])).logits
        our_logits = ours.network(torch.tensor([enc.ids]), torch.tensor([enc.segment_ids])).classifier_logits
    assert (ref_logits - our_logits).abs().max() < 1e-5
    assert ref.config.id2label == {0: "animal", 1: "city"}


def test_same_seed_same_result(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    a = FineTuner(settings(folder, data, tmp_path / "a", max_steps=5))
    a.run()
    b = FineTuner(settings(folder, data, tmp_path / "b", max_steps=5))
    b.run()
    for (name, x), y in zip(a.network.state_dict().items(), b.network.state_dict().values()):
        assert torch.equal(x, y), name


def test_stop_leaves_no_half_written_model(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    calls = []
    result = FineTuner(settings(folder, data, tmp_path / "out")).run(
        should_stop=lambda: len(calls.append(1) or calls) > 3
    )
    assert result.output is None and result.steps == 3 and not (tmp_path / "out").exists()
    assert result.metrics is None  # a cancel does not wait for an evaluation


def test_a_cancel_keeps_the_last_complete_checkpoint(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", checkpoint_every=2))
    saved = []
    calls = []

    def stop_after_five_steps():
        if (tmp_path / "out" / "model.safetensors").is_file():
            saved.append(len(calls))
        return len(calls.append(1) or calls) > 5

    result = tuner.run(should_stop=stop_after_five_steps)
    assert result.steps == 5 and result.metrics is None and result.output == tmp_path / "out"
    assert saved and saved[0] == 2  # first on disk once step 2 was done, before step 3 began
    reloaded = model.load(tmp_path / "out", device="cpu")
    assert reloaded.config.id2label == tuner.network.config.id2label


def test_every_rank_gets_as_many_batches_as_the_others(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", batch_size=5))
    tuner.train_batches = tuner.train_batches[:21]  # two global batches of 10 rows, and 1 row over
    shares = [tuner.epoch(0, rank, 2) for rank in (0, 1)]
    assert [len(s) for s in shares] == [2, 2] and all(len(b) == 5 for s in shares for b in s)
    rows = sorted(int(i) for s in shares for b in s for i in b)
    assert len(set(rows)) == 20  # each row once; the odd one waits for the next epoch's shuffle


def test_datasets_that_change_on_disk_mid_run_do_not_matter(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", max_steps=4))
    steps = []

    def vandalise(event):
        steps.append(event.step)
        if event.step == 1:
            data[0].write_bytes(b"\xff\xfe not a csv any more")
            data[1].unlink()

    result = tuner.run(on_step=vandalise)  # the rows were read and encoded before the first step
    assert steps == [1, 2, 3, 4] and result.metrics.accuracy >= 0 and result.output == tmp_path / "out"


def test_an_output_folder_that_saving_would_destroy_is_refused_before_training(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    for out, message in (
        (documents, "not part of a model \\(thesis.txt\\)"),
        (folder, "is the model being read"),
        (documents / "thesis.txt", "is a file"),
    ):
        with pytest.raises(model.CheckpointError, match=message):
            FineTuner(settings(folder, data, out))
    assert (documents / "thesis.txt").read_text() == "years of work" and (folder / "config.json").is_file()
    # An earlier model folder may be replaced: that is how a second run overwrites a first.
    first = tmp_path / "first"
    FineTuner(settings(folder, data, first, max_steps=1)).run()
    assert FineTuner(settings(folder, data, first, max_steps=1)).run().output == first


def test_non_finite_loss_names_the_step(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", lr=1e30, clip=1e30))
    with pytest.raises(model.BertError, match=r"the loss became .* at step \d+"):
        tuner.run()


def test_frozen_layers_do_not_move(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", max_steps=3, freeze_embeddings=True, freeze_layers=1))
    before = {k: v.clone() for k, v in tuner.network.state_dict().items()}
    tuner.run()
    after = tuner.network.state_dict()
    assert torch.equal(
        before["bert.embeddings.word_embeddings.weight"], after["bert.embeddings.word_embeddings.weight"]
    )
    assert torch.equal(
        before["bert.encoder.layer.0.output.dense.weight"], after["bert.encoder.layer.0.output.dense.weight"]
    )
    assert not torch.equal(
        before["bert.encoder.layer.1.output.dense.weight"], after["bert.encoder.layer.1.output.dense.weight"]
    )


def test_pairs_use_segment_b(hf_folder, tmp_path):
    folder, _ = hf_folder("BertForPreTraining")
    rows = ["a cat,the cat,same", "a dog,the dog,same", "a cat,paris,different", "a dog,london,different"] * 4
    train = tmp_path / "pairs.csv"
    train.write_text("text_a,text_b,label\n" + "\n".join(rows) + "\n")
    tuner = FineTuner(settings(folder, (train, train), tmp_path / "out", max_steps=2))
    assert tuner.train_set.is_pair and 1 in tuner.train_batches[0][1]
    tuner.run()


def test_cli_finetune_then_predict(hf_folder, data, tmp_path, capsys):
    import json

    from model.cli import main

    folder, _ = hf_folder("BertForMaskedLM")
    out = tmp_path / "clf"
    code = main(
        [
            "finetune",
            "--train",
            str(data[0]),
            "--eval",
            str(data[1]),
            "--model",
            str(folder),
            "--out",
            str(out),
            "--epochs",
            "6",
            "--batch-size",
            "8",
            "--lr",
            "2e-3",
            "--max-len",
            "16",
            "--device",
            "cpu",
        ]
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and lines[0].startswith("48 training and 12 eval rows") and "step 36/36" in "\n".join(lines)
    last = json.loads(lines[-1])
    assert set(last) == {"accuracy", "macro_f1", "eval_loss", "output"} and last["accuracy"] == 1.0
    assert main(["predict", "--model", last["output"], "a dog ran", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["label"] == "animal" and set(answer["probabilities"]) == {"animal", "city"}
    assert main(["predict", "--model", str(folder), "x"]) == 2
    assert "no sequence-classification head" in capsys.readouterr().err


def test_cli_refuses_a_bad_dataset_with_one_line(tmp_path, hf_folder, capsys):
    from model.cli import main

    folder, _ = hf_folder("BertForMaskedLM")
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,a\n,b\n")
    capsys.readouterr()  # the fixture's own output
    code = main(["finetune", "--train", str(bad), "--model", str(folder), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "bad.csv, line 3: empty text" in err


def test_a_dataset_changed_on_disk_mid_run_does_not_matter(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", max_steps=4))
    data[0].write_text("garbage\n")  # the rows were read and tokenized before the run started
    data[1].unlink()
    result = tuner.run()
    assert result.output is not None and result.steps == 4


def test_time_budget_ends_early_but_still_evaluates_and_saves(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", epochs=500, time_budget_s=0.5))
    result = tuner.run()
    assert 0 < result.steps < tuner.total_steps()
    assert result.output is not None and (result.output / "model.safetensors").is_file()
    assert result.metrics.confusion.sum() == 12


def test_bf16_autocast_trains_on_the_cpu(hf_folder, data, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", precision="bf16"))
    assert tuner.bf16
    result = tuner.run()
    assert result.metrics.accuracy == 1.0
    assert next(model.load(result.output, device="cpu").network.parameters()).dtype == torch.float32


def on_a_fake_clock(tuner: FineTuner, monkeypatch) -> types.SimpleNamespace:
    """The training loop's clock, moved by hand: each training batch of `tuner` takes 0.1 s."""
    from model import train_loop

    clock = types.SimpleNamespace(now=0.0)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    loss = tuner.loss

    def timed_loss(module, batch):
        clock.now += 0.1
        return loss(module, batch)

    monkeypatch.setattr(tuner, "loss", timed_loss)
    return clock


def test_a_time_limit_fits_the_learning_rate_schedule_to_it(hf_folder, data, tmp_path, monkeypatch):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", epochs=500, time_budget_s=6.0))  # 3000 steps
    on_a_fake_clock(tuner, monkeypatch)
    events = []
    result = tuner.run(on_step=events.append)
    # Measured over steps 2 to 4 (5% of the limit): 10 steps/s for the 5.6 s left, 2% short.
    assert result.steps == events[-1].step == events[-1].total_steps == 4 + int(10 * 5.6 * 0.98)
    assert events[-1].lr < 0.05 * max(e.lr for e in events)  # decayed to (nearly) 0 inside the limit
    assert result.metrics is not None and result.output == tmp_path / "out"


def test_a_pause_counts_neither_against_the_time_limit_nor_in_the_speed(hf_folder, data, tmp_path, monkeypatch):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = FineTuner(settings(folder, data, tmp_path / "out", max_steps=10, time_budget_s=2.0))
    clock = on_a_fake_clock(tuner, monkeypatch)
    events = []

    def pause_after_step_3() -> bool:  # as the GUI's should_stop blocks while the user pauses
        if len(events) == 3:
            clock.now += 100.0
        return False

    result = tuner.run(on_step=events.append, should_stop=pause_after_step_3)
    assert result.steps == events[-1].step == 10
    assert events[-1].elapsed_s == pytest.approx(1.0)  # the ten steps' 0.1 s each
    assert events[-1].tokens_per_s > 0.5 * events[2].tokens_per_s  # the same speed as before the pause
