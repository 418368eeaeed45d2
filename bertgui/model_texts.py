"""The model core's English texts that the interface shows (model/ never imports Qt, so it cannot
mark them itself), marked here for translation; `model_text` looks one up in the interface's
language. tests/bertgui/test_translation.py fails when model/ gains such a text not listed here."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "model"

TEXTS = (
    # model.word_attention.WORD_RULE
    QT_TRANSLATE_NOOP(
        "model",
        "word mode: attention to a word = the sum over its pieces; attention from a word = the mean over its "
        "pieces, so each row still sums to 1 (Clark et al. 2019)",
    ),
    # model.word_attention.HEAD_STATISTICS
    QT_TRANSLATE_NOOP(
        "model", "how spread out each row is (nats; 0 = all weight on one token), averaged over the rows"
    ),
    QT_TRANSLATE_NOOP("model", "the share of attention given to [CLS], averaged over the rows"),
    QT_TRANSLATE_NOOP("model", "the share of attention given to the [SEP] tokens, averaged over the rows"),
    QT_TRANSLATE_NOOP("model", "the weight on the token just before, averaged over the rows"),
    QT_TRANSLATE_NOOP("model", "the weight on the token just after, averaged over the rows"),
    QT_TRANSLATE_NOOP("model", "the weight each token gives itself, averaged over the rows"),
    # the metrics' names (model.finetuning.metrics and token_metrics), as the curves call them
    QT_TRANSLATE_NOOP("model", "accuracy"),
    QT_TRANSLATE_NOOP("model", "macro-F1"),
    QT_TRANSLATE_NOOP("model", "word accuracy"),
    QT_TRANSLATE_NOOP("model", "chunk F1"),
    # model.word_attention.AGGREGATIONS
    QT_TRANSLATE_NOOP("model", "the mean over the chosen heads: each row still sums to 1"),
    QT_TRANSLATE_NOOP(
        "model", "each cell's largest weight over the chosen heads: shows where any head looks; rows no longer sum to 1"
    ),
)


def model_text(text: str) -> str:
    """One of TEXTS in the interface's language (any other text comes back as it is)."""
    return QCoreApplication.translate(CONTEXT, text)
