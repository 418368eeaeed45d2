"""Embeddings view: the token, segment and position vectors of the current tokens and their
LayerNorm-ed sum (tokens x hidden heatmaps), each part's norm per token, and the cosine
similarity of every position embedding with every other (learned positions show bands,
sinusoidal ones a smooth ridge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .finite import drawable, finite_max, finite_points, noted
from .token_axis import TokenAxis

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    from model.model_info import ModelInfo


PARTS = (
    ("token", "Token embedding"),
    ("segment", "Segment embedding"),
    ("position", "Position embedding"),
    ("sum", "LayerNorm(token + segment + position)"),
)
INPUT_PARTS = ("token", "segment", "position")  # summed into the input: drawn on one colour scale
NORM_PENS = {"token": "#2563eb", "segment": "#dc2626", "position": "#16a34a"}
IMAGE_NON_FINITE = "NaN blank, Inf at the ends of the scale"
SIMILARITY_TITLE = "Position embeddings: cosine similarity"


def symmetric_bound(*arrays: np.ndarray) -> float:
    """The largest finite |value| of all arrays, so that 0 is the middle colour of a shared scale."""
    return finite_max(*(np.abs(a) for a in arrays), floor=1e-6)


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
        self._plots: dict[str, pg.PlotItem] = {}
        for i, (key, title) in enumerate(PARTS):
            plot = self.plots.addPlot(row=i // 2, col=i % 2, title=title, axisItems={"left": TokenAxis("left")})
            plot.setMenuEnabled(False)
            plot.getViewBox().invertY(True)
            plot.setLabel("bottom", "hidden dimension")
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(cmap)
            plot.addItem(image)
            self.images[key] = image
            self._plots[key] = plot
            self._axes.append(plot.getAxis("left"))
        # One scale for the three parts, so that a small segment vector looks small beside the
        # token vector; the LayerNorm output lives on another scale and gets its own bar.
        self.parts_colorbar = pg.ColorBarItem(
            values=(-1, 1), colorMap=cmap, interactive=False, label="token, segment, position"
        )
        self.parts_colorbar.setImageItem([self.images[key] for key in INPUT_PARTS], insert_in=self._plots["segment"])
        self.sum_colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=cmap, interactive=False, label="after LayerNorm")
        self.sum_colorbar.setImageItem(self.images["sum"], insert_in=self._plots["sum"])
        legend = ", ".join(f'<span style="color:{colour}">{key}</span>' for key, colour in NORM_PENS.items())
        self.norm_plot = self.plots.addPlot(
            row=2,
            col=0,
            title=f"Norm per token: {legend}",  # no legend box over the data
            axisItems={"bottom": TokenAxis("bottom")},
        )
        self.norm_plot.setLabel("left", "L2 norm")
        self.norm_curves = {
            key: self.norm_plot.plot(
                [], [], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5, symbolBrush=colour, name=key
            )
            for key, colour in NORM_PENS.items()
        }
        self.similarity_plot = self.plots.addPlot(row=2, col=1, title=SIMILARITY_TITLE)
        self.similarity_plot.getViewBox().invertY(True)
        self.similarity_plot.setLabel("bottom", "position")
        self.similarity_plot.setLabel("left", "position")
        self.similarity = pg.ImageItem(axisOrder="row-major")
        self.similarity.setColorMap(cmap)
        self.similarity_plot.addItem(self.similarity)
        self.similarity_colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=cmap, interactive=False, label="cosine")
        self.similarity_colorbar.setImageItem(self.similarity, insert_in=self.similarity_plot)
        self._similarity_for = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.plots)

    def show_model(self, info: ModelInfo) -> None:
        """The position-similarity matrix depends only on the position table: computed once per table
        (a device move keeps the same table object)."""
        table = info.position_embedding_table
        if self._similarity_for is table:
            return
        self._similarity_for = table
        similarity = position_similarity(table)
        self.similarity.setImage(drawable(similarity, -1.0, 1.0), levels=(-1.0, 1.0))
        self.similarity_plot.setTitle(noted(SIMILARITY_TITLE, similarity, how="blank"))
        self.similarity_plot.autoRange(padding=0)

    def show_inspection(self, r: model.Inspection) -> None:
        arrays = {
            "token": r.token_embeddings,
            "segment": r.segment_embeddings,
            "position": r.position_embeddings,
            "sum": r.normalized_sum,
        }
        parts_bound = symmetric_bound(*(arrays[key] for key in INPUT_PARTS))
        for (key, title), axis in zip(PARTS, self._axes):
            bound = parts_bound if key in INPUT_PARTS else symmetric_bound(arrays[key])
            self.images[key].setImage(drawable(arrays[key], -bound, bound), levels=(-bound, bound))
            self._plots[key].setTitle(noted(title, arrays[key], how=IMAGE_NON_FINITE))
            self.images[key].getViewBox().autoRange(padding=0)
            axis.set_tokens(r.tokens)
        self.parts_colorbar.setLevels((-parts_bound, parts_bound))
        sum_bound = symmetric_bound(arrays["sum"])
        self.sum_colorbar.setLevels((-sum_bound, sum_bound))
        x = np.arange(len(r.tokens), dtype=np.float32)
        for key, curve in self.norm_curves.items():
            curve.setData(*finite_points(x, np.linalg.norm(arrays[key], axis=1)))  # NaN rows: no point
        self.norm_plot.getAxis("bottom").set_tokens(r.tokens, offset=0.0)
