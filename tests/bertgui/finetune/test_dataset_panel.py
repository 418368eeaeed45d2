"""The Fine-tune tab's data panel: which previews it takes, and how it shows the user's own text
(file names, cells, labels) without reading it as markup or letting it push the table apart."""

from __future__ import annotations

import pytest


@pytest.fixture
def panel(qtbot):
    from bertgui.finetune.dataset_panel import DatasetPanel

    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    return panel


def show_typed(panel, typed: str, **columns) -> None:
    """Type a path, then hand the panel the preview the worker makes from the string it was sent."""
    from model.finetuning.datasets import preview_dataset

    requested = []
    panel.previewRequested.connect(lambda path, *_: requested.append(path))
    panel.train_edit.setText(typed)
    panel.train_edit.editingFinished.emit()
    assert requested == [typed] and panel.summary.text() == "Reading…"
    panel.show_preview(preview_dataset(requested[0], **columns))


def as_displayed(rich_text: str) -> str:
    """The text a rich-text label or tooltip shows."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_preview_is_shown_however_the_path_was_typed(panel, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    write(tmp_path / "data" / "good.csv", "text,label\na good film,pos\na bad film,neg\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for typed in ("./data/good.csv", f"{tmp_path}//data/good.csv", "data/good.csv", "~/data/good.csv"):
        show_typed(panel, typed)
        assert panel.ready and panel.table.rowCount() == 2, typed
        assert "2 rows of single sentences" in as_displayed(panel.summary.text()), typed


def test_a_preview_of_a_file_no_longer_chosen_is_ignored(panel, tmp_path):
    from model.finetuning.datasets import preview_dataset

    old = write(tmp_path / "old.csv", "text,label\na,x\nb,y\n")
    panel.train_edit.setText(str(tmp_path / "new.csv"))
    panel.train_edit.editingFinished.emit()
    panel.show_preview(preview_dataset(old))
    assert panel.summary.text() == "Reading…" and panel.table.rowCount() == 0 and not panel.ready


def test_labels_file_names_and_messages_that_look_like_markup_are_shown_as_written(panel, tmp_path):
    from model.finetuning.datasets import preview_dataset

    path = write(tmp_path / "<i>reviews.csv", "text,label\nfine <b>film</b>,<pos>\nawful,<neg>\n")
    show_typed(panel, str(path))
    assert "2 labels: <neg> 1 · <pos> 1" in as_displayed(panel.summary.text())
    assert panel.table.item(0, 0).text() == "fine <b>film</b>"
    assert as_displayed(panel.table.item(0, 0).toolTip()) == "fine <b>film</b>"
    panel.show_preview(preview_dataset(path, label_column="<missing>"))  # as if chosen in the label combo
    shown = as_displayed(panel.summary.text())
    assert "Cannot train:" in shown and "<i>reviews.csv: no column named '<missing>'" in shown
    panel.show_error("x.csv: unknown format '<b>'")
    assert as_displayed(panel.summary.text()) == "x.csv: unknown format '<b>'"


def test_a_long_text_is_elided_so_the_label_column_stays_in_view(panel, tmp_path):
    long_text = " ".join(f"word{i}" for i in range(300))
    show_typed(panel, str(write(tmp_path / "long.csv", f"text,label\n{long_text},pos\nshort,neg\n")))
    table = panel.table
    assert table.horizontalHeader().sectionViewportPosition(1) < table.viewport().width() // 2
    assert as_displayed(table.item(0, 0).toolTip()) == long_text


def test_many_labels_are_summarised_by_the_most_frequent(panel, tmp_path):
    rows = [f"common {i},common" for i in range(10)] + [f"row {i},label{i % 25:02d}" for i in range(75)]
    show_typed(panel, str(write(tmp_path / "many.csv", "text,label\n" + "\n".join(rows) + "\n")))
    shown = as_displayed(panel.summary.text())
    assert panel.ready and "85 rows of single sentences, 26 labels: common 10 · label00 3 · " in shown
    assert shown.endswith("label10 3 · … and 14 more") and "label11" not in shown


def test_one_row_one_class_and_score_labels_say_what_is_wrong_up_front(panel, tmp_path):
    show_typed(panel, str(write(tmp_path / "one.csv", "text,label\nonly row,pos\n")))
    shown = as_displayed(panel.summary.text())
    assert not panel.ready and shown.startswith("1 row. Cannot train:") and "every row has the label 'pos'" in shown
    scores = "".join(f"sentence {i},{i * 0.37:.2f}\n" for i in range(40))
    show_typed(panel, str(write(tmp_path / "scores.csv", "text,label\n" + scores)))
    shown = as_displayed(panel.summary.text())
    assert panel.ready and "Check the labels:" in shown and "look like scores" in shown


def test_numeric_labels_written_several_ways_are_one_class_and_the_panel_says_so(panel, tmp_path):
    path = write(tmp_path / "numbers.csv", "text,label\na,1\nb,01\nc,1.0\nd,0\ne,0\nf,1\n")
    show_typed(panel, str(path))
    shown = as_displayed(panel.summary.text())
    assert "2 labels" in shown and "labels 01, 1.0 read as 1" in shown
