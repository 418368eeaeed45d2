"""One word, two contexts: how alike the model represents a word in two sentences, layer by
layer (the classic lesson on contextual embeddings: "bank" by a river and "bank" with money).

A word WordPiece splits into several pieces is represented by the mean of its pieces' vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import BertError
from .word_attention import group_word_pieces

SPECIAL = ("[CLS]", "[SEP]", "[PAD]")


@dataclass
class ContextComparison:
    tokens_a: list[str]
    tokens_b: list[str]
    pieces_a: list[int]  # the chosen word's token positions in sentence A
    pieces_b: list[int]
    word_a: str
    word_b: str
    similarity: np.ndarray  # (layers + 1,) float32 cosine similarity of the two words' vectors; [0] = embeddings
    vectors_a: np.ndarray  # (layers + 1, hidden) float32 the word's vector in A after each layer
    vectors_b: np.ndarray


def word_pieces(tokens: list[str], position: int) -> list[int]:
    """The positions of the pieces of the word the token at `position` belongs to."""
    for group in group_word_pieces(tokens).groups:
        if position in group:
            return group
    raise BertError(f"token {position} does not exist: the sentence has tokens 0 to {len(tokens) - 1}")


def shared_word(tokens_a: list[str], tokens_b: list[str]) -> tuple[int, int]:
    """A word worth comparing when none is chosen: the longest word both sentences have (the
    first of equals; a long word is rarely "the" or "of"), at its first occurrence in each; else
    the first word of each."""
    words_b: dict[str, int] = {}
    for group in group_word_pieces(tokens_b).groups:
        if tokens_b[group[0]] not in SPECIAL:
            words_b.setdefault(_word(tokens_b, group), group[0])
    shared = [
        (_word(tokens_a, g), g[0])
        for g in group_word_pieces(tokens_a).groups
        if tokens_a[g[0]] not in SPECIAL and _word(tokens_a, g) in words_b
    ]
    if shared:
        word, position = max(shared, key=lambda item: len(item[0]))  # max keeps the first of equals
        return position, words_b[word]
    return min(1, len(tokens_a) - 1), min(1, len(tokens_b) - 1)


def _word(tokens: list[str], pieces: list[int]) -> str:
    return "".join(tokens[i].removeprefix("##") for i in pieces)


def compare_contexts(
    hidden_a: np.ndarray,
    tokens_a: list[str],
    position_a: int,
    hidden_b: np.ndarray,
    tokens_b: list[str],
    position_b: int,
) -> ContextComparison:
    """hidden_*: (layers + 1, T, hidden) as Inspection.hidden_states; position_*: any piece of the word."""
    pieces_a, pieces_b = word_pieces(tokens_a, position_a), word_pieces(tokens_b, position_b)
    a = np.asarray(hidden_a, dtype=np.float64)[:, pieces_a].mean(axis=1)  # (layers + 1, hidden)
    b = np.asarray(hidden_b, dtype=np.float64)[:, pieces_b].mean(axis=1)
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    similarity = np.divide((a * b).sum(axis=1), norms, out=np.zeros(len(a)), where=norms > 0)
    return ContextComparison(
        tokens_a=list(tokens_a),
        tokens_b=list(tokens_b),
        pieces_a=pieces_a,
        pieces_b=pieces_b,
        word_a=_word(tokens_a, pieces_a),
        word_b=_word(tokens_b, pieces_b),
        similarity=np.ascontiguousarray(similarity, dtype=np.float32),
        vectors_a=np.ascontiguousarray(a, dtype=np.float32),
        vectors_b=np.ascontiguousarray(b, dtype=np.float32),
    )
