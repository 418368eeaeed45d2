"""Attention between words rather than WordPiece pieces, and statistics that tell heads apart.

Word mode merges the pieces of one word with the rule of Clark et al. (2019, "What Does BERT
Look At?"): attention *to* a word is the sum of the attention to its pieces, and attention
*from* a word is the mean of its pieces' rows, so every row still sums to 1 (or to 0 for a
switched-off head). [CLS] and [SEP] stay words of their own. Pure NumPy: the GUI thread may
call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONTINUATION = "##"  # WordPiece marks a piece that continues the word before it

WORD_RULE = (
    "word mode: attention to a word = the sum over its pieces; attention from a word = the mean "
    "over its pieces, so each row still sums to 1 (Clark et al. 2019)"
)


@dataclass
class WordGroups:
    """Which token positions make up each word."""

    words: list[str]  # each word's text: its pieces joined, "##" dropped
    groups: list[list[int]]  # the positions of each word's pieces, in order

    @property
    def merges_anything(self) -> bool:
        return any(len(g) > 1 for g in self.groups)


def group_word_pieces(tokens: list[str], special_tokens_mask=None) -> WordGroups:
    """Words from WordPiece tokens: a "##" piece joins the word before it; special tokens (the
    mask, when given, else [CLS]/[SEP]/[PAD] by name) stay alone and take no continuation."""
    special = (
        np.asarray(special_tokens_mask, dtype=bool)
        if special_tokens_mask is not None
        else np.array([t in ("[CLS]", "[SEP]", "[PAD]") for t in tokens], dtype=bool)
    )
    words: list[str] = []
    groups: list[list[int]] = []
    for i, token in enumerate(tokens):
        continues = token.startswith(CONTINUATION) and len(token) > len(CONTINUATION)
        if continues and groups and not special[i] and not special[groups[-1][-1]]:
            groups[-1].append(i)
            words[-1] += token[len(CONTINUATION) :]
        else:
            groups.append([i])
            words.append(token)
    return WordGroups(words=words, groups=groups)


def is_cjk(character: str) -> bool:
    """A CJK ideograph, which BERT's tokenizer makes a token of its own (as Google's BERT does)."""
    code = ord(character)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def chinese_word_spans(text: str) -> list[tuple[int, int]] | None:
    """Word spans (start, end) of a Chinese text by jieba's segmenter, or None when jieba is not
    installed (`pip install jieba`; an optional dependency) or the text has no CJK character."""
    if not any(is_cjk(c) for c in text):
        return None
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(60)  # its dictionary-loading notes go to stderr otherwise
    return [(start, end) for _word, start, end in jieba.tokenize(text)]


def group_words(
    tokens: list[str],
    offsets: np.ndarray,
    segment_ids: np.ndarray,
    special_tokens_mask: np.ndarray,
    texts: tuple[str, str | None],
) -> WordGroups:
    """Words of an input: WordPiece's "##" pieces joined (group_word_pieces) and, for Chinese text
    that a model splits into single characters, the characters of one word (by jieba) joined too.
    offsets: (T, 2) character spans into each token's own sentence; segment_ids: 0 = A, 1 = B."""
    groups = group_word_pieces(tokens, special_tokens_mask)
    spans = [chinese_word_spans(t) if t else None for t in texts]
    if not any(spans):
        return groups
    words: list[str] = []
    merged: list[list[int]] = []
    current: tuple[int, int] | None = None  # (segment, jieba word) the last group belongs to
    for word, group in zip(groups.words, groups.groups):
        first = group[0]
        segment = int(segment_ids[first])
        sentence_spans = spans[segment] if segment < len(spans) else None
        key = None
        if sentence_spans is not None and not special_tokens_mask[first] and is_cjk(word[:1] or " "):
            start = int(offsets[first][0])
            key = next(((segment, i) for i, (a, b) in enumerate(sentence_spans) if a <= start < b), None)
        if key is not None and key == current:
            merged[-1].extend(group)
            words[-1] += word
        else:
            merged.append(list(group))
            words.append(word)
        current = key
    return WordGroups(words=words, groups=merged)


def word_attention(attentions: np.ndarray, groups: WordGroups) -> np.ndarray:
    """(..., T, T) piece attention -> (..., W, W) word attention, float32, by WORD_RULE.

    Sums by np.add.reduceat over the pieces put in word order, not by a product with a
    membership matrix: no BLAS call, whose threads would fight the model's for the cores while
    the GUI thread redraws (a 3.4 s stall measured on 2 busy cores, against 35 ms)."""
    a = np.asarray(attentions)
    order = np.fromiter((p for g in groups.groups for p in g), dtype=np.int64)  # pieces, word by word
    if not np.array_equal(order, np.arange(a.shape[-1])):  # WordPiece's words are already in order
        a = a[..., order][..., order, :]
    sizes = np.array([len(g) for g in groups.groups], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))  # where each word begins in `order`
    to_words = np.add.reduceat(a, starts, axis=-1, dtype=np.float64)  # (..., T, W): columns of a word summed
    summed_rows = np.add.reduceat(to_words, starts, axis=-2)  # (..., W, W)
    return np.ascontiguousarray(summed_rows / sizes[:, None], dtype=np.float32)  # a word's rows averaged


# --- heads told apart by simple statistics ----------------------------------------------------

HEAD_STATISTICS = {
    "entropy": "how spread out each row is (nats; 0 = all weight on one token), averaged over the rows",
    "to [CLS]": "the share of attention given to [CLS], averaged over the rows",
    "to [SEP]": "the share of attention given to the [SEP] tokens, averaged over the rows",
    "previous token": "the weight on the token just before, averaged over the rows",
    "next token": "the weight on the token just after, averaged over the rows",
    "self": "the weight each token gives itself, averaged over the rows",
}


def head_statistics(attentions: np.ndarray, tokens: list[str]) -> dict[str, np.ndarray]:
    """(layers, heads, T, T) -> each of HEAD_STATISTICS as a (layers, heads) float32 array.
    A switched-off head (all zero) has no statistics: NaN, not a misleading 0."""
    a = np.asarray(attentions, dtype=np.float64)
    T = a.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(a > 0, a * np.log(a), 0.0)
    cls = np.array([t == "[CLS]" for t in tokens])
    sep = np.array([t == "[SEP]" for t in tokens])
    rows = np.arange(T)
    stats = {
        "entropy": -plogp.sum(-1).mean(-1),
        "to [CLS]": a[..., cls].sum(-1).mean(-1),
        "to [SEP]": a[..., sep].sum(-1).mean(-1),
        "previous token": a[..., rows[1:], rows[1:] - 1].mean(-1) if T > 1 else np.zeros(a.shape[:2]),
        "next token": a[..., rows[:-1], rows[:-1] + 1].mean(-1) if T > 1 else np.zeros(a.shape[:2]),
        "self": a[..., rows, rows].mean(-1),
    }
    off = ~(a.sum(-1) > 0).any(-1)  # (layers, heads)
    return {name: np.ascontiguousarray(np.where(off, np.nan, value), dtype=np.float32) for name, value in stats.items()}


# --- aggregation over heads and layers, each rule stated ------------------------------------

AGGREGATIONS = {
    "mean": "the mean over the chosen heads: each row still sums to 1",
    "max": "each cell's largest weight over the chosen heads: shows where any head looks; rows no longer sum to 1",
}


def aggregate_heads(attentions: np.ndarray, how: str) -> np.ndarray:
    """(..., heads, T, T) -> (..., T, T) by one of AGGREGATIONS (rollout is model.attention_rollout)."""
    a = np.asarray(attentions, dtype=np.float32)
    if how == "mean":
        return np.ascontiguousarray(a.mean(axis=-3))
    if how == "max":
        return np.ascontiguousarray(a.max(axis=-3))
    raise ValueError(f"no aggregation '{how}'; choose one of {', '.join(AGGREGATIONS)}")
