"""Training an uncased WordPiece vocabulary on the corpus with the `tokenizers` library."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from ..tokenizer import SPECIAL_TOKENS, BertTokenizer
from .corpus import read_documents
from .data import is_held_out


def train_wordpiece(corpus: Path | Iterable[Path], vocab_size: int, max_length: int) -> BertTokenizer:
    """BERT's normalisation (lowercase, strip accents, split CJK characters, drop control
    characters), whitespace + punctuation pre-splitting, WordPiece with `##` continuations."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=list(SPECIAL_TOKENS),
        continuing_subword_prefix="##",
        show_progress=False,
    )

    def sentences() -> Iterator[str]:
        for index, document in enumerate(read_documents(corpus)):
            if not is_held_out(index):  # the held-out documents stay unseen, vocabulary included
                yield from document

    tok.train_from_iterator(sentences(), trainer=trainer)
    return BertTokenizer(tok, max_length)
