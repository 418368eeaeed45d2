"""How fast the pretraining data pipeline makes batches: the ceiling it puts on a GPU run,
whose training loop builds each batch on the CPU between steps.

    python benchmarks/bench_pretrain_data.py --cache runs/mini/cache [--model DIR] [--batch 256] [--max-len 128]

`--cache` is the tokenized corpus a pretraining run wrote (OUT/cache); `--model` a folder with
the vocabulary it was tokenized with (default: the bundled model). Prints the time to plan an
epoch's examples and to assemble and mask one batch, and the tokens/s they would allow alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.bert import BUNDLED_MODEL  # noqa: E402
from model.pretraining.data import epoch_examples, load_tokenized, make_batch  # noqa: E402
from model.tokenizer import BertTokenizer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--model", default=str(BUNDLED_MODEL))
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--batches", type=int, default=50)
    args = parser.parse_args()
    tokenizer = BertTokenizer.from_folder(Path(args.model), args.max_len)
    data = load_tokenized(args.cache)
    started = time.perf_counter()
    examples = epoch_examples(data, args.max_len, seed=0, epoch=0)
    plan_s = time.perf_counter() - started
    steps_per_epoch = len(examples) // args.batch
    times, tokens = [], 0
    for j in range(min(args.batches, steps_per_epoch)):
        idx = np.arange(j * args.batch, (j + 1) * args.batch)
        started = time.perf_counter()
        batch = make_batch(data, examples[idx], idx, tokenizer, seed=0, epoch=0, pad_to=args.max_len)
        times.append(time.perf_counter() - started)
        tokens += batch.num_tokens
    per_batch = statistics.median(times)
    per_step = per_batch + plan_s / steps_per_epoch
    print(
        f"epoch plan: {plan_s * 1000:,.0f} ms for {len(examples):,} examples ({steps_per_epoch:,} batches of "
        f"{args.batch})"
    )
    print(f"make_batch: {per_batch * 1000:.1f} ms per batch of {args.batch} x {args.max_len} (median of {len(times)})")
    print(f"data alone allows {tokens / len(times) / per_step:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
