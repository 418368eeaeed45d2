"""Our tokenizer against transformers' BertTokenizerFast and the pure-Python BertTokenizer."""

from __future__ import annotations

import shutil

import pytest

from model.errors import CheckpointError
from model.tokenizer import BertTokenizer

TRICKY = [
    "The cat sat on the mat.",
    "",
    "   ",
    "\t\n\r",
    'Hello, WORLD!!! It\'s 3:45pm; (really) "quoted" -- done.',
    "café naïve Über straße",
    "猫狗 中国人说日本话",
    "mixed: the cat 猫 café dog",
    "emoji 😀🐱 and ❤️ here",
    "control\x00chars\x07 and \u200b zero width",
    "the [MASK] sat on the [MASK].",
    "[MASK][MASK]the",
    "unbelievablyreadingbookswordthatislongerthanonehundredcharacters" * 3,
    "a" * 250,
    "tabs\tand\nnewlines\r\nhere",
]


@pytest.fixture(scope="module")
def ours(vocab_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tok")
    shutil.copy(vocab_file, folder / "vocab.txt")
    return BertTokenizer.from_folder(folder, max_length=64)


@pytest.fixture(scope="module")
def references(vocab_file):
    from transformers import BertTokenizerFast, BertTokenizerLegacy

    return [BertTokenizerFast(vocab=str(vocab_file)), BertTokenizerLegacy(vocab_file=str(vocab_file))]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_and_ids_match_transformers(ours, references, text):
    enc = ours.encode(text)
    for ref in references:
        r = ref(text, truncation=True, max_length=64, return_token_type_ids=True)
        assert enc.ids == r["input_ids"], type(ref).__name__
        assert enc.tokens == ref.convert_ids_to_tokens(r["input_ids"])
        assert enc.segment_ids == r["token_type_ids"]


@pytest.mark.parametrize("pair", [("the cat sat", "on the mat ."), ("", "b only"), ("a " * 100, "short one")])
def test_pairs_match_transformers(ours, references, pair):
    enc = ours.encode(*pair)
    ref = references[0](*pair, truncation="longest_first", max_length=64, return_token_type_ids=True)
    assert enc.ids == ref["input_ids"]
    assert enc.segment_ids == ref["token_type_ids"]


def test_offsets_point_into_each_sentence(ours):
    a, b = "The cat sat.", "A dog ran!"
    enc = ours.encode(a, b)
    for tok, seg, (start, end), special in zip(enc.tokens, enc.segment_ids, enc.offsets, enc.special_tokens_mask):
        if special:
            assert (start, end) == (0, 0)
            continue
        source = (a, b)[seg]
        assert source[start:end].lower() == tok.removeprefix("##") or tok == "[UNK]"


def test_special_tokens_mask_marks_only_added_cls_and_sep(ours):
    enc = ours.encode("the [MASK] sat", "ok")
    assert [t for t, s in zip(enc.tokens, enc.special_tokens_mask) if s] == ["[CLS]", "[SEP]", "[SEP]"]
    assert "[MASK]" in enc.tokens


def test_long_paste_is_truncated_visibly(ours):
    enc = ours.encode("the cat sat on the mat . " * 20_000)  # 100,000+ characters
    assert len(enc) == 64 and enc.truncated
    assert enc.tokens[0] == "[CLS]" and enc.tokens[-1] == "[SEP]"
    assert not ours.encode("the cat").truncated


def test_pair_truncation_keeps_both_sentences(ours):
    enc = ours.encode("the cat " * 100, "a dog " * 100)
    assert len(enc) == 64 and enc.truncated
    assert enc.tokens.count("[SEP]") == 2 and 1 in enc.segment_ids


def test_cased_vocabulary_is_not_lowercased(tmp_path):
    (tmp_path / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "The", "the", "Cat"]))
    tok = BertTokenizer.from_folder(tmp_path, 16)
    assert tok.encode("The Cat the").tokens == ["[CLS]", "The", "Cat", "the", "[SEP]"]


def test_vocabulary_without_special_tokens_is_refused(tmp_path):
    (tmp_path / "vocab.txt").write_text("[UNK]\nthe\ncat\n")
    with pytest.raises(CheckpointError, match=r"lacks the special token\(s\) \[CLS\], \[SEP\], \[MASK\]"):
        BertTokenizer.from_folder(tmp_path, 16)


def test_save_round_trip(ours, tmp_path):
    ours.save(tmp_path)
    again = BertTokenizer.from_folder(tmp_path, 64)
    for text in TRICKY:
        assert again.encode(text).ids == ours.encode(text).ids
    (tmp_path / "tokenizer.json").unlink()  # vocab.txt + tokenizer_config.json alone give the same
    again = BertTokenizer.from_folder(tmp_path, 64)
    for text in TRICKY:
        assert again.encode(text).ids == ours.encode(text).ids
