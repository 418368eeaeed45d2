"""Fill-mask sense check: 30 cloze sentences written for this project, each with the word a
person would expect; counts how many have it among the model's top 5.

    python benchmarks/cloze.py [--model DIR] [--top-k 5] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import model  # noqa: E402

CLOZE = [
    ("The cat sat on the [MASK].", "mat"),
    ("She drank a cup of [MASK].", "tea"),
    ("The sun rises in the [MASK].", "east"),
    ("He opened the [MASK] and walked into the room.", "door"),
    ("Paris is the capital of [MASK].", "france"),
    ("The children went to [MASK] every morning.", "school"),
    ("I will see you [MASK] morning.", "tomorrow"),
    ("The president of the united [MASK] gave a speech.", "states"),
    ("She wrote a letter to her [MASK].", "mother"),
    ("It was a dark and stormy [MASK].", "night"),
    ("The dog wagged its [MASK].", "tail"),
    ("He drove his [MASK] to work every day.", "car"),
    ("They sat down at the table to eat [MASK].", "dinner"),
    ("The movie was very [MASK].", "good"),
    ("There are seven days in a [MASK].", "week"),
    ("The water in the river was very [MASK].", "cold"),
    ("He read the [MASK] every morning.", "newspaper"),
    ("The boy kicked the [MASK] into the goal.", "ball"),
    ("The farmer grew wheat on his [MASK].", "farm"),
    ("The plane landed at the [MASK].", "airport"),
    ("We need to buy some bread and [MASK].", "milk"),
    ("He was born in the year [MASK].", "1960"),
    ("The government announced a new [MASK] on tuesday.", "policy"),
    ("The police arrested the [MASK].", "man"),
    ("She looked out of the [MASK].", "window"),
    ("The film was directed by [MASK] spielberg.", "steven"),
    ("The [MASK] barked at the mailman.", "dog"),
    ("I have two brothers and one [MASK].", "sister"),
    ("The meeting will be held next [MASK].", "week"),
    ("Thank you very [MASK].", "much"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every sentence's top k")
    args = parser.parse_args()
    bert = model.load(args.model, device="cpu")
    hits = 0
    for sentence, expected in CLOZE:
        (mask,) = bert.fill_mask(sentence, top_k=args.top_k)
        top = [p.token for p in mask.predictions]
        hit = expected in top
        hits += hit
        if args.verbose:
            print(f"{'+' if hit else '-'} {sentence:<55} {expected:<13} {', '.join(top)}")
    print(f"{hits}/{len(CLOZE)} cloze sentences have the expected word in the top {args.top_k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
