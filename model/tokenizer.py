"""WordPiece tokenization, built on the `tokenizers` library, with what the inspector needs:
tokens, ids, segment ids, character offsets, the special-token mask and a truncation flag.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from .errors import BertError, CheckpointError, one_line
from .safe_read import FileKind, clip, read_json, read_text, shown
from .wordpiece_steps import WordExplanation, explain_words

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

# Building a tokenizer holds the GIL for 1-2 us per vocabulary entry in each of a few single
# calls into `tokenizers` (from_str, WordPiece(vocab), to_str), so the window freezes for as
# long as the longest one. Measured: the largest gap of a Python thread ticking every 1 ms beside
# BertTokenizer.from_folder (2 loaded cores):
#   tokenizer.json 0.7 MB (30k entries) 0.03 s; 2.7 MB (120k) 0.2 s; 3.8 MB (165k) 0.23-0.28 s;
#     3.7 MB (290k short entries) 0.3-0.45 s; 5.8 MB (250k) 0.5 s; 9.4 MB (400k) 0.8 s; 58 MB (2M) 3.7 s.
#   vocab.txt 0.96 MB (130k) 0.2 s; 1.0 MB (210k short) 0.2-0.25 s; 1.9 MB (250k) 0.6 s; 3 MB (400k) 0.9 s.
# The limits refuse a hostile file unread (a 278 MB tokenizer.json froze the window 13.6 s) while
# admitting every real BERT vocabulary, the largest ones too (multilingual BERT: 120k entries, a
# 1.9 MB tokenizer.json, a 0.95 MB vocab.txt; LaBSE and MuRIL: 200k-500k entries): a model that
# large freezes the window once, at load, for about 1 s, which its user is waiting on anyway.
# A file at the limit would freeze it about 2 s.
TOKENIZER_JSON = FileKind("a tokenizer.json", CheckpointError, limit_mb=32)
VOCAB_TXT = FileKind("a vocab.txt", CheckpointError, limit_mb=8)
TOKENIZER_CONFIG = FileKind("a tokenizer_config.json", CheckpointError, limit_mb=1)  # real ones: under 2 KB

# A str can hold lone UTF-16 surrogates, which are no characters: Python makes one of each byte
# of a command-line argument that is not UTF-8 (surrogateescape), and JSON's "\ud800" is one.
# `tokenizers` refuses any such str with a TypeError.
SURROGATES = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> tuple[str, int]:
    """`text` with each lone surrogate replaced by U+FFFD, and how many were. One character for
    one, so offsets into the result are offsets into `text`."""
    if text.isascii():  # nearly every text, and free: CPython records it when it makes the str
        return text, 0
    return SURROGATES.subn("\ufffd", text)


@dataclass
class Encoding:
    tokens: list[str]
    ids: list[int]
    segment_ids: list[int]  # 0 for [CLS] + sentence A + [SEP], 1 for sentence B + [SEP]
    offsets: list[tuple[int, int]]  # (start, end) characters into the token's own sentence; (0, 0) for specials
    special_tokens_mask: list[
        int
    ]  # 1 for the [CLS]/[SEP] added around the text; 0 for text tokens (a typed [MASK] too)
    truncated: bool  # the input was longer than max_length and was cut
    replaced_characters: int = 0  # characters that are not valid Unicode, tokenized as U+FFFD

    @property
    def warning(self) -> str | None:
        """One line for the user when the text was changed to be tokenized; None when it was not."""
        n = self.replaced_characters
        if not n:
            return None
        return (
            f"{n:,} character{'s that are' if n > 1 else ' that is'} not valid Unicode "
            f"{'were' if n > 1 else 'was'} replaced by U+FFFD"
        )

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class WordPieces:
    ids: list[int]
    word_ids: list[int]  # for each token, the index of the word it came from


class BertTokenizer:
    """A BERT WordPiece tokenizer read from a model folder (tokenizer.json or vocab.txt)."""

    def __init__(self, tokenizer: Tokenizer, max_length: int):
        self._tok = tokenizer
        self.max_length = max_length
        missing = [t for t in SPECIAL_TOKENS if t != "[PAD]" and tokenizer.token_to_id(t) is None]
        if missing:
            raise CheckpointError(f"the vocabulary lacks the special token(s) {', '.join(missing)}")
        self.cls_token_id = tokenizer.token_to_id("[CLS]")
        self.sep_token_id = tokenizer.token_to_id("[SEP]")
        self.mask_token_id = tokenizer.token_to_id("[MASK]")
        self.unk_token_id = tokenizer.token_to_id("[UNK]")
        pad = tokenizer.token_to_id("[PAD]")
        self.pad_token_id = 0 if pad is None else pad
        # BERT's input format: [CLS] A [SEP] and [CLS] A [SEP] B [SEP], whatever tokenizer.json said.
        tokenizer.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]",
            pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", self.cls_token_id), ("[SEP]", self.sep_token_id)],
        )
        tokenizer.no_padding()
        self._untruncated = Tokenizer.from_str(tokenizer.to_str())  # for evaluation windows
        self._untruncated.no_truncation()
        tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")

    # --- construction --------------------------------------------------------------

    @classmethod
    def from_folder(cls, folder: Path, max_length: int, vocab_size: int | None = None) -> "BertTokenizer":
        """The tokenizer of a model folder: tokenizer.json, else vocab.txt (with tokenizer_config.json's
        options). With `vocab_size`, the model's, a token id it has no embedding for is refused."""
        folder = Path(folder)
        tokenizer_json, vocab_txt = folder / "tokenizer.json", folder / "vocab.txt"
        # Whatever is there under the name is checked (a FIFO, a folder, a broken link are
        # refused), not passed over for the other file.
        if os.path.lexists(tokenizer_json):
            source, tok = tokenizer_json, _wordpiece_from_json(tokenizer_json)
        elif os.path.lexists(vocab_txt):
            source, tok = vocab_txt, wordpiece_from_vocab(vocab_txt, **_tokenizer_options(folder, vocab_txt))
        else:
            raise CheckpointError(f"{folder}: no vocab.txt or tokenizer.json; a model folder needs one of them")
        if vocab_size is not None:
            _check_ids_fit(tok, vocab_size, source)
        try:
            return cls(tok, max_length)
        except CheckpointError as exc:  # a special token missing: say which file lacks it
            raise CheckpointError(f"{source}: {exc}") from None

    def with_max_length(self, max_length: int) -> "BertTokenizer":
        """The same vocabulary and normalisation, truncating at another length."""
        return BertTokenizer(Tokenizer.from_str(self._tok.to_str()), max_length)

    @property
    def vocab_size(self) -> int:
        return self._tok.get_vocab_size(with_added_tokens=True)

    @property
    def fingerprint(self) -> str:
        """A digest of the vocabulary and the normalisation rules: two tokenizers with the
        same fingerprint split every text into the same ids (what a token cache is keyed on)."""
        return hashlib.sha256(self._untruncated.to_str().encode("utf-8")).hexdigest()[:16]

    # --- use ------------------------------------------------------------------------

    def encode(self, text: str, text_b: str | None = None) -> Encoding:
        """Tokenize a sentence or a pair. Never raises for any str: empty, emoji, control
        characters and very long pastes all give a (possibly truncated) encoding."""
        if not isinstance(text, str) or (text_b is not None and not isinstance(text_b, str)):
            raise BertError("the text to tokenize must be a string")
        text, replaced = valid_unicode(text)
        if text_b is None:
            enc = self._tok.encode(text)
        else:
            text_b, replaced_b = valid_unicode(text_b)
            enc = self._tok.encode(text, text_b)
            replaced += replaced_b
        return Encoding(
            tokens=list(enc.tokens),
            ids=list(enc.ids),
            segment_ids=list(enc.type_ids),
            offsets=[tuple(o) for o in enc.offsets],
            special_tokens_mask=list(enc.special_tokens_mask),
            truncated=len(enc.overflowing) > 0,
            replaced_characters=replaced,
        )

    def encode_plain_batch(self, texts: list[str]) -> list[list[int]]:
        """WordPiece ids of each text with no special tokens and no truncation (for evaluation windows)."""
        texts = [valid_unicode(text)[0] for text in texts]
        return [e.ids for e in self._untruncated.encode_batch(texts, add_special_tokens=False)]

    def encode_words_batch(self, sentences: list[Sequence[str]]) -> list[WordPieces]:
        """WordPiece ids of sentences already split into words (as tagged data is), with no
        special tokens and no truncation, and the word each token came from: a word may become
        several tokens ("U.S." four), or none (one of only control characters)."""
        batch = [[valid_unicode(word)[0] for word in words] for words in sentences]
        encodings = self._untruncated.encode_batch(batch, is_pretokenized=True, add_special_tokens=False)
        return [WordPieces(list(e.ids), list(e.word_ids)) for e in encodings]

    def explain_words(self, text: str) -> list[WordExplanation]:
        """How WordPiece split each whitespace-separated word of `text` (see wordpiece_steps.py)."""
        return explain_words(self._tok, valid_unicode(text)[0])

    def id_to_token(self, index: int) -> str:
        return self._tok.id_to_token(int(index))

    def token_to_id(self, token: str) -> int | None:
        return self._tok.token_to_id(token)

    def save(self, folder: Path) -> None:
        """Write tokenizer.json, vocab.txt and tokenizer_config.json into `folder`."""
        folder = Path(folder)
        self._tok.save(str(folder / "tokenizer.json"))
        vocab = sorted(self._tok.get_vocab(with_added_tokens=True).items(), key=lambda kv: kv[1])
        (folder / "vocab.txt").write_text("".join(token + "\n" for token, _ in vocab), encoding="utf-8")
        norm = self._normalizer_options()
        config = {
            "tokenizer_class": "BertTokenizer",
            "do_lower_case": norm["lowercase"],
            "strip_accents": norm["strip_accents"],
            "tokenize_chinese_chars": norm["handle_chinese_chars"],
            "model_max_length": self.max_length,
            "unk_token": "[UNK]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "cls_token": "[CLS]",
            "mask_token": "[MASK]",
        }
        (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    def _normalizer_options(self) -> dict:
        state = json.loads(self._tok.to_str()).get("normalizer") or {}
        if state.get("type") == "BertNormalizer":
            return {
                "lowercase": state.get("lowercase", True),
                "strip_accents": state.get("strip_accents"),
                "handle_chinese_chars": state.get("handle_chinese_chars", True),
            }
        return {"lowercase": True, "strip_accents": None, "handle_chinese_chars": True}


def wordpiece_from_vocab(
    vocab_txt: Path, lowercase: bool = True, strip_accents: bool | None = None, handle_chinese_chars: bool = True
) -> Tokenizer:
    """A `tokenizers` BERT WordPiece pipeline from a vocab.txt: BERT normalisation (clean
    control characters, split CJK characters, optional lowercase and accent stripping),
    whitespace + punctuation pre-splitting, then greedy longest-match WordPiece."""
    lines = read_text(vocab_txt, VOCAB_TXT).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    vocab: dict[str, int] = {}
    for i, token in enumerate(lines):
        vocab.setdefault(token.rstrip("\r"), i)
    if not vocab:
        raise CheckpointError(f"{vocab_txt}: empty vocabulary")
    if "[UNK]" not in vocab:
        raise CheckpointError(f"{vocab_txt}: the vocabulary lacks [UNK]")
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=handle_chinese_chars, strip_accents=strip_accents, lowercase=lowercase
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.add_special_tokens([t for t in SPECIAL_TOKENS if t in vocab])
    return tok


def _tokenizer_options(folder: Path, vocab_txt: Path) -> dict:
    """Normalisation options from tokenizer_config.json; without one, lowercase exactly when
    the vocabulary has no upper-case word pieces (a cased vocabulary has thousands)."""
    config_path = folder / "tokenizer_config.json"
    config = {}
    if os.path.lexists(config_path):
        config = read_json(config_path, TOKENIZER_CONFIG)
        if not isinstance(config, dict):
            raise CheckpointError(
                f"{config_path}: expected a JSON object, got {shown(config)}; "
                "a tokenizer_config.json maps options to values"
            )
    lowercase = _flag(config, "do_lower_case", config_path)
    if lowercase is None:
        text = read_text(vocab_txt, VOCAB_TXT)
        lowercase = not any(line[:1].isupper() for line in text.split("\n") if not line.startswith("["))
    chinese = _flag(config, "tokenize_chinese_chars", config_path)
    return {
        "lowercase": lowercase,
        "strip_accents": _flag(config, "strip_accents", config_path),
        "handle_chinese_chars": True if chinese is None else chinese,
    }


def _flag(config: dict, name: str, path: Path) -> bool | None:
    """A true/false option of tokenizer_config.json; None when absent or null."""
    value = config.get(name)
    if value is not None and not isinstance(value, bool):
        raise CheckpointError(f"{path}: {name}: must be true or false, got {shown(value)}; correct it")
    return value


def _wordpiece_from_json(path: Path) -> Tokenizer:
    text = read_text(path, TOKENIZER_JSON)  # read here: `tokenizers` would open a FIFO
    try:
        tok = Tokenizer.from_str(text)
    except Exception as exc:  # the Rust side raises plain Exception for every parse error
        raise CheckpointError(f"{path}: not a readable tokenizer ({clip(one_line(exc), 80)})") from None
    if not isinstance(tok.model, models.WordPiece):
        raise CheckpointError(
            f"{path}: a {type(tok.model).__name__} tokenizer, not WordPiece; BERT Explorer opens BERT checkpoints"
        )
    if tok.token_to_id(tok.model.unk_token) is None:  # every unknown word would then fail to encode
        raise CheckpointError(
            f"{path}: model.unk_token {shown(tok.model.unk_token)} is not in the vocabulary; add it or name one that is"
        )
    return tok


def _check_ids_fit(tok: Tokenizer, vocab_size: int, source: Path) -> None:
    """Every id the tokenizer can produce (added tokens too) must have a row in the model's
    embedding table: an id past it fails inside the forward pass, on whatever text holds it."""
    vocab = tok.get_vocab(with_added_tokens=True)
    token, top = max(vocab.items(), key=lambda item: item[1], default=("", -1))
    if top >= vocab_size:
        raise CheckpointError(
            f"{source}: token {shown(token)} has id {top} but config.json's vocab_size is "
            f"{vocab_size}; use the tokenizer saved with this model"
        )
