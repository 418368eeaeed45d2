"""Fill-mask's "Why this prediction?", driven as a user would."""

from __future__ import annotations

import numpy as np

from bertgui.views.attribution_panel import shares


def test_shares_rescale_the_kept_values_to_a_total_size_of_one():
    np.testing.assert_allclose(shares(np.array([1.0, -3.0, 4.0]), np.array([0, 1])), [0.25, -0.75])
    np.testing.assert_array_equal(shares(np.zeros(3), np.arange(3)), np.zeros(3))


def test_why_this_prediction_shows_the_attributions_beside_the_rollout(qtbot, window):
    window.tabs.setCurrentWidget(window.fill_mask_view)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.text_a.setText("the cat sat on the [MASK]")
    view = window.fill_mask_view
    r = window.controller.inspection
    top = r.fill_mask[0].predictions[1].token
    view.table.setCurrentCell(1, 0)  # the second prediction
    with qtbot.waitSignal(window.controller.attributionReady, timeout=60_000) as ready:
        view.why_button.click()
    a = ready.args[1]
    panel = window.menus.attribution_panel
    qtbot.waitUntil(lambda: panel.attribution is a)
    assert a.target == f"'{top}' at position {r.fill_mask[0].index}" and a.method == "ig" and a.steps == 32
    np.testing.assert_allclose(panel.bars.opts["width"], a.scores / np.abs(a.scores).sum(), rtol=1e-5)
    rollout = r.rollout[-1][a.target_position]
    np.testing.assert_allclose(panel.rollout_bars.opts["width"], rollout / rollout.sum(), rtol=1e-5)
    assert "gap of" in panel.completeness.text()
    panel.hide_special.setChecked(True)  # the specials leave both charts, the rest rescaled
    assert len(panel.bars.opts["width"]) == len(a.tokens) - 2 and "hidden" in panel.scale_note.text()
    np.testing.assert_allclose(np.abs(panel.bars.opts["width"]).sum(), 1, rtol=1e-5)
    with qtbot.waitSignal(window.controller.attributionReady, timeout=60_000) as ready:
        panel.method.setCurrentIndex(panel.method.findData("grad"))
    assert ready.args[1].method == "grad" and ready.args[1].steps == 1


def test_words_add_up_their_pieces_and_share_the_apps_words_switch(qtbot, window):
    from model.word_attention import group_word_pieces

    window.tabs.setCurrentWidget(window.fill_mask_view)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.text_a.setText("the cat walking on the [MASK]")
    r = window.controller.inspection
    assert "##ing" in r.tokens
    with qtbot.waitSignal(window.controller.attributionReady, timeout=60_000) as ready:
        window.fill_mask_view.why_button.click()
    a, panel = ready.args[1], window.menus.attribution_panel
    qtbot.waitUntil(lambda: panel.attribution is a)
    assert len(panel.bars.opts["width"]) == len(a.tokens)
    window.attention_view.words_box.setChecked(True)  # the Attention tab's box is the same switch
    assert panel.words_box.isChecked()
    groups = group_word_pieces(a.tokens, a.special_tokens_mask).groups
    summed = np.array([a.scores[g].sum() for g in groups])
    np.testing.assert_allclose(panel.bars.opts["width"], summed / np.abs(summed).sum(), rtol=1e-5)
    rollout = r.rollout[-1][a.target_position]
    to_words = np.array([rollout[g].sum() for g in groups])
    np.testing.assert_allclose(panel.rollout_bars.opts["width"], to_words / to_words.sum(), rtol=1e-5)
    assert "walking" in panel.strip.text() and "##ing" not in panel.strip.text()
    panel.words_box.setChecked(False)  # and back, from the window: every tab follows
    assert not window.attention_view.words_box.isChecked() and len(panel.bars.opts["width"]) == len(a.tokens)


def test_why_this_class_explains_a_classifiers_top_class(qtbot, controller, hf_folder):
    from bertgui.main_window import MainWindow

    folder, _ = hf_folder("BertForSequenceClassification", num_labels=3)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.nsp_view)
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(str(folder), "cpu")
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        window.text_a.setText("the cat sat on the mat")
    r = controller.inspection
    top = max(r.class_probabilities, key=r.class_probabilities.get)
    assert window.nsp_view.why_button.isVisible()
    with qtbot.waitSignal(controller.attributionReady, timeout=60_000) as ready:
        window.nsp_view.why_button.click()
    a = ready.args[1]
    assert a.target == f"class '{top}'" and a.target_position == 0
    panel = window.menus.attribution_panel
    qtbot.waitUntil(lambda: panel.attribution is a)
    assert f"class '{top}'" in panel.target_label.text()
