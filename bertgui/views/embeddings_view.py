"""Embeddings view: the token, segment and position vectors of the current tokens and their
LayerNorm-ed sum as four tokens x hidden heatmaps side by side, sharing one axis that labels every
token; colour scales centred on 0 that end at the 99th percentile of |value|, so typical values
show; the value under the cursor written beside it. A side panel shows each part's norm per token
and the cosine similarity of every position embedding with every other (learned positions show
bands, sinusoidal ones a smooth ridge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from .cursor_value import CursorValue
from .finite import drawable, finite_max, finite_points, noted
from .token_axis import TokenAxis, every_kth_note

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model
    from model.model_info import ModelInfo


PARTS = (  # titles read as the sum the model computes, left to right
    ("token", QT_TRANSLATE_NOOP("embeddings_view", "token")),
    ("segment", QT_TRANSLATE_NOOP("embeddings_view", "+ segment")),
    ("position", QT_TRANSLATE_NOOP("embeddings_view", "+ position")),
    ("sum", QT_TRANSLATE_NOOP("embeddings_view", "→ LayerNorm")),
)
INPUT_PARTS = ("token", "segment", "position")  # summed into the input: drawn on one colour scale
NORM_PENS = {"token": "#2563eb", "segment": "#dc2626", "position": "#16a34a"}
IMAGE_NON_FINITE = QT_TRANSLATE_NOOP("embeddings_view", "NaN blank, Inf at the ends of the scale")
SIMILARITY_TITLE = QT_TRANSLATE_NOOP("embeddings_view", "Position similarity")
TITLE_SIZE = "10pt"  # the four heatmaps stand in one narrow row
SCALE_PERCENTILE = 99.0  # a colour scale ends here: a few large |values| would wash out the rest
SCALE_NOTE = QT_TRANSLATE_NOOP(
    "embeddings_view",
    "Colours: blue below 0, white 0, red above 0. The token, segment and position maps share one scale, "
    "LayerNorm's output has its own; each scale ends where 99% of its values lie, so typical values show "
    "and the few larger ones get the end colour.",
)


def symmetric_bound(*arrays: np.ndarray, percentile: float = SCALE_PERCENTILE) -> float:
    """The percentile of the finite |values| of all arrays: the end of a colour scale centred on 0."""
    magnitudes = np.concatenate([np.abs(a[np.isfinite(a)]).ravel() for a in arrays])
    if magnitudes.size == 0:
        return 1e-6
    bound = float(np.percentile(magnitudes, percentile))
    return bound if bound > 0 else finite_max(magnitudes, floor=1e-6)  # mostly zeros: the largest one


def position_similarity(weight: np.ndarray) -> np.ndarray:
    """(P, P) cosine similarity of the rows of a position-embedding table."""
    unit = weight / np.maximum(np.linalg.norm(weight, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(unit @ unit.T, dtype=np.float32)


class EmbeddingsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # The four token x hidden heatmaps stand side by side, full height, sharing one token axis: every
        # token gets a row tall enough for its label. Norms and position similarity go in a side panel.
        self.plots = pg.GraphicsLayoutWidget()
        self.side = pg.GraphicsLayoutWidget()
        self._tokens: list[str] = []
        self._arrays: dict[str, np.ndarray] = {}
        cmap = pg.colormap.get("CET-D1")  # diverging: blue negative, red positive
        self.images: dict[str, pg.ImageItem] = {}
        self._plots: dict[str, pg.PlotItem] = {}
        self.cursor_values: dict[str, CursorValue] = {}
        for i, (key, title) in enumerate(PARTS):
            axes = {"left": TokenAxis("left")} if i == 0 else {}
            plot = self.plots.addPlot(row=0, col=i, axisItems=axes)
            plot.setTitle(QCoreApplication.translate("embeddings_view", title), size=TITLE_SIZE)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.getViewBox().invertY(True)
            if i == 0:
                self.token_axis = plot.getAxis("left")
            else:  # rows line up with the first heatmap's, whose axis names them
                plot.hideAxis("left")
                plot.setYLink(self._plots["token"])
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(cmap)
            plot.addItem(image)
            image.hoverEvent = lambda event, key=key: self._on_part_hover(key, event)
            self.images[key] = image
            self._plots[key] = plot
            self.cursor_values[key] = CursorValue(plot, self)
        # One scale for the three parts, so that a small segment vector looks small beside the
        # token vector; the LayerNorm output lives on another scale and gets its own bar.
        self.parts_colorbar = pg.ColorBarItem(
            values=(-1, 1), colorMap=cmap, width=15, interactive=False, label=self.tr("token, segment, position")
        )
        self.parts_colorbar.setImageItem([self.images[key] for key in INPUT_PARTS], insert_in=self._plots["position"])
        self.sum_colorbar = pg.ColorBarItem(
            values=(-1, 1), colorMap=cmap, width=15, interactive=False, label=self.tr("after LayerNorm")
        )
        self.sum_colorbar.setImageItem(self.images["sum"], insert_in=self._plots["sum"])
        names = {"token": self.tr("token"), "segment": self.tr("segment"), "position": self.tr("position")}
        legend = ", ".join(f'<span style="color:{colour}">{names[key]}</span>' for key, colour in NORM_PENS.items())
        self.norm_plot = self.side.addPlot(row=0, col=0, axisItems={"bottom": TokenAxis("bottom")})
        self.norm_plot.setTitle(self.tr("Norm: {0}").format(legend), size=TITLE_SIZE)  # no legend box over the data
        self.norm_plot.hideButtons()
        self.norm_plot.setMenuEnabled(False)
        self.norm_plot.setLabel("left", self.tr("norm"))
        self.norm_curves = {
            key: self.norm_plot.plot(
                [], [], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5, symbolBrush=colour, name=key
            )
            for key, colour in NORM_PENS.items()
        }
        self.similarity_plot = self.side.addPlot(row=1, col=0)
        self.similarity_plot.setTitle(QCoreApplication.translate("embeddings_view", SIMILARITY_TITLE), size=TITLE_SIZE)
        self.similarity_plot.hideButtons()
        self.similarity_plot.setMenuEnabled(False)
        self.similarity_plot.getViewBox().invertY(True)
        self.similarity_plot.setLabel("bottom", self.tr("position"))
        self.similarity_plot.setLabel("left", self.tr("position"))
        self.similarity = pg.ImageItem(axisOrder="row-major")
        self.similarity.setColorMap(cmap)
        self.similarity_plot.addItem(self.similarity)
        self.similarity_colorbar = pg.ColorBarItem(
            values=(-1, 1), colorMap=cmap, width=15, interactive=False, label=self.tr("cosine")
        )
        self.similarity_colorbar.setImageItem(self.similarity, insert_in=self.similarity_plot)
        self.similarity.hoverEvent = self._on_similarity_hover
        self.cursor_values["similarity"] = CursorValue(self.similarity_plot, self)
        self._similarity_for = None
        self._similarity: np.ndarray | None = None
        self.similarity_plot.getViewBox().setAspectLocked(True)
        for canvas in (self.plots, self.side):
            canvas.scene().sigMouseClicked.connect(self._on_plots_clicked)
        self.scale_note = QLabel(QCoreApplication.translate("embeddings_view", SCALE_NOTE))
        self.scale_note.setWordWrap(True)
        self.labels_note = QLabel()  # shown when the token axes cannot label every token
        self.labels_note.setWordWrap(True)
        self.labels_note.hide()
        self.token_axis.labelStepChanged.connect(self._on_axis_label_step_changed, Qt.ConnectionType.QueuedConnection)
        self.side_panel = QWidget()  # the colour note under the side plots: the heatmaps keep the full height
        side_layout = QVBoxLayout(self.side_panel)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.side, 1)
        side_layout.addWidget(self.scale_note)
        heatmaps = QWidget()
        heatmaps_layout = QVBoxLayout(heatmaps)
        heatmaps_layout.setContentsMargins(0, 0, 0, 0)
        heatmaps_layout.addWidget(self.plots, 1)
        heatmaps_layout.addWidget(self.labels_note)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(heatmaps)
        splitter.addWidget(self.side_panel)
        splitter.setSizes([670, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

    def show_model(self, info: ModelInfo) -> None:
        """The position-similarity matrix depends only on the position table: computed once per table
        (a device move keeps the same table object)."""
        table = info.position_embedding_table
        if self._similarity_for is table:
            return
        self._similarity_for = table
        similarity = position_similarity(table)
        self._similarity = similarity
        self.similarity.setImage(drawable(similarity, -1.0, 1.0), levels=(-1.0, 1.0))
        self.similarity_plot.setTitle(
            noted(QCoreApplication.translate("embeddings_view", SIMILARITY_TITLE), similarity, how="blank"),
            size=TITLE_SIZE,
        )
        self.similarity_plot.autoRange(padding=0)

    def show_inspection(self, r: model.Inspection) -> None:
        arrays = {
            "token": r.token_embeddings,
            "segment": r.segment_embeddings,
            "position": r.position_embeddings,
            "sum": r.normalized_sum,
        }
        self._tokens, self._arrays = list(r.tokens), arrays
        parts_bound = symmetric_bound(*(arrays[key] for key in INPUT_PARTS))
        for key, title in PARTS:
            bound = parts_bound if key in INPUT_PARTS else symmetric_bound(arrays[key])
            self.images[key].setImage(drawable(arrays[key], -bound, bound), levels=(-bound, bound))
            self._plots[key].setTitle(
                noted(
                    QCoreApplication.translate("embeddings_view", title),
                    arrays[key],
                    how=QCoreApplication.translate("embeddings_view", IMAGE_NON_FINITE),
                ),
                size=TITLE_SIZE,
            )
            n_tokens, hidden = arrays[key].shape
            view = self.images[key].getViewBox()
            view.setLimits(xMin=0, xMax=hidden, yMin=0, yMax=n_tokens, minXRange=1, minYRange=1)
            view.autoRange(padding=0)
        self.token_axis.set_tokens(r.tokens)
        self.parts_colorbar.setLevels((-parts_bound, parts_bound))
        sum_bound = symmetric_bound(arrays["sum"])
        self.sum_colorbar.setLevels((-sum_bound, sum_bound))
        x = np.arange(len(r.tokens), dtype=np.float32)
        for key, curve in self.norm_curves.items():
            curve.setData(*finite_points(x, np.linalg.norm(arrays[key], axis=1)))  # NaN rows: no point
        self.norm_plot.getAxis("bottom").set_tokens(r.tokens, offset=0.0)

    # --- the value under the cursor ----------------------------------------------------------

    def _on_part_hover(self, key: str, event) -> None:
        matrix = self._arrays.get(key)
        if matrix is None or event.isExit():
            self.cursor_values[key].hide()
            return
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if not (0 <= row < matrix.shape[0] and 0 <= col < matrix.shape[1]):
            self.cursor_values[key].hide()
            return
        self.cursor_values[key].show_at(
            self.images[key].mapToView(pos), f"{self._tokens[row]}, dimension {col}: {matrix[row, col]:.3f}"
        )

    def _on_similarity_hover(self, event) -> None:
        cursor = self.cursor_values["similarity"]
        if self._similarity is None or event.isExit():
            cursor.hide()
            return
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if not (0 <= row < self._similarity.shape[0] and 0 <= col < self._similarity.shape[1]):
            cursor.hide()
            return
        cursor.show_at(
            self.similarity.mapToView(pos),
            self.tr("positions {0} and {1}: cosine {2:.3f}").format(row, col, self._similarity[row, col]),
        )

    def _on_axis_label_step_changed(self, step: int) -> None:
        self.labels_note.setText(every_kth_note(step))
        self.labels_note.setVisible(step > 1)

    def _on_plots_clicked(self, event) -> None:
        """A double-click shows a zoomed-in plot whole again."""
        if not event.double():
            return
        for plot in [*self._plots.values(), self.norm_plot, self.similarity_plot]:
            if plot.getViewBox().sceneBoundingRect().contains(event.scenePos()):
                plot.getViewBox().autoRange(padding=0 if plot is not self.norm_plot else None)
                return
