"""Fill-mask sense check: 30 cloze sentences written for this project, each with the word a
person would expect; counts how many have it among the model's top 5.

    python benchmarks/cloze.py [--model DIR] [--top-k 5] [--verbose] [--corpus FILE]

With --corpus it also measures how much the training text supports each answer: in how many
of its lines the answer occurs, and how many of those also hold each content word of the
sentence (a cue that never meets its answer in training can only be bridged by generalising).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
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

# Function words left out of the cue words that --corpus counts.
FUNCTION_WORDS = frozenset(
    "a an and are at be by down every had have he her his i in into is it its next of on one out "
    "she some the there they this to two very was we will you".split()
)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("[mask]", " "))


def corpus_support(path: str) -> list[tuple[int, dict[str, int]]]:
    """For each cloze item: lines holding the answer, and lines holding it and each cue word."""
    cues = [
        [w for w in dict.fromkeys(words(sentence)) if w not in FUNCTION_WORDS and w != answer]
        for sentence, answer in CLOZE
    ]
    answer_lines = Counter()
    together = Counter()
    with open(path, encoding="utf-8", errors="replace") as corpus:
        for line in corpus:  # streamed: one sentence per line
            present = set(words(line))
            for i, (_, answer) in enumerate(CLOZE):
                if answer in present:
                    answer_lines[i] += 1
                    for cue in cues[i]:
                        together[i, cue] += cue in present
    return [(answer_lines[i], {cue: together[i, cue] for cue in cues[i]}) for i in range(len(CLOZE))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every sentence's top k")
    parser.add_argument(
        "--corpus", default=None, help="the training corpus: also count the lines where each answer meets its cue words"
    )
    args = parser.parse_args()
    bert = model.load(args.model, device="cpu")
    support = corpus_support(args.corpus) if args.corpus else None
    hits = 0
    hits_unseen, unseen = 0, 0  # items with a cue word that meets its answer in at most one line
    for i, (sentence, expected) in enumerate(CLOZE):
        (mask,) = bert.fill_mask(sentence, top_k=args.top_k)
        top = [p.token for p in mask.predictions]
        hit = expected in top
        hits += hit
        if args.verbose or support:
            print(f"{'+' if hit else '-'} {sentence:<55} {expected:<13} {', '.join(top)}")
        if support:
            lines, cues = support[i]
            print(
                f"    {expected!r} in {lines:,} corpus lines; with "
                + ", ".join(f"{cue!r} in {n:,}" for cue, n in cues.items())
            )
            if min(cues.values(), default=0) <= 1:
                unseen += 1
                hits_unseen += hit
    print(f"{hits}/{len(CLOZE)} cloze sentences have the expected word in the top {args.top_k}")
    if support:
        seen = len(CLOZE) - unseen
        print(
            f"{hits_unseen}/{unseen} where a cue word meets the answer in at most one corpus line, "
            f"{hits - hits_unseen}/{seen} where every cue word meets it in two or more"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
