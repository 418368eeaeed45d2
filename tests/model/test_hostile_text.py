"""Text that is not valid Unicode: a str with lone surrogates (what Python makes of command-line
bytes that are not UTF-8, and of JSON's "\\ud800") is tokenized with U+FFFD in their place and
a warning, never a crash (the `tokenizers` library refuses such a str)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.tokenizer import BertTokenizer, valid_unicode

ROOT = Path(__file__).resolve().parents[2]  # `python -m model` runs this checkout's package

# Any code point, lone surrogates included (hypothesis leaves them out unless asked).
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())


@pytest.fixture(scope="module")
def tokenizer(vocab_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tok")
    shutil.copy(vocab_file, folder / "vocab.txt")
    return BertTokenizer.from_folder(folder, max_length=16)


def test_bytes_that_are_not_utf8_become_replacement_characters(tokenizer):
    text = b"caf\xe9 the \xff\xfe cat".decode("utf-8", "surrogateescape")  # as argv holds them
    enc = tokenizer.encode(text, "a \ud83d dog")
    assert enc.replaced_characters == 4
    assert enc.warning == "4 characters that are not valid Unicode were replaced by U+FFFD"
    assert {"the", "cat", "dog"} <= set(enc.tokens)
    clean = tokenizer.encode("the cat")
    assert clean.replaced_characters == 0 and clean.warning is None
    assert tokenizer.encode("\udcff").warning == "1 character that is not valid Unicode was replaced by U+FFFD"


def test_replacement_keeps_offsets_into_the_text(tokenizer):
    text = "\udcff\udcfe the cat"
    enc = tokenizer.encode(text)
    spans = {token: text[a:b] for token, (a, b) in zip(enc.tokens, enc.offsets) if token in ("the", "cat")}
    assert spans == {"the": "the", "cat": "cat"}


def test_valid_text_is_returned_as_it_is():
    text, plain = "café 猫 😀 the cat", "the cat"
    assert valid_unicode(text) == (text, 0) and valid_unicode(plain)[0] is plain  # not even copied


def test_batches_are_cleaned_too(tokenizer):
    assert tokenizer.encode_plain_batch(["the \udcff cat"]) == tokenizer.encode_plain_batch(["the \ufffd cat"])


@settings(max_examples=200, deadline=None)
@given(text=st.text(ANY_CHARACTER, max_size=40), text_b=st.none() | st.text(ANY_CHARACTER, max_size=20))
def test_any_str_is_tokenized(tokenizer, text, text_b):
    enc = tokenizer.encode(text, text_b)
    surrogates = sum(0xD800 <= ord(c) <= 0xDFFF for c in text + (text_b or ""))
    assert enc.replaced_characters == surrogates
    assert enc.tokens[0] == "[CLS]" and len(enc) <= 16
    assert all(0 <= a <= b <= max(len(text), len(text_b or "")) for a, b in enc.offsets)


def test_inspection_and_fill_mask_take_surrogates(hf_folder):
    """What the GUI's inspection worker runs."""
    from model.bert import load

    bert = load(hf_folder("BertForPreTraining")[0], device="cpu")
    result = bert.inspect("the \udcff [MASK] sat", "a \udcfe dog")
    assert result.tokens[0] == "[CLS]" and len(result.fill_mask) == 1


def test_cli_tokenize_warns_about_bytes_that_are_not_utf8(hf_folder):
    folder = hf_folder("BertForPreTraining")[0]
    proc = subprocess.run(
        [sys.executable, "-m", "model", "tokenize", b"\xff\xfe the cat", "--model", folder],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    assert stderr == "warning: 2 characters that are not valid Unicode were replaced by U+FFFD\n"
    assert b"the" in proc.stdout and b"cat" in proc.stdout
