"""Hidden states view: the token vectors of one layer projected to 2-D by PCA, tokens as
labelled points; a slider walks through the layers, so a user sees representations move."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

NO_PCA = "NaN or Inf values in these vectors: no PCA to draw (the model's weights hold some)"


def hidden_state_name(state: int) -> str:
    """hidden_states[state] named with the 0-based layer numbers of the Heads dock and the Attention tab."""
    return "embeddings" if state == 0 else f"after L{state - 1}"


def pca_2d(x: np.ndarray, reference: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(T, hidden) -> (T, 2) projection on the two main axes, and their explained-variance shares.

    The SVD gives each axis an arbitrary sign, so the scatter could mirror from one layer to the
    next. Each axis is turned to agree with the same axis of `reference` (the (T, 2) projection of
    the previous layer), or, without one, so that its largest coordinate is positive."""
    if len(x) < 2:
        return np.zeros((len(x), 2), dtype=np.float32), np.zeros(2, dtype=np.float32)
    centred = x - x.mean(axis=0, keepdims=True)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    projected = centred @ vt[:2].T
    if projected.shape[1] < 2:
        projected = np.pad(projected, ((0, 0), (0, 2 - projected.shape[1])))
    if reference is None:
        orientation = projected[np.abs(projected).argmax(axis=0), [0, 1]]
    else:
        orientation = np.sum(projected * reference, axis=0)
    projected = np.where(orientation < 0, -projected, projected)
    variance = s**2
    share = variance[:2] / max(float(variance.sum()), 1e-12)
    return np.ascontiguousarray(projected, dtype=np.float32), np.pad(share, (0, 2 - len(share))).astype(np.float32)


class HiddenStatesView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        # (points, shares) per hidden state, each oriented on the one before, so that the scatter
        # does not mirror while the slider moves, and a layer looks the same however it was reached;
        # None for a state with NaN or Inf vectors.
        self._projections: list[tuple[np.ndarray, np.ndarray] | None] = []
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(
            "The embeddings, then the output of each layer, L0 being the first (as in the Heads dock)"
        )
        self.layer_label = QLabel(hidden_state_name(0))
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        for axis in ("bottom", "left"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        self.points = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#2563eb"), pen=pg.mkPen("w"))
        self.plot.addItem(self.points)
        self._labels: list[pg.TextItem] = []
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.slider, 1)
        top.addWidget(self.layer_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.slider.valueChanged.connect(self._redraw)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for label in self._labels:
                label.setColor(self._label_colour())
        super().changeEvent(event)

    def _label_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def show_inspection(self, r: model.Inspection) -> None:
        self._inspection = r
        self._projections = []
        self.slider.blockSignals(True)
        self.slider.setRange(0, r.hidden_states.shape[0] - 1)
        self.slider.blockSignals(False)
        self._redraw()

    def _redraw(self) -> None:
        r = self._inspection
        if r is None:
            return
        state = self.slider.value()
        projection = self._projection(state)
        xy, share = projection if projection is not None else (np.zeros((0, 2), dtype=np.float32), None)
        colours = [
            "#9ca3af" if special else ("#2563eb" if seg == 0 else "#e11d48")
            for special, seg in zip(r.special_tokens_mask, r.segment_ids)
        ]
        self.points.setData(pos=xy, brush=[pg.mkBrush(c) for c in colours[: len(xy)]])
        while len(self._labels) < len(r.tokens):  # labels are made once and reused
            label = pg.TextItem("", anchor=(0, 1), color=self._label_colour())
            self.plot.addItem(label)
            self._labels.append(label)
        for i, label in enumerate(self._labels):
            if i < len(xy):
                label.setText(r.tokens[i])
                label.setPos(float(xy[i, 0]), float(xy[i, 1]))
            label.setVisible(i < len(xy))
        self.layer_label.setText(hidden_state_name(state))
        self.plot.setTitle(NO_PCA if share is None else None)
        self.plot.setLabel("bottom", "PC1" if share is None else f"PC1 ({share[0]:.0%} of the variance)")
        self.plot.setLabel("left", "PC2" if share is None else f"PC2 ({share[1]:.0%} of the variance)")
        self.plot.autoRange(padding=0.15)

    def _projection(self, state: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The PCA of hidden_states[state], or None where its vectors hold NaN or Inf (from a
        checkpoint with such weights), on which the SVD would not converge."""
        hidden_states = self._inspection.hidden_states
        while len(self._projections) <= state:
            x = hidden_states[len(self._projections)]
            previous = self._projections[-1] if self._projections else None
            reference = previous[0] if previous is not None else None
            self._projections.append(pca_2d(x, reference=reference) if np.isfinite(x).all() else None)
        return self._projections[state]
