"""How to read each tab: the caption above it, the Help > Tab guide dialog and the README's tab guide
all say this. Pure Python (no Qt), so the command line can name the tabs before Qt is imported; the
texts are marked for translation and translated where they are shown (guide_text, tab_title)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name pyside6-lupdate collects)
    """Mark `text` for translation in `context` without importing Qt: the tab names and guides are
    English here (the README and the command line use them) and translated where they are shown."""
    return text


# In the order of the tabs. Two or three sentences each, for a student who has just read an
# introduction to BERT; each says what one mark on the screen means, then what to try.
TAB_GUIDE = {
    QT_TRANSLATE_NOOP("tab_guide", "Tokens"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "BERT never sees words, only WordPiece tokens: each chip is one token with its row in the vocabulary "
            "(the small number), and a piece starting with ## continues the word before it. [CLS] opens the input, "
            "[SEP] closes each sentence, colours tell sentence A from B, and Words shows one chip per word. "
            "Hover a word to see how WordPiece split it; double-click it to mask it (Ctrl+double-click: "
            "one piece), then see Fill-mask.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Embeddings"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "The model's input for each token is the sum of three learned vectors: its token's, its segment's "
            "(sentence A or B) and its position's; LayerNorm then rescales the sum. In each heatmap a row is a token "
            "and a column one hidden dimension (blue negative, red positive); the token, segment and position maps "
            "share one scale and LayerNorm's output has its own. "
            "The curves give each part's size per token; the last map shows how alike the position vectors are.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Attention"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "Each small map is one head of one layer (rows: layers, columns: heads): row = the token that looks, "
            "column = the token it looks at; brighter = more attention, each row sums to 1. Click a map to see it "
            "large (right-click a cell: how that weight is computed); Head offers a layer's mean or max too, Show "
            "rollout, and Colour heads by tints each map by a statistic. Words shows words, not pieces (attention to "
            "a word summed, from one averaged).",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Head view"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "The same attention as lines: the tokens on the left look (queries), those on the right are looked at "
            "(keys); a line's thickness and opacity are its weight, one colour per head. Pick a layer and tick heads "
            "to compare them (Words joins each word's pieces). Click a token on either side to follow it: its lines "
            "stand out and its weights show as bars, one per head; right-click it to see how its weights are computed.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Fill-mask"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "Type [MASK] (in capitals) where a word is missing, or double-click a token: the model scores every token "
            "of its vocabulary for that gap, and the table and bars show the most probable. The probabilities share 1 "
            "over the whole vocabulary, so 0.2 can be a confident answer. The logit lens reads the same prediction "
            "after every layer, showing at which depth the answer forms.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Hidden states"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "After each layer every token is a long vector; each point is one token's vector at the chosen layer, "
            "projected onto the two directions in which these vectors differ most (PCA). Points close together are "
            "tokens the model represents alike there. Move the slider through the layers, and click a point (or "
            "choose a token under Follow) to draw its path through every layer.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Computation"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "How BERT computes, on your sentence: pick a panel on the left. Architecture draws the loaded model as "
            "boxes with the shape of the numbers on every arrow; Embeddings follows one token into the first layer; "
            "One layer, step by step shows every intermediate of a layer (queries, keys, scores, softmax, "
            "feed-forward) and Neuron view how one query and the keys make each attention score. Layer, Head and "
            "Token above choose what they show.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Sentence"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "BERT was also pretrained on next-sentence prediction: did sentence B really come next after sentence A "
            "(IsNext), or was it taken from another document (NotNext)? Type a sentence B and the final [CLS] vector "
            "answers with P(IsNext); P(NotNext) is 1 minus it. A fine-tuned classifier shows each class's probability "
            "here instead, and a token classifier the tag of each word.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Model"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "What is loaded: its shape (layers, heads, hidden size), how many parameters each part holds, the "
            "config.json it came from and, where its folder records them, its accuracies measured on held-out text. "
            "The ticks say what the checkpoint can do: fill masks (masked-LM head), judge sentence pairs "
            "(next-sentence head), or classify (a fine-tuned head). Model > Explore a size compares it with "
            "BERT-tiny to BERT-large, part by part.",
        )
    ),
    QT_TRANSLATE_NOOP("tab_guide", "Fine-tune"): (
        QT_TRANSLATE_NOOP(
            "tab_guide",
            "Teach the loaded model a new task: choose a file of labelled sentences (text,label) or of tagged words "
            "(a word and its tag a line), check its preview and press Start (or continue its pretraining on plain "
            "text). The curves show the training loss falling and, on rows held out from training, whether the model "
            "really improves: its score must beat always answering the most common class or tag. The finished model "
            "opens in the inspector with one click.",
        )
    ),
}

TAB_NAMES = tuple(TAB_GUIDE)


def tab_title(name: str) -> str:
    """A tab's name in the interface's language."""

    return QCoreApplication.translate("tab_guide", name)


def guide_text(name: str) -> str:
    """A tab's guide in the interface's language."""

    return QCoreApplication.translate("tab_guide", TAB_GUIDE[name])


def tab_key(name: str) -> str:
    """A tab's name as the command line and the settings spell it: "Head view" is head-view."""
    return name.strip().lower().replace(" ", "-")


def markdown() -> str:
    """The README's tab guide, made from the same texts (tests/bertgui/test_caption.py compares them)."""
    return "\n".join(f"- **{name}**: {text}" for name, text in TAB_GUIDE.items())
