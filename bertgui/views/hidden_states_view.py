"""Hidden states view: the token vectors of one layer projected to 2-D by PCA, tokens as
labelled points; a slider walks through the layers, so a user sees representations move, and a
token chosen to follow is drawn as its path through every layer."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    import model

NO_PCA = QT_TRANSLATE_NOOP(
    "hidden_states_view", "NaN or Inf values in these vectors: no PCA to draw (the model's weights hold some)"
)
SEGMENT_COLOURS = ("#2563eb", "#e11d48")  # points of sentence A, sentence B
SPECIAL_COLOUR = "#6b7280"  # [CLS] and [SEP], added by the tokenizer
PATH_COLOUR = "#f59e0b"  # the followed token's path
POINT_SIZE = 9
FOLLOWED_SIZE = 15
THIS_LAYER, ALL_LAYERS = 0, 1  # the projection choices, in the combo box's order
PADDING = 0.15  # of the points' extent, on every side: room for the labels at the edges
NO_FOLLOW = QT_TRANSLATE_NOOP("hidden_states_view", "nobody")

# Where a label may sit beside its point, in the order tried: the TextItem anchor (0, 0: its
# top-left corner at the point; 1, 1: its bottom-right) and the direction it moves away from the
# point (x right, y up), so that the text clears the dot.
LABEL_SPOTS = (
    ((0.0, 0.5), (1, 0)),  # right
    ((0.0, 1.0), (1, 1)),  # above right
    ((0.0, 0.0), (1, -1)),  # below right
    ((1.0, 0.5), (-1, 0)),  # left
    ((1.0, 1.0), (-1, 1)),  # above left
    ((1.0, 0.0), (-1, -1)),  # below left
    ((0.5, 1.0), (0, 1)),  # above
    ((0.5, 0.0), (0, -1)),  # below
)


def hidden_state_name(state: int) -> str:
    """hidden_states[state] named with the 0-based layer numbers of the Heads dock and the Attention tab."""
    return (
        QCoreApplication.translate("hidden_states_view", "embeddings")
        if state == 0
        else QCoreApplication.translate("hidden_states_view", "after L{0}").format(state - 1)
    )


def short_state_name(state: int) -> str:
    """As hidden_state_name, short enough to sit beside a point of a path: "emb", "L0", "L1"..."""
    return "emb" if state == 0 else f"L{state - 1}"


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


def pca_all_layers(hidden_states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(states, T, hidden) -> (states, T, 2): one PCA fitted on every state's vectors together, so
    that a token's positions at different layers share one pair of axes and its path means something
    (each layer's own PCA has its own axes). And the two axes' explained-variance shares."""
    states, tokens, hidden = hidden_states.shape
    projected, share = pca_2d(hidden_states.reshape(states * tokens, hidden))
    return projected.reshape(states, tokens, 2), share


def label_spot(spot: int, radius: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """LABEL_SPOTS[spot] beside a point of `radius` pixels: (anchor, shift in pixels, y up) that
    keeps the label's rectangle off the point's disc."""
    anchor, (dx, dy) = LABEL_SPOTS[spot]
    shift = radius + 1 if dx == 0 or dy == 0 else 0.75 * radius  # a corner needs less: the disc is round
    return anchor, (dx * shift, dy * shift)


def place_labels(
    points: np.ndarray, sizes: np.ndarray, radii: np.ndarray, view: tuple[float, float], order: list[int]
) -> dict[int, int]:
    """Greedy label placement: each label, in `order`, takes the first of LABEL_SPOTS where its
    rectangle stays in the view and overlaps no label placed before it and the core of no other
    point (each spot clears its own dot); a label with no such spot is left out (its point names
    its token on hover).

    points: (N, 2) in pixels, y up; sizes: (N, 2) each label's width and height in pixels; radii:
    (N,) each point's radius in pixels; view: its width and height in pixels. Returns
    {label index: index into LABEL_SPOTS} for the labels placed."""
    radii = np.asarray(radii, dtype=float)[:, None]
    # Each point's core, the square inscribed in its dot, is kept clear: near-coincident points
    # (a token that hardly moves between layers) still leave room for every label around them.
    core = radii / np.sqrt(2)
    taken = np.column_stack([points - core, points + core]).reshape(-1, 4)  # (left, bottom, right, top)
    placed: dict[int, int] = {}
    width, height = view
    for i in order:
        (x, y), (w, h) = points[i], sizes[i]
        for spot in range(len(LABEL_SPOTS)):
            (ax, ay), (dx, dy) = label_spot(spot, radii[i, 0])
            left, bottom = x + dx - ax * w, y + dy - (1 - ay) * h
            rect = np.array([left, bottom, left + w, bottom + h])
            if rect[0] < 0 or rect[1] < 0 or rect[2] > width or rect[3] > height:
                continue
            overlaps = (
                (taken[:, 0] < rect[2]) & (rect[0] < taken[:, 2]) & (taken[:, 1] < rect[3]) & (rect[1] < taken[:, 3])
            )
            overlaps[i] = False  # its own point's core: the spot keeps the text off its whole dot
            if not overlaps.any():
                placed[i] = spot
                taken = np.vstack([taken, rect])
                break
    return placed


class HiddenStatesView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._inspection: model.Inspection | None = None
        # (points, shares) per hidden state, each oriented on the one before, so that the scatter
        # does not mirror while the slider moves, and a layer looks the same however it was reached;
        # None for a state with NaN or Inf vectors.
        self._projections: list[tuple[np.ndarray, np.ndarray] | None] = []
        self._joint: tuple[np.ndarray, np.ndarray] | None = None  # pca_all_layers, made when first needed
        self._followed: int | None = None  # the token whose path is drawn
        # Where the token labels' and the path labels' points are (data coordinates): the labels
        # themselves move beside them as they are laid out.
        self._token_xy = np.zeros((0, 2), dtype=np.float32)
        self._path_xy = np.zeros((0, 2), dtype=np.float32)
        self._laying_out = False
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(
            self.tr("The embeddings, then the output of each layer, L0 being the first (as in the Heads dock)")
        )
        self.layer_label = QLabel(hidden_state_name(0))
        self.projection_combo = QComboBox()
        self.projection_combo.addItems([self.tr("this layer's PCA"), self.tr("all layers' PCA")])
        self.projection_combo.setToolTip(
            self.tr(
                "This layer's PCA: the two directions in which this layer's vectors differ most (each "
                "layer its own axes).\nAll layers' PCA: one pair of axes fitted on every layer's vectors "
                "together, so positions can be compared across layers; a followed token's path is drawn in "
                "it."
            )
        )
        self.follow_combo = QComboBox()
        self.follow_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # whole token names
        self.follow_combo.setToolTip(
            self.tr("Draw this token's position at every layer as one path (or click its point)")
        )
        self.legend = QLabel()
        self.labels_note = QLabel()
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        for axis in ("bottom", "left"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        self.path = pg.PlotDataItem(
            pen=pg.mkPen(PATH_COLOUR, width=2), symbol="o", symbolSize=7, symbolBrush=PATH_COLOUR, symbolPen=None
        )
        self.plot.addItem(self.path)
        self.points = pg.ScatterPlotItem(
            size=POINT_SIZE, pen=pg.mkPen("w"), hoverable=True, tip=lambda x, y, data: data
        )
        self.plot.addItem(self.points)
        self._labels: list[pg.TextItem] = []  # one per token, made once and reused
        self.path_labels: list[pg.TextItem] = []  # one per hidden state: "emb", "L0", ...
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layer")))
        top.addWidget(self.slider, 1)
        top.addWidget(self.layer_label)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Projection")))
        top.addWidget(self.projection_combo)
        top.addWidget(QLabel(self.tr("Follow")))
        top.addWidget(self.follow_combo)
        below = QHBoxLayout()
        below.addWidget(self.legend, 1)
        below.addWidget(self.labels_note)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(below)
        layout.addWidget(self.plot, 1)
        self.slider.valueChanged.connect(self._redraw)
        self.projection_combo.currentIndexChanged.connect(self._on_projection_combo_changed)
        self.follow_combo.activated.connect(self._on_follow_combo_activated)
        self.points.sigClicked.connect(self._on_points_clicked)
        view_box = self.plot.getViewBox()
        view_box.sigResized.connect(self._lay_out_labels)
        view_box.sigRangeChanged.connect(self._lay_out_labels)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for label in self._labels + self.path_labels:
                label.setColor(self._label_colour())
        super().changeEvent(event)

    def _label_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def show_inspection(self, r: model.Inspection) -> None:
        previous = self._inspection
        self._inspection = r
        self._projections = []
        self._joint = None
        followed = self._followed  # kept while it is still the same token (the text changed elsewhere)
        if followed is not None and (followed >= len(r.tokens) or previous.tokens[followed] != r.tokens[followed]):
            followed = None
        self._followed = followed
        self.follow_combo.clear()
        self.follow_combo.addItem(QCoreApplication.translate("hidden_states_view", NO_FOLLOW), None)
        for i, token in enumerate(r.tokens):
            self.follow_combo.addItem(self.tr("{0}  (token {1})").format(token, i), i)
        self.slider.blockSignals(True)
        self.slider.setRange(0, r.hidden_states.shape[0] - 1)
        self.slider.blockSignals(False)
        self._show_legend(r)
        self._redraw()

    def select_token(self, index: int | None) -> None:
        """Follow token `index` (None: nobody): its path through every layer is drawn, in the
        all-layers projection, the only one whose axes every layer shares."""
        if self._inspection is None:
            return
        self._followed = index
        if index is not None and self.projection_combo.currentIndex() != ALL_LAYERS:
            self.projection_combo.setCurrentIndex(ALL_LAYERS)  # redraws
        else:
            self._redraw()

    @property
    def followed_token(self) -> int | None:
        return self._followed

    @Slot(int)
    def _on_projection_combo_changed(self, index: int) -> None:
        if index == THIS_LAYER:
            self._followed = None  # each layer has its own axes: a path across them would mean nothing
        self._redraw()

    @Slot(int)
    def _on_follow_combo_activated(self, index: int) -> None:
        self.select_token(self.follow_combo.itemData(index))

    def _on_points_clicked(self, _item, spots, _event=None) -> None:
        if len(spots):
            index = spots[0].index()
            self.select_token(None if index == self._followed else index)

    def _show_legend(self, r: model.Inspection) -> None:
        entries = [(SEGMENT_COLOURS[0], "●", self.tr("sentence A"))]
        if (r.segment_ids == 1).any():
            entries.append((SEGMENT_COLOURS[1], "●", self.tr("sentence B")))
        entries.append((SPECIAL_COLOUR, "●", self.tr("[CLS] / [SEP], added by the tokenizer")))
        if self._followed is not None:
            name = html.escape(r.tokens[self._followed])
            entries.append(
                (PATH_COLOUR, "●━●", self.tr("path of “{0}”, from emb (the embeddings) to the last layer").format(name))
            )
        self.legend.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                f"<span style='color:{colour}; font-size:large'>{mark}</span>&nbsp;{text}"
                for colour, mark, text in entries
            )
        )

    def _redraw(self) -> None:
        r = self._inspection
        if r is None:
            return
        state = self.slider.value()
        joint = self.projection_combo.currentIndex() == ALL_LAYERS
        projection = self._joint_projection() if joint else self._projection(state)
        if projection is None:
            xy, share, every_state = np.zeros((0, 2), dtype=np.float32), None, None
        elif joint:
            every_state, share = projection
            xy = np.ascontiguousarray(every_state[state])
        else:
            (xy, share), every_state = projection, None
        colours = [
            SPECIAL_COLOUR if special else SEGMENT_COLOURS[min(int(seg), 1)]
            for special, seg in zip(r.special_tokens_mask, r.segment_ids)
        ]
        followed = self._followed if every_state is not None else None
        sizes = [FOLLOWED_SIZE if i == followed else POINT_SIZE for i in range(len(xy))]
        pens = [pg.mkPen(PATH_COLOUR, width=3) if i == followed else pg.mkPen("w") for i in range(len(xy))]
        self.points.setData(
            pos=xy,
            brush=[pg.mkBrush(c) for c in colours[: len(xy)]],
            size=sizes,
            pen=pens,
            data=np.array(r.tokens[: len(xy)], dtype=object),
        )
        while len(self._labels) < len(r.tokens):
            label = pg.TextItem("", anchor=(0, 1), color=self._label_colour())
            self.plot.addItem(label)
            self._labels.append(label)
        for i, label in enumerate(self._labels):
            if i < len(xy):
                label.setText(r.tokens[i] if i != followed else f"{r.tokens[i]} ({short_state_name(state)})")
                label.setPos(float(xy[i, 0]), float(xy[i, 1]))
            label.setVisible(i < len(xy))
        self._token_xy = xy
        self._draw_path(every_state, followed)
        self._show_legend(r)
        self.follow_combo.setCurrentIndex(0 if followed is None else followed + 1)
        self.layer_label.setText(hidden_state_name(state))
        self.plot.setTitle(QCoreApplication.translate("hidden_states_view", NO_PCA) if share is None else None)
        fitted = self.tr("all layers") if joint else self.tr("this layer")
        self.plot.setLabel(
            "bottom",
            "PC1" if share is None else self.tr("PC1 of {0} ({1:.0%} of the variance)").format(fitted, share[0]),
        )
        self.plot.setLabel(
            "left",
            "PC2" if share is None else self.tr("PC2 of {0} ({1:.0%} of the variance)").format(fitted, share[1]),
        )
        # All layers' PCA keeps one frame for every layer, so the slider shows the points move.
        self._set_range(every_state.reshape(-1, 2) if every_state is not None else xy)
        self._lay_out_labels()

    def _draw_path(self, every_state: np.ndarray | None, followed: int | None) -> None:
        path = np.ascontiguousarray(every_state[:, followed]) if followed is not None else np.zeros((0, 2), np.float32)
        self._path_xy = path
        if followed is None:
            self.path.setData([], [])
            for label in self.path_labels:
                label.setVisible(False)
            return
        self.path.setData(path[:, 0], path[:, 1])
        while len(self.path_labels) < len(path):
            label = pg.TextItem("", anchor=(0, 1), color=self._label_colour())
            label.setZValue(1)
            self.plot.addItem(label)
            self.path_labels.append(label)
        for state, label in enumerate(self.path_labels):
            if state < len(path):
                label.setText(short_state_name(state))
                label.setPos(float(path[state, 0]), float(path[state, 1]))
            label.setVisible(state < len(path))

    def _set_range(self, xy: np.ndarray) -> None:
        if not len(xy):
            return
        low, high = xy.min(axis=0).astype(float), xy.max(axis=0).astype(float)  # pyqtgraph's checks overflow float32
        extent = np.maximum(high - low, 1e-6)
        view_box = self.plot.getViewBox()
        self._laying_out = True  # one layout for the new range, once it is set
        try:
            view_box.setRange(
                xRange=(low[0] - PADDING * extent[0], high[0] + PADDING * extent[0]),
                yRange=(low[1] - PADDING * extent[1], high[1] + PADDING * extent[1]),
                padding=0,
            )
        finally:
            self._laying_out = False

    def _lay_out_labels(self) -> None:
        """Place every label beside its point where it overlaps no other label nor point (see
        place_labels); a label that fits nowhere is hidden. Runs again whenever the view is resized,
        zoomed or panned, as the labels' sizes are in pixels."""
        r = self._inspection
        if r is None or self._laying_out:
            return
        view_box = self.plot.getViewBox()
        width, height = view_box.width(), view_box.height()
        token_labels = self._labels[: len(self._token_xy)]
        path_labels = self.path_labels[: len(self._path_xy)]
        labels = path_labels + token_labels
        if not labels:
            self.labels_note.setText("")
            return
        if width < 2 or height < 2:  # not laid out yet: this runs again when the view gets its size
            return
        rect = view_box.viewRect()
        scale = np.array([width / rect.width(), height / rect.height()])
        origin = np.array([rect.left(), rect.top()])
        pixels = (np.concatenate([self._path_xy, self._token_xy]) - origin) * scale
        margins = np.array([label.textItem.document().documentMargin() for label in labels])
        sizes = np.array(
            [[label.textItem.boundingRect().width(), label.textItem.boundingRect().height()] for label in labels]
        )
        text_sizes = sizes - 2 * margins[:, None]  # what collides is the text, not its padding
        # The followed token's label first (it names its layer too), then the path's other layer
        # names, then the other tokens in reading order.
        tokens = list(range(len(path_labels), len(labels)))
        order = list(range(len(path_labels))) + tokens
        radii = np.full(len(labels), POINT_SIZE / 2)
        if self._followed is not None:
            followed = len(path_labels) + self._followed
            order.remove(self.slider.value())  # the followed token's own label names this layer
            order.remove(followed)
            order.insert(0, followed)
            radii[followed] = FOLLOWED_SIZE / 2
        placed = place_labels(pixels, text_sizes, radii, (width, height), order)
        if self._followed is not None:
            placed.setdefault(followed, 0)  # shown even where it cannot avoid every other label
        for i, label in enumerate(labels):
            spot = placed.get(i)
            label.setVisible(spot is not None)
            if spot is None:
                continue
            (ax, ay), (dx, dy) = label_spot(spot, radii[i])
            # The text, not its padding, takes the spot: the anchor moves the padding outward.
            margin_x = margins[i] * (1 - 2 * ax)
            margin_y = margins[i] * (2 * ay - 1)
            label.setAnchor((ax, ay))
            shifted = pixels[i] + np.array([dx - margin_x, dy - margin_y])
            x, y = shifted / scale + origin
            label.setPos(float(x), float(y))
        hidden = len(tokens) - sum(1 for i in tokens if i in placed)
        self.labels_note.setText(
            self.tr("{0} label{1} left out where {2} would overlap: point at a dot to see its token").format(
                hidden, "s" if hidden != 1 else "", "they" if hidden != 1 else "it"
            )
            if hidden
            else ""
        )

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

    def _joint_projection(self) -> tuple[np.ndarray, np.ndarray] | None:
        """pca_all_layers of the inspection, or None where any state holds NaN or Inf."""
        hidden_states = self._inspection.hidden_states
        if self._joint is None and np.isfinite(hidden_states).all():
            self._joint = pca_all_layers(hidden_states)
        return self._joint
