"""The inspector's input: examples, token selection by characters, and masking a whole word or one piece,
checked by re-tokenising the result with the bundled model's own tokenizer."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "models" / "bert-mini-uncased"


@pytest.fixture(scope="module")
def tokenizer():
    from model.tokenizer import BertTokenizer

    return BertTokenizer.from_folder(BUNDLED, 128)


def inspection(tokenizer, text: str, text_b: str | None = None):
    """What the Tokens view is given for this text: the fields of an Inspection that masking reads."""
    e = tokenizer.encode(text, text_b)
    return SimpleNamespace(
        text=text,
        text_b=text_b,
        tokens=e.tokens,
        input_ids=np.array(e.ids),
        segment_ids=np.array(e.segment_ids),
        offsets=np.array(e.offsets, dtype=np.int32),
        special_tokens_mask=np.array(e.special_tokens_mask, dtype=bool),
        truncated=e.truncated,
    )


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
        tokens=["[CLS]", "the", "cat", "sat", "[SEP]", "a", "dog", "[SEP]"],
        truncated=False,
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


def test_double_click_masks_the_whole_word_with_one_mask_per_piece(text_input, tokenizer):
    text = "I ate croissants today."
    r = inspection(tokenizer, text)
    word = [i for i, t in enumerate(r.tokens) if t in ("cr", "##o", "##iss", "##ants")]
    assert [r.tokens[i] for i in word] == ["cr", "##o", "##iss", "##ants"]  # the bundled vocabulary splits it in 4
    for clicked in word:  # any piece of the word masks all of it
        text_input.set_texts(text)
        hint = text_input.mask_token(r, clicked)
        assert text_input.texts() == ("I ate [MASK] [MASK] [MASK] [MASK] today.", "")
        assert "croissants" in hint and "4 pieces" in hint
    after = tokenizer.encode(text_input.texts()[0]).tokens
    assert after == r.tokens[: word[0]] + ["[MASK]"] * 4 + r.tokens[word[-1] + 1 :]  # the same count: BERT's rule


def test_ctrl_double_click_masks_exactly_one_piece_and_keeps_the_pieces_before_it(text_input, tokenizer):
    text = "I ate croissants today."
    r = inspection(tokenizer, text)
    first = r.tokens.index("cr")
    expected = {  # the piece's characters only; what follows it in the word is re-read as a new word
        first: "I ate [MASK]oissants today.",
        first + 1: "I ate cr[MASK]issants today.",
        first + 2: "I ate cro[MASK]ants today.",
        first + 3: "I ate croiss[MASK] today.",
    }
    for index, masked in expected.items():
        text_input.set_texts(text)
        text_input.mask_piece(r, index)
        assert text_input.texts()[0] == masked
        after = tokenizer.encode(masked).tokens
        assert after[: index + 1] == r.tokens[:index] + ["[MASK]"]  # [MASK] at that very position
        assert after[-3:] == ["today", ".", "[SEP]"]  # the words after are untouched
    assert tokenizer.encode("I ate croiss[MASK] today.").tokens == (
        r.tokens[: first + 3] + ["[MASK]"] + r.tokens[first + 4 :]
    )  # the last piece: every other piece unchanged


def test_a_word_of_sentence_b_is_masked_in_sentence_b(text_input, tokenizer):
    a, b = "The man went home.", "He ate croissants."
    r = inspection(tokenizer, a, b)
    text_input.set_texts(a, b)
    text_input.mask_token(r, len(r.tokens) - 3)  # "##ants", sentence B's last word before "." and [SEP]
    assert text_input.texts() == (a, "He ate [MASK] [MASK] [MASK] [MASK].")
    assert tokenizer.encode(a, text_input.texts()[1]).tokens.count("[MASK]") == 4


def test_masking_after_accents_emoji_and_cjk_replaces_the_right_characters_and_can_be_undone(text_input, tokenizer):
    text = "Café 😀 猫 naïve croissants ok"
    r = inspection(tokenizer, text)
    text_input.set_texts(text)
    text_input.mask_token(r, r.tokens.index("##ants"))  # the emoji is two UTF-16 units in the line edit
    assert text_input.texts()[0] == "Café 😀 猫 naïve [MASK] [MASK] [MASK] [MASK] ok"
    text_input.text_a.undo()
    assert text_input.texts()[0] == text
    text_input.mask_token(r, r.tokens.index("##ive"))  # "naïve": the accent is stripped, the offsets are not
    assert text_input.texts()[0] == "Café 😀 猫 [MASK] [MASK] croissants ok"


def test_specials_masks_and_stale_tokens_are_left_alone_with_a_reason(text_input, tokenizer):
    text = "the [MASK] sat"
    r = inspection(tokenizer, text)
    text_input.set_texts(text)
    assert "added by the tokenizer" in text_input.mask_token(r, 0)
    assert "already [MASK]" in text_input.mask_piece(r, r.tokens.index("[MASK]"))
    assert text_input.texts()[0] == text
    text_input.set_texts("a dog sat")
    assert "changed" in text_input.mask_token(r, 1)
    assert text_input.texts()[0] == "a dog sat"


def test_a_word_the_length_limit_cut_is_masked_whole(text_input, tokenizer):
    text = "we ate croissants"
    short = tokenizer.with_max_length(5)  # [CLS] we at ##e [SEP]: the cut falls inside "ate"
    r = inspection(short, text)
    assert r.truncated and r.tokens[-2] == "##e"
    text_input.set_texts(text)
    text_input.mask_token(r, 2)
    assert text_input.texts()[0] == "we [MASK] [MASK] croissants"


def test_word_pieces_split_at_punctuation_and_typed_masks(tokenizer):
    from bertgui.text_input import word_pieces

    r = inspection(tokenizer, "don't cro[MASK]ants")
    words = sorted({tuple(r.tokens[i] for i in word_pieces(r, i)) for i in range(len(r.tokens))})
    assert ("don",) in words and ("'",) in words and ("t",) in words  # punctuation splits words, as in BERT
    assert ("cr", "##o") in words and ("[MASK]",) in words and ("ant", "##s") in words
