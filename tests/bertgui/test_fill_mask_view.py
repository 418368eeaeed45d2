"""The fill-mask view on its own, fed inspections of a small saved model: predictions table and
bars, logit-lens table and curve, every-position scores and the checkbox that asks for them."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def bert(model_folder):
    import model

    return model.load(model_folder, device="cpu")


@pytest.fixture
def view(qtbot):
    from bertgui.views.fill_mask_view import FillMaskView

    v = FillMaskView()
    qtbot.addWidget(v)
    return v


def test_table_and_bars_list_the_selected_masks_predictions(view, bert):
    r = bert.inspect("the [MASK] sat on the [MASK]", top_k=6)
    view.show_inspection(r)
    assert view.message.text().startswith("2 masks") and view.mask_combo.count() == 2
    for index, m in enumerate(r.fill_mask):
        view.mask_combo.setCurrentIndex(index)
        rows = [(view.table.item(i, 0).text(), view.table.item(i, 1).text()) for i in range(6)]
        assert rows == [(p.token, f"{p.score:.3f}") for p in m.predictions]
        assert np.allclose(view.bars.opts["width"], [p.score for p in m.predictions])


def test_logit_lens_table_and_curve_show_the_inspections_arrays(view, bert):
    r = bert.inspect("the [MASK] sat on the [MASK]", logit_lens=True)
    view.show_inspection(r)
    states = bert.config.num_hidden_layers + 1
    assert not view.lens_pane.isHidden() and view.lens_table.rowCount() == states
    for index, lens in enumerate(r.logit_lens):
        view.mask_combo.setCurrentIndex(index)
        cells = [
            [view.lens_table.item(row, col).text().split()[0] for col in range(view.lens_table.columnCount())]
            for row in range(view.lens_table.rowCount())
        ]
        assert cells == [[p.token for p in layer[:5]] for layer in lens.layers]
        x, y = view.lens_curve.getData()
        assert y.dtype == np.float32 and y.flags["C_CONTIGUOUS"]
        assert np.array_equal(x, np.arange(states)) and np.array_equal(y, r.logit_lens_final_probability[:, index])
        assert lens.layers[-1][0].token in view.lens_plot.getPlotItem().titleLabel.text


def test_ten_masks(view, bert):
    r = bert.inspect(" ".join(["[MASK]"] * 10), logit_lens=True)
    view.show_inspection(r)
    assert view.message.text().startswith("10 masks") and view.mask_combo.count() == 10
    view.mask_combo.setCurrentIndex(9)
    assert view.table.item(0, 0).text() == r.fill_mask[9].predictions[0].token
    assert np.array_equal(view.lens_curve.getData()[1], r.logit_lens_final_probability[:, 9])


def test_checkbox_asks_for_every_position_and_scores_colour_the_tokens(qtbot, view, bert):
    with qtbot.waitSignal(view.scoreAllPositionsToggled, check_params_cb=lambda on: on is True):
        view.score_all.setChecked(True)
    r = bert.inspect("the cat [MASK] on the mat", all_positions=True)
    view.show_inspection(r)
    chips = view.score_chips()
    assert not view.score_pane.isHidden() and [c.index for c in chips] == list(range(len(r.tokens)))
    assert np.allclose([c.probability for c in chips], r.token_probabilities)
    assert "P(cat)" in chips[2].toolTip() and "not scored" in chips[3].toolTip()  # [MASK] at 3
    with qtbot.waitSignal(view.scoreAllPositionsToggled, check_params_cb=lambda on: on is False):
        view.score_all.setChecked(False)
    assert view.score_pane.isHidden()
    view.show_inspection(bert.inspect("the cat [MASK] on the mat"))
    assert view.score_pane.isHidden() and view.score_chips() == []


def test_messages_without_a_mask_and_without_an_mlm_head(view, bert, hf_folder):
    import model

    view.show_inspection(bert.inspect("the cat sat", logit_lens=True))
    assert "No [MASK]" in view.message.text() and view.mask_combo.count() == 0
    assert view.predictions_pane.isHidden() and view.lens_pane.isHidden()
    folder, _ = hf_folder("BertModel")
    view.show_inspection(model.load(folder, device="cpu").inspect("the [MASK] sat", logit_lens=True))
    assert "no MLM head" in view.message.text() and view.lens_pane.isHidden()


def test_logit_lens_counts_layers_from_zero_like_the_heads_dock(qtbot, view, bert, drawn_tick_labels):
    view.show_inspection(bert.inspect("the [MASK] sat", logit_lens=True))
    rows = [view.lens_table.verticalHeaderItem(row).text() for row in range(view.lens_table.rowCount())]
    assert rows == ["embeddings", "after L0", "after L1"]  # the small model has layers L0 and L1
    assert "(after L1)" in view.lens_table.item(2, 0).toolTip()
    view.resize(900, 900)
    view.show()
    qtbot.waitExposed(view)
    assert [text for _, text in drawn_tick_labels(view.lens_plot.getAxis("bottom"))] == ["emb", "L0", "L1"]


@pytest.mark.parametrize("text, text_b", [("the [mask] sat", None), ("the [MASK] sat", "a [Mask] ran")])
def test_a_mask_not_in_capitals_is_pointed_out(view, bert, text, text_b):
    view.show_inspection(bert.inspect(text, text_b))
    assert "Write [MASK] in capitals" in view.message.text()
    assert "“[mask]”" in view.message.text() or "“[Mask]”" in view.message.text()


def test_masks_in_capitals_need_no_hint(view, bert):
    view.show_inspection(bert.inspect("the [MASK] sat", "a dog ran"))
    assert view.message.text() == "1 mask: the model's most probable tokens."
