import random
import re
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from model.tokenizer import wordpiece_from_vocab
from model.wordpiece_steps import describe, explain_word, explain_words, split_pre_token

ROOT = Path(__file__).resolve().parents[2]
TOKENIZER_JSON = ROOT / "resources/models/bert-mini-uncased/tokenizer.json"

TRICKY = [
    "croissants", "unaffable", "Café", "naïve", "hello!", "don't", "COVID-19", "123456789",
    "中", "😀", "a" * 150, "a" * 100, "x\u0378y", "[MASK]", "[MASK].", "x[SEP]y",
    "[CLS]", "ÉCOLE", "...", "e-mail", "Ångström",
]  # fmt: skip


@pytest.fixture(scope="module")
def tok():
    return Tokenizer.from_file(str(TOKENIZER_JSON))


def actual(tok, word):
    return tok.encode(word, add_special_tokens=False).tokens


@pytest.mark.parametrize("word", TRICKY)
def test_tricky_words_match_the_tokenizer(tok, word):
    assert explain_word(tok, word).pieces == actual(tok, word)


def test_two_thousand_words_match_the_tokenizer(tok):
    words = re.findall(r"\S+", (ROOT / "README.md").read_text(encoding="utf-8"))
    rng = random.Random(0)
    alphabet = "abcdefghijklmnopqrstuvwxyzÉéüßñ0123456789-'!?.,中😀\u0378"
    while len(words) < 2500:
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))))
    words = words[:2500]
    mismatches = [w for w in words if explain_word(tok, w).pieces != actual(tok, w)]
    assert mismatches == []
    assert explain_words(tok, " ".join(words[:50])) == [explain_word(tok, w) for w in words[:50]]


def test_croissants_steps(tok):
    (pre,) = explain_word(tok, "croissants").pre_tokens
    assert pre.pieces == ["cr", "##o", "##iss", "##ants"]
    assert [s.position for s in pre.steps] == [0, 2, 3, 6]
    assert pre.steps[2].misses[0] == "##issants"  # the longest candidate is tried first
    assert "##iss yes" in "\n".join(describe(explain_word(tok, "croissants")))


def test_normalization_and_punctuation_are_shown(tok):
    e = explain_word(tok, "Café!")
    assert e.normalized == "cafe!"
    assert [p.text for p in e.pre_tokens] == ["cafe", "!"]
    assert any("'Café!' -> 'cafe!'" in line for line in describe(e))


def test_unk_reasons(tok):
    long = explain_word(tok, "a" * 150)
    assert long.pieces == ["[UNK]"] and "limit of 100" in long.pre_tokens[0].unk_reason
    emoji = explain_word(tok, "ab😀")
    assert emoji.pieces == actual(tok, "ab😀") == ["[UNK]"]
    assert "character 3" in emoji.pre_tokens[0].unk_reason


def test_small_vocabulary_where_unk_arises(tmp_path):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "##b"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    small = wordpiece_from_vocab(tmp_path / "vocab.txt")
    for word in ["unaffable", "unaffablez", "ab", "abc", "ba", "unab", "[MASK]", "un!"]:
        assert explain_word(small, word).pieces == actual(small, word), word
    pre = explain_word(small, "unaffablez").pre_tokens[0]
    assert pre.pieces == ["[UNK]"] and "character 10 ('z')" in pre.unk_reason
    assert pre.steps[-1].piece is None


def test_split_pre_token_with_a_set():
    split = split_pre_token("abc", frozenset({"ab", "##c"}))
    assert split.pieces == ["ab", "##c"] and split.unk_reason is None
