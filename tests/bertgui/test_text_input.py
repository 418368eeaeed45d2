"""The inspector's input: examples, token selection by characters, and masking a whole token."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest


@pytest.fixture
def text_input(qtbot):
    from bertgui.text_input import TextInput

    widget = TextInput()
    qtbot.addWidget(widget)
    return widget


def test_an_example_fills_both_sentences_and_says_so_once_per_field(text_input, qtbot):
    said = []
    text_input.textsChanged.connect(lambda a, b: said.append((a, b)))
    index = next(i for i in range(text_input.examples.count()) if " | " in text_input.examples.itemText(i))
    text_input.examples.activated.emit(index)
    a, b = text_input.texts()
    assert a and b and said[-1] == (a, b)


def test_a_token_after_an_emoji_selects_its_own_characters(text_input):
    text_input.set_texts("😀 cat sat")
    text_input.select_characters(0, 2, 5)  # code points of "cat", as the tokenizer counts
    assert text_input.text_a.selectedText() == "cat"
    text_input.select_characters(0, 2, 2)  # nothing
    assert text_input.text_a.selectedText() == ""


def test_masking_replaces_the_token_unless_the_sentence_changed_since(text_input):
    text_input.set_texts("the cat sat", "a dog")
    r = SimpleNamespace(
        text="the cat sat",
        text_b="a dog",
        special_tokens_mask=np.array([1, 0, 0, 0, 1, 0, 0, 1]),
        offsets=np.array([[0, 0], [0, 3], [4, 7], [8, 11], [0, 0], [0, 1], [2, 5], [0, 0]]),
        segment_ids=np.array([0, 0, 0, 0, 0, 1, 1, 1]),
    )
    text_input.mask_token(r, 0)  # [CLS]: nothing
    text_input.mask_token(r, 6)
    assert text_input.texts() == ("the cat sat", "a [MASK]")
    text_input.mask_token(r, 5)  # sentence B changed since: its offsets point elsewhere now
    assert text_input.texts() == ("the cat sat", "a [MASK]")
    text_input.mask_token(r, 2)
    assert text_input.texts() == ("the [MASK] sat", "a [MASK]")
