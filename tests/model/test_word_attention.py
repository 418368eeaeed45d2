"""Word mode's merge rule, head statistics and head aggregation, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from model.word_attention import WordGroups, aggregate_heads, group_word_pieces, head_statistics, word_attention


def random_attention(shape, seed=0) -> np.ndarray:
    a = np.random.default_rng(seed).random(shape)
    return (a / a.sum(-1, keepdims=True)).astype(np.float32)


def test_pieces_join_the_word_before_and_specials_stay_alone():
    tokens = ["[CLS]", "un", "##bel", "##ie", "##va", "##bly", "good", "[SEP]", "##x", "[SEP]"]
    groups = group_word_pieces(tokens)
    assert groups.words == ["[CLS]", "unbelievably", "good", "[SEP]", "##x", "[SEP]"]
    assert groups.groups == [[0], [1, 2, 3, 4, 5], [6], [7], [8], [9]]
    assert groups.merges_anything


def test_word_rows_still_sum_to_one():
    tokens = ["[CLS]", "the", "play", "##ing", "cat", "##s", "[SEP]"]
    a = random_attention((2, 3, 7, 7))
    w = word_attention(a, group_word_pieces(tokens))
    assert w.shape == (2, 3, 5, 5) and w.dtype == np.float32
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-6)


def test_no_split_words_leave_the_piece_matrix_unchanged():
    tokens = ["[CLS]", "the", "cat", "sat", "[SEP]"]
    a = random_attention((4, 5, 5), seed=1)
    groups = group_word_pieces(tokens)
    assert not groups.merges_anything
    np.testing.assert_array_equal(word_attention(a, groups), a)


def test_a_hand_computed_three_word_example():
    # three words, x, bc and y, from four pieces; no specials, so none are kept apart
    tokens = ["x", "b", "##c", "y"]
    a = np.array(
        [
            [0.1, 0.2, 0.3, 0.4],
            [0.5, 0.1, 0.1, 0.3],
            [0.2, 0.2, 0.2, 0.4],
            [0.0, 0.6, 0.4, 0.0],
        ]
    )
    w = word_attention(a, group_word_pieces(tokens, special_tokens_mask=[False] * 4))
    expected = np.array(
        [
            [0.1, 0.2 + 0.3, 0.4],  # from x: the columns of b and ##c summed
            [(0.5 + 0.2) / 2, ((0.1 + 0.1) + (0.2 + 0.2)) / 2, (0.3 + 0.4) / 2],  # from bc: rows averaged
            [0.0, 0.6 + 0.4, 0.0],
        ]
    )
    np.testing.assert_allclose(w, expected, atol=1e-7)


def test_words_whose_pieces_are_apart_follow_the_same_rule():
    # a word of positions 0 and 2 (a segmenter may join characters around another): by the
    # definition, columns summed and rows averaged, as a product with a membership matrix does it
    groups = WordGroups(["ac", "b", "d"], [[0, 2], [1], [3]])
    a = random_attention((2, 4, 4), seed=3).astype(np.float64)
    member = np.zeros((4, 3))
    for w, positions in enumerate(groups.groups):
        member[positions, w] = 1
    expected = (member / member.sum(0)).T @ a @ member
    np.testing.assert_allclose(word_attention(a, groups), expected, atol=1e-6)


def test_switched_off_heads_stay_zero_in_word_mode():
    a = random_attention((1, 2, 4, 4))
    a[0, 1] = 0
    w = word_attention(a, group_word_pieces(["[CLS]", "a", "##b", "[SEP]"]))
    assert np.all(w[0, 1] == 0) and np.allclose(w[0, 0].sum(-1), 1, atol=1e-6)


def test_head_statistics_find_previous_next_self_and_separator_heads():
    tokens = ["[CLS]", "a", "b", "c", "[SEP]"]
    T = len(tokens)
    previous = np.eye(T, k=-1)
    previous[0, 0] = 1
    following = np.eye(T, k=1)
    following[-1, -1] = 1
    to_sep = np.zeros((T, T))
    to_sep[:, -1] = 1
    off = np.zeros((T, T))
    heads = np.stack([previous, following, np.eye(T), to_sep, np.full((T, T), 1 / T), off])[None]  # (1, 6, T, T)
    stats = head_statistics(heads, tokens)
    assert stats["previous token"][0, 0] == 1 and stats["next token"][0, 1] == 1 and stats["self"][0, 2] == 1
    assert stats["to [SEP]"][0, 3] == 1 and stats["to [CLS]"][0, 3] == 0
    np.testing.assert_allclose(stats["entropy"][0, :4], 0, atol=1e-7)
    np.testing.assert_allclose(stats["entropy"][0, 4], np.log(T), rtol=1e-6)  # uniform: the most spread out
    assert all(np.isnan(v[0, 5]) for v in stats.values())  # a switched-off head has no statistics


def test_mean_and_max_over_heads():
    a = random_attention((2, 3, 4, 4), seed=3)
    np.testing.assert_allclose(aggregate_heads(a, "mean"), a.mean(1), rtol=1e-6)
    np.testing.assert_array_equal(aggregate_heads(a, "max"), a.max(1))
    np.testing.assert_allclose(aggregate_heads(a, "mean").sum(-1), 1, atol=1e-6)
    with pytest.raises(ValueError, match="choose one of mean, max"):
        aggregate_heads(a, "median")


def test_chinese_characters_of_one_word_are_grouped_by_jieba():
    pytest.importorskip("jieba", reason="jieba (optional) groups Chinese characters into words")
    from model.word_attention import group_words

    text = "我爱北京天安门"  # jieba: 我 / 爱 / 北京 / 天安门
    tokens = ["[CLS]", *text, "[SEP]"]  # a character-level Chinese vocabulary: one token per character
    offsets = np.array([(0, 0)] + [(i, i + 1) for i in range(len(text))] + [(0, 0)])
    special = np.array([True] + [False] * len(text) + [True])
    groups = group_words(tokens, offsets, np.zeros(len(tokens), int), special, (text, None))
    assert groups.words == ["[CLS]", "我", "爱", "北京", "天安门", "[SEP]"]
    assert groups.groups == [[0], [1], [2], [3, 4], [5, 6, 7], [8]]
    a = random_attention((1, 1, 9, 9))
    np.testing.assert_allclose(word_attention(a, groups).sum(-1), 1, atol=1e-6)


def test_english_words_are_the_word_piece_groups():
    from model.word_attention import group_words

    tokens = ["[CLS]", "un", "##like", "##ly", "cat", "[SEP]"]
    offsets = np.array([(0, 0), (0, 2), (2, 6), (6, 8), (9, 12), (0, 0)])
    special = np.array([True, False, False, False, False, True])
    groups = group_words(tokens, offsets, np.zeros(6, int), special, ("unlikely cat", None))
    assert groups.words == ["[CLS]", "unlikely", "cat", "[SEP]"]
