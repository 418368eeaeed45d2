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


def test_masks_are_named_by_their_context(view, bert):
    r = bert.inspect("the cat sat on the mat and the [MASK] ran to the [MASK] .")
    view.show_inspection(r)
    first, second = (view.mask_combo.itemText(i) for i in range(2))
    assert first == f"… mat and the [MASK] ran to the … (position {r.fill_mask[0].index})"
    assert second == f"… ran to the [MASK] . (position {r.fill_mask[1].index})"


def test_checked_words_show_the_inspections_probability_and_rank(qtbot, view, bert):
    with qtbot.waitSignal(view.candidatesChanged, check_params_cb=lambda words: words == ("france", "walking")):
        view.candidate_edit.setText("france, walking, france")
    r = bert.inspect("the [MASK] sat", candidates=view.candidates())
    view.show_inspection(r)
    assert not view.check_pane.isHidden()
    rows = [[view.check_table.item(row, col).text() for col in range(4)] for row in range(3)]
    france, walking = r.candidate_scores
    vocabulary = f"{france.vocabulary_size:,}"
    assert rows[0] == [
        "france",
        "france",
        probability_text(france.probabilities[0, 0]),
        f"{france.ranks[0, 0]:,} of {vocabulary}",
    ]
    assert rows[1][:2] == ["walking", "walk  (piece 1 of 2)"] and rows[2][1] == "##ing  (piece 2 of 2)"
    assert rows[2][3] == f"{walking.ranks[0, 1]:,} of {vocabulary}"
    assert "2 word pieces" in view.check_note.text()
    with qtbot.waitSignal(view.candidatesChanged, check_params_cb=lambda words: words == ()):
        view.candidate_edit.clear()
    assert view.check_pane.isHidden()


def test_heads_off_shows_all_heads_on_beside_now(view, bert):
    mask = np.ones((2, 4), dtype=np.float32)
    mask[0, 2] = mask[1, 1] = 0
    text = "the cat sat on the [MASK] ."
    view.show_inspection(bert.inspect(text, head_mask=mask, compare_all_heads_on=True))
    assert not view.before_box.isHidden() and view.now_title.text() == "<b>Now: 2 heads off</b> (L0H2, L1H1)"

    def shown(table):
        return [(table.item(i, 0).text(), table.item(i, 1).text()) for i in range(table.rowCount())]

    for table, head_mask in ((view.before_table, None), (view.table, mask)):
        expected = bert.inspect(text, head_mask=head_mask).fill_mask[0].predictions
        assert shown(table) == [(p.token, f"{p.score:.3f}") for p in expected]
    view.show_inspection(bert.inspect(text, compare_all_heads_on=True))  # all on again: one column
    assert view.before_box.isHidden() and view.now_title.isHidden()


def test_masked_scores_and_their_sum_are_shown(qtbot, view, bert):
    with qtbot.waitSignal(view.scoreModeChanged, check_params_cb=lambda masked: masked is False):
        view.score_mode.setCurrentIndex(view.score_mode.findData("as seen"))
    with qtbot.waitSignal(view.scoreModeChanged, check_params_cb=lambda masked: masked is True):
        view.score_mode.setCurrentIndex(view.score_mode.findData("masked"))
    r = bert.inspect("the cat [MASK] on the mat", masked_positions=True)
    view.show_inspection(r)
    chips = view.score_chips()
    assert "masked one at a time" in view.score_title.text()
    assert np.allclose([c.probability for c in chips], r.masked_token_probabilities, equal_nan=True)
    assert "with it masked" in chips[2].toolTip() and "when it is hidden" in chips[2].toolTip()
    assert f"{r.pseudo_log_likelihood:.2f}" in view.pll_label.text()


def test_top_k_is_chosen_and_every_row_is_shown_whole(qtbot, view, bert):
    with qtbot.waitSignal(view.topKChanged, check_params_cb=lambda k: k == 20):
        view.top_k_combo.setCurrentIndex(view.top_k_combo.findData(20))
    view.resize(900, 500)
    view.show()
    view.show_inspection(bert.inspect("the [MASK] sat", top_k=view.top_k))
    qtbot.waitExposed(view)
    table = view.table
    assert table.rowCount() == 20
    last = table.visualItemRect(table.item(19, 0))
    assert table.viewport().rect().contains(last)  # the table is as tall as its rows: none cut off


def test_the_last_result_stays_while_the_text_has_no_mask(qtbot, view, bert):
    masked = bert.inspect("the cat sat on the [MASK] .")
    view.show_inspection(masked)
    view.note_text_changed("the cat sat on the [MAS")
    qtbot.waitUntil(lambda: not view.stale_note.isHidden())  # a slow result: the old one is marked
    assert "Updating" in view.stale_note.text() and not view.table.isEnabled()
    view.show_inspection(bert.inspect("the cat sat on the [MAS"))
    assert "No [MASK] in the text" in view.message.text() and "Last result" in view.stale_note.text()
    assert not view.predictions_pane.isHidden()
    assert view.table.item(0, 0).text() == masked.fill_mask[0].predictions[0].token
    view.show_inspection(bert.inspect("the [MASK] sat"))
    assert view.stale_note.isHidden() and view.table.isEnabled()


def test_model_quality_line(view):
    view.set_model_quality(0.389, "MODEL_CARD.md")
    assert view.quality_label.text() == (
        "This model predicts 39% of held-out masked tokens correctly (MODEL_CARD.md); "
        "treat its guesses as a small model's."
    )
    assert not view.quality_label.isHidden()
    view.set_model_quality(None, "")
    assert view.quality_label.isHidden()


def probability_text(p):
    from bertgui.views.fill_mask_view import probability_text

    return probability_text(float(p))
