"""Which attention heads show the usual learned patterns (Clark et al., 2019, "What does BERT
look at?"): attention to the previous token, the next token, [SEP], [CLS], the token itself,
and other occurrences of the same word. For each pattern it prints the heads that put the
most attention weight on it, averaged over the sentences' tokens.

    python benchmarks/head_patterns.py [--model DIR] [--file TEXT] [--sentences N]

--file: a text file, one passage per line (e.g. the held-out documents); default: built-in
sentences.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import model  # noqa: E402

SENTENCES = [
    "The cat sat on the mat because the mat was warm.",
    "She said that the film was the best film of the year.",
    "The president spoke to the nation about the economy and the war.",
    "After the rain stopped, the children went outside to play in the park.",
    "He bought a new car, but the car broke down on the first day.",
    "Scientists found that the river water was colder than the sea water.",
    "The farmers hoped that the rain would come before the harvest.",
    "I think that this is the right thing to do, and I will do it.",
]
PATTERNS = ("previous token", "next token", "[SEP]", "[CLS]", "itself", "same word")


def pattern_weights(r: model.Inspection) -> np.ndarray:
    """(patterns, layers, heads): mean attention weight each head puts on each pattern,
    over the non-special query tokens."""
    A = r.attentions  # (L, H, T, T)
    T = A.shape[-1]
    queries = np.flatnonzero(~r.special_tokens_mask)
    sep = np.flatnonzero(np.array(r.tokens) == "[SEP]")
    ids = r.input_ids
    out = np.zeros((len(PATTERNS),) + A.shape[:2])
    for q in queries:
        row = A[:, :, q, :]  # (L, H, T)
        out[0] += row[..., q - 1] if q > 0 else 0
        out[1] += row[..., q + 1] if q + 1 < T else 0
        out[2] += row[..., sep].sum(-1)
        out[3] += row[..., 0]
        out[4] += row[..., q]
        same = np.flatnonzero((ids == ids[q]) & (np.arange(T) != q))
        out[5] += row[..., same].sum(-1)
    return out / max(1, len(queries))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    bert = model.load(args.model, device="cpu")
    if args.file:
        texts = [
            line.strip()
            for line in args.file.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip()
        ][: args.sentences]
    else:
        texts = SENTENCES
    total = sum(pattern_weights(bert.inspect(text)) for text in texts) / len(texts)
    print(f"mean attention weight per pattern over {len(texts)} passages; heads as layer-head, from 0")
    print("| pattern | strongest heads (weight) | mean over all heads |")
    print("|---|---|---:|")
    for p, name in enumerate(PATTERNS):
        flat = total[p].ravel()
        best = np.argsort(flat)[::-1][: args.top]
        H = total.shape[2]
        heads = ", ".join(f"{i // H}-{i % H} ({flat[i]:.2f})" for i in best)
        print(f"| {name} | {heads} | {flat.mean():.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
