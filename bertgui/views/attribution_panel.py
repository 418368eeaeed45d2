"""Why this prediction? Which input tokens the prediction at a [MASK] depends on, by integrated
gradients or gradient x input (model/attribution.py, computed on the model worker), beside the
attention rollout to the same position, so that "what attention says" and "what the gradient
says" can be compared."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from model.word_attention import WordGroups, group_word_pieces

from ..palette import plots_follow_palette
from .word_units import words_check_box

if TYPE_CHECKING:
    from model.attribution import Attribution

    from ..controller import Controller
    from ..word_mode import WordMode

CAPTION = QT_TRANSLATE_NOOP(
    "attribution_panel",
    "Attention is not explanation: a head can look at a token that does not change the answer. Here each input "
    "token gets a score for how much the prediction depends on it: integrated gradients move every token's "
    "vector from a neutral one ([PAD], or zeros) to the real one in small steps and add up how the predicted "
    "word's score changes on the way (red: the token raises it, blue: lowers it). Beside it, the attention "
    "rollout to the same position. Where they disagree, the attention map alone would have misled you.",
)
POSITIVE, NEGATIVE = np.array([220, 38, 38]), np.array([37, 99, 235])


def per_word(values: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """(T,) per-piece values -> (W,) per-word sums. Attributions add up (a word's pieces together
    account for the sum of their scores), and so does attention to a word (WORD_RULE)."""
    values = np.asarray(values, dtype=np.float64)
    return np.array([values[g].sum() for g in groups], dtype=np.float32)


def shares(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """values at `keep`, rescaled so that their absolute values sum to 1 (all zero stays zero)."""
    shown = np.asarray(values, dtype=np.float64)[keep]
    total = np.abs(shown).sum()
    return (shown / total if total > 0 else shown).astype(np.float32)


class AttributionPanel(QWidget):
    def __init__(self, controller: Controller, word_mode: WordMode, parent: QWidget | None = None):
        super().__init__(parent)
        self._controller = controller
        self._word_mode = word_mode
        self._latest = 0
        self._target: tuple[int | None, str | None, str | None] | None = None  # (position, token, label)
        self.attribution: Attribution | None = None
        self.caption = QLabel(QCoreApplication.translate("attribution_panel", CAPTION))
        self.caption.setWordWrap(True)
        self.method = QComboBox()
        self.method.addItem(self.tr("Integrated gradients"), "ig")
        self.method.addItem(self.tr("Gradient x input"), "grad")
        self.method.setToolTip(self.tr("Gradient x input: one gradient, at the input itself; quick but only local"))
        self.steps = QSpinBox()
        self.steps.setRange(1, 512)
        self.steps.setValue(32)
        self.steps.setToolTip(self.tr("Integration steps: more steps, a smaller completeness gap, a longer wait"))
        self.baseline = QComboBox()
        self.baseline.addItem(self.tr("[PAD] vectors"), "pad")
        self.baseline.addItem(self.tr("zero vectors"), "zero")
        self.baseline.setToolTip(self.tr("The neutral input the path starts from"))
        self.hide_special = QCheckBox(self.tr("Hide [CLS]/[SEP]"))
        self.hide_special.setToolTip(self.tr("Leave the special tokens out and rescale the others (both charts)"))
        self.words_box = words_check_box()  # the app's one Words switch
        self.words_box.setToolTip(
            self.tr(
                "Show words instead of WordPiece pieces: a word's attribution is the sum of its pieces' "
                "(they add up), and so is the attention rollout to it. The same switch as the Attention, "
                "Head view and Tokens tabs."
            )
        )
        self.words_box.setChecked(word_mode.is_on())
        controls = QHBoxLayout()
        for text, widget in (
            (self.tr("Method"), self.method),
            (self.tr("Steps"), self.steps),
            (self.tr("Baseline"), self.baseline),
        ):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        controls.addWidget(self.hide_special)
        controls.addWidget(self.words_box)
        controls.addStretch(1)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.strip = QLabel()  # the tokens, coloured by their attribution
        self.strip.setWordWrap(True)
        self.completeness = QLabel()
        self.completeness.setWordWrap(True)
        self.scale_note = QLabel()
        self.plots = pg.GraphicsLayoutWidget()
        self.attribution_plot = self.plots.addPlot(title=self.tr("attribution (share of the total)"))
        self.rollout_plot = self.plots.addPlot(title=self.tr("attention rollout to the same position"))
        # Horizontal bars, one row per token, so that every token's label has room.
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7)
        self.rollout_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7, brush="#6b7280")
        self.attribution_plot.addItem(self.bars)
        self.rollout_plot.addItem(self.rollout_bars)
        for plot in (self.attribution_plot, self.rollout_plot):
            plot.showGrid(x=True, alpha=0.3)
            plot.setMouseEnabled(x=False, y=False)
            plot.getViewBox().invertY(True)  # the sentence reads top to bottom
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(controls)
        layout.addWidget(self.target_label)
        layout.addWidget(self.strip)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.scale_note)
        layout.addWidget(self.completeness)
        plots_follow_palette(self)

        for combo in (self.method, self.baseline):
            combo.currentIndexChanged.connect(self._request)
        self.steps.editingFinished.connect(self._request)
        self.hide_special.toggled.connect(self._draw)
        self.words_box.toggled.connect(self._on_words_box_toggled)
        word_mode.wordModeChanged.connect(self.words_box.setChecked)
        controller.attributionReady.connect(self._on_controller_attribution_ready)
        controller.attributionFailed.connect(self._on_controller_attribution_failed)

    def explain(self, position: int, token: str | None) -> None:
        """Explain the prediction of `token` (None: the top one) at the [MASK] at `position`."""
        self._target = (position, token, None)
        self._request()

    def explain_class(self, label: str) -> None:
        """Explain a fine-tuned classifier's class `label` (read at [CLS])."""
        self._target = (None, None, label)
        self._request()

    @Slot()
    def _request(self) -> None:
        if self._target is None:
            return
        position, token, label = self._target
        what = (
            self.tr("class '{0}'").format(label)
            if label
            else self.tr("'{0}' at position {1}").format(token, position)
            if token
            else self.tr("the top prediction")
        )
        self.target_label.setText(self.tr("Explaining {0}… (computing)").format(html.escape(what)))
        self._latest = self._controller.request_attribution(
            position, token, label, self.method.currentData(), self.steps.value(), self.baseline.currentData()
        )

    @Slot(int, object)
    def _on_controller_attribution_ready(self, request_id: int, attribution: Attribution) -> None:
        if request_id != self._latest:
            return
        self.attribution = attribution
        self._draw()

    @Slot(int, str)
    def _on_controller_attribution_failed(self, request_id: int, message: str) -> None:
        if request_id == self._latest:
            self.target_label.setText(html.escape(message))

    @Slot(bool)
    def _on_words_box_toggled(self, on: bool) -> None:
        self._word_mode.set_on(on)
        self._draw()

    def _target_text(self, target: str) -> str:
        """The model's name for what is explained ("'door' at position 6", "class 'positive'"), in the
        interface's language."""
        if match := re.fullmatch(r"class '(.*)'", target):
            return self.tr("class '{0}'").format(match[1])
        if match := re.fullmatch(r"'(.*)' at position (\d+)", target):
            return self.tr("'{0}' at position {1}").format(match[1], match[2])
        return target

    @Slot()
    def _draw(self) -> None:
        a = self.attribution
        if a is None:
            return
        special = np.asarray(a.special_tokens_mask, dtype=bool)
        if self.words_box.isChecked():
            words = group_word_pieces(a.tokens, special)
        else:  # every piece a unit of its own
            words = WordGroups(list(a.tokens), [[i] for i in range(len(a.tokens))])
        unit_special = np.array([special[g[0]] for g in words.groups], dtype=bool)
        hide = self.hide_special.isChecked() and not unit_special.all()
        keep = np.flatnonzero(~unit_special) if hide else np.arange(len(words.groups))
        tokens = [words.words[i] for i in keep]
        values = shares(per_word(a.scores, words.groups), keep)
        method = self.tr("integrated gradients") if a.method == "ig" else self.tr("gradient x input")
        self.target_label.setText(
            self.tr("Why <b>{0}</b>? By {1}, {2} step(s).").format(
                html.escape(self._target_text(a.target), quote=False), method, a.steps
            )
        )
        peak = float(np.abs(values).max()) if len(values) else 0.0
        cells = []
        for token, value in zip(tokens, values):
            weight = abs(value) / peak if peak > 0 else 0.0
            rgb = (255 - weight * (255 - (POSITIVE if value >= 0 else NEGATIVE))).astype(int)
            cells.append(
                f"<span style='background-color: rgb({rgb[0]},{rgb[1]},{rgb[2]}); color: black'>&nbsp;"
                f"{html.escape(token)}&nbsp;</span>"
            )
        self.strip.setText(" ".join(cells))
        y = np.arange(len(keep), dtype=np.float32)
        zeros = np.zeros(len(keep), dtype=np.float32)
        brushes = [pg.mkBrush("#dc2626" if v >= 0 else "#2563eb") for v in values]
        self.bars.setOpts(x0=zeros, y=y, width=values, brushes=brushes)
        ticks = [[(float(i), t) for i, t in enumerate(tokens)]]
        r = self._controller.inspection
        rollout = None
        if r is not None and r.rollout is not None and r.tokens == a.tokens:
            rollout = shares(per_word(r.rollout[-1][a.target_position], words.groups), keep)
        if rollout is None:
            self.rollout_bars.setOpts(x0=[], y=[], width=[])
        else:
            self.rollout_bars.setOpts(x0=zeros, y=y, width=rollout)
        for plot in (self.attribution_plot, self.rollout_plot):
            plot.getAxis("left").setTicks(ticks)
        self.scale_note.setText(
            self.tr("[CLS] and [SEP] are hidden: the other tokens' values are rescaled so their sizes add up to 1.")
            if hide
            else self.tr("Each chart's values are rescaled so their sizes add up to 1.")
        )
        difference = a.score - a.baseline_score
        self.completeness.setText(
            self.tr(
                "The predicted word's score (logit) is {0:.3f}, and {1:.3f} at the baseline: a difference "
                "of {2:.3f}. The attributions add up to {3:.3f}"
            ).format(a.score, a.baseline_score, difference, float(np.sum(a.scores)))
            + (
                self.tr(", a gap of {0:.3f} (more steps make it smaller).").format(a.completeness_gap)
                if a.method == "ig"
                else "."
            )
        )
