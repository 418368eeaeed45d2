"""The Embeddings step of the Computation tab: for one token, its token, segment and position
vectors, their sum and LayerNorm's output as five rows of one heatmap, with the formula and each
row's norm; beside it the original Transformer's fixed sinusoidal positions next to this model's
learned ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..embeddings_view import symmetric_bound
from ..finite import drawable

if TYPE_CHECKING:
    import model

ROWS = ("token", "segment", "position", "sum", "LayerNorm")
FORMULA = "h₀ = LayerNorm(E_token[id] + E_segment[seg] + E_position[pos])"
SINUSOID = "PE(pos, 2i) = sin(pos / 10000^(2i/d)),   PE(pos, 2i+1) = cos(pos / 10000^(2i/d))"


def sinusoidal_table(positions: int, width: int) -> np.ndarray:
    """(positions, width) the original Transformer's fixed position encoding (Vaswani et al. 2017)."""
    pos = np.arange(positions, dtype=np.float64)[:, None]
    rate = 10000.0 ** (-(np.arange(0, width, 2, dtype=np.float64)) / width)  # one frequency per pair i
    table = np.zeros((positions, width), dtype=np.float64)
    table[:, 0::2] = np.sin(pos * rate)
    table[:, 1::2] = np.cos(pos * rate[: width // 2])
    return np.ascontiguousarray(table, dtype=np.float32)


def step_rows(r: model.Inspection, index: int) -> np.ndarray:
    """(5, C) float32: token, segment, position vectors, their sum and LayerNorm(sum) for one token."""
    parts = (r.token_embeddings[index], r.segment_embeddings[index], r.position_embeddings[index])
    rows = [*parts, parts[0] + parts[1] + parts[2], r.normalized_sum[index]]
    return np.ascontiguousarray(np.stack(rows), dtype=np.float32)


def _heatmap(title: str) -> tuple[pg.PlotWidget, pg.ImageItem]:
    plot = pg.PlotWidget(title=title)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    plot.getPlotItem().invertY(True)
    image = pg.ImageItem(axisOrder="row-major")
    image.setColorMap(pg.colormap.get("CET-D1"))
    plot.addItem(image)
    return plot, image


class EmbeddingStep(QWidget):
    """openEmbeddingsTabRequested: the reader asked for the full Embeddings tab."""

    openEmbeddingsTabRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: np.ndarray | None = None  # what the heatmap draws: (5, C)
        self.norms: np.ndarray | None = None  # (5,)
        self.formula = QLabel(f"<b>{FORMULA}</b>")
        self.token_label = QLabel(self.tr("Type a sentence to see its first layer's input."))
        self.token_label.setWordWrap(True)
        self.plot, self.image = _heatmap(
            self.tr("One token's vectors: a column per hidden dimension (blue negative, red positive)")
        )
        # LayerNorm's output is many times larger than its inputs: its row gets its own colour scale.
        self.normed_image = pg.ImageItem(axisOrder="row-major")
        self.normed_image.setColorMap(pg.colormap.get("CET-D1"))
        self.plot.addItem(self.normed_image)
        axis = self.plot.getAxis("left")
        axis.setWidth(90)  # a narrower axis drops the row names that do not fit
        axis.setTicks([[(i + 0.5, name) for i, name in enumerate(ROWS)]])
        self.norm_label = QLabel("")
        self.open_button = QPushButton(self.tr("Open the Embeddings tab (every token at once)"))
        self.open_button.clicked.connect(self.openEmbeddingsTabRequested)

        self.sinusoid_plot, self.sinusoid_image = _heatmap(self.tr("Fixed sinusoidal PE (original Transformer)"))
        self.learned_plot, self.learned_image = _heatmap(self.tr("This model's learned position embeddings"))
        for plot in (self.sinusoid_plot, self.learned_plot):
            plot.setLabel("left", self.tr("position"))
            plot.setLabel("bottom", self.tr("dimension"))
        self.position_note = QLabel(
            self.tr(
                "{0}. The original Transformer added this fixed pattern; BERT instead learns one vector "
                "per position during pretraining (its first rows, one per token of your sentence, on the "
                "right). Both give each position a distinct vector, so attention can tell word order."
            ).format(SINUSOID)
        )
        self.position_note.setWordWrap(True)

        positions = QHBoxLayout()
        positions.addWidget(self.sinusoid_plot)
        positions.addWidget(self.learned_plot)
        layout = QVBoxLayout(self)
        layout.addWidget(self.formula)
        layout.addWidget(self.token_label)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.norm_label)
        layout.addWidget(self.open_button)
        layout.addWidget(self.position_note)
        layout.addLayout(positions, 3)

    def show_token(self, r: model.Inspection, index: int) -> None:
        """Draw token `index` of the inspection; an index out of range says so and draws nothing."""
        count = len(r.tokens)
        if not 0 <= index < count:
            self.token_label.setText(self.tr("No token {0}: this sentence has {1} tokens.").format(index, count))
            return
        self.rows = step_rows(r, index)
        self.norms = np.linalg.norm(self.rows.astype(np.float64), axis=1)
        width = self.rows.shape[1]
        bound = symmetric_bound(self.rows[:4])
        self.image.setImage(drawable(self.rows[:4], -bound, bound), levels=(-bound, bound))
        self.image.setRect(0, 0, width, 4)
        normed = symmetric_bound(self.rows[4:])
        self.normed_image.setImage(drawable(self.rows[4:], -normed, normed), levels=(-normed, normed))
        self.normed_image.setRect(0, 4, width, 1)
        segment = "A" if int(r.segment_ids[index]) == 0 else "B"
        self.token_label.setText(
            self.tr(
                "Token {0}: <b>{1}</b> (id {2}, sentence {3}, position {4}). Each row below is a vector of "
                "{5} numbers; the sum row is the first three added, and LayerNorm rescales it to mean 0 "
                "and spread 1 (then its learned gain and bias); the LayerNorm row has its own colour "
                "scale, the other four share one."
            ).format(index, r.tokens[index], int(r.input_ids[index]), segment, index, self.rows.shape[1])
        )
        self.norm_label.setText(
            self.tr("Norms (lengths): ")
            + ",  ".join(f"{name} {n:.2f}" for name, n in zip(ROWS, self.norms, strict=True))
        )
        learned = np.ascontiguousarray(r.position_embeddings, dtype=np.float32)
        sinusoid = sinusoidal_table(count, learned.shape[1])
        self.sinusoid_image.setImage(sinusoid, levels=(-1.0, 1.0))
        bound = symmetric_bound(learned)
        self.learned_image.setImage(drawable(learned, -bound, bound), levels=(-bound, bound))
