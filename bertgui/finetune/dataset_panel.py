"""The Fine-tune tab's data section: training and evaluation files, the columns to use, and a
preview of the first rows with the label counts (for a tagger, the first sentences with each
word's tag, and the tag counts), read on the fine-tune worker thread."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from model.finetuning.datasets import count_of  # pure modules: no torch on the GUI thread
from model.finetuning.token_datasets import TokenDatasetPreview, chunk_type_of

from ..palette import chunk_colours
from .sample_data import SAMPLE_DESCRIPTION, SAMPLE_EVAL, SAMPLE_TRAIN, start_folder

if TYPE_CHECKING:
    from model.finetuning.datasets import DatasetPreview

DETECT = ""  # combo data: let the loader detect the column
NO_TEXT_B = "-"  # combo data: single sentences
LABELS_SHOWN = 12  # the summary names at most this many labels, so that it keeps to a few lines
CELL_WIDTH_CHARS = 40  # a preview column is at most this wide at first, so a long text leaves the label in view
# Short enough to show whole in the form's narrowest width; the full format is in the tooltip.
LABELLED_PLACEHOLDER = QT_TRANSLATE_NOOP("dataset_panel", "train.csv (see tooltip for columns)")
TRAIN_TIP = QT_TRANSLATE_NOOP(
    "dataset_panel",
    "<p>The labelled rows to train on: a CSV, TSV or JSONL file with a header.</p>"
    "<p><b>Single sentences:</b> columns <tt>text,label</tt>, e.g.<br><tt>The film was great.,positive</tt></p>"
    "<p><b>Sentence pairs:</b> columns <tt>text_a,text_b,label</tt>.</p>"
    "<p>Other column names work too: choose them below once the file is read.</p>",
)
TAGGED_PLACEHOLDER = QT_TRANSLATE_NOOP("dataset_panel", "train.txt (a word and its tag a line; see tooltip)")
TAGGED_TIP = QT_TRANSLATE_NOOP(
    "dataset_panel",
    "<p>Tagged sentences to train a tagger on (chunks, named entities, parts of speech):</p>"
    "<p><b>CoNLL-style text:</b> one word a line with its tag in a later column, separated by spaces or a "
    "tab, and a blank line between sentences, e.g.<br><tt>Confidence NN B-NP<br>in IN B-PP</tt><br>"
    "<tt>-DOCSTART-</tt> lines are skipped; choose the tag column below (by default the last).</p>"
    '<p><b>JSONL:</b> one sentence a line, <tt>{"tokens": ["The", "cat"], "tags": ["B-NP", '
    '"I-NP"]}</tt>.</p><p>BIO tags (B-NP, I-NP, O) are scored by chunk, as conlleval does; any other tags '
    "word by word.</p>",
)
LAST_COLUMN = 0  # tag combo data: the last column
CHOOSE_LABELLED = QT_TRANSLATE_NOOP("dataset_panel", "Choose a training file to see its first rows and label counts.")
CHOOSE_TAGGED = QT_TRANSLATE_NOOP(
    "dataset_panel", "Choose a tagged training file to see its first sentences and tag counts."
)
CORPUS_TIP = QT_TRANSLATE_NOOP(
    "dataset_panel",
    "<p>Plain text to continue pretraining on: one sentence per line, documents separated by a blank "
    "line. The model keeps its vocabulary and learns from masked words and sentence pairs.</p>",
)


def label_summary(label_counts: dict[str, int]) -> str:
    """'a 3 · b 5', in label order; past LABELS_SHOWN labels, the most frequent and how many more."""
    shown = label_counts
    if len(label_counts) > LABELS_SHOWN:
        shown = dict(sorted(label_counts.items(), key=lambda item: -item[1])[:LABELS_SHOWN])
    parts = [f"{label} {n:,}" for label, n in shown.items()]
    if len(shown) < len(label_counts):
        parts.append(
            QCoreApplication.translate("dataset_panel", "… and {0:,} more").format(len(label_counts) - len(shown))
        )
    return " · ".join(parts)


def tagged_html(p: TokenDatasetPreview) -> str:
    """The preview's sentences as rich text: each word with its tag below-right, and for BIO tags
    the words of a chunk on one colour per chunk type, so the chunks show at a glance."""
    colour = chunk_colours(p.chunk_counts)
    lines = []
    for sentence in p.sentences:
        words = []
        for word, tag in zip(sentence.words, sentence.tags):
            background = colour.get(chunk_type_of(tag)) if p.scheme == "BIO" and tag != "O" else None
            style = f' style="background-color:{background}; color:#111827"' if background else ""
            words.append(f'<span{style}>{escaped(word)}<sub style="font-size:small">{escaped(tag)}</sub></span>')
        lines.append(f'<p style="margin-bottom:6px">{" ".join(words)}</p>')
    return "".join(lines)


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
    browse = QPushButton(QCoreApplication.translate("dataset_panel", "Browse…"))
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
        parent,
        QCoreApplication.translate("dataset_panel", "Choose a dataset"),
        folder,
        QCoreApplication.translate(
            "dataset_panel", "Datasets and text (*.csv *.tsv *.jsonl *.json *.txt);;All files (*)"
        ),
    )[0]


def choose_folder(parent: QWidget, folder: str) -> str:
    return QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("dataset_panel", "Choose or create an empty folder for the model"), folder
    )


def _browse_into(edit: QLineEdit, choose: Callable[[QWidget], str]) -> None:
    path = choose(edit)
    if path:
        edit.setText(path)
        edit.editingFinished.emit()


class DatasetPanel(QWidget):
    previewRequested = Signal(str, str, str, str)  # path, text column, text B column, label column ("" = detect)
    tokenPreviewRequested = Signal(str, int)  # path, tag column (0 = the last)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.train_edit, train_row = path_row(
            QCoreApplication.translate("dataset_panel", LABELLED_PLACEHOLDER),
            QCoreApplication.translate("dataset_panel", TRAIN_TIP),
            choose_dataset,
            lambda: start_folder(self.train_edit.text(), self.eval_edit.text()),
        )
        self.eval_edit, eval_row = path_row(
            self.tr("optional (else 10% held out)"),
            self.tr(
                "<p>Labelled rows to measure the model on, in the same format as the training data. They "
                "are never trained on, so their accuracy says how the model does on sentences it has not "
                "seen.</p><p>Without a file, 10% of the training rows are held out (at least one of each "
                "label). Use about 100 rows or more: on a handful, the accuracy is mostly luck.</p>"
            ),
            choose_dataset,
            lambda: start_folder(self.eval_edit.text(), self.train_edit.text()),
        )
        self.sample_button = QPushButton(
            self.tr("Use the sample dataset (sentiment, 240 sentences)"),
            toolTip=self.tr(
                "<p>Fill in the project's own sample data: {0}. Written for BERT Explorer and free to use "
                "(CC0).</p><p>Press Start next: a few epochs take seconds to minutes on the bundled "
                "model.</p>"
            ).format(QCoreApplication.translate("sample_data", SAMPLE_DESCRIPTION)),
        )
        self.sample_button.clicked.connect(self.use_sample)
        self.text_combo = QComboBox(
            toolTip=self.tr(
                "The column holding the text to classify (sentence A for pairs); detected from the header "
                "(text or text_a), or choose one"
            )
        )
        self.text_b_combo = QComboBox(
            toolTip=self.tr(
                "The column holding sentence B, for tasks on sentence pairs (such as: does B follow from "
                "A?); detected when the header has text_a and text_b, or choose none"
            )
        )
        self.label_combo = QComboBox(
            toolTip=self.tr(
                "The column holding each row's class (for example positive or negative); detected from the "
                "header (label), or choose one"
            )
        )
        self.table = QTableWidget(0, 0)
        self.table.setToolTip(
            self.tr("The first rows of the training file; the header says which column is used for what")
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.tagged = QTextBrowser()
        self.tagged.setToolTip(
            self.tr(
                "The first sentences of the training file, each word with its tag; for BIO tags the words "
                "of a chunk share one colour per chunk type"
            )
        )
        self.tagged.setMinimumHeight(120)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.table)
        self.preview_stack.addWidget(self.tagged)
        self.tag_combo = QComboBox(
            toolTip=self.tr(
                "The column of a CoNLL-style file that holds the tags, counting the word as column 1; by "
                "default the last (CoNLL-2000: column 2 has part-of-speech tags, column 3 chunk tags)"
            )
        )
        self.summary = QLabel(QCoreApplication.translate("dataset_panel", CHOOSE_LABELLED))
        self.summary.setWordWrap(True)
        # Always rich text, with the user's strings escaped: a label such as "<pos>" must show.
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self._eval_row = eval_row
        self._labelled = True
        self.tagging = False  # tagged words (token classification) rather than labelled rows
        self.form = form = QFormLayout()
        form.addRow(self.tr("Training data"), train_row)
        form.addRow(self.tr("Evaluation data"), eval_row)
        form.addRow(self.tr("Text column"), self.text_combo)
        form.addRow(self.tr("Text B column"), self.text_b_combo)
        form.addRow(self.tr("Label column"), self.label_combo)
        form.addRow(self.tr("Tag column"), self.tag_combo)
        form.setRowVisible(self.tag_combo, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sample_button)
        layout.addLayout(form)
        layout.addWidget(self.preview_stack, 1)
        layout.addWidget(self.summary)

        self._reset_combos([])
        self._reset_tag_combo(None)
        self.train_edit.editingFinished.connect(self._on_train_edit_finished)
        for combo in (self.text_combo, self.text_b_combo, self.label_combo, self.tag_combo):
            combo.activated.connect(self._request_preview)
        self._previewed_path = ""
        self.ready = False  # the chosen columns can be trained on

    def set_task(self, task: str) -> None:
        """ "classify": labelled rows; "tokens": tagged words; "pretrain": plain text, which has
        no evaluation file, columns or preview."""
        labelled, tagging = task != "pretrain", task == "tokens"
        changed = (labelled, tagging) != (self._labelled, self.tagging)
        self._labelled, self.tagging = labelled, tagging
        self.form.setRowVisible(self._eval_row, labelled)
        for field in (self.text_combo, self.text_b_combo, self.label_combo):
            self.form.setRowVisible(field, labelled and not tagging)
        self.form.setRowVisible(self.tag_combo, tagging)
        self.preview_stack.setVisible(labelled)
        self.preview_stack.setCurrentWidget(self.tagged if tagging else self.table)
        self.sample_button.setVisible(labelled and not tagging)  # the sample is labelled sentences
        placeholder, tip = (
            (
                QCoreApplication.translate("dataset_panel", TAGGED_PLACEHOLDER),
                QCoreApplication.translate("dataset_panel", TAGGED_TIP),
            )
            if tagging
            else (
                QCoreApplication.translate("dataset_panel", LABELLED_PLACEHOLDER),
                QCoreApplication.translate("dataset_panel", TRAIN_TIP),
            )
        )
        self.train_edit.setPlaceholderText(placeholder if labelled else self.tr("corpus.txt (plain text)"))
        self.train_edit.setToolTip(tip if labelled else QCoreApplication.translate("dataset_panel", CORPUS_TIP))
        if not labelled:
            self.summary.setText(
                self.tr(
                    "Plain text: documents separated by blank lines, one sentence per line. The model keeps "
                    "its vocabulary and learns from masked words and sentence pairs."
                )
            )
        elif changed:  # the same file read the other way
            self.ready = False
            self._previewed_path = ""
            self.summary.setText(
                QCoreApplication.translate("dataset_panel", CHOOSE_TAGGED)
                if tagging
                else QCoreApplication.translate("dataset_panel", CHOOSE_LABELLED)
            )
            self._on_train_edit_finished()

    def use_sample(self) -> None:
        """The project's sample dataset, previewed as if chosen with Browse."""
        self.eval_edit.setText(str(SAMPLE_EVAL))
        self.train_edit.setText(str(SAMPLE_TRAIN))
        self.train_edit.editingFinished.emit()

    def columns(self) -> dict:
        """FinetuneSettings column fields: None = detected, text_b "" = single sentences; for tagged
        words the tag column, None = the last."""
        if self.tagging:
            return {"tag_column": self.tag_combo.currentData() or None}
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
            self._reset_tag_combo(None)
            self._request_preview()

    def _request_preview(self) -> None:
        path = self.train_edit.text().strip()
        if not path:
            return
        self._previewed_path = path
        if self.tagging:
            self.summary.setText(self.tr("Reading…"))
            self.tokenPreviewRequested.emit(path, self.tag_combo.currentData() or LAST_COLUMN)
            return
        text, text_b, label = (c.currentData() for c in (self.text_combo, self.text_b_combo, self.label_combo))
        self.summary.setText(self.tr("Reading…"))
        self.previewRequested.emit(path, text, text_b, label)

    def _reset_combos(self, columns: list[str]) -> None:
        self._columns = list(columns)
        for combo, first in (
            (self.text_combo, (self.tr("detect"), DETECT)),
            (self.text_b_combo, (self.tr("detect"), DETECT)),
            (self.label_combo, (self.tr("detect"), DETECT)),
        ):
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem(*first)
                if combo is self.text_b_combo:
                    combo.addItem(self.tr("none (single sentences)"), NO_TEXT_B)
                for column in columns:
                    combo.addItem(column, column)

    def _reset_tag_combo(self, columns: int | None) -> None:
        """'last column', then each column that can hold the tags (2 to `columns`), if known."""
        with QSignalBlocker(self.tag_combo):
            chosen = self.tag_combo.currentData() or LAST_COLUMN
            self.tag_combo.clear()
            self.tag_combo.addItem(self.tr("last column"), LAST_COLUMN)
            for column in range(2, (columns or 0) + 1):
                self.tag_combo.addItem(self.tr("column {0}").format(column), column)
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(chosen)))
        self._tag_columns = columns

    def show_preview(self, p: DatasetPreview | TokenDatasetPreview) -> None:
        # p.source is the requested string made a Path with `~` expanded (datasets.dataset_path,
        # not imported here as it pulls in torch). Compared as paths, not strings: "./a.csv",
        # "a//b.csv" and, on Windows, the dialog's "C:/a.csv" match the path the worker read.
        if p.source != Path(self.train_edit.text().strip()).expanduser():
            return  # the user has since chosen another file
        if isinstance(p, TokenDatasetPreview) != self.tagging:
            return  # read for the other task: the user has since switched
        if self.tagging:
            self._show_token_preview(p)
            return
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
            self.summary.setText(self.tr("{0}. <b>Cannot train:</b> {1}").format(rows, escaped(p.problem)))
            return
        self.ready = True
        kind = self.tr("sentence pairs") if p.text_b_column else self.tr("single sentences")
        text = f"{rows} of {kind}, {count_of(len(p.label_counts), 'label')}: {escaped(label_summary(p.label_counts))}"
        if p.label_note:  # e.g. "01, 1.0 read as 1": numeric labels written several ways are one class
            text += f"<br>{escaped(p.label_note)}"
        if p.warning:
            text += self.tr("<br><b>Check the labels:</b> {0}").format(escaped(p.warning))
        self.summary.setText(text)

    def _show_token_preview(self, p: TokenDatasetPreview) -> None:
        if p.columns != self._tag_columns:
            self._reset_tag_combo(p.columns)
        self.tag_combo.setEnabled(p.columns is not None)  # JSONL names its tags field
        self.tagged.setHtml(tagged_html(p))
        sentences = f"{count_of(p.total_sentences, 'sentence')}, {count_of(p.total_words, 'word')}"
        if p.problem:
            self.ready = False
            self.summary.setText(self.tr("{0}. <b>Cannot train:</b> {1}").format(sentences, escaped(p.problem)))
            return
        self.ready = True
        where = f" (column {p.tag_column})" if p.tag_column else ""
        if p.chunk_counts:
            kinds = self.tr("BIO tags{0}, {1}, scored by chunk").format(
                where, count_of(len(p.chunk_counts), "chunk type")
            )
            counts = label_summary(p.chunk_counts) + " chunks"
        else:
            kinds = self.tr("{0}{1}, scored word by word").format(count_of(len(p.tag_counts), "tag"), where)
            counts = label_summary(p.tag_counts) + " words"
        text = f"{sentences}; {kinds}: {escaped(counts)}"
        if p.warning:
            text += self.tr("<br><b>Check the tags:</b> {0}").format(escaped(p.warning))
        self.summary.setText(text)

    def show_error(self, message: str) -> None:
        self.ready = False
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.tagged.clear()
        self.summary.setText(escaped(message))
