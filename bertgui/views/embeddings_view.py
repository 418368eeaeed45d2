"""Embeddings view: the token, segment and position vectors of the current tokens and their
LayerNorm-ed sum (tokens x hidden heatmaps), each part's norm per token, and the cosine
similarity of every position embedding with every other (learned positions show bands,
sinusoidal ones a smooth ridge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .token_axis import set_token_ticks

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model


PARTS = (("token", "Token embedding"), ("segment", "Segment embedding"), ("position", "Position embedding"),
         ("sum", "LayerNorm(token + segment + position)"))
NORM_PENS = {"token": "#2563eb", "segment": "#dc2626", "position": "#16a34a"}


def position_similarity(weight: np.ndarray) -> np.ndarray:
    """(P, P) cosine similarity of the rows of a position-embedding table."""
    unit = weight / np.maximum(np.linalg.norm(weight, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(unit @ unit.T, dtype=np.float32)


class EmbeddingsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plots = pg.GraphicsLayoutWidget()
        cmap = pg.colormap.get("CET-D1")  # diverging: blue negative, red positive
        self.images: dict[str, pg.ImageItem] = {}
        self._axes = []
        for i, (key, title) in enumerate(PARTS):
            plot = self.plots.addPlot(row=i // 2, col=i % 2, title=title)
            plot.setMenuEnabled(False)
            plot.getViewBox().invertY(True)
            plot.setLabel("bottom", "hidden dimension")
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(cmap)
            plot.addItem(image)
            self.images[key] = image
            self._axes.append(plot.getAxis("left"))
        self.norm_plot = self.plots.addPlot(row=2, col=0, title="Norm of each part per token")
        self.norm_plot.addLegend(offset=(-10, 10))
        self.norm_curves = {key: self.norm_plot.plot([], [], pen=pg.mkPen(colour, width=2), symbol="o",
                                                     symbolSize=5, symbolBrush=colour, name=key)
                            for key, colour in NORM_PENS.items()}
        self.similarity_plot = self.plots.addPlot(row=2, col=1, title="Position embeddings: cosine similarity")
        self.similarity_plot.getViewBox().invertY(True)
        self.similarity_plot.setLabel("bottom", "position")
        self.similarity_plot.setLabel("left", "position")
        self.similarity = pg.ImageItem(axisOrder="row-major")
        self.similarity.setColorMap(cmap)
        self.similarity_plot.addItem(self.similarity)
        self._similarity_for = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.plots)

    def show_model(self, bert: model.Bert) -> None:
        """The position-similarity matrix depends only on the model: computed once per model."""
        if self._similarity_for is bert:
            return
        self._similarity_for = bert
        weight = bert.position_embedding_table()
        self.similarity.setImage(position_similarity(weight), levels=(-1.0, 1.0))
        self.similarity_plot.autoRange(padding=0)

    def show_inspection(self, r: model.Inspection) -> None:
        arrays = {"token": r.token_embeddings, "segment": r.segment_embeddings, "position": r.position_embeddings,
                  "sum": r.normalized_sum}
        for (key, _), axis in zip(PARTS, self._axes):
            data = arrays[key]
            bound = max(float(np.abs(data).max()), 1e-6)  # symmetric, so 0 is the middle colour
            self.images[key].setImage(data, levels=(-bound, bound))
            self.images[key].getViewBox().autoRange(padding=0)
            set_token_ticks(axis, r.tokens)
        x = np.arange(len(r.tokens), dtype=np.float32)
        for key, curve in self.norm_curves.items():
            curve.setData(x, np.linalg.norm(arrays[key], axis=1).astype(np.float32))
        set_token_ticks(self.norm_plot.getAxis("bottom"), r.tokens, offset=0.0)
