"""The pretraining loop: it learns, it resumes exactly, and its output is a loadable model."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

import model
from model.errors import BertError
from model.pretraining.trainer import Pretrainer, PretrainSettings
from model.pretraining.vocab import train_wordpiece


def tiny_settings(corpus, out, **overrides):
    values = dict(
        corpus=str(corpus),
        out=str(out),
        vocab_size=300,
        layers=2,
        hidden=32,
        heads=2,
        intermediate=64,
        max_len=48,
        batch_size=8,
        lr=2e-3,
        warmup_steps=5,
        max_steps=60,
        log_every=10,
        checkpoint_every=1000,
        precision="fp32",
        device="cpu",
    )
    values.update(overrides)
    return PretrainSettings(**values)


def quiet(_line):
    pass


def test_a_few_steps_lower_the_loss(small_corpus, tmp_path):
    trainer = Pretrainer(tiny_settings(small_corpus, tmp_path / "run", log_every=1), log=quiet)
    losses = []
    trainer.run(on_report=lambda r: losses.append(r.loss))
    assert len(losses) == 60 and sum(losses[-10:]) / 10 < sum(losses[:10]) / 10 - 1.0


def test_stopped_and_resumed_run_equals_an_uninterrupted_one(small_corpus, tmp_path):
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    train_wordpiece(small_corpus, 300, 48).save(vocab)  # one vocabulary for both runs
    settings = dict(max_steps=12, checkpoint_every=1000, vocab=str(vocab))
    straight = Pretrainer(tiny_settings(small_corpus, tmp_path / "a", **settings), log=quiet)
    straight.run()

    calls = {"n": 0}

    def stop_after_five():
        calls["n"] += 1
        return calls["n"] > 5

    first = Pretrainer(tiny_settings(small_corpus, tmp_path / "b", **settings), log=quiet)
    assert first.run(should_stop=stop_after_five) == 5
    resumed = Pretrainer(tiny_settings(small_corpus, tmp_path / "b", **settings), resume=True, log=quiet)
    assert resumed.step == 5
    assert resumed.run() == 12
    a, b = straight.network.state_dict(), resumed.network.state_dict()
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_output_folder_loads_and_fills_masks(small_corpus, tmp_path):
    trainer = Pretrainer(tiny_settings(small_corpus, tmp_path / "run", max_steps=3), log=quiet)
    trainer.run()
    bert = model.load(tmp_path / "run" / "model", device="cpu")
    assert bert.heads.mlm and bert.heads.nsp
    result = bert.inspect("the cat sat on the [MASK] .", "a cat is a small animal .")
    assert len(result.fill_mask[0].predictions) == 10 and result.nsp_is_next is not None


def test_time_budget_ends_with_a_checkpoint(small_corpus, tmp_path):
    trainer = Pretrainer(tiny_settings(small_corpus, tmp_path / "run", time_budget_s=0.0), log=quiet)
    assert trainer.run() == 0
    assert (tmp_path / "run" / "training_state.pt").is_file()
    assert (tmp_path / "run" / "model" / "model.safetensors").is_file()


def test_continued_pretraining_keeps_the_vocabulary(small_corpus, tmp_path):
    first = Pretrainer(tiny_settings(small_corpus, tmp_path / "base", max_steps=2), log=quiet)
    first.run()
    base = tmp_path / "base" / "model"
    cont = Pretrainer(
        tiny_settings(small_corpus, tmp_path / "cont", init=str(base), max_steps=2, vocab_size=999), log=quiet
    )
    cont.run()
    assert (tmp_path / "cont" / "model" / "vocab.txt").read_text() == (base / "vocab.txt").read_text()
    assert cont.network.config.vocab_size == first.network.config.vocab_size


def test_resume_without_a_run_and_missing_corpus_are_clear_errors(small_corpus, tmp_path):
    with pytest.raises(BertError, match="nothing to resume"):
        Pretrainer(tiny_settings(small_corpus, tmp_path / "none"), resume=True, log=quiet)
    with pytest.raises(BertError, match="no such corpus file"):
        Pretrainer(tiny_settings(tmp_path / "missing.txt", tmp_path / "x"), log=quiet)


def test_position_embeddings_start_sinusoidal_and_dropout_can_be_set(small_corpus, tmp_path):
    from model.embeddings import sinusoidal_table

    trainer = Pretrainer(tiny_settings(small_corpus, tmp_path / "a", dropout=0.0), log=quiet)
    weight = trainer.network.bert.embeddings.position_embeddings.weight.detach()
    table = sinusoidal_table(48, 32)
    assert torch.allclose(weight / weight.std(), table / table.std(), atol=1e-5)
    assert abs(weight.std().item() - trainer.network.config.initializer_range) < 1e-6
    assert trainer.network.config.hidden_dropout_prob == trainer.network.config.attention_probs_dropout_prob == 0.0
    plain = Pretrainer(tiny_settings(small_corpus, tmp_path / "b", position_init="random"), log=quiet)
    weight = plain.network.bert.embeddings.position_embeddings.weight.detach()
    assert not torch.allclose(weight / weight.std(), table / table.std(), atol=0.1)
    assert plain.network.config.hidden_dropout_prob == 0.1  # BERT's own when not set


def test_a_time_budget_without_max_steps_ends_the_schedule_with_the_budget(small_corpus, tmp_path, monkeypatch, capsys):
    """`pretrain --time-budget 3s` (no --max-steps) measures its speed and decays to 0 by then."""
    import re
    import types

    from model import train_loop
    from model.cli import main

    ticks = iter(range(10**6))
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=lambda: next(ticks) * 0.05))
    tiny = [
        "--corpus",
        str(small_corpus),
        "--vocab-size",
        "300",
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
        "8",
        "--lr",
        "2e-3",
        "--warmup-steps",
        "1000",
        "--log-every",
        "10",
        "--precision",
        "fp32",
        "--device",
        "cpu",
        "--time-budget",
        "3s",
    ]
    assert main(["pretrain", "--out", str(tmp_path / "fit"), *tiny]) == 0
    out = capsys.readouterr().out
    fitted = int(re.search(r"the schedule ends at step (\d+)", out).group(1))
    assert 10 < fitted < 40 and f"max steps reached at step {fitted};" in out
    assert main(["pretrain", "--out", str(tmp_path / "cap"), *tiny, "--max-steps", "500"]) == 0
    out = capsys.readouterr().out
    assert "schedule ends" not in out and "time budget used" in out  # an explicit length is kept


def test_the_reported_speed_and_eta_leave_a_pause_out(small_corpus, tmp_path, monkeypatch):
    """The GUI's should_stop() blocks while the user pauses: tokens/s and the ETA, like the time
    budget, count training time only."""
    import types

    from model import train_loop

    now = [0.0]
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    trainer = Pretrainer(tiny_settings(small_corpus, tmp_path / "run", log_every=5, time_budget_s=6.0), log=quiet)
    tokens = []

    def timed_loss(module, batch):  # every step takes 0.5 s
        now[0] += 0.5
        loss, sums = Pretrainer.loss(trainer, module, batch)
        tokens.append(sums["tokens"])
        return loss, sums

    def pause_after_step_7():
        if trainer.step == 7:
            now[0] += 1000.0
        return False

    monkeypatch.setattr(trainer, "loss", timed_loss)
    reports = []
    assert trainer.run(should_stop=pause_after_step_7, on_report=reports.append) == 12  # 12 steps fill the 6 s
    assert [r.step for r in reports] == [5, 10]
    for r in reports:
        assert r.tokens_per_s == pytest.approx(sum(tokens[r.step - 5 : r.step]) / 2.5)
    assert [r.eta_s for r in reports] == pytest.approx([3.5, 1.0])  # what is left of the budget


def test_resume_refuses_another_list_of_corpus_files(small_corpus, tmp_path):
    first = Pretrainer(tiny_settings(small_corpus, tmp_path / "run", max_steps=4), log=quiet)
    first.run(should_stop=lambda: True)
    more = tmp_path / "more.txt"
    more.write_text("one more document .\n\nand another .\n")
    with pytest.raises(BertError) as refused:
        settings = replace(tiny_settings(small_corpus, tmp_path / "run"), corpus=[str(small_corpus), str(more)])
        Pretrainer(settings, resume=True, log=quiet)
    message = str(refused.value)
    assert "--corpus names other files than the run in --out started with" in message and "\n" not in message
