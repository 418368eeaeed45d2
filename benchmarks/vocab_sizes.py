"""Which WordPiece vocabulary size suits a corpus: trains one vocabulary per size on the corpus's
training documents and measures each on its held-out documents (every 50th, never seen by the
vocabulary), next to an existing model's vocabulary.

    python benchmarks/vocab_sizes.py --corpus data/corpus/pretrain.txt data/corpus/more/ \
        --sizes 8192 16384 24576 32768 [--baseline resources/models/bert-mini-uncased] [--save runs/vocabs]

Per vocabulary it prints: the training time, WordPiece tokens per word of held-out text (fewer
tokens per word: longer context in the same 128 positions, and less work per sentence), the
share of words split into several pieces, the share of [UNK] tokens, and what its embedding
table costs at hidden sizes 256, 384 and 512 (parameters, which a small model pays for in speed
and in what it can learn per step). `--save DIR` writes each vocabulary to DIR/SIZE, ready for
`python -m model pretrain --vocab DIR/SIZE`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.pretraining.corpus import read_documents  # noqa: E402
from model.pretraining.data import is_held_out  # noqa: E402
from model.pretraining.vocab import train_wordpiece  # noqa: E402
from model.tokenizer import BertTokenizer  # noqa: E402

HIDDEN_SIZES = (256, 384, 512)


def held_out_sentences(corpus: list[Path]) -> list[str]:
    return [s for i, document in enumerate(read_documents(corpus)) if is_held_out(i) for s in document]


def measure(tokenizer: BertTokenizer, sentences: list[str]) -> dict[str, float]:
    """Tokens per word, words split, [UNK] share, over the held-out sentences."""
    tokens = words = split = unknown = 0
    raw = tokenizer._untruncated  # no special tokens, no truncation: the text's own pieces
    for start in range(0, len(sentences), 4096):
        for enc in raw.encode_batch(sentences[start : start + 4096], add_special_tokens=False):
            pieces_per_word: dict[int, int] = {}
            for word in enc.word_ids:
                if word is not None:
                    pieces_per_word[word] = pieces_per_word.get(word, 0) + 1
            tokens += len(enc.ids)
            words += len(pieces_per_word)
            split += sum(1 for n in pieces_per_word.values() if n > 1)
            unknown += sum(1 for i in enc.ids if i == tokenizer.unk_token_id)
    return {"tokens_per_word": tokens / words, "split": split / words, "unk": unknown / tokens, "tokens": tokens}


def report(name: str, vocab_size: int, seconds: float | None, m: dict[str, float]) -> None:
    costs = "  ".join(f"{vocab_size * h / 1e6:5.1f}M" for h in HIDDEN_SIZES)
    took = f"{seconds:7.0f} s" if seconds is not None else "      -"
    print(
        f"{name:>24} {vocab_size:>7,} {took} {m['tokens_per_word']:8.3f} {m['split']:8.1%} "
        f"{m['unk']:8.3%} {m['tokens']:>12,}   {costs}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", required=True, type=Path, help="as pretrain --corpus takes it")
    parser.add_argument("--sizes", nargs="+", type=int, default=[8192, 16384, 24576, 32768])
    parser.add_argument("--baseline", type=Path, help="a model folder whose vocabulary to measure too")
    parser.add_argument("--save", type=Path, help="write each vocabulary to SAVE/SIZE")
    args = parser.parse_args()

    started = time.perf_counter()
    sentences = held_out_sentences(args.corpus)
    print(f"held-out: {len(sentences):,} sentences, read in {time.perf_counter() - started:.1f} s", flush=True)
    embedding = "  ".join(f"emb@{h}" for h in HIDDEN_SIZES)
    print(
        f"{'vocabulary':>24} {'size':>7} {'train':>9} {'tok/word':>8} {'split':>8} {'[UNK]':>8} "
        f"{'tokens':>12}   {embedding}"
    )
    if args.baseline:
        baseline = BertTokenizer.from_folder(args.baseline, max_length=128)
        report(args.baseline.name, baseline.vocab_size, None, measure(baseline, sentences))
    for size in args.sizes:
        started = time.perf_counter()
        tokenizer = train_wordpiece(args.corpus, size, max_length=128)
        seconds = time.perf_counter() - started
        if args.save:
            folder = args.save / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            tokenizer.save(folder)
        report(f"trained, {size}", tokenizer.vocab_size, seconds, measure(tokenizer, sentences))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
