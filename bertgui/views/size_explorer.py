"""Model > Explore a size: BERT-tiny to BERT-large, or a size of one's own, without any weights:
the shape of every main weight matrix, the parameters of each component and their share, and the
memory they take.

The network is built by the model worker on torch's meta device (model/sizes.py), which gives
tensors a shape and no storage; this widget only asks (Controller.measure_size) and shows the
answer, a SizeReport. A size the model cannot have (hidden size not a multiple of the heads) is
refused here, in one line, before anything is asked, and the last good table stays."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.errors import BertError
from model.sizes import (
    GOOGLE_VOCAB_SIZE,
    LIMITS,
    MLM_HEAD,
    NSP_HEAD,
    PRESETS,
    check_tokens,
    custom_config,
    formula_counts,
    preset_config,
)

from .strict_spin_box import StrictSpinBox

if TYPE_CHECKING:
    from model.sizes import ComponentSize, SizeReport

    from ..controller import Controller

CUSTOM = "custom"
QUOTED = {"base": 110, "large": 340}  # millions, as Devlin et al. (2019) quote them
CAPTION = QT_TRANSLATE_NOOP(
    "size_explorer",
    "BERT comes in sizes: Google released BERT-base and BERT-large, then tiny to medium versions "
    "(Turc et al., 2019). Pick one, or set the sizes yourself, to see how many numbers (parameters) each part "
    "of the network learns and how much memory they take. Nothing is downloaded and nothing is trained: the "
    "network is built with shapes only (PyTorch's meta device), so even BERT-large appears at once. A shape "
    "is written as PyTorch stores the matrix, (outputs, inputs); biases and LayerNorm add the small vectors "
    "counted in the last part of each row.",
)
FIELDS = (  # (config key, label, tooltip)
    (
        "num_hidden_layers",
        QT_TRANSLATE_NOOP("size_explorer", "Layers"),
        QT_TRANSLATE_NOOP("size_explorer", "Transformer layers stacked one on the other"),
    ),
    (
        "hidden_size",
        QT_TRANSLATE_NOOP("size_explorer", "Hidden size"),
        QT_TRANSLATE_NOOP("size_explorer", "Length of every token's vector between layers"),
    ),
    (
        "num_attention_heads",
        QT_TRANSLATE_NOOP("size_explorer", "Heads"),
        QT_TRANSLATE_NOOP("size_explorer", "Attention heads per layer; they share the hidden size equally"),
    ),
    (
        "intermediate_size",
        QT_TRANSLATE_NOOP("size_explorer", "Feed-forward size"),
        QT_TRANSLATE_NOOP("size_explorer", "Inner width of each layer's feed-forward network (4 x hidden in BERT)"),
    ),
    (
        "vocab_size",
        QT_TRANSLATE_NOOP("size_explorer", "Vocabulary"),
        QT_TRANSLATE_NOOP("size_explorer", "Tokens in the WordPiece vocabulary: rows of the word-embedding matrix"),
    ),
    (
        "max_position_embeddings",
        QT_TRANSLATE_NOOP("size_explorer", "Positions"),
        QT_TRANSLATE_NOOP("size_explorer", "Longest input in tokens: rows of the position-embedding matrix"),
    ),
)


def millions(n: int) -> str:
    return f"{n / 1e6:,.1f} M"


def megabytes(n: int) -> str:
    return f"{n / 2**30:,.2f} GB" if n >= 2**30 else f"{n / 2**20:,.1f} MB"


def weights_text(component: ComponentSize) -> str:
    """ "query (768, 768), key (768, 768), ... + 4,608 in vectors"; a tied matrix is named as such."""
    parts = [f"{name} {shape}" for name, shape in component.weights]
    parts += [f"{name} = {source} (shared)" for name, source in component.tied]
    text = ", ".join(parts)
    if component.vectors:
        text += QCoreApplication.translate("size_explorer", "{0}{1:,} in vectors").format(
            " + " if text else "", component.vectors
        )
    return text


def quoted_comparison(report: SizeReport) -> str:
    """The plain-language paragraph under the table (rich text): this size's parameters with and
    without the pretraining heads, and what the "110M" and "340M" usually quoted count, from the
    counts of Google's vocabulary (formula_counts equals the meta-device count: tests/model/test_sizes.py)."""
    heads = report.count(MLM_HEAD, NSP_HEAD)
    c = report.config
    lines = [
        QCoreApplication.translate(
            "size_explorer",
            "<b>{0}</b> ({1} layers, hidden {2}, {3} heads of {4}, vocabulary {5:,}): <b>{6:,}</b> "
            "parameters ({7}) for pretraining. The encoder with its pooler holds {8:,}; the masked-LM "
            "and next-sentence heads add {9:,}, few, because the masked-LM head's output matrix is the "
            "word-embedding matrix itself.",
        ).format(
            html.escape(report.name),
            c.num_hidden_layers,
            c.hidden_size,
            c.num_attention_heads,
            c.head_dim,
            c.vocab_size,
            report.total,
            millions(report.total),
            report.encoder_and_pooler,
            heads,
        )
    ]
    quoted = []
    for name, figure in QUOTED.items():
        counts = formula_counts(preset_config(name, GOOGLE_VOCAB_SIZE))
        with_heads = sum(counts.values())
        without = with_heads - counts[MLM_HEAD] - counts[NSP_HEAD]
        quoted.append(
            QCoreApplication.translate(
                "size_explorer",
                "the {0}M of BERT-{1} is its encoder with its pooler, {2:,} ({3}), leaving out the "
                "masked-LM and next-sentence heads ({4:,} with them)",
            ).format(figure, name, without, millions(without), with_heads)
        )
    lines.append(
        QCoreApplication.translate(
            "size_explorer",
            "The sizes usually quoted, with Google's {0:,}-token vocabulary, are rounded and omit the "
            "heads, which only pretraining uses: {1}.",
        ).format(GOOGLE_VOCAB_SIZE, "; ".join(quoted))
    )
    return " ".join(lines)


def memory_text(report: SizeReport) -> str:
    return QCoreApplication.translate(
        "size_explorer",
        "<b>Memory</b> for the weights: {0} in fp32 (4 bytes each), {1} in fp16 (2 bytes). "
        "Training with Adam keeps the weights, their gradients and two running averages in fp32, "
        "16 bytes per parameter: {2} before any activations. One sequence of {3:,} tokens, looked "
        "at as this app does, returns {4} in fp32: the hidden states after the embeddings and "
        "after every layer, every head's attention map and the masked-LM scores of every token "
        "(the pass's own temporary memory comes on top, and training keeps more for the backward "
        "pass).",
    ).format(
        megabytes(report.fp32_bytes),
        megabytes(report.fp16_bytes),
        megabytes(report.training_bytes),
        report.tokens,
        megabytes(report.activation_bytes),
    )


class SizeExplorer(QWidget):
    """A preset combo and the six sizes, the table of components and the memory lines. Asks the
    controller for each size (measure_size) and shows only the answer to its latest question."""

    def __init__(self, controller: Controller, loaded_vocab_size: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._controller = controller
        self._latest = 0  # id of the latest request; older answers are dropped
        self.report: SizeReport | None = None  # the one the table shows
        self.caption = QLabel(QCoreApplication.translate("size_explorer", CAPTION))
        self.caption.setWordWrap(True)
        self.preset = QComboBox()
        for name, (layers, hidden, heads) in PRESETS.items():
            self.preset.addItem(
                self.tr("BERT-{0} ({1} layers, hidden {2}, {3} heads)").format(name, layers, hidden, heads), name
            )
        self.preset.addItem(self.tr("custom (set the sizes below)"), CUSTOM)
        self.spins: dict[str, StrictSpinBox] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Size")), 0, 0)
        grid.addWidget(self.preset, 0, 1, 1, 5)
        for i, (key, label, tip) in enumerate(FIELDS):
            label, tip = (QCoreApplication.translate("size_explorer", text) for text in (label, tip))
            spin = StrictSpinBox(name=label)
            spin.setRange(1, LIMITS[key])
            spin.setGroupSeparatorShown(True)
            spin.setToolTip(self.tr("{0} (1 to {1:,})").format(tip, LIMITS[key]))
            self.spins[key] = spin
            row, column = 1 + i // 3, 2 * (i % 3)
            grid.addWidget(QLabel(label), row, column)
            grid.addWidget(spin, row, column + 1)
        self.tokens = StrictSpinBox(name="Tokens")
        self.tokens.setRange(1, LIMITS["max_position_embeddings"])
        self.tokens.setValue(128)
        self.tokens.setToolTip(self.tr("Length of one input sequence, for the activation memory below"))
        grid.addWidget(QLabel(self.tr("Tokens")), 3, 0)
        grid.addWidget(self.tokens, 3, 1)
        vocab_row = QHBoxLayout()
        self.google_vocab = QPushButton(self.tr("Google's vocabulary ({0:,})").format(GOOGLE_VOCAB_SIZE))
        self.google_vocab.setToolTip(self.tr("The 30,522-token uncased WordPiece vocabulary of Google's BERT models"))
        vocab_row.addWidget(self.google_vocab)
        self.loaded_vocab = QPushButton()
        self.loaded_vocab.setToolTip(self.tr("The vocabulary size of the model open in the window"))
        self._loaded_vocab_size: int | None = None
        self.set_loaded_vocab_size(loaded_vocab_size)
        vocab_row.addWidget(self.loaded_vocab)
        vocab_row.addStretch(1)
        grid.addLayout(vocab_row, 3, 2, 1, 4)
        self.message = QLabel()  # a refused size, in one line; the last good table stays
        self.message.setStyleSheet("color: #dc2626")
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.memory = QLabel()
        self.memory.setWordWrap(True)
        self.memory.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("component"), self.tr("matrices (shape) and vectors"), self.tr("parameters"), self.tr("share")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.memory)

        self._set_spins(preset_config("mini", loaded_vocab_size or GOOGLE_VOCAB_SIZE))
        self.preset.setCurrentIndex(self.preset.findData("mini"))
        self.preset.currentIndexChanged.connect(self._on_preset_current_index_changed)
        for spin in (*self.spins.values(), self.tokens):
            spin.valueChanged.connect(self._on_spin_value_changed)
            spin.inputRefused.connect(self._on_spin_input_refused)
        self.google_vocab.clicked.connect(lambda: self.spins["vocab_size"].setValue(GOOGLE_VOCAB_SIZE))
        self.loaded_vocab.clicked.connect(lambda: self.spins["vocab_size"].setValue(self._loaded_vocab_size))
        controller.sizeMeasured.connect(self._on_controller_size_measured)
        controller.sizeMeasureFailed.connect(self._on_controller_size_measure_failed)
        self.measure()

    def set_loaded_vocab_size(self, vocab_size: int | None) -> None:
        """The vocabulary size of the model open now, offered as a button (none: no button)."""
        self._loaded_vocab_size = vocab_size
        self.loaded_vocab.setText(self.tr("Loaded model's ({0:,})").format(vocab_size) if vocab_size else "")
        self.loaded_vocab.setVisible(bool(vocab_size))

    def choose(self, preset: str) -> None:
        """Show a preset ("tiny" ... "large") with the vocabulary size now set."""
        self.preset.setCurrentIndex(self.preset.findData(preset))

    def measure(self) -> None:
        """Ask for the size the fields describe; a size no BERT can have is said in one line instead."""
        values = {key: spin.value() for key, spin in self.spins.items()}
        try:
            config = custom_config(
                values["num_hidden_layers"],
                values["hidden_size"],
                values["num_attention_heads"],
                values["intermediate_size"],
                values["vocab_size"],
                values["max_position_embeddings"],
            )
            check_tokens(config, self.tokens.value())
        except BertError as exc:
            self._latest += 1  # an answer still on its way is for a size no longer asked about
            self.message.setText(
                self.tr("{0}; the table still shows {1}").format(exc, self.report.name if self.report else "nothing")
            )
            return
        self.message.clear()
        self._latest = self._controller.measure_size(config, self.tokens.value())

    def _set_spins(self, config) -> None:
        for key, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(getattr(config, key))
            spin.blockSignals(False)

    @Slot(int)
    def _on_preset_current_index_changed(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name != CUSTOM:
            self._set_spins(preset_config(name, self.spins["vocab_size"].value()))
        self.measure()

    @Slot()
    def _on_spin_value_changed(self) -> None:
        # A preset is a shape (any vocabulary): a field that leaves it makes the size a custom one.
        values = {key: spin.value() for key, spin in self.spins.items()}
        name = self.preset.currentData()
        if name != CUSTOM:
            preset = preset_config(name, values["vocab_size"])
            if any(getattr(preset, key) != value for key, value in values.items()):
                self.preset.blockSignals(True)
                self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
                self.preset.blockSignals(False)
        self.measure()

    @Slot(str)
    def _on_spin_input_refused(self, problem: str) -> None:
        self.message.setText(problem)

    @Slot(int, object)
    def _on_controller_size_measured(self, request_id: int, report: SizeReport) -> None:
        if request_id != self._latest:
            return
        self.report = report
        self._fill_table(report)
        self.summary.setText(quoted_comparison(report))
        self.memory.setText(memory_text(report))

    @Slot(int, str)
    def _on_controller_size_measure_failed(self, request_id: int, message: str) -> None:
        if request_id == self._latest:
            self.message.setText(message)

    def _fill_table(self, report: SizeReport) -> None:
        rows = [(c.name, weights_text(c), c.parameters) for c in report.components]
        rows.append(("total", "", report.total))
        self.table.setRowCount(len(rows))
        for r, (name, weights, count) in enumerate(rows):
            cells = (name, weights, f"{count:,}", f"{count / report.total:.1%}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, column, item)
        self.table.resizeRowsToContents()
