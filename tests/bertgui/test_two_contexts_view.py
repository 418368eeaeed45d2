"""Model > One word, two contexts, driven as a user would."""

from __future__ import annotations

import numpy as np


def test_the_shared_word_is_compared_and_another_word_can_be_chosen(qtbot, window):
    with qtbot.waitSignal(window.controller.contextsCompared, timeout=30_000) as compared:
        window.menus.show_two_contexts()
    panel = window.menus.two_contexts
    panel.sentences[0].setText("the river bank was cold")
    wanted = lambda _id, answer: answer.comparison.tokens_a[1:3] == ["the", "river"]  # noqa: E731
    with qtbot.waitSignal(window.controller.contextsCompared, timeout=30_000, check_params_cb=wanted) as compared:
        panel.sentences[1].setText("she put money in the bank")
    c = compared.args[1].comparison
    qtbot.waitUntil(lambda: panel.answer is not None and panel.answer.comparison is c)
    assert c.word_a == c.word_b == "bank"  # the longest word both sentences share
    assert [panel.words[0].currentText(), panel.words[1].currentText()] == ["bank", "bank"]
    x, y = panel.curve.getData()
    np.testing.assert_array_equal(y, c.similarity)
    assert list(x) == [0, 1, 2] and "Open a corpus index" in panel.neighbours.text()
    with qtbot.waitSignal(window.controller.contextsCompared, timeout=30_000) as compared:
        panel.words[0].setCurrentIndex(panel.words[0].findText("river"))
        panel.words[0].activated.emit(panel.words[0].currentIndex())
    c = compared.args[1].comparison
    assert c.word_a == "river" and c.word_b == "bank"
    r = window.controller  # the curve is the cosine of the word's vectors, one point per layer
    assert c.similarity.shape == (r.info.config.num_hidden_layers + 1,)
