"""Corpus search speed: building an index with the bundled model, and searching one of a million
token vectors exactly, with faiss's fp16 scan (the app's engine) and with NumPy's chunked scan.

    python benchmarks/bench_corpus_search.py --sentences FILE [--build 2000] [--tokens 1000000]

Build: sentences per minute indexing FILE's first --build sentences at two layers. Search: a
synthetic index of --tokens unit vectors (random, fp16) at the bundled model's hidden size 256
and at BERT-base's 768, median of 20 queries after one warm-up (the warm-up loads the vectors).
Goals (issue 23): build at least 2,000 sentences a minute; search within 100 ms at 1M vectors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.corpus_index import ARRAYS, INDEX_FORMAT, CorpusIndex, IndexInfo, build_index  # noqa: E402


def synthetic_index(folder: Path, tokens: int, hidden: int) -> CorpusIndex:
    """An index folder of random unit vectors, written in blocks (the file is the only copy)."""
    rng = np.random.default_rng(0)
    with open(folder / "layer_1.f16", "wb") as f:
        for start in range(0, tokens, 100_000):
            block = rng.standard_normal((min(100_000, tokens - start), hidden), dtype=np.float32)
            f.write((block / np.linalg.norm(block, axis=1, keepdims=True)).astype(np.float16).tobytes())
    for name, dtype in ARRAYS.items():
        np.zeros(tokens, dtype).tofile(folder / f"{name}.{np.dtype(dtype).name}")
    (folder / "sentences.txt").write_text("synthetic\n")
    info = IndexInfo(INDEX_FORMAT, "synthetic", "-", hidden, [1], "-", 1, tokens, len("synthetic\n"), True)
    (folder / "index.json").write_text(json.dumps(asdict(info)))
    return CorpusIndex(folder)


def search_ms(index: CorpusIndex, engine: str, queries: int = 20) -> float:
    rng = np.random.default_rng(1)
    index.nearest(1, rng.standard_normal(index.info.hidden_size), 10, engine=engine)  # warm-up: loads the vectors
    times = []
    for _ in range(queries):
        query = rng.standard_normal(index.info.hidden_size)
        start = time.perf_counter()
        index.nearest(1, query, 10, engine=engine)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, required=True, help="a text file, one sentence per line")
    parser.add_argument("--build", type=int, default=2000, help="sentences to index for the build speed")
    parser.add_argument("--tokens", type=int, default=1_000_000)
    args = parser.parse_args()

    import torch

    import model

    torch.set_num_threads(2)
    bert = model.load(device="cpu")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        info = build_index(bert, args.sentences, Path(tmp) / "index", layers=[2, 4], max_sentences=args.build)
        minutes = (time.perf_counter() - start) / 60
    print(
        f"build, bundled model, layers 2 and 4: {info.sentences:,} sentences ({info.tokens:,} tokens) in "
        f"{minutes * 60:.1f} s = {info.sentences / minutes:,.0f} sentences a minute (goal 2,000)"
    )
    for hidden, name in ((256, "bundled model"), (768, "BERT-base")):
        with tempfile.TemporaryDirectory() as tmp:
            index = synthetic_index(Path(tmp), args.tokens, hidden)
            figures = {engine: search_ms(index, engine) for engine in ("faiss", "numpy")}
            print(
                f"search, {args.tokens:,} vectors of {hidden} ({name}): faiss {figures['faiss']:.1f} ms, "
                f"NumPy {figures['numpy']:.1f} ms, median of 20 (goal 100 ms)"
            )
            del index
    return 0


if __name__ == "__main__":
    sys.exit(main())
