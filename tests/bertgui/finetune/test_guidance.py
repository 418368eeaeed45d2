"""The Fine-tune tab guides a learner: a sample dataset, an output folder filled in, tooltips on
every field, a result that states its uncertainty and warns, "Try it" after every run, spin boxes
that refuse out-of-range input visibly, and errors and statuses that stay true."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QPushButton

from bertgui.finetune import sample_data
from bertgui.finetune.monitor import READY
from bertgui.views.strict_spin_box import StrictDoubleSpinBox, StrictSpinBox


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The user's models folder, in the test's folder (the sample's model goes there)."""
    folder = tmp_path / "home" / "BERT Explorer"
    monkeypatch.setattr(sample_data, "models_home", lambda: folder)
    return folder


@pytest.fixture
def wing(qtbot, controller, model_folder):
    """The Fine-tune tab wired to an inspector that has a small model loaded, without the main window."""
    from bertgui.finetune.wing import FinetuneWing

    with qtbot.waitSignal(controller.modelLoaded, timeout=30_000):
        controller.load_model(model_folder, "cpu")
    wing = FinetuneWing(controller, lambda: ("the cat sat", ""), None)
    qtbot.addWidget(wing.view)
    wing.view.resize(1280, 800)
    wing.view.show()
    yield wing
    wing.controller.shutdown(wait_ms=60_000)


@pytest.fixture
def view(qtbot):
    from bertgui.finetune.view import FinetuneView

    view = FinetuneView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def small_settings(form, epochs=3):
    form.epochs.setValue(epochs)
    form.batch.setValue(8)
    form.lr.setValue(0.002)
    form.max_len.setValue(16)


def test_the_sample_dataset_is_offered_and_its_model_goes_to_a_fresh_folder_at_home(qtbot, wing, home):
    form = wing.view.form
    assert "sample dataset (sentiment, 240 sentences)" in form.data.sample_button.text()
    with qtbot.waitSignal(wing.controller.previewReady, timeout=10_000):
        form.data.sample_button.click()
    assert form.train_edit.text() == str(sample_data.SAMPLE_TRAIN) and form.data.ready
    assert form.eval_edit.text() == str(sample_data.SAMPLE_EVAL)
    assert "240 rows of single sentences, 2 labels: negative 120 · positive 120" in form.data.summary.text()
    assert form.out_edit.text() == str(home / "sentiment-sample-finetuned")  # not inside the app's resources
    (home / "sentiment-sample-finetuned").mkdir(parents=True)  # an earlier run's
    form.data.sample_button.click()
    assert form.out_edit.text() == str(home / "sentiment-sample-finetuned-2")
    form.out_edit.setText(str(home / "mine"))  # the user's own choice stays when the data changes
    form.data.sample_button.click()
    assert form.out_edit.text() == str(home / "mine")


def test_the_sample_files_are_balanced_and_licensed():
    from model.finetuning.datasets import load_dataset

    train, evaluation = load_dataset(sample_data.SAMPLE_TRAIN), load_dataset(sample_data.SAMPLE_EVAL)
    assert train.label_counts() == {"positive": 120, "negative": 120}
    assert evaluation.label_counts() == {"positive": 30, "negative": 30}
    texts = [e.text for e in train.examples + evaluation.examples]
    assert len(set(texts)) == 300  # no sentence twice, none in both files
    assert "CC0" in (sample_data.SAMPLES_FOLDER / "README.md").read_text()
    assert "CC0" in (sample_data.SAMPLES_FOLDER / "LICENSE").read_text()


def test_the_default_output_folder_is_beside_the_data_and_never_an_existing_one(tmp_path, home, monkeypatch):
    data = tmp_path / "reviews" / "films.csv"
    data.parent.mkdir()
    data.write_text("text,label\n")
    assert sample_data.default_output_folder(str(data)) == str(tmp_path / "reviews" / "films-finetuned")
    (tmp_path / "reviews" / "films-finetuned").mkdir()
    (tmp_path / "reviews" / "films-finetuned-2").write_text("a file of the user's")
    assert sample_data.default_output_folder(str(data)) == str(tmp_path / "reviews" / "films-finetuned-3")
    monkeypatch.setattr(sample_data.os, "access", lambda *args: False)  # a folder the user cannot write
    assert sample_data.default_output_folder(str(data)) == str(home / "films-finetuned")


def test_start_needs_only_a_training_file_and_the_result_states_its_uncertainty(qtbot, wing, data, home):
    view = wing.view
    view.form.train_edit.setText(str(data))
    view.form.train_edit.editingFinished.emit()
    small_settings(view.form)
    assert view.form.out_edit.text() == str(data.parent / "train-finetuned")
    view.form.out_edit.clear()  # emptied by hand: Start fills it in again
    with qtbot.waitSignal(wing.controller.runFinished, timeout=120_000) as finished:
        view.form.start_button.click()
    result = finished.args[0]
    assert result.output == data.parent / "train-finetuned" and (result.output / "model.safetensors").is_file()
    rows = int(result.metrics.confusion.sum())
    assert rows == 3  # 10% of 32 rows held out
    status = view.monitor.status.text()
    assert f"on {rows} evaluation rows" in status and "95% interval" in status and "see Summary" in status
    summary = view.results.summary.text()
    assert view.results.currentWidget() is view.results.summary_page
    assert "(Wilson score)" in summary and "3 evaluation rows cannot measure this" in summary
    assert "use at least ~100 evaluation rows" in summary


def test_try_it_answers_after_every_run(qtbot, wing, data, tmp_path):
    view = wing.view
    small_settings(view.form, epochs=2)
    for run in range(2):
        view.form.train_edit.setText(str(data))
        view.form.out_edit.setText(str(tmp_path / f"run{run}"))
        with qtbot.waitSignal(wing.controller.runFinished, timeout=120_000):
            view.form.start_button.click()
        if run == 0:
            assert view.results.try_table.rowCount() == 0
            with qtbot.waitSignal(wing.controller.classified, timeout=30_000):
                view.results.try_text.setText("paris is big 3")
        else:  # the sentence kept from the first run is answered by the second run's model, untyped
            qtbot.waitUntil(lambda: view.results.try_table.rowCount() == 2, timeout=30_000)
        assert view.results.try_table.rowCount() == 2 and "%" in view.results.try_status.text()


def feed_an_overfitting_run(view) -> None:
    """A run's reports as the worker sends them: the training loss falls to ~0, the eval loss turns up."""
    from model.finetuning.metrics import ClassificationMetrics
    from model.finetuning.trainer import FinetuneResult
    from model.train_loop import Progress

    view.run_started(40, ["neg", "pos"])
    for step in range(1, 41):
        loss = 0.7 * np.exp(-step / 6)
        view.monitor.show_step(Progress(step, 40, (step - 1) // 10, float(loss), 1e-3, 100.0, step, 40 - step))
        if step % 10 == 0:
            eval_loss = {10: 0.70, 20: 0.85, 30: 1.05, 40: 1.30}[step]
            confusion = np.array([[28, 22], [23, 27]])
            view.monitor.show_eval(step, ClassificationMetrics(eval_loss, 0.55, 0.55, confusion))
    metrics = ClassificationMetrics(1.30, 0.55, 0.55, np.array([[28, 22], [23, 27]]))
    view.run_finished(FinetuneResult(metrics, Path("/somewhere/out"), 40, ["neg", "pos"]))


def test_overfitting_is_named_with_what_to_change(view):
    feed_an_overfitting_run(view)
    summary = view.results.summary.text()
    assert "Eval loss rose from 0.70 to 1.30 while training loss fell to 0.00" in summary
    assert "memorised the training rows" in summary and "Max steps 10" in summary
    assert "still falling" not in summary  # more steps is the wrong advice for a model that memorises
    assert "accuracy 0.550 (95% interval 0.45–0.64) on 100 evaluation rows" in view.monitor.status.text()
    assert "2 warning(s): see Summary" in view.monitor.status.text()
    assert "is no better than always answering the most common class (0.50)" in summary


def test_every_field_has_a_tooltip_and_no_placeholder_is_cut_off(view):
    form = view.form
    fields = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox, QPushButton)
        for w in form.findChildren(kind)
        if w.isVisibleTo(form) and not isinstance(w.parentWidget(), QAbstractSpinBox)  # a box's own line edit
    ]
    assert len(fields) >= 25
    assert [w for w in fields if not w.toolTip().strip()] == []
    for edit in form.findChildren(QLineEdit):
        if edit.placeholderText() and edit.isVisibleTo(form):
            room = edit.width() - 2 * edit.fontMetrics().averageCharWidth()  # the frame and text margins
            assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room, edit.placeholderText()
    spin_boxes = form.findChildren(QAbstractSpinBox)
    assert spin_boxes and all(isinstance(b, (StrictSpinBox, StrictDoubleSpinBox)) for b in spin_boxes)


def test_out_of_range_input_is_said_in_the_forms_message_line_and_the_wheel_leaves_values(qtbot, view):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    def wheel_up(box) -> QWheelEvent:
        centre = QPointF(box.rect().center())
        event = QWheelEvent(
            centre,
            QPointF(box.mapToGlobal(box.rect().center())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(box, event)
        return event

    def type_into(qtbot, box, text: str) -> None:
        box.setFocus()
        qtbot.waitUntil(box.hasFocus)
        box.selectAll()
        qtbot.keyClicks(box, text)

    form = view.form
    view.activateWindow()
    form.seed.setFocus()
    qtbot.waitUntil(form.seed.hasFocus)
    event = wheel_up(form.epochs)
    assert form.epochs.value() == 3 and not event.isAccepted()
    type_into(qtbot, form.epochs, "200")
    assert form.message.isVisible() and form.message.text() == "Epochs: 200 is above the maximum 100"
    qtbot.keyClick(form.epochs, Qt.Key.Key_Return)
    assert form.epochs.value() == 3 and form.message.text() == "Epochs: 200 is above the maximum 100, so it stays 3"
    type_into(qtbot, form.epochs, "5")
    assert not form.message.isVisible()
    qtbot.keyClick(form.epochs, Qt.Key.Key_Return)
    assert form.epochs.value() == 5


def test_paused_status_and_progress_bar_name_the_same_step(view):
    from model.train_loop import Progress

    view.run_started(100, ["a", "b"])
    for step in range(1, 63):  # faster than the redraw: the bar would still show an earlier step
        view.monitor.show_step(Progress(step, 100, 0, 0.5, 1e-3, 100.0, step, 100 - step))
    view.monitor.show_paused(True, 62)
    assert view.monitor.progress.value() == 62 and view.monitor.status.text().startswith("Paused at step 62")


def test_an_error_clears_once_the_data_it_was_about_changes(view, tmp_path):
    view.run_failed("bad.csv: every row has the label 'x'; a classifier needs at least two classes")
    assert view.monitor.status.text().startswith("bad.csv")
    view.form.out_edit.setText(str(tmp_path / "elsewhere"))
    view.form.train_edit.setText(str(tmp_path / "good.csv"))
    assert view.monitor.status.text() == READY
    view.monitor.say("Done: accuracy 0.9")  # a result is no error: changing the data keeps it
    view.form.train_edit.setText(str(tmp_path / "other.csv"))
    assert view.monitor.status.text() == "Done: accuracy 0.9"


def test_file_dialogs_open_beside_the_data_or_at_home(qtbot, view, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    opened = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda parent, title, folder, *a: opened.append(folder) or ("", "")
    )
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda parent, title, folder: opened.append(folder) or "")

    def browse_next_to(edit):
        return next(b for b in edit.parentWidget().findChildren(QPushButton) if b.text() == "Browse…")

    qtbot.mouseClick(browse_next_to(view.form.train_edit), Qt.MouseButton.LeftButton)
    assert opened[-1] == str(Path.home())  # never the folder the app was started from
    (tmp_path / "data").mkdir()
    view.form.train_edit.setText(str(tmp_path / "data" / "train.csv"))
    view.form.out_edit.setText(str(tmp_path / "data" / "train-finetuned"))  # not made yet
    for edit in (view.form.train_edit, view.form.eval_edit, view.form.out_edit):
        qtbot.mouseClick(browse_next_to(edit), Qt.MouseButton.LeftButton)
        assert opened[-1] == str(tmp_path / "data")


def test_the_attention_change_map_writes_the_value_at_the_cursor(qtbot):
    from types import SimpleNamespace

    from bertgui.finetune.attention_change_view import AttentionChangeView
    from model.attention_change import AttentionChange

    change_view = AttentionChangeView()
    qtbot.addWidget(change_view)
    change_view.resize(600, 400)
    change_view.show()
    divergence = np.arange(8, dtype=np.float32).reshape(2, 4) / 20
    attentions = np.full((2, 4, 3, 3), 1 / 3, dtype=np.float32)
    change_view.show_change(AttentionChange(["[CLS]", "cat", "[SEP]"], divergence, attentions, attentions))
    from PySide6.QtCore import QPointF

    hover = SimpleNamespace(isExit=lambda: False, pos=lambda: QPointF(2.5, 1.5))  # head 2 of layer 1
    change_view._on_image_hover(hover)
    assert change_view.cursor_value.text() == "layer 1, head 2: 0.300"
    change_view._on_image_hover(SimpleNamespace(isExit=lambda: True))
    assert change_view.cursor_value.text() == ""
