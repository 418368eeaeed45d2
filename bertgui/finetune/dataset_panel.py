"""The Fine-tune tab's data section: training and evaluation files, the columns to use, and a
preview of the first rows with the label counts, read on the fine-tune worker thread."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.finetuning.datasets import count_of  # a pure module: no torch on the GUI thread

from .sample_data import SAMPLE_DESCRIPTION, SAMPLE_EVAL, SAMPLE_TRAIN, start_folder

if TYPE_CHECKING:
    from model.finetuning.datasets import DatasetPreview

DETECT = ""  # combo data: let the loader detect the column
NO_TEXT_B = "-"  # combo data: single sentences
LABELS_SHOWN = 12  # the summary names at most this many labels, so that it keeps to a few lines
CELL_WIDTH_CHARS = 40  # a preview column is at most this wide at first, so a long text leaves the label in view
# Short enough to show whole in the form's narrowest width; the full format is in the tooltip.
LABELLED_PLACEHOLDER = "train.csv (see tooltip for columns)"
TRAIN_TIP = (
    "<p>The labelled rows to train on: a CSV, TSV or JSONL file with a header.</p>"
    "<p><b>Single sentences:</b> columns <tt>text,label</tt>, e.g.<br><tt>The film was great.,positive</tt></p>"
    "<p><b>Sentence pairs:</b> columns <tt>text_a,text_b,label</tt>.</p>"
    "<p>Other column names work too: choose them below once the file is read.</p>"
)
CORPUS_TIP = (
    "<p>Plain text to continue pretraining on: one sentence per line, documents separated by a blank "
    "line. The model keeps its vocabulary and learns from masked words and sentence pairs.</p>"
)


def label_summary(label_counts: dict[str, int]) -> str:
    """'a 3 · b 5', in label order; past LABELS_SHOWN labels, the most frequent and how many more."""
    shown = label_counts
    if len(label_counts) > LABELS_SHOWN:
        shown = dict(sorted(label_counts.items(), key=lambda item: -item[1])[:LABELS_SHOWN])
    parts = [f"{label} {n:,}" for label, n in shown.items()]
    if len(shown) < len(label_counts):
        parts.append(f"… and {len(label_counts) - len(shown):,} more")
    return " · ".join(parts)


def escaped(text: str) -> str:
    """The user's text (a file name, a cell, a label) for a rich-text label, shown as written."""
    return html.escape(text, quote=False)


def cell_tooltip(text: str) -> str:
    """A cell's full text as a tooltip: rich text, so a long one wraps, and escaped."""
    return "<p>" + escaped(text).replace("\n", "<br>") + "</p>"


def path_row(
    placeholder: str, tip: str, choose: Callable[[QWidget, str], str], start: Callable[[], str]
) -> tuple[QLineEdit, QWidget]:
    """A path field with a Browse button; choose(parent, folder) opens the dialog in `start()`'s
    folder and returns "" on cancel."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setToolTip(tip)
    browse = QPushButton("Browse…")
    browse.setToolTip(tip)
    browse.clicked.connect(lambda: _browse_into(edit, lambda parent: choose(parent, start())))
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return edit, row


def choose_dataset(parent: QWidget, folder: str) -> str:
    return QFileDialog.getOpenFileName(
        parent, "Choose a dataset", folder, "Datasets and text (*.csv *.tsv *.jsonl *.json *.txt);;All files (*)"
    )[0]


def choose_folder(parent: QWidget, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Choose or create an empty folder for the model", folder)


def _browse_into(edit: QLineEdit, choose: Callable[[QWidget], str]) -> None:
    path = choose(edit)
    if path:
        edit.setText(path)
        edit.editingFinished.emit()


class DatasetPanel(QWidget):
    previewRequested = Signal(str, str, str, str)  # path, text column, text B column, label column ("" = detect)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.train_edit, train_row = path_row(
            LABELLED_PLACEHOLDER,
            TRAIN_TIP,
            choose_dataset,
            lambda: start_folder(self.train_edit.text(), self.eval_edit.text()),
        )
        self.eval_edit, eval_row = path_row(
            "optional (else 10% held out)",
            "<p>Labelled rows to measure the model on, in the same format as the training data. They are "
            "never trained on, so their accuracy says how the model does on sentences it has not seen.</p>"
            "<p>Without a file, 10% of the training rows are held out (at least one of each label). Use "
            "about 100 rows or more: on a handful, the accuracy is mostly luck.</p>",
            choose_dataset,
            lambda: start_folder(self.eval_edit.text(), self.train_edit.text()),
        )
        self.sample_button = QPushButton(
            "Use the sample dataset (sentiment, 240 sentences)",
            toolTip=f"<p>Fill in the project's own sample data: {SAMPLE_DESCRIPTION}. Written for BERT "
            "Explorer and free to use (CC0).</p><p>Press Start next: a few epochs take seconds to minutes "
            "on the bundled model.</p>",
        )
        self.sample_button.clicked.connect(self.use_sample)
        self.text_combo = QComboBox(
            toolTip="The column holding the text to classify (sentence A for pairs); detected from the header "
            "(text or text_a), or choose one"
        )
        self.text_b_combo = QComboBox(
            toolTip="The column holding sentence B, for tasks on sentence pairs (such as: does B follow from "
            "A?); detected when the header has text_a and text_b, or choose none"
        )
        self.label_combo = QComboBox(
            toolTip="The column holding each row's class (for example positive or negative); detected from "
            "the header (label), or choose one"
        )
        self.table = QTableWidget(0, 0)
        self.table.setToolTip("The first rows of the training file; the header says which column is used for what")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.summary = QLabel("Choose a training file to see its first rows and label counts.")
        self.summary.setWordWrap(True)
        # Always rich text, with the user's strings escaped: a label such as "<pos>" must show.
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self._eval_row = eval_row
        self._labelled = True
        self.form = form = QFormLayout()
        form.addRow("Training data", train_row)
        form.addRow("Evaluation data", eval_row)
        form.addRow("Text column", self.text_combo)
        form.addRow("Text B column", self.text_b_combo)
        form.addRow("Label column", self.label_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sample_button)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self._reset_combos([])
        self.train_edit.editingFinished.connect(self._on_train_edit_finished)
        for combo in (self.text_combo, self.text_b_combo, self.label_combo):
            combo.activated.connect(self._request_preview)
        self._previewed_path = ""
        self.ready = False  # the chosen columns can be trained on

    def set_labelled(self, labelled: bool) -> None:
        """Labelled rows (classification) or plain text (continued pretraining): only the
        former has an evaluation file, columns and a preview."""
        self._labelled = labelled
        for field in (self._eval_row, self.text_combo, self.text_b_combo, self.label_combo):
            self.form.setRowVisible(field, labelled)
        self.table.setVisible(labelled)
        self.sample_button.setVisible(labelled)
        self.train_edit.setPlaceholderText(LABELLED_PLACEHOLDER if labelled else "corpus.txt (plain text)")
        self.train_edit.setToolTip(TRAIN_TIP if labelled else CORPUS_TIP)
        if labelled:
            self._previewed_path = ""
            self._on_train_edit_finished()
        else:
            self.summary.setText(
                "Plain text: documents separated by blank lines, one sentence per line. "
                "The model keeps its vocabulary and learns from masked words and sentence pairs."
            )

    def use_sample(self) -> None:
        """The project's sample dataset, previewed as if chosen with Browse."""
        self.eval_edit.setText(str(SAMPLE_EVAL))
        self.train_edit.setText(str(SAMPLE_TRAIN))
        self.train_edit.editingFinished.emit()

    def columns(self) -> dict:
        """FinetuneSettings column fields: None = detected, text_b "" = single sentences."""
        text, text_b, label = (c.currentData() for c in (self.text_combo, self.text_b_combo, self.label_combo))
        return {
            "text_column": text or None,
            "label_column": label or None,
            "text_b_column": None if text_b == DETECT else ("" if text_b == NO_TEXT_B else text_b),
        }

    def _on_train_edit_finished(self) -> None:
        if not self._labelled:
            return  # plain text for pretraining: nothing to preview
        path = self.train_edit.text().strip()
        if self.eval_edit.text() == str(SAMPLE_EVAL) and path != str(SAMPLE_TRAIN):
            self.eval_edit.clear()  # the sample's evaluation rows belong to the sample's training rows
        if path and path != self._previewed_path:
            self._reset_combos([])
            self._request_preview()

    def _request_preview(self) -> None:
        path = self.train_edit.text().strip()
        if not path:
            return
        self._previewed_path = path
        text, text_b, label = (c.currentData() for c in (self.text_combo, self.text_b_combo, self.label_combo))
        self.summary.setText("Reading…")
        self.previewRequested.emit(path, text, text_b, label)

    def _reset_combos(self, columns: list[str]) -> None:
        self._columns = list(columns)
        for combo, first in (
            (self.text_combo, ("detect", DETECT)),
            (self.text_b_combo, ("detect", DETECT)),
            (self.label_combo, ("detect", DETECT)),
        ):
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem(*first)
                if combo is self.text_b_combo:
                    combo.addItem("none (single sentences)", NO_TEXT_B)
                for column in columns:
                    combo.addItem(column, column)

    def show_preview(self, p: DatasetPreview) -> None:
        # p.source is the requested string made a Path with `~` expanded (datasets.dataset_path,
        # not imported here as it pulls in torch). Compared as paths, not strings: "./a.csv",
        # "a//b.csv" and, on Windows, the dialog's "C:/a.csv" match the path the worker read.
        if p.source != Path(self.train_edit.text().strip()).expanduser():
            return  # the user has since chosen another file
        if p.columns != self._columns:
            self._reset_combos(p.columns)
        for combo, column in (
            (self.text_combo, p.text_column),
            (self.label_combo, p.label_column),
            (self.text_b_combo, p.text_b_column or NO_TEXT_B),
        ):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(0, combo.findData(column)))
        self.table.setColumnCount(len(p.columns))
        self.table.setRowCount(len(p.rows))
        used = {p.text_column: "text", p.text_b_column: "text B", p.label_column: "label"}
        self.table.setHorizontalHeaderLabels([f"{c} ({used[c]})" if c in used else c for c in p.columns])
        for r, row in enumerate(p.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(cell_tooltip(value))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        widest = self.table.fontMetrics().averageCharWidth() * CELL_WIDTH_CHARS
        for column in range(self.table.columnCount()):  # a longer text is elided; the user may widen it
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        rows = count_of(p.total_rows, "row")
        if p.problem:
            self.ready = False
            self.summary.setText(f"{rows}. <b>Cannot train:</b> {escaped(p.problem)}")
            return
        self.ready = True
        kind = "sentence pairs" if p.text_b_column else "single sentences"
        text = f"{rows} of {kind}, {count_of(len(p.label_counts), 'label')}: {escaped(label_summary(p.label_counts))}"
        if p.label_note:  # e.g. "01, 1.0 read as 1": numeric labels written several ways are one class
            text += f"<br>{escaped(p.label_note)}"
        if p.warning:
            text += f"<br><b>Check the labels:</b> {escaped(p.warning)}"
        self.summary.setText(text)

    def show_error(self, message: str) -> None:
        self.ready = False
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.summary.setText(escaped(message))
