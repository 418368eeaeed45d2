"""The fine-tune worker and controller without the view: pausing, and time limits."""

from __future__ import annotations

import types

import pytest


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "domain.txt"
    path.write_text("\n".join(f"the cat sat on mat number {i} .\nthen the cat slept .\n" for i in range(12)))
    return path


def finetune_options(model_folder, data, out, **overrides):
    from model.finetuning.settings import FinetuneSettings

    return FinetuneSettings(
        **{
            "train": str(data),
            "out": str(out),
            "model": model_folder,
            "max_steps": 6,
            "batch_size": 8,
            "lr": 2e-3,
            "max_len": 16,
            "device": "cpu",
            "precision": "fp32",
            "log_every": 1,
            **overrides,
        }
    )


def pretrain_options(model_folder, corpus, out, max_steps=6, time_budget_s=None):
    """As the Fine-tune tab sets continued pretraining up."""
    from model.pretraining.settings import PretrainSettings

    return PretrainSettings(
        corpus=str(corpus),
        out=str(out),
        init=model_folder,
        max_steps=max_steps,
        batch_size=4,
        lr=5e-4,
        max_len=24,
        device="cpu",
        warmup_steps=max(1, round(0.1 * max_steps)),
        log_every=1,
        checkpoint_every=max(100, max_steps // 10),
        time_budget_s=time_budget_s,
        fit_schedule=time_budget_s is not None,
    )


def paused_for_63_s_after_step_2(worker, monkeypatch) -> list[tuple[bool, int]]:
    """Pauses `worker` (run on this thread) once step 2 is reported, and resumes it when 63 s
    have passed on the training loop's clock, which only moves while the worker waits paused.
    Returns what pausedChanged says."""
    from bertgui.finetune import controller as finetune_controller
    from model import train_loop

    clock = types.SimpleNamespace(now=0.0)

    def wait(seconds: float) -> None:
        clock.now += seconds
        if clock.now >= 63.0:
            worker.resume.set()

    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    monkeypatch.setattr(finetune_controller, "time", types.SimpleNamespace(sleep=wait))
    worker.progressed.connect(lambda event: event.step == 2 and worker.resume.clear())
    paused = []
    worker.pausedChanged.connect(lambda halted, step: paused.append((halted, step)))
    return paused


def test_a_fine_tune_paused_for_longer_than_its_time_limit_goes_on_after_resume(
    qtbot, model_folder, data, tmp_path, monkeypatch
):
    from bertgui.finetune.controller import FinetuneWorker

    worker = FinetuneWorker()
    paused = paused_for_63_s_after_step_2(worker, monkeypatch)
    results = []
    worker.finished.connect(results.append)
    worker.run(finetune_options(model_folder, data, tmp_path / "out", time_budget_s=60.0))
    assert paused == [(True, 2), (False, 2)]
    assert results[0].steps == 6 and results[0].metrics is not None


def test_continued_pretraining_paused_for_longer_than_its_time_limit_goes_on_after_resume(
    qtbot, model_folder, corpus, tmp_path, monkeypatch
):
    from bertgui.finetune.controller import FinetuneWorker

    worker = FinetuneWorker()
    paused = paused_for_63_s_after_step_2(worker, monkeypatch)
    finished = []
    worker.pretrainFinished.connect(lambda folder, steps, stopped: finished.append((steps, stopped)))
    worker.pretrain(pretrain_options(model_folder, corpus, tmp_path / "continued", time_budget_s=60.0))
    assert paused == [(True, 2), (False, 2)]
    assert finished == [(6, False)]


def test_time_limited_pretraining_fits_its_schedule_to_the_limit(qtbot, model_folder, corpus, tmp_path, monkeypatch):
    from bertgui.finetune.controller import FinetuneWorker
    from model import train_loop
    from model.pretraining.trainer import Pretrainer

    clock = types.SimpleNamespace(now=0.0)
    monkeypatch.setattr(train_loop, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    loss = Pretrainer.loss

    def one_second_a_step(trainer, module, batch):
        clock.now += 1.0
        return loss(trainer, module, batch)

    monkeypatch.setattr(Pretrainer, "loss", one_second_a_step)
    worker = FinetuneWorker()
    events, finished = [], []
    worker.progressed.connect(events.append)
    worker.pretrainFinished.connect(lambda folder, steps, stopped: finished.append((steps, stopped)))
    worker.pretrain(pretrain_options(model_folder, corpus, tmp_path / "continued", max_steps=1000, time_budget_s=60.0))
    # Measured over steps 2 to 4 (5% of the limit): 1 step/s for the 56 s left, 2% short.
    fitted = 4 + int(56 * 0.98)
    assert finished == [(fitted, False)] and events[-1].total_steps == fitted
    assert events[-1].lr < 0.05 * max(e.lr for e in events)  # decayed to (nearly) 0 inside the limit


def test_the_controller_says_where_a_run_halted_for_a_pause(qtbot, model_folder, data, tmp_path):
    from bertgui.finetune.controller import FinetuneController

    controller = FinetuneController()
    try:
        paused = []
        controller.pausedChanged.connect(lambda halted, step: paused.append((halted, step)))
        with qtbot.waitSignal(controller.pausedChanged, timeout=60_000):
            controller.start(finetune_options(model_folder, data, tmp_path / "out"))
            controller.set_paused(True)  # before the worker has begun: it halts before the first step
        assert paused == [(True, 0)]
        with qtbot.waitSignal(controller.runFinished, timeout=60_000) as finished:
            controller.set_paused(False)
        assert paused == [(True, 0), (False, 0)] and finished.args[0].steps == 6
    finally:
        controller.shutdown()


def test_a_runs_base_model_is_read_once_for_the_run_and_the_comparison(
    qtbot, model_folder, data, tmp_path, monkeypatch
):
    import model.bert
    from bertgui.finetune.controller import FinetuneWorker

    read, load = [], model.bert.load
    monkeypatch.setattr(model.bert, "load", lambda folder, device: read.append(folder) or load(folder, device=device))
    worker = FinetuneWorker()
    compared = []
    worker.compared.connect(compared.append)
    worker.run(finetune_options(model_folder, data, tmp_path / "out"))
    worker.compare("the cat sat", "")
    worker.compare("the dog ran", "")
    assert len(compared) == 2 and read == [model_folder, str(tmp_path / "out")]
