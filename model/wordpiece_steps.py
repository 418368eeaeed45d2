"""How WordPiece split one word: the greedy longest-match-first steps, for the Tokens tab's tooltip.

Where it runs: on the worker, next to the tokenizer. The GUI thread holds no tokenizer and no
vocabulary (ModelInfo carries only sizes), and shipping a 30k-120k entry vocabulary to the GUI
just to explain a few words would cost more than explaining them here. So `explain_word` takes
the `tokenizers.Tokenizer` itself (its normalizer, pre-tokenizer and vocabulary are what the real
tokenizer uses) and returns plain dataclasses of str that can cross threads.

The algorithm is WordPiece's own (Schuster & Nakajima 2012, as in BERT's tokenization.py and the
`tokenizers` WordPiece model): for each pre-token, at position p take the longest prefix of the
remaining characters that is in the vocabulary (written "##rest" when p > 0), then continue after
it. If no prefix matches at some position, or the pre-token is longer than
max_input_chars_per_word, the WHOLE pre-token becomes [UNK], not just the failing part.
"""

import re
from dataclasses import dataclass, field

from tokenizers import Tokenizer

MAX_MISSES_SHOWN = 2  # tried-and-missing longer candidates listed per step; the rest are counted


@dataclass
class Step:
    position: int  # character index into the pre-token where this piece starts
    piece: str | None  # the longest match ("##..." when position > 0); None when nothing matched
    misses: list[str]  # a few of the longer candidates that are not in the vocabulary, longest first
    more_misses: int  # how many further candidates were tried and missed


@dataclass
class PreTokenSplit:
    text: str  # one pre-token (a run of letters/digits, or one punctuation mark / CJK character)
    steps: list[Step]
    pieces: list[str]  # what the tokenizer outputs for it: the matched pieces, or ["[UNK]"]
    unk_reason: str | None = None  # why the whole pre-token became [UNK]
    special: bool = False  # a special token typed inside the word ("[MASK]."): kept whole, never split


@dataclass
class WordExplanation:
    word: str  # as typed
    normalized: str  # after lowercasing / accent stripping; equal to word when nothing changed
    special: bool = False  # a special token typed as such ([MASK]): kept whole, never split
    pre_tokens: list[PreTokenSplit] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Short plain-text lines (the GUI calls this on the data it got, importing nothing of `model`)."""
        return describe(self)

    @property
    def pieces(self) -> list[str]:
        if self.special:
            return [self.word]
        return [p for pre in self.pre_tokens for p in pre.pieces]


def wordpiece_settings(tok: Tokenizer) -> tuple[dict[str, int], str, str, int]:
    """(vocabulary, unk token, continuing prefix, max_input_chars_per_word) of a WordPiece tokenizer."""
    model = tok.model
    return (
        tok.get_vocab(with_added_tokens=False),
        model.unk_token,
        model.continuing_subword_prefix,
        model.max_input_chars_per_word,
    )


def split_pre_token(
    text: str, vocab: dict[str, int] | frozenset[str], unk: str = "[UNK]", prefix: str = "##", max_chars: int = 100
) -> PreTokenSplit:
    """Greedy longest-match-first over the vocabulary, recording every step."""
    if len(text) > max_chars:
        # The real WordPiece counts characters (not bytes) and gives up before trying anything.
        reason = f"{len(text)} characters, longer than the limit of {max_chars} characters per word"
        return PreTokenSplit(text, [], [unk], reason)
    steps: list[Step] = []
    pos = 0
    while pos < len(text):
        misses: list[str] = []
        piece = None
        for end in range(len(text), pos, -1):
            candidate = (prefix if pos > 0 else "") + text[pos:end]
            if candidate in vocab:
                piece = candidate
                break
            misses.append(candidate)
        shown = misses[:MAX_MISSES_SHOWN]
        steps.append(Step(pos, piece, shown, len(misses) - len(shown)))
        if piece is None:
            where = f"at character {pos + 1} ({text[pos]!r})"
            reason = f"nothing in the vocabulary matches {where}, so the whole word becomes {unk}"
            return PreTokenSplit(text, steps, [unk], reason)
        pos += len(piece) - (len(prefix) if pos > 0 else 0)
    return PreTokenSplit(text, steps, [s.piece for s in steps])


def explain_word(tok: Tokenizer, word: str) -> WordExplanation:
    """How `tok` splits `word` (one whitespace-separated word of the input)."""
    specials = sorted({t.content for t in tok.get_added_tokens_decoder().values()}, key=len, reverse=True)
    if word in specials:
        return WordExplanation(word, word, special=True)
    vocab, unk, prefix, max_chars = wordpiece_settings(tok)
    # Like `tokenizers`, cut out typed special tokens first: they skip normalization and WordPiece.
    parts = re.split("(" + "|".join(map(re.escape, specials)) + ")", word) if specials else [word]
    normalized, pre_tokens = [], []
    for i, part in enumerate(parts):
        if i % 2:
            normalized.append(part)
            pre_tokens.append(PreTokenSplit(part, [], [part], special=True))
            continue
        norm = tok.normalizer.normalize_str(part) if tok.normalizer is not None else part
        normalized.append(norm)
        if tok.pre_tokenizer is not None:
            pre = [s for s, _ in tok.pre_tokenizer.pre_tokenize_str(norm)]
        else:
            pre = [norm] if norm else []
        pre_tokens += [split_pre_token(p, vocab, unk, prefix, max_chars) for p in pre]
    return WordExplanation(word, "".join(normalized), False, pre_tokens)


def explain_words(tok: Tokenizer, text: str) -> list[WordExplanation]:
    """One explanation per whitespace-separated word of `text`, in order."""
    return [explain_word(tok, w) for w in text.split()]


def describe(explanation: WordExplanation) -> list[str]:
    """The explanation as short plain-text lines (the tooltip sets them in monospace)."""
    e = explanation
    if e.special:
        return [f"{e.word} is a special token: kept whole, never split"]
    lines = []
    if e.normalized != e.word:
        lines.append(f"normalized: {e.word!r} -> {e.normalized!r} (lowercase, accents stripped)")
    if len(e.pre_tokens) > 1:
        lines.append("pre-split at punctuation: " + " | ".join(p.text for p in e.pre_tokens))
    for pre in e.pre_tokens:
        if pre.special:
            lines.append(f"{pre.text}: a special token, kept whole")
            continue
        lines.append(f"{pre.text}:")
        for s in pre.steps:
            tried = "".join(f"{m}? no; " for m in s.misses)
            more = f"(+{s.more_misses} shorter misses) " if s.more_misses and s.piece else ""
            found = f"{s.piece} yes" if s.piece else f"no prefix at character {s.position + 1} is in the vocabulary"
            lines.append(f"  at {s.position}: {tried}{more}{found}")
        if pre.unk_reason:
            lines.append(f"  -> [UNK]: {pre.unk_reason}")
        else:
            lines.append("  -> " + " + ".join(pre.pieces))
    return lines
