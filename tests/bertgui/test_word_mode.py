"""Word mode is one switch: the Words box of the Attention, Head view and Tokens tabs is the same
state, kept by the main window, so ticking it on one tab ticks it on all three."""

from __future__ import annotations


def test_word_mode_says_when_it_changes_and_only_then(qtbot):
    from bertgui.word_mode import WordMode

    state = WordMode()
    seen = []
    state.wordModeChanged.connect(seen.append)
    state.set_on(True)
    state.set_on(True)
    state.set_on(False)
    assert seen == [True, False] and not state.is_on()


def test_the_words_box_is_one_switch_for_the_three_tabs(qtbot, window):
    views = (window.attention_view, window.head_lines_view, window.tokens_view)
    window.controller.set_text("the dog reads")  # "reads" is "read ##s" in the test vocabulary
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.inspect_now()
    for view in views:
        window.tabs.setCurrentWidget(view)  # each draws when shown
    for ticked, on in ((window.attention_view, True), (window.head_lines_view, False), (window.tokens_view, True)):
        with qtbot.waitSignal(window.word_mode.wordModeChanged, check_params_cb=lambda value, on=on: value == on):
            ticked.words_box.setChecked(on)
        assert window.word_mode.is_on() == on
        assert [view.words_box.isChecked() for view in views] == [on] * 3
        assert [view.words_caption.isHidden() for view in views] == [not on] * 3
    r = window.controller.inspection
    words = r.words.words
    assert "reads" in words and len(words) < len(r.tokens)
    assert window.head_lines_view.labels.texts == words  # every view drew the words
    assert len(window.tokens_view.chips()) == len(words)
    assert window.attention_view.current_matrix()[0].shape == (len(words),) * 2


def test_inspections_bring_word_attentions_only_while_word_mode_is_on(qtbot, window):
    import numpy as np

    from model.word_attention import word_attention

    window.tabs.setCurrentWidget(window.attention_view)
    window.controller.set_text("the dog reads")
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.inspect_now()
    assert window.controller.inspection.word_attentions is None  # over a second at 512 tokens: not unasked
    window.attention_view.words_box.setChecked(True)  # drawn at once from the pieces it has...
    assert window.controller.word_mode
    shown = window.attention_view.current_matrix()[0]
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.inspect_now()
    r = window.controller.inspection  # ...and the next inspection brings them, made on the worker
    np.testing.assert_allclose(r.word_attentions, word_attention(r.attentions, r.words), atol=1e-6)
    np.testing.assert_allclose(window.attention_view.current_matrix()[0], shown, atol=1e-6)
    window.attention_view.words_box.setChecked(False)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.inspect_now()
    assert not window.controller.word_mode and window.controller.inspection.word_attentions is None


def test_word_mode_is_remembered_with_the_attention_tab(qtbot, window):
    window.tokens_view.words_box.setChecked(True)
    assert window.attention_view.options()["words"] is True
    window.attention_view.set_options({"words": False})  # as a restored setting
    assert not window.word_mode.is_on() and not window.tokens_view.words_box.isChecked()
