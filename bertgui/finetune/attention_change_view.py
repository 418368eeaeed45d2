"""How fine-tuning changed attention: a layers x heads map of the Jensen-Shannon divergence
between the fine-tuned model's attention and its base model's on the current sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..views.cursor_value import CursorValue
from ..views.finite import drawable, finite_max, noted

if TYPE_CHECKING:  # torch is imported on the worker thread, after the window is up
    from model.attention_change import AttentionChange


NO_CHANGE_YET = QT_TRANSLATE_NOOP(
    "attention_change_view", "Finish a run to see how fine-tuning changed each head's attention."
)


class AttentionChangeView(QWidget):
    compareRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.compare_button = QPushButton(
            self.tr("Compare on the current sentence"),
            enabled=False,
            toolTip=self.tr(
                "Run the base and the fine-tuned model on sentence A (and B) and measure, per head, how "
                "differently they attend"
            ),
        )
        self.compare_button.clicked.connect(self.compareRequested)
        self.summary = QLabel(QCoreApplication.translate("attention_change_view", NO_CHANGE_YET))
        self.summary.setWordWrap(True)

        self._cmap = pg.colormap.get("magma")
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setToolTip(
            self.tr(
                "Rows: layers, columns: heads. Brighter = the fine-tuned head attends more differently "
                "from the base model's (Jensen-Shannon divergence, 0 to ln 2)"
            )
        )
        self.plot = self.canvas.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.getViewBox().invertY(True)
        self.plot.setLabel("left", self.tr("layer"))
        self.plot.setLabel("bottom", self.tr("head"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(self._cmap)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(0, float(np.log(2))), colorMap=self._cmap, interactive=False, label=self.tr("JS divergence")
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.image.hoverEvent = self._on_image_hover
        self.cursor_value = CursorValue(self.plot, self)
        self.change: AttentionChange | None = None

        top = QHBoxLayout()
        top.addWidget(self.compare_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.canvas, 1)

    def set_available(self, available: bool) -> None:
        self.compare_button.setEnabled(available)

    def clear(self) -> None:
        """Forget the last run's comparison (a new run is starting)."""
        self.change = None
        self.image.clear()
        self.summary.setText(QCoreApplication.translate("attention_change_view", NO_CHANGE_YET))
        self.cursor_value.hide()

    def show_change(self, change: AttentionChange) -> None:
        self.change = change
        divergence = np.ascontiguousarray(change.divergence, dtype=np.float32)  # (layers, heads)
        layers, heads = divergence.shape
        # From 0 to the largest change: fine-tuning moves most heads only a little, and on a fixed
        # 0..ln 2 scale they would all look black. The summary gives the absolute numbers.
        levels = (0.0, finite_max(divergence, floor=1e-4))
        self.image.setImage(drawable(divergence, *levels), levels=levels)
        self.colorbar.setLevels(levels)
        self.image.setRect(0, 0, heads, layers)
        self.plot.getAxis("left").setTicks([[(i + 0.5, str(i)) for i in range(layers)]])
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, str(i)) for i in range(heads)]])
        self.plot.getViewBox().autoRange(padding=0.01)
        top = ", ".join(
            self.tr("layer {0} head {1} ({2:.3f})").format(layer, head, value)
            for layer, head, value in change.most_changed(3)
        )
        sentence = " ".join(change.tokens)
        self.summary.setText(
            noted(
                self.tr("On “{0}”: mean divergence {1:.3f}; most changed: {2}").format(
                    sentence, divergence.mean(), top
                ),
                divergence,
                how=self.tr("blank in the map"),
            )
            + "."
        )

    def show_error(self, message: str) -> None:
        self.summary.setText(message)

    def _on_image_hover(self, event) -> None:
        if self.change is None or event.isExit():
            self.cursor_value.hide()
            return
        pos = event.pos()
        layer, head = int(pos.y()), int(pos.x())
        divergence = self.change.divergence
        if 0 <= layer < divergence.shape[0] and 0 <= head < divergence.shape[1]:
            self.cursor_value.show_at(
                self.image.mapToView(pos),
                self.tr("layer {0}, head {1}: {2:.3f}").format(layer, head, divergence[layer, head]),
            )
        else:
            self.cursor_value.hide()
