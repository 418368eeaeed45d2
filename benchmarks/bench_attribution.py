"""Speed and memory of input attribution: `Bert.attribute` (integrated gradients) against Captum.

Cells (each implementation of each cell runs in a fresh process, so that its peak RSS is its own):
- bundled-32: the bundled model, 32 tokens, 32 steps. Goal: median at most 300 ms on the CPU.
- base-128: a BERT-base-sized model with random weights, 128 tokens, 32 steps.
- base-512: the same at 512 tokens (the model's longest input) with 64 steps: it must run, with
  bounded memory, on a 24 GB machine. Ours only: Captum with every step in one batch would need
  tens of GB here (pass --reference-512 to try it anyway).

The reference is Captum's LayerIntegratedGradients on the word-embedding layer of the same
network, with the same target logit, baseline ([PAD] at the text tokens, [CLS]/[SEP] kept),
midpoint rule and step count, and all steps in one batch (its default), as a user of Captum's
BERT tutorial would call it; its attributions are checked against ours. Without captum installed
(it is not a dependency of the project) the reference is ours run one step at a time (no batching).

Run from the repository root:

    python benchmarks/bench_attribution.py                    # every cell; minutes on a 2-core CPU
    python benchmarks/bench_attribution.py --cells bundled-32 --repeats 15

It prints one markdown table: cell | implementation | median ms | min ms | N | RSS after loading MB |
peak RSS MB | max |ours - reference|, then ours/reference ratios and whether bundled-32 meets the goal.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `model` without installing the project

import model  # noqa: E402
from model import Bert, BertConfig, BertWithHeads, HeadSpec  # noqa: E402
from model.attribution import steps_per_chunk  # noqa: E402

CELLS = {  # name -> (model, tokens, steps, default repeats)
    "bundled-32": ("bundled", 32, 32, 15),
    "base-128": ("base", 128, 32, 3),
    "base-512": ("base", 512, 64, 1),
}
BASE = dict(
    num_hidden_layers=12,
    hidden_size=768,
    num_attention_heads=12,
    intermediate_size=3072,
    vocab_size=30522,
    max_position_embeddings=512,
)
SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
GOAL_MS = 300.0  # bundled-32, median
SEED = 0


def rss_mb() -> float:
    """The current resident set size, from /proc (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def base_model() -> Bert:
    """BERT-base's shape with random weights, and a vocabulary of filler words w0, w1, ..."""
    from model import BertTokenizer

    with tempfile.TemporaryDirectory() as folder:
        fillers = [f"w{i}" for i in range(BASE["vocab_size"] - len(SPECIALS))]
        (Path(folder) / "vocab.txt").write_text("\n".join([*SPECIALS, *fillers]) + "\n", encoding="utf-8")
        tokenizer = BertTokenizer.from_folder(Path(folder), BASE["max_position_embeddings"])
    torch.manual_seed(SEED)
    network = BertWithHeads(BertConfig(**BASE), HeadSpec(mlm=True, nsp=False, pooler=False))
    network.init_weights()
    network.eval()
    return Bert(network, tokenizer, network.config, None, torch.device("cpu"))


def text_of_length(bert: Bert, length: int) -> str:
    """Words around one [MASK] that tokenize to exactly `length` tokens, [CLS] and [SEP] included."""
    if bert.path is None:  # the filler vocabulary: every wN is one token
        words = [f"w{(i * 7919) % 30000}" for i in range(length - 2)]
    else:
        sentence = "the old man walked along the river bank every morning to watch the boats go by ."
        words = (sentence.split() * (length // 10 + 2))[: length - 2]
    words[len(words) // 2] = "[MASK]"
    text = " ".join(words)
    if len(bert.tokenize(text).ids) != length:
        raise RuntimeError(f"the benchmark text tokenizes to {len(bert.tokenize(text).ids)} tokens, not {length}")
    return text


def captum_reference(bert: Bert, text: str, target_id: int, steps: int):
    """Captum's LayerIntegratedGradients on the same network, target and baseline: (T,) scores."""
    from captum.attr import LayerIntegratedGradients

    enc = bert.tokenize(text)
    ids = torch.tensor([enc.ids])
    segments = torch.tensor([enc.segment_ids])
    special = torch.tensor(enc.special_tokens_mask, dtype=torch.bool)
    reference_ids = torch.where(special, ids, bert.tokenizer.pad_token_id)
    position = enc.ids.index(bert.tokenizer.mask_token_id)

    def forward(batch_ids):  # (B, T) -> (B,) the target's logit at the [MASK]
        at = torch.full((batch_ids.shape[0], 1), position)
        out = bert.network(batch_ids, segments.expand_as(batch_ids), mlm_positions=at, nsp=False, classify=False)
        return out.mlm_logits[:, 0, target_id]

    lig = LayerIntegratedGradients(forward, bert.network.bert.embeddings.word_embeddings)

    def run():
        attributions = lig.attribute(ids, baselines=reference_ids, n_steps=steps, method="riemann_middle")
        return attributions.sum(-1)[0].detach()

    return run


def run_cell(cell: str, implementation: str, repeats: int) -> dict:
    """One implementation of one cell, in this process: times, RSS, and its difference from ours."""
    torch.manual_seed(SEED)
    kind, length, steps, _ = CELLS[cell]
    bert = model.load(device="cpu") if kind == "bundled" else base_model()
    text = text_of_length(bert, length)
    loaded = rss_mb()
    if implementation == "ours":
        fn = lambda: bert.attribute(text, steps=steps)  # noqa: E731
    elif implementation == "captum":
        target_id = bert.attribute(text, steps=1).target_id
        fn = captum_reference(bert, text, target_id, steps)
    else:  # "unbatched": ours, one step per pass
        import model.attribution as attribution

        attribution.CHUNK_BYTES = 1
        fn = lambda: bert.attribute(text, steps=steps)  # noqa: E731
    times = []
    for i in range(repeats + (1 if repeats > 1 else 0)):  # a warm-up call first, unless only one is asked
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        if repeats == 1 or i > 0:
            times.append(elapsed)
    scores = result.scores if implementation != "captum" else result.numpy()
    return {
        "cell": cell,
        "implementation": implementation,
        "median_ms": statistics.median(times) * 1e3,
        "min_ms": min(times) * 1e3,
        "repeats": len(times),
        "loaded_rss_mb": loaded,
        "peak_rss_mb": peak_rss_mb(),
        "scores": [float(s) for s in scores],
        "chunk": steps_per_chunk(bert.config, length),
        "threads": torch.get_num_threads(),
    }


def child(cell: str, implementation: str, repeats: int, threads: int | None) -> dict:
    more = [] if threads is None else ["--threads", str(threads)]
    proc = subprocess.run(
        [sys.executable, __file__, "--child", cell, implementation, str(repeats), *more], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{cell} {implementation} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cells", nargs="+", choices=list(CELLS), default=list(CELLS))
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per cell (default: per cell)")
    parser.add_argument("--reference-512", action="store_true", help="also run the reference at 512 tokens")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if args.child:
        print(json.dumps(run_cell(args.child[0], args.child[1], int(args.child[2]))))
        return
    try:
        import captum  # noqa: F401

        reference = "captum"
    except ImportError:
        reference = "unbatched"
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU thread(s), reference: {reference}\n")
    print("| cell | implementation | median ms | min ms | N | chunk | RSS loaded MB | peak RSS MB | max abs diff |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios, goal_met = [], None
    for cell in args.cells:
        repeats = args.repeats or CELLS[cell][3]
        ours = child(cell, "ours", repeats, args.threads)
        rows = [(ours, "")]
        if cell != "base-512" or args.reference_512:
            ref = child(cell, reference, repeats, args.threads)
            diff = max(abs(a - b) for a, b in zip(ours["scores"], ref["scores"]))
            rows.append((ref, f"{diff:.1e}"))
            ratios.append((cell, ours["median_ms"] / ref["median_ms"]))
        for r, diff in rows:
            print(
                f"| {cell} | {r['implementation']} | {r['median_ms']:.0f} | {r['min_ms']:.0f} | {r['repeats']} | "
                f"{r['chunk'] if r['implementation'] == 'ours' else ''} | {r['loaded_rss_mb']:.0f} | "
                f"{r['peak_rss_mb']:.0f} | {diff} |",
                flush=True,
            )
        if cell == "bundled-32":
            goal_met = ours["median_ms"] <= GOAL_MS
    print()
    for cell, ratio in ratios:
        print(f"{cell}: ours / {reference} = {ratio:.2f}")
    if goal_met is not None:
        print(f"bundled-32 median within {GOAL_MS:.0f} ms: {'yes' if goal_met else 'NO'}")


if __name__ == "__main__":
    main()
