"""The Computation tab's architecture diagram: the loaded model's real sizes and the current
sentence's shapes, and what a click on a block says."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def bundled():
    import model

    bert = model.load(device="cpu")
    return bert, bert.info()


def test_diagram_shows_the_real_layers_heads_sizes_and_shapes(qtbot, bundled):
    from bertgui.views.computation.architecture_diagram import ArchitectureDiagram

    _, info = bundled
    c = info.config
    diagram = ArchitectureDiagram()
    qtbot.addWidget(diagram)
    diagram.set_model(info, tokens=9)
    attention = diagram.block_items("attention")
    assert [i.block.layer for i in attention] == list(range(c.num_hidden_layers)) == [0, 1, 2, 3]
    assert f"{c.num_attention_heads} heads" in attention[0].block.title
    ffn = diagram.block_items("feed-forward", 2)[0].block
    assert f"{c.hidden_size} -> {c.intermediate_size} -> {c.hidden_size}" in ffn.title
    per_layer = info.parameter_counts["layer 0 attention"]
    assert info.parameter_counts["layer 3 attention"] == per_layer  # identical layers: one count shown
    assert f"{per_layer:,} parameters" in attention[1].block.detail
    assert f"{info.parameter_counts['embeddings']:,}" in diagram.block_items("embeddings")[0].block.detail
    heads = diagram.block_items("heads")[0].block.title
    assert "masked-LM head" in heads and "next-sentence head" in heads and "classifier" not in heads
    assert "(T=9, 256)" in diagram.arrow_texts
    assert "(4 heads, 9, 9)" in diagram.arrow_texts[1]  # after layer 0's attention
    diagram.set_tokens(12)
    assert "(T=12, 256)" in diagram.arrow_texts and not any("T=9" in t for t in diagram.arrow_texts)


def test_clicking_a_block_says_which(qtbot, bundled):
    from PySide6.QtCore import Qt

    from bertgui.views.computation.architecture_diagram import ArchitectureDiagram

    diagram = ArchitectureDiagram()
    qtbot.addWidget(diagram)
    diagram.resize(800, 700)
    diagram.show()
    diagram.set_model(bundled[1], tokens=5)
    item = diagram.block_items("attention", 2)[0]
    assert "step through" in item.toolTip()
    with qtbot.waitSignal(diagram.blockClicked) as signal:
        point = diagram.mapFromScene(item.sceneBoundingRect().center())
        qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == ["attention", 2]
