"""A token classifier's answer per word (chunking, named entities): the tag it gives each word's
first WordPiece token, where it was trained to put it (model/finetuning/token_trainer.py); the
other pieces of a word carry no label, as in Hugging Face's BertForTokenClassification recipe.

Words are the pieces a "##" continuation joins, which are the words BERT's pre-tokenizer splits
typed text into (at whitespace and punctuation; each Chinese character its own). NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tokenizer import Encoding, valid_unicode
from .word_attention import group_word_pieces


@dataclass
class WordTag:
    """A token classifier's answer for one word (read at its first piece, as it was trained)."""

    word: str  # the word as typed
    first: int  # position of its first piece in the token sequence
    last: int  # position of its last piece
    tag: str  # the most probable tag
    probabilities: dict[str, float]  # tag -> probability at the first piece, most probable first


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (T, labels) logits, in float64 so that probabilities sum to 1."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def tag_words(
    logits: np.ndarray,  # (T, labels) the token classifier's logits at every position
    tokens: list[str],
    special_tokens_mask: np.ndarray,  # (T,) bool: [CLS]/[SEP], which are no words
    offsets: np.ndarray,  # (T, 2) character span of each token in its own sentence
    segment_ids: np.ndarray,  # (T,) 0 = sentence A, 1 = sentence B
    texts: tuple[str, str | None],  # sentence A and B as typed
    id2label: dict[int, str],
) -> list[WordTag]:
    """One WordTag per word of the input, in order; the special tokens get none."""
    probabilities = softmax(logits)  # (T, labels)
    special = np.asarray(special_tokens_mask, dtype=bool)
    tags = []
    for positions in group_word_pieces(tokens, special).groups:
        first, last = positions[0], positions[-1]
        if special[first]:
            continue
        text = texts[int(segment_ids[first])] or ""
        typed = text[int(offsets[first][0]) : int(offsets[last][1])] or tokens[first]
        p = probabilities[first]
        order = np.argsort(-p, kind="stable")
        ranked = {id2label[int(i)]: float(p[i]) for i in order}
        tags.append(WordTag(typed, first, last, id2label[int(order[0])], ranked))
    return tags


def tag_encoding(
    logits: np.ndarray, enc: Encoding, text: str, text_b: str | None, id2label: dict[int, str]
) -> list[WordTag]:
    """tag_words for one tokenized input and the texts it was made from."""
    return tag_words(
        logits,
        enc.tokens,
        np.asarray(enc.special_tokens_mask, dtype=bool),
        np.asarray(enc.offsets, dtype=np.int32).reshape(-1, 2),
        np.asarray(enc.segment_ids, dtype=np.int64),
        (valid_unicode(text)[0], None if text_b is None else valid_unicode(text_b)[0]),
        id2label,
    )
