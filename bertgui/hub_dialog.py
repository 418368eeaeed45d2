"""File > Open from the Hub…: a model id (completed from a short list of well-known BERTs, or any
typed by hand), downloaded into the Hugging Face cache with a progress bar and Cancel, then
opened. Non-modal: the window and the model open in it stay usable while it downloads, and
closing the dialog leaves the download running (it opens the model when done)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from model.hub import DownloadProgress, cached_snapshot, is_model_id

from .controller import Controller
from .hub_download import HubDownloader

# Well-known BERTs a user may want to look inside (ids as the Hub knows them; any other typed id works too).
SUGGESTED_MODELS = (
    "bert-base-uncased",
    "bert-base-cased",
    "bert-large-uncased",
    "bert-base-chinese",
    "bert-base-multilingual-cased",
    "google/bert_uncased_L-2_H-128_A-2",  # the BERT miniatures (Turc et al. 2019): 4 MB to 100 MB
    "google/bert_uncased_L-4_H-256_A-4",
    "google/bert_uncased_L-4_H-512_A-8",
    "dslim/bert-base-NER",  # named entities, fine-tuned on CoNLL-2003
    "textattack/bert-base-uncased-SST-2",  # sentiment, fine-tuned on SST-2
)
PROGRESS_STEPS = 1000


def megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def progress_text(p: DownloadProgress) -> str:
    """ "12.3 of 45.0 MB · 5.2 MB/s · about 6 s left" (speed and time once measured)."""
    parts = [f"{megabytes(p.done_bytes)} of {megabytes(p.total_bytes)}"]
    if p.bytes_per_s > 0:
        parts.append(f"{p.bytes_per_s / 1e6:,.1f} MB/s")
    if p.eta_s is not None:
        parts.append(
            QCoreApplication.translate("hub_dialog", "about {0:,.0f} s left").format(p.eta_s)
            if p.eta_s < 120
            else QCoreApplication.translate("hub_dialog", "about {0:,.0f} min left").format(p.eta_s / 60)
        )
    return " · ".join(parts)


class HubDialog(QDialog):
    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open from the Hugging Face Hub"))
        self._controller = controller
        self.downloader = HubDownloader(self)
        self.progress_updates = 0  # progress reports shown (the benchmark counts them)

        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("e.g. bert-base-uncased or ORG/NAME"))
        self.id_edit.setClearButtonEnabled(True)
        completer = QCompleter(QStringListModel(list(SUGGESTED_MODELS), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.id_edit.setCompleter(completer)
        note = QLabel(
            self.tr(
                "Only what a BERT needs is downloaded (config, vocabulary, weights) into the Hugging Face "
                "cache, which transformers and other tools share. A model already there opens without the "
                "network."
            )
        )
        note.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("&Download and open"))
        self.open_button.setDefault(True)  # Enter in the id field
        self.cancel_button = QPushButton(self.tr("&Cancel download"))
        self.cancel_button.setEnabled(False)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close_button.setToolTip(self.tr("Hide this dialog; a download goes on and opens its model when done"))

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Model id on the Hugging Face Hub:")))
        layout.addWidget(self.id_edit)
        layout.addWidget(note)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(buttons)
        self._show_progress(False)
        self.resize(560, 260)

        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.cancel_button.clicked.connect(self.downloader.cancel)
        close_button.clicked.connect(self.close)
        self.downloader.started.connect(self._on_downloader_started)
        self.downloader.progressed.connect(self._on_downloader_progressed)
        self.downloader.downloaded.connect(self._on_downloader_downloaded)
        self.downloader.failed.connect(self._on_downloader_failed)
        self.downloader.cancelled.connect(self._on_downloader_cancelled)

    def open_model(self, model_id: str) -> None:
        """Open `model_id`: from the cache when it is whole there, else download it first."""
        model_id = model_id.strip()
        self.id_edit.setText(model_id)
        if self.downloader.is_busy():
            return
        if not is_model_id(model_id):
            self._say(self.tr("Type a model id: NAME or ORG/NAME, e.g. bert-base-uncased."))
            return
        cached = cached_snapshot(model_id)  # stats and one small file: no network, fine on the GUI thread
        if cached is not None:
            self._say(self.tr("{0} is in the cache: opening it.").format(model_id))
            self._controller.load_model(str(cached))
            self.close()
            return
        self.downloader.start(model_id)

    def shutdown(self, wait_ms: int) -> bool:
        return self.downloader.shutdown(wait_ms)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def _show_progress(self, shown: bool) -> None:
        self.progress_bar.setVisible(shown)
        self.progress_label.setVisible(shown)

    def _set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy)
        self.id_edit.setReadOnly(busy)
        self.cancel_button.setEnabled(busy)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self.open_model(self.id_edit.text())

    @Slot(str)
    def _on_downloader_started(self, model_id: str) -> None:
        self._set_busy(True)
        self.progress_bar.setValue(0)
        self.progress_label.setText(self.tr("asking the Hub which files it has…"))
        self._show_progress(True)
        self._say(f"Downloading {model_id}…")

    @Slot(object)
    def _on_downloader_progressed(self, p: DownloadProgress) -> None:
        self.progress_updates += 1
        self.progress_bar.setValue(round(PROGRESS_STEPS * p.done_bytes / p.total_bytes) if p.total_bytes else 0)
        self.progress_label.setText(self.tr("{0}  ({1})").format(progress_text(p), p.file))

    @Slot(str, str)
    def _on_downloader_downloaded(self, model_id: str, path: str) -> None:
        self._set_busy(False)
        self.progress_bar.setValue(PROGRESS_STEPS)
        self._say(self.tr("Downloaded {0}: opening it.").format(model_id))
        self._controller.load_model(path)
        self.close()

    @Slot(str)
    def _on_downloader_failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_progress(False)
        self._say(message)
        self.show()  # a failure is said even if the dialog was put away
        self.raise_()

    @Slot()
    def _on_downloader_cancelled(self) -> None:
        self._set_busy(False)
        self._show_progress(False)
        self._say(self.tr("Cancelled: nothing was opened. Downloading it again goes on from where this stopped."))
