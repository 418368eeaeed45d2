"""What the Attention, Head view and Tokens tabs show in word mode: the input's words (WordPiece
pieces joined, Chinese characters of one word joined), the attention between them by
model.word_attention's rule, and the Words box that switches it on, shared by the three tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QLabel

from model.word_attention import WORD_RULE, WordGroups, group_word_pieces, is_cjk, word_attention

from ..model_texts import model_text
from .attention_matrix import shown_tokens

if TYPE_CHECKING:
    import model


def words_rule() -> str:
    """The merge rule as a sentence, in the interface's language."""
    rule = model_text(WORD_RULE)
    return QCoreApplication.translate("word_units", "{0}.").format(rule[0].upper() + rule[1:])


def words_check_box() -> QCheckBox:
    box = QCheckBox(QCoreApplication.translate("word_units", "Words"))
    box.setToolTip(
        QCoreApplication.translate(
            "word_units",
            "Show words instead of WordPiece pieces (on every tab that has this box). {0} [CLS] and [SEP] stay "
            "words of their own.",
        ).format(words_rule())
    )
    return box


def words_caption() -> QLabel:
    """The rule, stated under the controls while word mode is on."""
    label = QLabel(words_rule())
    label.setWordWrap(True)
    label.hide()
    return label


def word_groups(r: model.Inspection) -> WordGroups:
    """The input's words: as the inspection grouped them, else its "##" pieces joined."""
    return r.words if r.words is not None else group_word_pieces(r.tokens, r.special_tokens_mask)


def unit_names(r: model.Inspection, words: bool) -> list[str]:
    """The name of each row and column shown: the words in word mode, else the tokens."""
    return word_groups(r).words if words else list(r.tokens)


def unit_firsts(r: model.Inspection, words: bool) -> np.ndarray:
    """The token index of each unit's first piece (of each token itself, in piece mode)."""
    if not words:
        return np.arange(len(r.tokens))
    return np.array([g[0] for g in word_groups(r).groups], dtype=np.int64)


def in_units(matrix: np.ndarray, r: model.Inspection, words: bool) -> np.ndarray:
    """A (..., T, T) piece matrix as the rows and columns shown: by WORD_RULE in word mode (the very
    same matrix when no word is split), else unchanged."""
    groups = word_groups(r)
    if not words or not groups.merges_anything:
        return matrix
    return word_attention(matrix, groups)


def all_heads_in_units(r: model.Inspection, words: bool) -> np.ndarray:
    """(layers, heads, n, n): every head between the units shown; in word mode the inspection's
    word_attentions, made on the worker thread, or, for the inspection shown when word mode was
    switched on, made here once (the view keeps it until the next inspection)."""
    if words and r.word_attentions is not None:
        return r.word_attentions
    return in_units(r.attentions, r, words)


def any_cjk(texts: list[str]) -> bool:
    """Whether any of the texts holds a CJK ideograph."""
    return any(is_cjk(c) for text in texts for c in text)


def shown_units(r: model.Inspection, hide_special: bool, words: bool) -> np.ndarray:
    """Indices of the rows shown, into unit_names: all, or all but [CLS]/[SEP] (attention_matrix's rule)."""
    return shown_tokens(r, hide_special, unit_firsts(r, words))
