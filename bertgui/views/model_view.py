"""Model view: what the loaded model is, how well it was measured to do on text it never saw,
what the checkpoint can do, its config and the parameter count of each component."""

from __future__ import annotations

import html
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from model.sizes import GOOGLE_VOCAB_SIZE, MLM_HEAD, NSP_HEAD, formula_counts, preset_config

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    from model.model_info import ModelInfo

NO_EVALUATION = QT_TRANSLATE_NOOP(
    "model_view",
    "<b>How good is it?</b> Not measured: this folder has no evaluation.json. "
    "<tt>python -m model evaluate-mlm FILE --model FOLDER</tt> measures its masked-token accuracy on your own text.",
)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, str]]) -> None:
    table.setRowCount(len(rows))
    for r, (a, b) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(a))
        table.setItem(r, 1, QTableWidgetItem(b))


@cache
def bert_base_counts() -> tuple[int, int]:
    """BERT-base's parameters with Google's vocabulary: (encoder and pooler, with the MLM and NSP
    heads too). By arithmetic, which tests/model/test_sizes.py checks against the built network."""
    counts = formula_counts(preset_config("base", GOOGLE_VOCAB_SIZE))
    total = sum(counts.values())
    return total - counts[MLM_HEAD] - counts[NSP_HEAD], total


def base_comparison(parameter_count: int) -> str:
    """One line: how this many parameters compare with BERT-base's."""
    quoted, with_heads = bert_base_counts()
    ratio = parameter_count / quoted
    if ratio < 0.95:
        share = (
            QCoreApplication.translate("model_view", "about 1/{0:,} of").format(round(1 / ratio))
            if ratio <= 0.5
            else QCoreApplication.translate("model_view", "{0:.0%} of").format(ratio)
        )
    elif ratio <= 1.05:
        share = QCoreApplication.translate("model_view", "about as many as")
    else:
        share = QCoreApplication.translate("model_view", "{0:.1f} times").format(ratio)
    return QCoreApplication.translate(
        "model_view",
        "{0:,.1f} M parameters: {1} BERT-base's {2:.1f} M (its encoder and pooler, the “110M” "
        "usually quoted; with the masked-LM and next-sentence heads BERT-base has {3:.1f} M). "
        "Model > Explore a size… shows BERT-tiny to BERT-large.",
    ).format(parameter_count / 1e6, share, quoted / 1e6, with_heads / 1e6)


def quality_text(info: ModelInfo) -> str:
    """The Model tab's 'How good is it?' paragraph (rich text): the folder's measured held-out
    accuracies, in words a learner can weigh, or how to measure them."""
    if info.heldout_masked_accuracy is None and info.heldout_nsp_accuracy is None:
        return QCoreApplication.translate("model_view", NO_EVALUATION)
    lines = [
        QCoreApplication.translate("model_view", "<b>How good is it?</b> Measured on text it never saw in training:")
    ]
    if info.heldout_masked_accuracy is not None:
        share = info.heldout_masked_accuracy
        lines.append(
            QCoreApplication.translate(
                "model_view",
                "• Held-out masked-token accuracy: <b>{0:.3f}</b> (its first guess is the hidden word "
                "{1:.0%} of the time)",
            ).format(share, share)
        )
    if info.heldout_nsp_accuracy is not None:
        share = info.heldout_nsp_accuracy
        lines.append(
            QCoreApplication.translate(
                "model_view",
                "• Held-out next-sentence accuracy: <b>{0:.3f}</b> (IsNext or NotNext right {1:.0%} of the "
                "time; guessing gets about 50%)",
            ).format(share, share)
        )
    if info.quality_note:
        lines.append(
            QCoreApplication.translate("model_view", "Measured on {0}.").format(html.escape(info.quality_note))
        )
    return "<br>".join(lines)


class ModelView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel(self.tr("No model loaded."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path, to copy
        self.comparison = QLabel()  # the parameter count beside BERT-base's
        self.comparison.setWordWrap(True)
        self.quality = QLabel()
        self.quality.setWordWrap(True)
        self.quality.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.capabilities = QLabel()
        self.capabilities.setWordWrap(True)
        self.config_table = _table([self.tr("setting"), self.tr("value")])
        self.params_table = _table([self.tr("component"), self.tr("parameters")])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.comparison)
        layout.addWidget(self.quality)
        layout.addWidget(self.capabilities)
        layout.addWidget(QLabel(self.tr("<b>Parameters per component</b>")))
        layout.addWidget(self.params_table, 2)
        layout.addWidget(QLabel("<b>config.json</b>"))
        layout.addWidget(self.config_table, 1)

    def show_model(self, info: ModelInfo) -> None:
        where = html.escape(info.path) if info.path else self.tr("built in memory")
        self.summary.setText(
            self.tr("<b style='font-size:large'>{0}</b><br>{1}<br>{2}, {3:,} parameters, on {4}").format(
                html.escape(info.name), where, info.architecture, info.parameter_count, info.device
            )
        )
        self.comparison.setText(base_comparison(info.parameter_count))
        self.quality.setText(quality_text(info))
        self.quality.setToolTip(
            self.tr("Measured with: {0}").format(info.quality_command) if info.quality_command else ""
        )
        can = [(self.tr("fill-mask (masked-LM head)"), info.mlm), (self.tr("next-sentence prediction"), info.nsp)]
        text = "; ".join(f"{'✔' if ok else '✘'} {what}" for what, ok in can)
        if info.classifier:
            labels = ", ".join((info.config.id2label or {}).values())
            text += self.tr("; ✔ {0} classifier with {1} labels ({2})").format(info.classifier, info.num_labels, labels)
        if info.ignored_keys:
            shown = ", ".join(info.ignored_keys[:4]) + (" …" if len(info.ignored_keys) > 4 else "")
            text += self.tr("<br>Not used ({0} tensor(s) with no place in BERT Explorer): {1}").format(
                len(info.ignored_keys), shown
            )
        for warning in info.warnings:  # here too, where it stays in sight: the status bar's message times out
            text += self.tr("<br><b style='color:#b45309'>Warning:</b> {0}").format(html.escape(warning))
        self.capabilities.setText(text)
        counts = info.parameter_counts
        total = sum(counts.values())
        _fill(
            self.params_table, [(k, f"{v:,} ({v / total:.1%})") for k, v in counts.items()] + [("total", f"{total:,}")]
        )
        config = info.config.to_dict()
        _fill(self.config_table, [(k, str(config[k])) for k in sorted(config)])
