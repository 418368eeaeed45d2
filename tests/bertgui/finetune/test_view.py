"""The Fine-tune tab: a real run on a worker thread, live updates, cancel, and closing."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def window(window):
    window.tabs.setCurrentWidget(window.finetune_view)
    return window


def fill(view, data, out, epochs=4):
    view.form.train_edit.setText(str(data))
    view.form.out_edit.setText(str(out))
    view.form.epochs.setValue(epochs)
    view.form.batch.setValue(8)
    view.form.lr.setValue(0.002)
    view.form.max_len.setValue(16)


def test_a_run_trains_draws_curves_and_opens_its_model(qtbot, window, data, tmp_path):
    from PySide6.QtCore import QTimer

    view = window.finetune_view
    fill(view, data, tmp_path / "out", epochs=30)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    ticks_at_progress = []  # how many timer ticks the GUI thread had handled at each progress report
    window.finetune.progressed.connect(lambda _event: ticks_at_progress.append(len(ticks)))
    with qtbot.waitSignal(window.finetune.runFinished, timeout=120_000) as blocker:
        view.form.start_button.click()
    timer.stop()
    result = blocker.args[0]
    assert result.output is not None and (tmp_path / "out" / "model.safetensors").is_file()
    # The event loop kept running during training: between most pairs of consecutive progress
    # reports it also handled timer ticks (a blocked GUI thread would show none until the end).
    # No rate is asserted, only that ticks were interleaved with training, so load cannot fail it.
    gaps_with_ticks = sum(b > a for a, b in zip(ticks_at_progress, ticks_at_progress[1:]))
    assert len(ticks_at_progress) >= 10 and gaps_with_ticks >= (len(ticks_at_progress) - 1) // 2
    x, y = view.monitor.loss_raw.getData()
    assert len(x) == result.steps and view.monitor.progress.value() == result.steps
    assert len(view.monitor.eval_accuracy.getData()[0]) == 30
    assert f"Saved to {tmp_path / 'out'}" in view.monitor.status.text()
    confusion = result.metrics.confusion
    assert (
        f"on {confusion.sum()} evaluation rows; always answering their most common class would score "
        f"{confusion.sum(axis=1).max() / confusion.sum():.3f}"
    ) in view.monitor.status.text()
    assert "95% interval" in view.monitor.status.text()
    assert (
        view.results.confusion.rowCount() == 2
        and sum(int(view.results.confusion.item(i, j).text()) for i in range(2) for j in range(2))
        == result.metrics.confusion.sum()
    )
    # The attention comparison runs by itself at the end, on the inspector's sentence.
    if view.results.attention_change.change is None:
        qtbot.waitSignal(window.finetune.attentionCompared, timeout=30_000).wait()
    change = view.results.attention_change.change
    L, H = window.controller.info.config.num_hidden_layers, window.controller.info.config.num_attention_heads
    assert change.divergence.shape == (L, H) and (change.divergence > 0).any()
    change_view = view.results.attention_change
    assert change_view.image.image.shape == (L, H) and "most changed" in change_view.summary.text()
    # Try it, in the tab itself.
    with qtbot.waitSignal(window.finetune.classified, timeout=30_000):
        view.results.try_text.setText("paris is big 2")
    assert view.results.try_table.rowCount() == 2 and view.results.try_table.item(0, 0).text() == "city"
    assert "city" in view.results.try_status.text()
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30_000):
        view.form.open_button.click()
    assert window.controller.info.classifier == "sequence"
    window.tabs.setCurrentWidget(window.nsp_view)  # "Try it": the classifier's probabilities for the text
    with qtbot.waitSignal(
        window.controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the cat sat 3"
    ):
        window.set_texts("the cat sat 3")
    assert set(window.controller.inspection.class_probabilities) == {"animal", "city"}
    assert window.nsp_view.classes.rowCount() == 2 and "Classifier:" in window.nsp_view.classes_label.text()
    assert "no next-sentence head" in window.nsp_view.label.text()  # not an invitation to type sentence B


def test_cancel_stops_within_a_second_and_writes_nothing(qtbot, window, data, tmp_path):
    view = window.finetune_view
    fill(view, data, tmp_path / "out", epochs=100)
    with qtbot.waitSignal(window.finetune.progressed, timeout=60_000):
        view.form.start_button.click()
    assert not view.form.data_box.isEnabled() and not view.form.settings_box.isEnabled()  # the run has read them
    started = time.monotonic()
    with qtbot.waitSignal(window.finetune.runFinished, timeout=10_000) as blocker:
        view.form.cancel_button.click()
    assert time.monotonic() - started < 1.0
    assert blocker.args[0].output is None and not (tmp_path / "out").exists()
    assert "Cancelled" in view.monitor.status.text() and view.form.start_button.isEnabled()
    assert view.form.data_box.isEnabled() and view.form.settings_box.isEnabled()


def test_cancel_after_a_checkpoint_keeps_it_and_it_can_be_tried(qtbot, window, data, tmp_path):
    view = window.finetune_view
    fill(view, data, tmp_path / "out", epochs=100)
    view.form.checkpoint_every.setValue(1)
    with qtbot.waitSignal(window.finetune.progressed, timeout=60_000):
        view.form.start_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "out" / "model.safetensors").is_file(), timeout=30_000)
    with qtbot.waitSignal(window.finetune.runFinished, timeout=10_000) as blocker:
        view.form.cancel_button.click()
    assert blocker.args[0].output == tmp_path / "out" and blocker.args[0].metrics is None
    assert "last checkpoint is kept" in view.monitor.status.text() and view.form.open_button.isEnabled()
    with qtbot.waitSignal(window.finetune.classified, timeout=30_000):
        view.results.try_text.setText("the cat sat")
    assert view.results.try_table.rowCount() == 2  # animal, city


def test_running_out_of_gpu_memory_stops_the_run_with_advice(qtbot, window, data, tmp_path, monkeypatch):
    import torch

    from model.finetuning.trainer import FineTuner

    def out_of_memory(self, module, batch):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 12.00 GiB")  # as on a full GPU

    monkeypatch.setattr(FineTuner, "loss", out_of_memory)
    view = window.finetune_view
    fill(view, data, tmp_path / "out")
    with qtbot.waitSignal(window.finetune.runFailed, timeout=60_000) as failed:
        view.form.start_button.click()
    assert "ran out of memory at step 1; use a smaller batch size" in failed.args[0]
    assert failed.args[0] in view.monitor.status.text() and view.form.start_button.isEnabled()
    assert not (tmp_path / "out").exists()


def test_bad_dataset_is_reported_and_nothing_starts(qtbot, window, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nonly,x\nrows,x\n")
    view = window.finetune_view
    fill(view, bad, tmp_path / "out")
    with qtbot.waitSignal(window.finetune.runFailed, timeout=30_000):
        view.form.start_button.click()
    assert "every row has the label 'x'" in view.monitor.status.text() and view.form.start_button.isEnabled()


def test_closing_during_a_run_asks_then_stops_cleanly(qtbot, window, data, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    view = window.finetune_view
    fill(view, data, tmp_path / "out", epochs=100)
    with qtbot.waitSignal(window.finetune.progressed, timeout=60_000):
        view.form.start_button.click()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr("bertgui.finetune.controller.QMessageBox.question", lambda *args: answers.pop(0))
    window.close()
    assert window.isVisible() and window.finetune.running  # "No": the run goes on
    window.close()
    assert not window.isVisible() and not window.finetune._thread.isRunning()


def test_preview_shows_rows_columns_and_counts_and_columns_can_be_chosen(qtbot, window, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        "id,review,stars\n" + "".join(f"{i},film number {i},{'good' if i % 4 else 'bad'}\n" for i in range(40))
    )
    view = window.finetune_view
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        view.form.train_edit.setText(str(path))
        view.form.train_edit.editingFinished.emit()
    panel = view.form.data
    assert panel.table.columnCount() == 3 and panel.table.rowCount() == 8
    assert panel.table.item(0, 1).text() == "film number 0"
    assert "no column named 'text'" in panel.summary.text() and not panel.ready
    panel.text_combo.setCurrentIndex(panel.text_combo.findData("review"))
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        panel.text_combo.activated.emit(panel.text_combo.currentIndex())
    panel.label_combo.setCurrentIndex(panel.label_combo.findData("stars"))
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        panel.label_combo.activated.emit(panel.label_combo.currentIndex())
    assert panel.ready and "40 rows of single sentences, 2 labels: bad 10 · good 30" in panel.summary.text()
    assert view.form.run_settings().text_column == "review" and view.form.run_settings().label_column == "stars"


def test_an_unreadable_dataset_preview_says_why(qtbot, window, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK")
    view = window.finetune_view
    with qtbot.waitSignal(window.finetune.previewFailed, timeout=10_000):
        view.form.train_edit.setText(str(path))
        view.form.train_edit.editingFinished.emit()
    assert "unknown format '.xlsx'" in view.form.data.summary.text()


def test_continued_pretraining_on_a_text_file_saves_a_model_that_opens(qtbot, window, tmp_path):
    corpus = tmp_path / "domain.txt"
    documents = [f"the cat sat on mat number {i} .\nthen the cat slept .\n" for i in range(12)]
    corpus.write_text("\n".join(documents))
    view = window.finetune_view
    view.form.task.setCurrentIndex(view.form.task.findData("pretrain"))
    assert not view.form.data.table.isVisibleTo(view) and not view.form.epochs.isEnabled()
    view.form.train_edit.setText(str(corpus))
    view.form.out_edit.setText(str(tmp_path / "continued"))
    view.form.max_steps.setValue(6)
    view.form.batch.setValue(4)
    view.form.max_len.setValue(24)
    with qtbot.waitSignal(window.finetune.pretrainFinished, timeout=120_000) as blocker:
        view.form.start_button.click()
    folder, steps, stopped = blocker.args
    assert steps == 6 and not stopped and (tmp_path / "continued" / "model" / "model.safetensors").is_file()
    assert view.monitor.progress.value() == 6 and "Continued pretraining done" in view.monitor.status.text()
    assert len(view.monitor.loss_raw.getData()[0]) == 6
    if view.results.attention_change.change is None:  # the comparison with the base model follows by itself
        qtbot.waitSignal(window.finetune.attentionCompared, timeout=30_000).wait()
    assert view.results.attention_change.change.divergence.shape == (2, 4)
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30_000):
        view.form.open_button.click()
    assert window.controller.info.path == folder and window.controller.info.mlm


def test_browse_buttons_fill_the_dataset_and_output_fields(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QPushButton

    from bertgui.finetune.view import FinetuneView

    view = FinetuneView()
    qtbot.addWidget(view)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "train.csv"), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "out"))
    previews = []
    view.previewRequested.connect(lambda path, *_: previews.append(path))

    def browse_next_to(edit):
        return next(b for b in edit.parentWidget().findChildren(QPushButton) if b.text() == "Browse…")

    qtbot.mouseClick(browse_next_to(view.form.out_edit), Qt.MouseButton.LeftButton)
    assert view.form.out_edit.text() == str(tmp_path / "out")
    qtbot.mouseClick(browse_next_to(view.form.train_edit), Qt.MouseButton.LeftButton)
    assert view.form.train_edit.text() == str(tmp_path / "train.csv") and previews == [str(tmp_path / "train.csv")]


def test_a_new_run_clears_the_last_ones_results_and_names_are_shown_as_written(qtbot):
    import numpy as np

    from bertgui.finetune.view import FinetuneView
    from model.train_loop import Progress

    view = FinetuneView()
    qtbot.addWidget(view)
    view.results._show_confusion(["<pos>", "<neg>"], np.array([[3, 1], [0, 4]]))
    view.results.try_text.setText("great")
    view.results.show_probabilities("great", {"<pos>": 0.9, "<neg>": 0.1})
    assert view.results.try_status.text().startswith("<b>&lt;pos&gt;</b>")  # rich text: the label is escaped
    view.run_started(40, ["<pos>", "<neg>"])
    assert view.results.confusion.rowCount() == 0 and view.results.try_table.rowCount() == 0
    for step, loss in enumerate((2.0, 1.0, 0.5), start=1):
        view.monitor.show_step(Progress(step, 40, 0, loss, 1e-3, 100.0, step * 0.1, (40 - step) * 0.1))
    assert view.monitor._smoothed[0] == 2.0  # bias-corrected: starts at the first loss, not near 0
    assert view.monitor._smoothed[-1] < 1.5  # a 40-step run averages over ~4 steps, so it follows the loss
    view.form.pause_button.setEnabled(True)
    view.form.pause_button.setChecked(True)
    assert view.monitor.status.text().startswith("Pausing")
    view.monitor.show_paused(True, 3)  # the worker halted
    assert view.monitor.status.text().startswith("Paused at step 3")


def test_majority_accuracy_is_the_floor_to_beat():
    import numpy as np

    from bertgui.finetune.view import majority_accuracy

    assert majority_accuracy(np.array([[3, 1], [0, 6]])) == 0.6  # 6 of 10 rows are the second class
    assert majority_accuracy(np.zeros((2, 2))) == 0.0


def test_replacing_an_earlier_model_is_asked_first(qtbot, window, data, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    out = tmp_path / "earlier"
    out.mkdir()
    (out / "config.json").write_text("{}")
    asked, defaults = [], []
    monkeypatch.setattr(window.finetune, "dialogs", window)
    monkeypatch.setattr(
        "bertgui.finetune.controller.QMessageBox.question",
        lambda *args, **kwargs: (
            asked.append(args[2]) or defaults.append(kwargs.get("defaultButton")) or QMessageBox.StandardButton.No
        ),
    )
    view = window.finetune_view
    fill(view, data, out)
    view.form.start_button.click()
    assert asked and "already holds a model" in asked[0]
    assert defaults[0] == QMessageBox.StandardButton.No  # Enter keeps the earlier model
    assert view.monitor.status.text().startswith("Not started") and view.form.start_button.isEnabled()
    assert (out / "config.json").read_text() == "{}" and view.monitor.progress.maximum() > 0  # untouched, not busy
    asked.clear()
    view.form.task.setCurrentIndex(1)  # continued pretraining writes OUT/model: that is the model it would replace
    (out / "model").mkdir()
    (out / "model" / "config.json").write_text("{}")
    view.form.start_button.click()
    assert asked and str(out / "model") in asked[0] and view.monitor.status.text().startswith("Not started")


def test_an_unknown_home_folder_is_said_not_crashed_on(qtbot, window, data):
    view = window.finetune_view
    fill(view, data, "~no-such-user-here/out")
    view.form.start_button.click()
    assert "no such user's home folder" in view.monitor.status.text() and view.form.start_button.isEnabled()


def test_a_model_folder_holding_the_users_files_is_refused_naming_them(qtbot, window, data, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    out = tmp_path / "mine"
    out.mkdir()
    (out / "config.json").write_text("{}")
    (out / "notes.txt").write_text("my notes")
    (out / "src").mkdir()
    monkeypatch.setattr(window.finetune, "dialogs", window)
    monkeypatch.setattr(
        "bertgui.finetune.controller.QMessageBox.question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )  # "replace the model?" yes
    view = window.finetune_view
    fill(view, data, out)
    with qtbot.waitSignal(window.finetune.runFailed, timeout=30_000) as failed:
        view.form.start_button.click()
    assert "notes.txt" in failed.args[0] and "src/" in failed.args[0]
    assert "notes.txt" in view.monitor.status.text() or "notes.txt" in view.monitor.log.toPlainText()
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "notes.txt", "src"]
    assert (out / "notes.txt").read_text() == "my notes"
