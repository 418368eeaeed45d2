"""One word, two contexts: the similarity curve is the cosine of the word's vectors per layer."""

from __future__ import annotations

import numpy as np
import pytest

import model
from model.two_contexts import compare_contexts, shared_word, word_pieces


def test_a_split_word_is_the_mean_of_its_pieces_and_the_curve_is_the_cosine():
    rng = np.random.default_rng(0)
    tokens_a = ["[CLS]", "the", "play", "##ing", "cat", "[SEP]"]
    tokens_b = ["[CLS]", "playing", "now", "[SEP]"]
    hidden_a, hidden_b = rng.standard_normal((3, 6, 8)), rng.standard_normal((3, 4, 8))
    c = compare_contexts(hidden_a, tokens_a, 3, hidden_b, tokens_b, 1)  # the ##ing piece stands for its word
    assert c.pieces_a == [2, 3] and c.pieces_b == [1] and c.word_a == c.word_b == "playing"
    a, b = hidden_a[:, 2:4].mean(1), hidden_b[:, 1]
    expected = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(c.similarity, expected, rtol=1e-5)
    assert c.similarity.shape == (3,) and c.similarity.dtype == np.float32


def test_the_default_word_is_one_both_sentences_share():
    assert shared_word(["[CLS]", "a", "river", "bank", "[SEP]"], ["[CLS]", "the", "bank", "[SEP]"]) == (3, 2)
    river = ["[CLS]", "the", "bank", "of", "the", "river", "[SEP]"]
    assert shared_word(river, ["[CLS]", "in", "the", "bank", "[SEP]"]) == (2, 3)  # the longest shared word
    assert shared_word(["[CLS]", "x", "[SEP]"], ["[CLS]", "y", "[SEP]"]) == (1, 1)
    with pytest.raises(model.BertError, match="tokens 0 to 2"):
        word_pieces(["[CLS]", "x", "[SEP]"], 5)


def test_bank_by_the_river_and_bank_with_money_drift_apart_in_the_bundled_model():
    bert = model.load(device="cpu")
    river, money = bert.inspect("he sat on the bank of the river ."), bert.inspect("she put her money in the bank .")
    same = bert.inspect("they sat on the bank of the stream .")
    c = compare_contexts(river.hidden_states, river.tokens, 5, money.hidden_states, money.tokens, 7)
    d = compare_contexts(river.hidden_states, river.tokens, 5, same.hidden_states, same.tokens, 5)
    assert c.word_a == c.word_b == "bank" and d.word_b == "bank"
    assert c.similarity[-1] < c.similarity[0]  # the context pulls the two uses apart layer by layer
    assert d.similarity[-1] > c.similarity[-1]  # a river bank stays closer to another river bank
