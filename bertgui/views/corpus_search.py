"""Model > Find in corpus: the sentences of a corpus whose tokens the model represents most like
a token of yours, at a layer you choose (as exBERT did). The index is opened or built on the
model worker (model/corpus_index.py); this widget only asks and shows."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..finetune.sample_data import models_home

if TYPE_CHECKING:
    import model
    from model.corpus_index import IndexInfo, SearchResult

    from ..controller import Controller

CAPTION = QT_TRANSLATE_NOOP(
    "corpus_search",
    "Which words of a corpus does the model see as most like your token? Each token of the corpus was run "
    "through the model and its vector after each indexed layer kept; the closest vectors (cosine similarity, "
    "1 = the same direction) are listed with their sentences, the matched token in bold (only its part when "
    "WordPiece split the word). At the embeddings "
    "(layer 0) the neighbours are the same word; in later layers they are words playing a similar role in "
    "their sentence, which is what a layer has learned to encode.",
)
INDEXES_FOLDER = "corpus-indexes"  # under models_home(): the example indexes the app builds


def indexes_root() -> Path:
    return models_home() / INDEXES_FOLDER


class CorpusSearch(QWidget):
    """Index row (open / build the example), token and layer choice, results. Searches again when
    the token, the layer, the text or the index changes; shows only the latest answer."""

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self._controller = controller
        self._latest_search = 0
        self._latest_index = 0
        self.info: IndexInfo | None = None
        self.result: SearchResult | None = None
        self.caption = QLabel(QCoreApplication.translate("corpus_search", CAPTION))
        self.caption.setWordWrap(True)
        self.index_label = QLabel(self.tr("No index open."))
        self.index_label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open an index…"))
        self.open_button.setToolTip(
            self.tr("A folder made by python -m model index-corpus FILE --out FOLDER --layers ...")
        )
        self.example_button = QPushButton(self.tr("Build the example index"))
        self.example_button.setToolTip(
            self.tr(
                "Index the 2,000 public-domain sentences shipped with the app for the loaded model (about "
                "a minute on a laptop CPU; kept for next time)"
            )
        )
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.token_combo = QComboBox()
        self.token_combo.setMinimumContentsLength(14)
        self.token_combo.setToolTip(self.tr("The token of your sentence whose neighbours are searched"))
        self.layer_combo = QComboBox()
        self.layer_combo.setMinimumContentsLength(14)
        self.layer_combo.setToolTip(
            self.tr("The layer whose vectors are compared (0 = the embeddings, before any layer)")
        )
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 100)
        self.top_k.setValue(10)
        self.top_k.setToolTip(self.tr("How many neighbours to list"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.results = QTextBrowser()
        self.results.setOpenLinks(False)

        index_row = QHBoxLayout()
        index_row.addWidget(self.index_label, 1)
        index_row.addWidget(self.open_button)
        index_row.addWidget(self.example_button)
        choice_row = QHBoxLayout()
        for text, widget in (
            (self.tr("Token"), self.token_combo),
            (self.tr("Layer"), self.layer_combo),
            (self.tr("Neighbours"), self.top_k),
        ):
            choice_row.addWidget(QLabel(text))
            choice_row.addWidget(widget)
        choice_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(index_row)
        layout.addWidget(self.progress)
        layout.addLayout(choice_row)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)

        self._search_timer = QTimer(self)  # one search for a burst of changes
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self.search)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.example_button.clicked.connect(self.build_example)
        self.token_combo.currentIndexChanged.connect(self._search_timer.start)
        self.layer_combo.currentIndexChanged.connect(self._search_timer.start)
        self.top_k.valueChanged.connect(self._search_timer.start)
        controller.inspectionReady.connect(self._on_controller_inspection_ready)
        controller.corpusIndexOpened.connect(self._on_controller_corpus_index_opened)
        controller.corpusIndexProgress.connect(self._on_controller_corpus_index_progress)
        controller.corpusIndexFailed.connect(self._on_controller_corpus_index_failed)
        controller.corpusSearched.connect(self._on_controller_corpus_searched)
        controller.corpusSearchFailed.connect(self._on_controller_corpus_search_failed)
        if controller.inspection is not None:
            self._on_controller_inspection_ready(controller.inspection)

    # --- public API ------------------------------------------------------------------------

    def open_index(self, folder: str) -> None:
        self.message.setText(self.tr("Opening {0}…").format(folder))
        self._latest_index = self._controller.open_corpus_index(folder)

    def build_example(self) -> None:
        self.example_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first chunk says how far it is
        self.progress.setVisible(True)
        self.message.setText(self.tr("Building the example index: the views keep working meanwhile."))
        self._latest_index = self._controller.build_example_index(str(indexes_root()))

    def search(self) -> None:
        if self.info is None or self.token_combo.count() == 0 or self.layer_combo.count() == 0:
            return
        self._latest_search = self._controller.search_corpus(
            self.token_combo.currentIndex(), self.layer_combo.currentData(), self.top_k.value()
        )

    # --- private slots -----------------------------------------------------------------------

    @Slot()
    def _on_open_button_clicked(self) -> None:
        start = str(indexes_root()) if indexes_root().is_dir() else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a corpus index"), start)
        if folder:
            self.open_index(folder)

    @Slot(object)
    def _on_controller_inspection_ready(self, r: model.Inspection) -> None:
        keep = self.token_combo.currentIndex()
        self.token_combo.blockSignals(True)
        self.token_combo.clear()
        self.token_combo.addItems([f"{i}: {token}" for i, token in enumerate(r.tokens)])
        first_word = 1 if len(r.tokens) > 2 else 0  # [CLS] is rarely what a learner means
        self.token_combo.setCurrentIndex(keep if 0 <= keep < len(r.tokens) else first_word)
        self.token_combo.blockSignals(False)
        self._search_timer.start()

    @Slot(int, object)
    def _on_controller_corpus_index_opened(self, request_id: int, info: IndexInfo) -> None:
        if request_id != self._latest_index:
            return
        self.info = info
        self.progress.setVisible(False)
        self.example_button.setEnabled(True)
        self.index_label.setText(
            self.tr("<b>{0}</b>: {1:,} sentences, {2:,} tokens, layers {3}, built with {4}").format(
                html.escape(Path(info.source).name),
                info.sentences,
                info.tokens,
                ", ".join(map(str, info.layers)),
                html.escape(info.model),
            )
        )
        self.message.setText(
            "" if info.complete else self.tr("This index was not built to the end; it searches what it has.")
        )
        keep = self.layer_combo.currentData()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for layer in info.layers:
            self.layer_combo.addItem(
                self.tr("embeddings (0)") if layer == 0 else self.tr("after layer {0}").format(layer), layer
            )
        self.layer_combo.setCurrentIndex(max(self.layer_combo.findData(keep), 0))
        self.layer_combo.blockSignals(False)
        self.search()

    @Slot(int, int, int)
    def _on_controller_corpus_index_progress(self, request_id: int, done: int, total: int) -> None:
        if request_id != self._latest_index:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("{0:,} of {1:,} sentences indexed").format(done, total))

    @Slot(int, str)
    def _on_controller_corpus_index_failed(self, request_id: int, message: str) -> None:
        if request_id != self._latest_index:
            return
        self.progress.setVisible(False)
        self.example_button.setEnabled(True)
        self.message.setText(message)

    @Slot(int, object)
    def _on_controller_corpus_searched(self, request_id: int, result: SearchResult) -> None:
        if request_id != self._latest_search:
            return
        self.result = result
        self.message.setText("")
        layer = self.tr("the embeddings") if result.layer == 0 else self.tr("layer {0}").format(result.layer)
        summary = html.escape(result.summary, quote=False)
        self.summary.setText(
            self.tr("Nearest to <b>{0}</b> at {1}: {2}.").format(html.escape(result.query_token), layer, summary)
        )
        rows = []
        for hit in result.hits:
            start, end = hit.span  # the sentence as written, the matched token (or piece) in bold
            text = hit.sentence
            marked = (
                f"{html.escape(text[:start])}<b style='color:#c2410c'>{html.escape(text[start:end])}</b>"
                f"{html.escape(text[end:])}"
            )
            rows.append(f"<tr><td style='padding-right:10px'>{hit.similarity:.3f}</td><td>{marked}</td></tr>")
        self.results.setHtml("<table>" + "".join(rows) + "</table>")

    @Slot(int, str)
    def _on_controller_corpus_search_failed(self, request_id: int, message: str) -> None:
        if request_id != self._latest_search:
            return
        self.message.setText(message)
