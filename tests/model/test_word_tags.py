"""Word tags: a token classifier's answer at each word's first piece, by hand."""

from __future__ import annotations

import numpy as np

from model.word_tags import softmax, tag_words

LABELS = {0: "O", 1: "B-NP", 2: "I-NP"}


def test_each_word_is_tagged_at_its_first_piece_and_specials_get_none():
    tokens = ["[CLS]", "un", "##believ", "##ably", "big", "cats", "[SEP]"]
    special = np.array([1, 0, 0, 0, 0, 0, 1], dtype=bool)
    offsets = np.array([[0, 0], [0, 2], [2, 8], [8, 12], [13, 16], [17, 21], [0, 0]])
    logits = np.zeros((7, 3), dtype=np.float32)
    logits[1] = [0.0, 3.0, 0.0]  # "unbelievably": B-NP at its first piece...
    logits[2:4] = [9.0, 0.0, 0.0]  # ...whatever its other pieces say
    logits[4] = [0.0, 0.0, np.log(2.0)]  # "big": I-NP with P = 2/4
    logits[5] = [5.0, 0.0, 0.0]
    tags = tag_words(logits, tokens, special, offsets, np.zeros(7, int), ("Unbelievably big cats", None), LABELS)
    assert [(t.word, t.first, t.last, t.tag) for t in tags] == [
        ("Unbelievably", 1, 3, "B-NP"),  # the word as typed, not the lower-cased pieces
        ("big", 4, 4, "I-NP"),
        ("cats", 5, 5, "O"),
    ]
    assert list(tags[1].probabilities) == ["I-NP", "O", "B-NP"]  # most probable first
    assert np.isclose(tags[1].probabilities["I-NP"], 0.5) and np.isclose(tags[1].probabilities["O"], 0.25)


def test_a_pairs_words_are_read_from_their_own_sentence():
    tokens = ["[CLS]", "hi", "[SEP]", "yo", "[SEP]"]
    special = np.array([1, 0, 1, 0, 1], dtype=bool)
    offsets = np.array([[0, 0], [0, 2], [0, 0], [0, 2], [0, 0]])
    tags = tag_words(np.zeros((5, 3)), tokens, special, offsets, np.array([0, 0, 0, 1, 1]), ("hi", "yo"), LABELS)
    assert [t.word for t in tags] == ["hi", "yo"] and tags[0].tag == "O"  # a tie goes to the first label


def test_softmax_rows_sum_to_one_even_for_large_logits():
    p = softmax(np.array([[1000.0, 0.0], [-5.0, -5.0]], dtype=np.float32))
    assert np.allclose(p.sum(-1), 1) and np.allclose(p[1], 0.5)
