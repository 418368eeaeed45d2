"""The Fine-tune tab's Tag words task: the task choice, the tagged preview, and a tiny tagger
trained to the end on the worker thread, with its curves, summary and per-tag table."""

from __future__ import annotations

import random

import pytest

TAGGED = """-DOCSTART- -X- O

Confidence NN B-NP
in IN B-PP
the DT B-NP
pound NN I-NP
. . O

He PRP B-NP
reckons VBZ B-VP
"""


@pytest.fixture
def window(window):
    window.tabs.setCurrentWidget(window.finetune_view)
    return window


def toy_sentence(rng: random.Random) -> str:
    """A sentence of a learnable chunking task in CoNLL columns: animals are ANI chunks, places LOC."""
    lines = []
    for _ in range(rng.randint(2, 6)):
        kind = rng.random()
        if kind < 0.5:
            lines.append(f"{rng.choice(['the', 'a', 'sat', 'ran', 'on', 'in', 'is'])} X O")
        elif kind < 0.75:
            lines.append(f"{rng.choice(['cat', 'dog', 'cats', 'dogs'])} X B-ANI")
        else:
            lines += (
                ["big X B-LOC", "city X I-LOC"]
                if rng.random() < 0.4
                else [f"{rng.choice(['paris', 'london'])} X B-LOC"]
            )
    return "\n".join(lines)


@pytest.fixture
def tagged(tmp_path):
    rng = random.Random(0)
    train, test = tmp_path / "train.txt", tmp_path / "test.txt"
    train.write_text("\n\n".join(toy_sentence(rng) for _ in range(64)) + "\n")
    test.write_text("\n\n".join(toy_sentence(rng) for _ in range(16)) + "\n")
    return train, test


def choose_tagging(view) -> None:
    view.form.task.setCurrentIndex(view.form.task.findData("tokens"))


def test_the_task_choice_shows_tagged_words_and_the_tag_column(qtbot, window, tmp_path):
    path = tmp_path / "chunks.txt"
    path.write_text(TAGGED)
    view = window.finetune_view
    panel = view.form.data
    choose_tagging(view)
    assert panel.tag_combo.isVisibleTo(view) and not panel.label_combo.isVisibleTo(view)
    assert not panel.sample_button.isVisibleTo(view) and panel.tagged.isVisibleTo(view)
    assert not panel.table.isVisibleTo(view) and "a word and its tag a line" in view.form.train_edit.placeholderText()
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        view.form.train_edit.setText(str(path))
        view.form.train_edit.editingFinished.emit()
    shown = panel.tagged.toPlainText()
    assert "ConfidenceB-NP inB-PP theB-NP poundI-NP .O" in shown and "reckonsB-VP" in shown
    assert panel.ready and panel.summary.text() == (
        "2 sentences, 7 words; BIO tags (column 3), 3 chunk types, scored by chunk: NP 3 · PP 1 · VP 1 chunks"
    )
    assert [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())] == [
        "last column",
        "column 2",
        "column 3",
    ]
    panel.tag_combo.setCurrentIndex(panel.tag_combo.findData(2))
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        panel.tag_combo.activated.emit(panel.tag_combo.currentIndex())
    assert (
        "6 tags (column 2), scored word by word" in panel.summary.text()
        and "ConfidenceNN" in panel.tagged.toPlainText()
    )
    settings = view.form.run_settings()
    assert settings.task == "tokens" and settings.tag_column == 2
    # Back to sentences: the same file is read as labelled rows again, and says why it cannot be.
    with qtbot.waitSignal(window.finetune.previewFailed, timeout=10_000):
        view.form.task.setCurrentIndex(view.form.task.findData("classify"))
    assert panel.table.isVisibleTo(view) and not panel.tag_combo.isVisibleTo(view)
    assert "unknown format '.txt'" in panel.summary.text() and view.form.run_settings().task == "sequence"


def test_a_tagged_file_that_cannot_be_trained_on_says_why(qtbot, window, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("a DT B-NP\n\nb NN\n")
    view = window.finetune_view
    choose_tagging(view)
    with qtbot.waitSignal(window.finetune.previewReady, timeout=10_000):
        view.form.train_edit.setText(str(path))
        view.form.train_edit.editingFinished.emit()
    panel = view.form.data
    assert not panel.ready and "Cannot train:" in panel.summary.text() and "line 3: 2 columns" in panel.summary.text()
    assert "aB-NP" in panel.tagged.toPlainText()  # what was read before the bad line


def test_a_tiny_tagger_trains_to_the_end_with_chunk_scores(qtbot, window, tagged, tmp_path):
    view = window.finetune_view
    choose_tagging(view)
    view.form.train_edit.setText(str(tagged[0]))
    view.form.eval_edit.setText(str(tagged[1]))
    view.form.out_edit.setText(str(tmp_path / "tagger"))
    view.form.epochs.setValue(8)
    view.form.batch.setValue(8)
    view.form.lr.setValue(0.003)
    view.form.max_len.setValue(24)
    with qtbot.waitSignal(window.finetune.runFinished, timeout=180_000) as blocker:
        view.form.start_button.click()
    result = blocker.args[0]
    m = result.metrics
    assert result.task == "tokens" and m.scheme == "BIO" and (tmp_path / "tagger" / "model.safetensors").is_file()
    assert len(view.monitor.eval_f1.getData()[0]) == 8 and view.monitor.eval_f1.getData()[1][-1] == pytest.approx(m.f1)
    assert (
        "chunk F1" in view.monitor.eval_plot.titleLabel.text
        and "word accuracy" in view.monitor.eval_plot.titleLabel.text
    )
    status = view.monitor.status.text()
    assert status.startswith(f"Done: chunk F1 {m.f1:.3f} (precision {m.precision:.3f}, recall {m.recall:.3f})")
    assert f"Saved to {tmp_path / 'tagger'}" in status
    log = view.monitor.log.toPlainText()
    assert "started: 64 steps, tags O, B-ANI, B-LOC, I-LOC" in log and "chunk F1" in log
    summary = view.results.summary.text()
    assert (
        f"Chunk F1 {m.f1:.3f}" in summary and "Per chunk type" in summary and ">ANI<" in summary and ">LOC<" in summary
    )
    assert view.results.currentWidget() is view.results.summary_page
    assert view.results.confusion.rowCount() == 4 and view.results.confusion.verticalHeaderItem(0).text() == "true O"
    assert not view.results.try_text.isEnabled() and "tags words" in view.results.try_status.text()
    assert m.f1 > 0.8  # the toy task is learnt
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30_000):
        view.form.open_button.click()
    assert window.controller.info.classifier == "token" and window.controller.info.num_labels == 4


def test_cancelling_a_tagger_after_a_checkpoint_keeps_it(qtbot, window, tagged, tmp_path):
    view = window.finetune_view
    choose_tagging(view)
    view.form.train_edit.setText(str(tagged[0]))
    view.form.out_edit.setText(str(tmp_path / "tagger"))
    view.form.epochs.setValue(100)
    view.form.batch.setValue(8)
    view.form.max_len.setValue(24)
    view.form.checkpoint_every.setValue(1)
    with qtbot.waitSignal(window.finetune.progressed, timeout=60_000):
        view.form.start_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "tagger" / "model.safetensors").is_file(), timeout=30_000)
    with qtbot.waitSignal(window.finetune.runFinished, timeout=10_000) as blocker:
        view.form.cancel_button.click()
    result = blocker.args[0]
    assert result.metrics is None and result.output == tmp_path / "tagger" and result.task == "tokens"
    assert "the last checkpoint is kept" in view.monitor.status.text()
    assert not view.results.try_text.isEnabled() and "tags words" in view.results.try_status.text()
