"""The loaded model drawn as blocks: embeddings, N encoder layers, pooler and its heads, with the
tensor shape on every arrow for the current sentence and each block's parameter count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsTextItem, QGraphicsView, QWidget

if TYPE_CHECKING:
    from model.model_info import ModelInfo

BLOCK_W, BLOCK_H, GAP = 300.0, 58.0, 34.0  # scene units; the view scales the whole to fit


@dataclass(frozen=True)
class Block:
    """One box of the diagram: what a click on it means."""

    key: str  # "embeddings", "attention", "feed-forward", "pooler", "heads"
    layer: int | None  # the encoder layer, for attention / feed-forward
    title: str
    detail: str  # second line: sizes and parameters
    tooltip: str


def _count(n: int) -> str:
    return f"{n:,} parameters"


def blocks_for(info: ModelInfo) -> list[Block]:
    """The diagram's boxes, top to bottom, from the loaded model's config and parameter counts."""
    c, counts = info.config, info.parameter_counts
    n, h, hidden, inter = c.num_hidden_layers, c.num_attention_heads, c.hidden_size, c.intermediate_size
    attention = counts.get("layer 0 attention", 0)
    ffn = counts.get("layer 0 feed-forward", 0)
    out = [
        Block(
            "embeddings",
            None,
            QCoreApplication.translate("architecture_diagram", "Embeddings: token + segment + position, LayerNorm"),
            QCoreApplication.translate("architecture_diagram", "vocab {0}, {1} positions; {2}").format(
                c.vocab_size, c.max_position_embeddings, _count(counts.get("embeddings", 0))
            ),
            QCoreApplication.translate(
                "architecture_diagram",
                "Each token's input vector: the sum of three learned vectors, rescaled by LayerNorm. Click "
                "for the Embeddings step.",
            ),
        )
    ]
    for layer in range(n):
        out.append(
            Block(
                "attention",
                layer,
                QCoreApplication.translate(
                    "architecture_diagram", "Layer {0}: self-attention, {1} heads + Add & Norm"
                ).format(layer, h),
                QCoreApplication.translate(
                    "architecture_diagram", "{0} x head size {1}; {2} (each of the {3} layers alike)"
                ).format(h, hidden // h, _count(attention), n),
                QCoreApplication.translate(
                    "architecture_diagram",
                    "Layer {0}: every token looks at every token with {1} heads; the result is added to the "
                    "input and normalised. Click to step through this layer.",
                ).format(layer, h),
            )
        )
        out.append(
            Block(
                "feed-forward",
                layer,
                QCoreApplication.translate(
                    "architecture_diagram", "Layer {0}: feed-forward {1} -> {2} -> {3} ({4}) + Add & Norm"
                ).format(layer, hidden, inter, hidden, c.hidden_act.upper()),
                QCoreApplication.translate("architecture_diagram", "{0} (x {1} layers: {2} in all)").format(
                    _count(ffn), n, _count(n * (attention + ffn))
                ),
                QCoreApplication.translate(
                    "architecture_diagram",
                    "Layer {0}: each token alone goes through two linear maps with {1} between. Click to step "
                    "through this layer.",
                ).format(layer, c.hidden_act.upper()),
            )
        )
    out.append(
        Block(
            "pooler",
            None,
            QCoreApplication.translate(
                "architecture_diagram", "Pooler: the [CLS] vector through a linear map and tanh"
            ),
            _count(counts.get("pooler", 0)),
            QCoreApplication.translate(
                "architecture_diagram",
                "Makes one vector for the whole input from the [CLS] token; the sentence heads read it.",
            ),
        )
    )
    heads = [
        (info.mlm, QCoreApplication.translate("architecture_diagram", "masked-LM head")),
        (info.nsp, QCoreApplication.translate("architecture_diagram", "next-sentence head")),
        (info.classifier is not None, QCoreApplication.translate("architecture_diagram", "classifier head")),
    ]
    present = [name for ok, name in heads if ok]
    out.append(
        Block(
            "heads",
            None,
            QCoreApplication.translate("architecture_diagram", "Heads: ")
            + (
                ", ".join(present)
                if present
                else QCoreApplication.translate("architecture_diagram", "none (encoder only)")
            ),
            "; ".join(f"{name} {counts.get(name, 0):,}" for name in present)
            or QCoreApplication.translate("architecture_diagram", "no task head"),
            QCoreApplication.translate(
                "architecture_diagram",
                "What the model can answer: the masked-LM head scores every vocabulary token at each "
                "position; the next-sentence head reads the pooled [CLS]; a classifier head is added by "
                "fine-tuning.",
            ),
        )
    )
    return out


def arrow_label(before: Block, tokens: int, info: ModelInfo) -> str:
    """The shape of the tensor that leaves `before` for the current sentence of T tokens."""
    c = info.config
    if before.key == "attention":
        return QCoreApplication.translate(
            "architecture_diagram", "(T={0}, {1})   attention maps: ({2} heads, {3}, {4})"
        ).format(tokens, c.hidden_size, c.num_attention_heads, tokens, tokens)
    if before.key == "pooler":
        return QCoreApplication.translate("architecture_diagram", "({0},) pooled [CLS]").format(c.hidden_size)
    return f"(T={tokens}, {c.hidden_size})"


class BlockItem(QGraphicsRectItem):
    def __init__(self, block: Block, rect: QRectF, diagram: ArchitectureDiagram):
        super().__init__(rect)
        self.block = block
        self._diagram = diagram
        self.setToolTip(block.tooltip)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        colour = {
            "embeddings": "#dbe9f6",
            "attention": "#fde2c8",
            "feed-forward": "#d9f0d3",
            "pooler": "#e7dff2",
            "heads": "#f2f2f2",
        }
        self.setBrush(QBrush(QColor(colour[block.key])))
        self.setPen(QPen(QColor("#555555"), 1.2))

    def mousePressEvent(self, event) -> None:
        self._diagram.blockClicked.emit(self.block.key, -1 if self.block.layer is None else self.block.layer)
        event.accept()


class ArchitectureDiagram(QGraphicsView):
    """Blocks top to bottom; blockClicked(key, layer or -1) when one is clicked."""

    blockClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.items_by_block: list[BlockItem] = []
        self.arrow_texts: list[str] = []
        self._info: ModelInfo | None = None
        self._tokens = 0

    def set_model(self, info: ModelInfo, tokens: int) -> None:
        self._info, self._tokens = info, tokens
        self._build()

    def set_tokens(self, tokens: int) -> None:
        self._tokens = tokens
        if self._info is not None:
            self._build()

    def block_items(self, key: str, layer: int | None = None) -> list[BlockItem]:
        return [i for i in self.items_by_block if i.block.key == key and (layer is None or i.block.layer == layer)]

    def _build(self) -> None:
        scene = self.scene()
        scene.clear()
        self.items_by_block, self.arrow_texts = [], []
        info, y = self._info, 0.0
        title_font, detail_font, arrow_font = QFont(), QFont(), QFont()
        title_font.setPointSizeF(10.5)
        title_font.setBold(True)
        detail_font.setPointSizeF(9)
        arrow_font.setPointSizeF(9)
        blocks = blocks_for(info)
        for i, block in enumerate(blocks):
            item = BlockItem(block, QRectF(0, y, BLOCK_W * 2, BLOCK_H), self)
            scene.addItem(item)
            self.items_by_block.append(item)
            for text, font, dy in ((block.title, title_font, 6), (block.detail, detail_font, 31)):
                label = QGraphicsTextItem(text)
                scene.addItem(label)  # owned by the scene: a child made from Python may be collected
                label.setZValue(1)
                label.setFont(font)
                label.setDefaultTextColor(QColor("#202020"))
                label.setTextWidth(BLOCK_W * 2 - 16)
                label.setPos(8, y + dy)
                label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            y += BLOCK_H
            if i + 1 < len(blocks):
                pen = QPen(QColor("#444444"), 1.5)
                x = BLOCK_W
                scene.addLine(x, y, x, y + GAP, pen)
                scene.addPolygon(
                    [QPointF(x - 5, y + GAP - 8), QPointF(x + 5, y + GAP - 8), QPointF(x, y + GAP)],
                    pen,
                    QBrush(QColor("#444444")),
                )
                shape = arrow_label(block, self._tokens, info)
                self.arrow_texts.append(shape)
                text = scene.addText(shape, arrow_font)
                text.setDefaultTextColor(QColor("#1f4e99"))
                text.setPos(x + 10, y + GAP / 2 - 11)
                y += GAP
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))
        self._fit()

    def _fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        # Fit the width; a deep model (12+ layers) scrolls vertically rather than shrinking to dots.
        scale = min(self.viewport().width() / rect.width(), 1.6)
        self.resetTransform()
        self.scale(scale, scale)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
