"""Fill-mask view: for each [MASK], the top-k predictions as a table and a bar chart; the logit
lens (the same MLM head read after every layer) with the final prediction's probability across
layers; and, on request, how probable the model finds each actual token of the text."""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .finite import finite_max, finite_or, finite_points
from .flow_layout import ChipArea
from .hidden_states_view import hidden_state_name
from .probability_table import fit_height_to_rows
from .view_options import RemembersControls

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    import model.inspection

NO_MASK = QT_TRANSLATE_NOOP(
    "fill_mask_view", "No [MASK] in the text — type [MASK] or double-click a word in the Tokens tab."
)
NO_MLM_HEAD = QT_TRANSLATE_NOOP("fill_mask_view", "This model has no MLM head, so it cannot fill masks.")
NON_FINITE_SCORES = QT_TRANSLATE_NOOP(
    "fill_mask_view",
    " Its probabilities are not numbers (NaN): the model's weights hold NaN or Inf values, "
    "so the tokens listed mean nothing.",
)
# Only the capitalised token is special; students often type it in lower case and see nothing.
MISCASED_MASK = re.compile(r"\[mask\]", re.IGNORECASE)
LENS_COLUMNS = 5  # top tokens per layer in the logit-lens table; the bar chart has the full top-k
BAR_COLOUR = "#3b82f6"
LENS_CELL_RGB = (59, 130, 246)  # the bar colour, as a translucent cell background scaled by probability
# Pastel, so dark text stays readable on every chip: red = the model finds the token improbable.
SCORE_STOPS = ("#fca5a5", "#fde68a", "#86efac")
SCORE_COLOURS = pg.ColorMap(pos=[0.0, 0.5, 1.0], color=list(SCORE_STOPS))
UNSCORED_COLOUR = "#e5e7eb"


class ScoreChip(QLabel):
    """One token of the text, coloured by the probability the model gives it at its position."""

    def __init__(self, index: int, token: str, probability: float, scored: bool, tooltip: str):
        score = ("<0.001" if probability < 0.001 else f"{probability:.3f}") if scored else "–"
        super().__init__(f"<b>{html.escape(token)}</b><br><span style='font-size:8pt;color:#444'>{score}</span>")
        self.index = index
        self.probability = probability
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        background = SCORE_COLOURS.map(probability, mode="qcolor").name() if scored else UNSCORED_COLOUR
        self.setStyleSheet(
            f"QLabel {{ background: {background}; color: #111; border: 1px solid #999;"
            f" border-radius: 6px; padding: 3px 6px; }}"
        )
        self.setToolTip(tooltip)


MIN_PANE_HEIGHT = 230  # pixels: ten bars with legible labels
MIN_CHART_HEIGHT = 150  # pixels: room for the axis under a few bars
TOP_K_CHOICES = (5, 10, 20, 50)
MAX_CANDIDATES = 5  # words checked at once: each is a row per [MASK] and piece
STALE_AFTER_MS = 300  # a result this late after an edit is marked as the last one, not the current
CONTEXT_TOKENS = 3  # tokens either side of a [MASK] in the list of masks
WEAK_MODEL_ACCURACY = 0.5  # below this held-out masked-token accuracy, the user is told to doubt the guesses
DIMMED_BAR_COLOUR = "#9ca3af"
CANDIDATE_RGB = (245, 158, 11)  # amber: a word being checked, where it appears in the predictions


class FillMaskView(RemembersControls, QWidget):
    scoreAllPositionsToggled = Signal(bool)  # the user wants every position scored (or no longer)
    scoreModeChanged = Signal(bool)  # how every position is scored: True = masked one at a time, False = as seen
    topKChanged = Signal(int)  # predictions listed per [MASK]
    candidatesChanged = Signal(tuple)  # the words typed into "Check a word", as a tuple of str
    attributionRequested = Signal(int, str)  # "Why this prediction?": the [MASK]'s position, the chosen token

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None  # the latest result shown
        self._masked: model.Inspection | None = None  # the latest result with a [MASK]: its predictions are shown
        self._edited_since_result = False
        self.message = QLabel(QCoreApplication.translate("fill_mask_view", NO_MASK))
        self.message.setWordWrap(True)
        self.quality_label = QLabel()
        self.quality_label.setWordWrap(True)
        self.quality_label.setTextFormat(Qt.TextFormat.PlainText)
        self.quality_label.hide()  # until the model's accuracy is known
        self.stale_note = QLabel()
        self.stale_note.setWordWrap(True)
        self.stale_note.setTextFormat(Qt.TextFormat.RichText)
        self.stale_note.hide()
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(STALE_AFTER_MS)
        self._stale_timer.timeout.connect(self._on_stale_timer_timeout)

        self.mask_combo = QComboBox()
        self.mask_combo.setToolTip(self.tr("Which [MASK] to show, by the words around it"))
        self.mask_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mask_combo.setMinimumContentsLength(16)
        self.top_k_combo = QComboBox()
        for k in TOP_K_CHOICES:
            self.top_k_combo.addItem(str(k), k)
        self.top_k_combo.setCurrentIndex(TOP_K_CHOICES.index(10))
        self.top_k_combo.setToolTip(self.tr("How many of the model's most probable tokens to list at each [MASK]"))
        self.candidate_edit = QLineEdit()
        self.candidate_edit.setPlaceholderText(self.tr("a word, e.g. france (several: france, paris)"))
        self.candidate_edit.setClearButtonEnabled(True)
        self.candidate_edit.setMinimumWidth(220)
        self.candidate_edit.setToolTip(
            self.tr(
                "Type a word to see the probability the model gives it at each [MASK] and its rank among "
                "the whole vocabulary (1 = its top guess). Separate several words with commas."
            )
        )
        self.score_all = QCheckBox(self.tr("Score every position:"))
        self.score_all.setToolTip(self.tr("Also score each actual token of the text, in the way chosen on the right"))
        self.score_mode = QComboBox()
        self.score_mode.addItem(
            self.tr("masked one at a time (pseudo-likelihood: how predictable each word is)"), "masked"
        )
        self.score_mode.addItem(self.tr("as seen, no masking (how well the model copies a word it can see)"), "as seen")
        self.score_mode.setToolTip(
            self.tr(
                "Masked one at a time: each token is hidden behind [MASK] in its own copy of the text and "
                "the model guesses it back from the rest (Salazar et al. 2020). As seen: the model is "
                "shown the token itself, so it mostly copies it and nearly every score is close to 1."
            )
        )
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Mask")))
        controls.addWidget(self.mask_combo)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Show top")))
        controls.addWidget(self.top_k_combo)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Check a word")))
        controls.addWidget(self.candidate_edit, 1)
        scoring = QHBoxLayout()
        scoring.addWidget(self.score_all)
        scoring.addWidget(self.score_mode)
        scoring.addStretch(1)

        self.predictions_pane = self._build_predictions_pane()
        self.check_pane = self._build_check_pane()
        self.lens_pane = self._build_lens_pane()
        self.score_pane = self._build_score_pane()
        panes = QWidget()
        stack = QVBoxLayout(panes)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(14)
        # The tables are as tall as their rows; the token scores take what height is left, if shown.
        for pane, stretch in (
            (self.predictions_pane, 0),
            (self.check_pane, 0),
            (self.lens_pane, 0),
            (self.score_pane, 100),
        ):
            stack.addWidget(pane, stretch)
            pane.hide()  # each appears when an inspection has something for it
        stack.addStretch(1)
        self.score_pane.setMinimumHeight(MIN_PANE_HEIGHT)
        # In a short window the panes keep a readable height and the tab scrolls, rather than
        # squeezing ten bar labels into a few pixels or cutting a table's last rows off.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.quality_label)
        layout.addLayout(controls)
        layout.addLayout(scoring)
        layout.addWidget(self.stale_note)
        layout.addWidget(scroll, 1)
        self.mask_combo.currentIndexChanged.connect(self._show_mask)
        self.top_k_combo.currentIndexChanged.connect(self._on_top_k_combo_changed)
        self.candidate_edit.textChanged.connect(self._on_candidate_edit_changed)
        self.score_all.toggled.connect(self._on_score_all_toggled)
        self.score_mode.currentIndexChanged.connect(self._on_score_mode_changed)

    def remembered_controls(self) -> dict:
        return {"score_all": self.score_all, "score_mode": self.score_mode, "top_k": self.top_k_combo}

    @property
    def top_k(self) -> int:
        return self.top_k_combo.currentData()

    @property
    def masked_scoring(self) -> bool:
        return self.score_mode.currentData() == "masked"

    def candidates(self) -> tuple[str, ...]:
        """The words typed into "Check a word": comma-separated, each once, at most MAX_CANDIDATES."""
        words = [w.strip() for w in self.candidate_edit.text().split(",")]
        return tuple(dict.fromkeys(w for w in words if w))[:MAX_CANDIDATES]

    def set_model_quality(self, accuracy: float | None, source: str) -> None:
        """One line on how often the loaded model fills a mask right (None: not known, no line)."""
        if accuracy is None or not math.isfinite(accuracy):
            self.quality_label.clear()
            self.quality_label.hide()
            return
        line = self.tr("This model predicts {0:.0%} of held-out masked tokens correctly ({1})").format(accuracy, source)
        line += self.tr("; treat its guesses as a small model's.") if accuracy < WEAK_MODEL_ACCURACY else "."
        self.quality_label.setText(line)
        self.quality_label.show()

    def note_text_changed(self, *_texts: str) -> None:
        """The text is being edited: if the new result is slow to come, say that the one shown is the last."""
        self._edited_since_result = True
        self._stale_timer.start()

    # --- construction: every plot item is made once and later updated in place --------------

    def _build_predictions_pane(self) -> QWidget:
        self.heads_summary = QLabel()
        self.heads_summary.setWordWrap(True)
        self.heads_summary.setTextFormat(Qt.TextFormat.RichText)
        self.heads_summary.hide()
        self.before_title = QLabel(self.tr("<b>All heads on</b>"))
        self.before_table = prediction_table()
        self.before_box = titled(self.before_title, self.before_table)
        self.before_box.hide()  # only while some heads are off
        self.now_title = QLabel()
        self.now_title.setTextFormat(Qt.TextFormat.RichText)
        self.now_title.hide()
        self.table = prediction_table()
        self.chart = pg.PlotWidget()
        self.chart.setMenuEnabled(False)
        self.chart.getViewBox().invertY(True)
        self.chart.setLabel("bottom", self.tr("probability"))
        self.chart.getAxis("bottom").enableAutoSIPrefix(False)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=BAR_COLOUR)
        self.chart.addItem(self.bars)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.before_box, 2)
        row.addWidget(titled(self.now_title, self.table), 2)
        row.addWidget(self.chart, 3)
        self.why_button = QPushButton(self.tr("Why this prediction?"))
        self.why_button.setToolTip(
            self.tr(
                "Which words of your sentence the selected prediction (default: the top one) depends on, "
                "beside what the attention says"
            )
        )
        self.why_button.clicked.connect(self._on_why_button_clicked)
        why_row = QHBoxLayout()
        why_row.addWidget(self.heads_summary, 1)
        why_row.addWidget(self.why_button)
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(why_row)
        column.addLayout(row, 1)
        return pane

    def _on_why_button_clicked(self) -> None:
        r, index = self._masked, self.mask_combo.currentIndex()
        if r is None or not 0 <= index < len(r.fill_mask):
            return
        mask = r.fill_mask[index]
        row = max(self.table.currentRow(), 0)
        if row < len(mask.predictions):
            self.attributionRequested.emit(mask.index, mask.predictions[row].token)

    def _build_check_pane(self) -> QWidget:
        self.check_title = QLabel()
        self.check_title.setWordWrap(True)
        self.check_title.setTextFormat(Qt.TextFormat.RichText)
        self.check_table = QTableWidget(0, len(CHECK_COLUMNS))
        self.check_table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("fill_mask_view", c) for c in CHECK_COLUMNS]
        )
        self.check_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.check_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.check_table.verticalHeader().setVisible(False)
        self.check_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.check_table.verticalHeader().setDefaultSectionSize(self.check_table.fontMetrics().height() + 8)
        self.check_note = QLabel()
        self.check_note.setWordWrap(True)
        self.check_note.setTextFormat(Qt.TextFormat.RichText)
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.check_title)
        column.addWidget(self.check_table)
        column.addWidget(self.check_note)
        column.addStretch(1)
        return pane

    def _build_lens_pane(self) -> QWidget:
        title = QLabel(
            self.tr(
                "<b>Logit lens</b>: the MLM head applied to this [MASK] after every layer. Bold: the final "
                "prediction; the curve follows its probability through the layers."
            )
        )
        title.setWordWrap(True)
        title.setToolTip(
            self.tr(
                "nostalgebraist (2020): reading intermediate hidden states through the output head shows "
                "at which depth the prediction forms"
            )
        )
        self.lens_table = QTableWidget(0, 0)
        self.lens_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.lens_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Two lines a row, for a long token beside its probability; the table is as tall as its rows.
        self.lens_table.verticalHeader().setDefaultSectionSize(2 * self.lens_table.fontMetrics().height() + 8)
        self.lens_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.lens_plot = pg.PlotWidget()
        self.lens_plot.setMenuEnabled(False)
        self.lens_plot.setMouseEnabled(x=False, y=False)
        self.lens_plot.showGrid(x=True, y=True, alpha=0.3)
        self.lens_plot.setLabel("bottom", self.tr("layer (emb = the embeddings)"))
        self.lens_plot.setLabel("left", self.tr("probability"))
        self.lens_plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.lens_plot.getAxis("left").enableAutoSIPrefix(False)
        self.lens_curve = pg.PlotDataItem(
            pen=pg.mkPen(BAR_COLOUR, width=2), symbol="o", symbolSize=7, symbolBrush=BAR_COLOUR, symbolPen=None
        )
        self.lens_plot.addItem(self.lens_curve)
        body = QHBoxLayout()
        body.addWidget(self.lens_table, 3)
        body.addWidget(self.lens_plot, 2)
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addLayout(body, 1)
        return pane

    def _build_score_pane(self) -> QWidget:
        self.score_title = QLabel()
        self.score_title.setWordWrap(True)
        self.score_title.setTextFormat(Qt.TextFormat.RichText)
        legend = QHBoxLayout()
        legend.addWidget(QLabel("0"))
        ramp = QLabel()
        ramp.setFixedSize(160, 12)
        ramp.setStyleSheet(
            "background: qlineargradient(x1:0, y1:0, x2:1, y2:0, "
            f"stop:0 {SCORE_STOPS[0]}, stop:0.5 {SCORE_STOPS[1]}, stop:1 {SCORE_STOPS[2]});"
            " border: 1px solid #999;"
        )
        legend.addWidget(ramp)
        legend.addWidget(QLabel("1"))
        legend.addSpacing(16)
        self.pll_label = QLabel()
        self.pll_label.setToolTip(
            self.tr(
                "The sum of log P over the scored tokens, each predicted with itself masked (Salazar et "
                "al. 2020). It is never above 0; closer to 0 means the text is more predictable to this "
                "model. Compare texts of the same length: every extra token adds a negative term."
            )
        )
        legend.addWidget(self.pll_label)
        legend.addStretch(1)
        self._chip_area = ChipArea()
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.score_title)
        column.addLayout(legend)
        column.addWidget(self._chip_area, 1)
        return pane

    # --- rendering ----------------------------------------------------------------------------

    def show_inspection(self, r: model.Inspection) -> None:
        self._inspection = r
        self._stale_timer.stop()
        self._edited_since_result = False
        self.message.setText(summary_line(r))
        self.score_all.setEnabled(r.mlm_available)  # the scores come from the MLM head
        self.score_mode.setEnabled(r.mlm_available)
        # While a [MASK] is being typed or edited the text briefly has none: the last predictions
        # stay, marked as the last, rather than the pane blanking at every keystroke.
        keep_last = r.mlm_available and not r.fill_mask and self._masked is not None
        if not keep_last:
            self._masked = r if r.fill_mask else None
            self._show_masks(r)
        self._mark_stale(
            self.tr("Last result, for “{0}”: the text has no [MASK] now.").format(html.escape(self._masked.text))
            if keep_last
            else None
        )
        self._show_token_scores(r)

    def score_chips(self) -> list[ScoreChip]:
        return self._chip_area.chips()

    def _show_masks(self, r: model.Inspection) -> None:
        self.mask_combo.blockSignals(True)
        previous = self.mask_combo.currentIndex()
        self.mask_combo.clear()
        for m in r.fill_mask:
            self.mask_combo.addItem(mask_label(r, m.index))
            self.mask_combo.setItemData(
                self.mask_combo.count() - 1, f"#{m.index}: {r.text}", Qt.ItemDataRole.ToolTipRole
            )
        self.mask_combo.setCurrentIndex(min(max(previous, 0), len(r.fill_mask) - 1) if r.fill_mask else -1)
        self.mask_combo.blockSignals(False)
        self.predictions_pane.setVisible(bool(r.fill_mask))
        self.lens_pane.setVisible(bool(r.logit_lens))
        self.check_pane.setVisible(bool(r.fill_mask) and bool(r.candidate_scores))
        self._show_heads_comparison(r)
        self._show_mask()

    def _show_mask(self) -> None:
        r = self._masked
        index = self.mask_combo.currentIndex()
        masks = r.fill_mask if r else []
        self._show_predictions(self.table, masks[index].predictions if 0 <= index < len(masks) else [])
        self._show_bars(masks[index].predictions if 0 <= index < len(masks) else [])
        before = r.fill_mask_all_heads_on if r else None
        if before and 0 <= index < len(before):
            self._show_predictions(self.before_table, before[index].predictions)
            self._show_heads_summary(before[index].predictions, masks[index].predictions)
        if r is not None and r.candidate_scores:
            self._show_candidates(r, index)
        if r is not None and r.logit_lens and 0 <= index < len(r.logit_lens):
            self._show_lens(r.logit_lens[index], r.logit_lens_final_probability[:, index])

    def _show_predictions(self, table: QTableWidget, predictions: list[model.Prediction]) -> None:
        checked = self._checked_token_ids()
        table.setRowCount(len(predictions))
        for row, p in enumerate(predictions):
            token, score = QTableWidgetItem(p.token), QTableWidgetItem(f"{p.score:.3f}")
            if p.token_id in checked:  # a word being checked, found among the top predictions
                for item in (token, score):
                    item.setBackground(QColor(*CANDIDATE_RGB, 90))
                    item.setToolTip(self.tr("“{0}”, the word you are checking: rank {1}").format(p.token, row + 1))
            table.setItem(row, 0, token)
            table.setItem(row, 1, score)
        fit_height_to_rows(table)

    def _show_bars(self, predictions: list[model.Prediction]) -> None:
        scores = np.array([finite_or(p.score, 0.0) for p in predictions], dtype=np.float32)  # NaN: no bar
        positions = np.arange(len(predictions), dtype=np.float32)
        self.bars.setOpts(x0=np.zeros_like(scores), y=positions, width=scores, height=0.7)
        self.chart.getAxis("left").setTicks([[(float(i), p.token) for i, p in enumerate(predictions)]])
        self.chart.setXRange(0, finite_max(scores, floor=1e-3) if len(scores) else 1.0, padding=0.05)
        self.chart.setYRange(-0.5, max(len(predictions), 1) - 0.5, padding=0)
        self.chart.setFixedHeight(max(self.table.height(), MIN_CHART_HEIGHT))  # one bar beside each row

    def _show_heads_comparison(self, r: model.Inspection) -> None:
        """With heads switched off: the predictions with all heads on beside those of now."""
        compared = bool(r.fill_mask_all_heads_on)
        self.before_box.setVisible(compared)
        self.now_title.setVisible(compared)
        self.heads_summary.setVisible(compared)
        if compared:
            off = switched_off_heads(r.head_mask)
            self.now_title.setText(self.tr("<b>Now: {0} off</b> ({1})").format(count_heads(len(off)), ", ".join(off)))
            self.now_title.setToolTip(self.tr("Switched off in the Heads panel: {0}").format(", ".join(off)))

    def _show_heads_summary(self, before: list[model.Prediction], now: list[model.Prediction]) -> None:
        if not before or not now:
            self.heads_summary.clear()
            return
        off = count_heads(len(switched_off_heads(self._masked.head_mask)))
        first, top = before[0], now[0]
        if first.token_id == top.token_id:
            line = self.tr("Switching off {0} kept the top prediction “{1}” ({2:.3f} → {3:.3f}).").format(
                off, html.escape(top.token), first.score, top.score
            )
        else:
            line = self.tr(
                "Switching off {0} changed the top prediction from “{1}” ({2:.3f}) to “{3}” ({4:.3f})."
            ).format(off, html.escape(first.token), first.score, html.escape(top.token), top.score)
        self.heads_summary.setText(line)

    def _checked_token_ids(self) -> set[int]:
        """The ids of the checked words that are one token each (a piece of a longer word is not it)."""
        r = self._masked
        if r is None or not r.candidate_scores:
            return set()
        return {c.piece_ids[0] for c in r.candidate_scores if len(c.piece_ids) == 1}

    def _show_candidates(self, r: model.Inspection, index: int) -> None:
        """Each checked word at the chosen [MASK]: its probability and rank, per piece if it has several."""
        scores = r.candidate_scores
        vocabulary = scores[0].vocabulary_size
        self.check_title.setText(
            self.tr(
                "<b>Check a word</b> at {0}: the probability the model gives it and its rank among all "
                "{1:,} tokens of its vocabulary (rank 1 = its top guess)."
            ).format(html.escape(mask_label(r, r.fill_mask[index].index)), vocabulary)
        )
        rows = [(c, piece) for c in scores for piece in range(max(len(c.pieces), 1))]
        self.check_table.setRowCount(len(rows))
        for row, (c, piece) in enumerate(rows):
            if not c.pieces:  # nothing the tokenizer keeps (spaces, control characters)
                cells = (c.word, self.tr("(no token)"), "–", "–")
            else:
                probability, rank = float(c.probabilities[index, piece]), int(c.ranks[index, piece])
                name = (
                    c.pieces[piece]
                    if len(c.pieces) == 1
                    else self.tr("{0}  (piece {1} of {2})").format(c.pieces[piece], piece + 1, len(c.pieces))
                )
                cells = (
                    c.word if piece == 0 else "",
                    name,
                    probability_text(probability),
                    f"{rank:,} of {vocabulary:,}",
                )
            for column, text in enumerate(cells):
                self.check_table.setItem(row, column, QTableWidgetItem(text))
        fit_height_to_rows(self.check_table)
        self.check_note.setText(candidates_note(scores))
        self.check_note.setVisible(bool(self.check_note.text()))

    def _mark_stale(self, note: str | None) -> None:
        """Say that the predictions shown are an earlier text's (note), and dim them; None: they are current."""
        self.stale_note.setText(f"<i>{note}</i>" if note else "")
        self.stale_note.setVisible(note is not None)
        for table in (self.table, self.before_table, self.check_table, self.lens_table):
            table.setEnabled(note is None)
        self.bars.setOpts(brush=BAR_COLOUR if note is None else DIMMED_BAR_COLOUR)

    def _show_lens(self, lens: model.inspection.LogitLens, final_probability: np.ndarray) -> None:
        """final_probability: (layers + 1,) P(final top-1 token) after each layer."""
        final = lens.layers[-1][0]
        columns = min(LENS_COLUMNS, len(lens.layers[0]))
        self.lens_table.setRowCount(len(lens.layers))
        self.lens_table.setColumnCount(columns)
        self.lens_table.setHorizontalHeaderLabels([self.tr("top {0}").format(i + 1) for i in range(columns)])
        self.lens_table.setVerticalHeaderLabels([hidden_state_name(state) for state in range(len(lens.layers))])
        bold = QFont(self.lens_table.font())
        bold.setBold(True)
        # Shade relative to the table's largest probability: an undertrained model's are all small.
        peak = max(finite_or(p.score, 0.0) for predictions in lens.layers for p in predictions[:columns]) or 1.0
        for state, predictions in enumerate(lens.layers):
            for column, p in enumerate(predictions[:columns]):
                item = QTableWidgetItem(f"{p.token}  {p.score:.2f}")
                item.setBackground(QColor(*LENS_CELL_RGB, round(150 * finite_or(p.score, 0.0) / peak)))
                item.setToolTip(
                    self.tr("{0}: probability {1:.4f} ({2})").format(p.token, p.score, hidden_state_name(state))
                )
                if p.token_id == final.token_id:
                    item.setFont(bold)
                self.lens_table.setItem(state, column, item)
        fit_height_to_rows(self.lens_table)
        self.lens_plot.setFixedHeight(max(self.lens_table.height(), MIN_PANE_HEIGHT))  # beside it, no taller
        curve = np.ascontiguousarray(final_probability, dtype=np.float32)  # a column of (layers + 1, masks)
        self.lens_curve.setData(*finite_points(np.arange(len(curve)), curve))  # NaN from NaN weights: no point
        self.lens_plot.setTitle(self.tr("P(“{0}”) after each layer").format(html.escape(final.token)))
        self.lens_plot.setXRange(0, len(curve) - 1, padding=0.05)
        self.lens_plot.setYRange(0, finite_max(curve, floor=1e-3), padding=0.08)
        step = 1 + len(curve) // 14  # whole layers only, at most about a dozen labels
        ticks = [(float(state), lens_tick(state)) for state in range(0, len(curve), step)]
        self.lens_plot.getAxis("bottom").setTicks([ticks])

    def _show_token_scores(self, r: model.Inspection) -> None:
        masked = r.masked_token_probabilities is not None
        probabilities = r.masked_token_probabilities if masked else r.token_probabilities
        if probabilities is None:
            self._chip_area.set_chips([])
            self.score_pane.hide()
            return
        self.score_title.setText(
            QCoreApplication.translate("fill_mask_view", MASKED_SCORES_TITLE)
            if masked
            else QCoreApplication.translate("fill_mask_view", AS_SEEN_SCORES_TITLE)
        )
        guesses = masked_guesses(r) if masked else r.position_predictions
        chips = []
        masks = {m.index for m in r.fill_mask}  # P([MASK]) there says nothing about the text
        for i, (token, probability) in enumerate(zip(r.tokens, probabilities.tolist())):
            if r.special_tokens_mask[i] or i in masks:
                chip = ScoreChip(
                    i,
                    token,
                    probability,
                    False,
                    self.tr("#{0}: {1}, not scored").format(i, token)
                    + (self.tr("; its predictions are above") if i in masks else ""),
                )
            else:  # a NaN probability has no colour on the scale: grey, as unscored
                tooltip = score_tooltip(token, i, probability, guesses, masked)
                chip = ScoreChip(i, token, probability, math.isfinite(probability), tooltip)
            chips.append(chip)
        self._chip_area.set_chips(chips)
        self.pll_label.setText(pll_line(r) if masked else "")
        self.pll_label.setVisible(masked)
        self.score_pane.show()

    # --- the user's choices -------------------------------------------------------------------

    def _on_score_all_toggled(self, checked: bool) -> None:
        if not checked:  # hide at once; the next inspection comes without the scores
            self.score_pane.hide()
        self.scoreAllPositionsToggled.emit(checked)

    def _on_score_mode_changed(self) -> None:
        self.scoreModeChanged.emit(self.masked_scoring)

    def _on_top_k_combo_changed(self) -> None:
        self.topKChanged.emit(self.top_k)

    def _on_candidate_edit_changed(self) -> None:
        self.candidatesChanged.emit(self.candidates())
        if not self.candidates():  # hide at once; the next inspection checks nothing
            self.check_pane.hide()

    def _on_stale_timer_timeout(self) -> None:
        if self._edited_since_result and self._masked is not None:
            self._mark_stale(
                self.tr("Updating… the predictions below are for “{0}”.").format(html.escape(self._masked.text))
            )


CHECK_COLUMNS = [
    QT_TRANSLATE_NOOP("fill_mask_view", "word"),
    QT_TRANSLATE_NOOP("fill_mask_view", "token"),
    QT_TRANSLATE_NOOP("fill_mask_view", "probability"),
    QT_TRANSLATE_NOOP("fill_mask_view", "rank"),
]
AS_SEEN_SCORES_TITLE = QT_TRANSLATE_NOOP(
    "fill_mask_view",
    "<b>Every position, as seen (no masking)</b>: the probability the model gives each actual token "
    "while it can see that token. It mostly copies what it sees, so nearly every score is close to 1: "
    "for how predictable a word is from its context, choose “masked one at a time”. "
    "Grey: [CLS], [SEP] and [MASK], not scored. Hover a token for the model's own guesses there.",
)
MASKED_SCORES_TITLE = QT_TRANSLATE_NOOP(
    "fill_mask_view",
    "<b>Every position, masked one at a time</b>: each token hidden behind [MASK] in a copy of the text "
    "of its own, and the probability the model gives it back from the rest (pseudo-likelihood, "
    "Salazar et al. 2020). Red: hard to guess from its context; green: easy. "
    "Grey: [CLS], [SEP] and [MASK], not scored. Hover a token for the model's guesses when it was hidden.",
)


def prediction_table() -> QTableWidget:
    """A token / probability table, as tall as its rows (the page scrolls, no row is cut off)."""
    table = QTableWidget(0, 2)
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("fill_mask_view", "token"),
            QCoreApplication.translate("fill_mask_view", "probability"),
        ]
    )
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def titled(title: QLabel, table: QTableWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(title)
    column.addWidget(table)
    column.addStretch(1)
    return box


def mask_label(r: model.Inspection, index: int) -> str:
    """A [MASK] named by the words around it, e.g. "the [MASK] sat (position 2)"."""
    return QCoreApplication.translate("fill_mask_view", "{0} (position {1})").format(
        mask_context(r.tokens, r.special_tokens_mask, index), index
    )


def mask_context(tokens: list[str], special: np.ndarray, index: int, width: int = CONTEXT_TOKENS) -> str:
    """Up to `width` text tokens either side of tokens[index], word pieces joined into words and
    "…" where the text goes on; [CLS] and [SEP] are left out."""
    start, stop = max(index - width, 0), min(index + width + 1, len(tokens))
    while start > 0 and tokens[start].startswith("##"):  # whole words at the edges
        start -= 1
    while stop < len(tokens) and tokens[stop].startswith("##"):
        stop += 1
    text = ""
    for i in range(start, stop):
        if special[i]:
            continue
        token = tokens[i]
        text += token[2:] if token.startswith("##") and text else (" " if text else "") + token
    before = any(not special[i] for i in range(start))
    after = any(not special[i] for i in range(stop, len(tokens)))
    return f"{'… ' if before else ''}{text}{' …' if after else ''}"


def probability_text(probability: float) -> str:
    """Four decimals, or two significant digits written out for a tiny one (0.0000042, not 0.0000)."""
    if not math.isfinite(probability) or probability >= 1e-4:
        return f"{probability:.4f}"
    return np.format_float_positional(probability, precision=2, unique=False, fractional=False, trim="-")


def switched_off_heads(head_mask: np.ndarray) -> list[str]:
    """["L0H2", "L1H1"]: the heads the mask switches off (or turns down), counted from 0 as in the Heads panel."""
    return [f"L{layer}H{head}" for layer, head in zip(*np.nonzero(head_mask < 1))]


def count_heads(n: int) -> str:
    return f"{n} head{'s' if n != 1 else ''}"


def candidates_note(scores: list[model.inspection.CandidateScore]) -> str:
    """What to know about checked words that are not one token of the vocabulary."""
    lines = []
    for c in scores:
        if len(c.pieces) > 1:
            lines.append(
                QCoreApplication.translate(
                    "fill_mask_view",
                    "“{0}” is not one token but {1} word pieces ({2}). One [MASK] holds one piece, so each "
                    "piece is scored at the [MASK]; to let the model guess the whole word, write {3} [MASK]s "
                    "in a row.",
                ).format(html.escape(c.word), len(c.pieces), html.escape(" ".join(c.pieces)), len(c.pieces))
            )
        elif c.pieces == ["[UNK]"]:
            lines.append(
                QCoreApplication.translate(
                    "fill_mask_view", "“{0}” is not in the model's vocabulary: it reads as [UNK]."
                ).format(html.escape(c.word))
            )
    return "<br>".join(lines)


def masked_guesses(r: model.Inspection) -> list[model.MaskPrediction | None]:
    """The top-k with each position masked, by position (None where a position was not scored)."""
    guesses: list[model.MaskPrediction | None] = [None] * len(r.tokens)
    for m in r.masked_position_predictions or []:
        guesses[m.index] = m
    return guesses


def pll_line(r: model.Inspection) -> str:
    scored = np.isfinite(r.masked_token_probabilities).sum()
    if not scored:
        return ""
    total = r.pseudo_log_likelihood
    off = switched_off_heads(r.head_mask)
    return QCoreApplication.translate(
        "fill_mask_view",
        "Pseudo-log-likelihood {0:.2f} over {1} token{2} ({3:.2f} per token; closer to 0 = more predictable)",
    ).format(total, scored, "s" if scored != 1 else "", total / scored) + (
        QCoreApplication.translate("fill_mask_view", ", with {0} off").format(count_heads(len(off))) if off else ""
    )


def lens_tick(state: int) -> str:
    """The short name of hidden_states[state] under the logit-lens curve."""
    return "emb" if state == 0 else f"L{state - 1}"


def summary_line(r: model.Inspection) -> str:
    """The message above the view."""
    if not r.mlm_available:
        return QCoreApplication.translate("fill_mask_view", NO_MLM_HEAD)
    if not r.fill_mask:
        line = QCoreApplication.translate("fill_mask_view", NO_MASK)
    elif len(r.fill_mask) == 1:
        line = QCoreApplication.translate("fill_mask_view", "1 mask: the model's most probable tokens.")
    else:
        line = QCoreApplication.translate(
            "fill_mask_view", "{0} masks: choose one in the list to see the model's most probable tokens for it."
        ).format(len(r.fill_mask))
    if any(not math.isfinite(p.score) for m in r.fill_mask for p in m.predictions):
        line += QCoreApplication.translate("fill_mask_view", NON_FINITE_SCORES)
    miscased = [m for m in MISCASED_MASK.findall(f"{r.text}\n{r.text_b or ''}") if m != "[MASK]"]
    if miscased:
        line += QCoreApplication.translate(
            "fill_mask_view", " Write [MASK] in capitals: “{0}” is read as ordinary text."
        ).format(miscased[0])
    return line


def score_tooltip(
    token: str, index: int, probability: float, guesses: list[model.MaskPrediction | None] | None, masked: bool
) -> str:
    line = QCoreApplication.translate("fill_mask_view", "#{0}: P({1}) = {2}").format(
        index, token, probability_text(probability)
    ) + (
        QCoreApplication.translate("fill_mask_view", " with it masked")
        if masked
        else QCoreApplication.translate("fill_mask_view", " as seen")
    )
    guess = guesses[index] if guesses is not None else None
    if guess is None:
        return line
    top = ", ".join(f"{p.token} {p.score:.3f}" for p in guess.predictions[:3])
    return QCoreApplication.translate("fill_mask_view", "{0}\nthe model's top guesses here{1}: {2}").format(
        line, " when it is hidden" if masked else "", top
    )
