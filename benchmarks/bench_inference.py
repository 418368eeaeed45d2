"""Inference speed of one inspection pass: ours against transformers' eager BERT.

What it measures, per (config, device, token count) cell:
- ours: `Bert.inspect(text)`, i.e. `model.inspection.run_inspection`, the inspector's one
  forward pass: tokenization, every attention map, every hidden state, the embedding parts,
  fill-mask (top-k) at the one [MASK], and the copy of all of it into NumPy float32 arrays;
- reference: transformers' `BertForMaskedLM` with eager attention, called on the same token
  ids with `output_attentions=True, output_hidden_states=True` under `torch.inference_mode`
  (it returns tensors and MLM logits at every position).

Both networks hold the same random weights (fixed seed) and see the same T tokens, [CLS] and
[SEP] included, with one [MASK] in the middle; each cell first checks that the two agree.
Each cell warms up, then times N alternating ours/reference calls (the order swaps every
repeat, so background load hits both alike) and reports the medians. N is adaptive: enough
for about 2.5 s per cell, at least 5 (at least 3 when one pair of calls takes over a second).

Run from the repository root:

    python benchmarks/bench_inference.py                      # everything; several minutes on CPU
    python benchmarks/bench_inference.py --quick --configs small --lengths 16 64
    python benchmarks/bench_inference.py --devices cpu --threads 1

It prints a markdown table (config | device | tokens | ours ms | reference ms | ratio
ours/ref | N repeats) and whether every CPU ratio meets the goal, ours/ref <= 0.8.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import transformers
from transformers import BertConfig as HFConfig
from transformers import BertForMaskedLM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `model` without installing the project

from model import Bert, BertConfig, BertTokenizer, BertWithHeads, HeadSpec  # noqa: E402
from model.checkpoint import normalize_keys  # noqa: E402

CONFIGS = {
    "base": dict(
        num_hidden_layers=12,
        hidden_size=768,
        num_attention_heads=12,
        intermediate_size=3072,
        vocab_size=30522,
        max_position_embeddings=512,
    ),
    "small": dict(
        num_hidden_layers=4,
        hidden_size=256,
        num_attention_heads=4,
        intermediate_size=1024,
        vocab_size=16000,
        max_position_embeddings=512,
    ),
}
LENGTHS = (16, 64, 128, 512)
SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
SEED = 0
GOAL = 0.8  # ours / reference on the CPU
PARITY_TOL = 1e-3  # max |ours - reference| over attentions and hidden states
WARMUP = 2  # calls of each before timing
SLOW_PAIR_S = 1.0  # a pair of calls slower than this may take fewer repeats


def make_tokenizer(folder: Path, vocab_size: int, max_length: int) -> BertTokenizer:
    """A WordPiece vocabulary of the 5 specials then fillers w0, w1, ...: each filler word is one token."""
    fillers = [f"w{i}" for i in range(vocab_size - len(SPECIALS))]
    (folder / "vocab.txt").write_text("\n".join([*SPECIALS, *fillers]) + "\n", encoding="utf-8")
    return BertTokenizer.from_folder(folder, max_length)


def make_models(name: str, tokenizer: BertTokenizer):
    """(ours, reference) on the CPU with the same randomly initialised weights."""
    torch.manual_seed(SEED)
    reference = BertForMaskedLM(HFConfig(**CONFIGS[name], attn_implementation="eager")).eval()
    network = BertWithHeads(BertConfig(**CONFIGS[name]), HeadSpec(mlm=True, nsp=False, pooler=False))
    network.load_state_dict(normalize_keys(reference.state_dict()))
    network.tie_weights()
    network.eval()
    return Bert(network, tokenizer, network.config, None, torch.device("cpu")), reference


def masked_text(tokenizer: BertTokenizer, length: int) -> str:
    """Random filler words around one [MASK] that tokenize to exactly `length` tokens."""
    rng = random.Random(SEED)
    words = [f"w{rng.randrange(tokenizer.vocab_size - len(SPECIALS))}" for _ in range(length - 2)]
    words[len(words) // 2] = "[MASK]"
    text = " ".join(words)
    enc = tokenizer.encode(text)
    if len(enc) != length or enc.truncated or enc.ids.count(tokenizer.mask_token_id) != 1:
        raise RuntimeError(f"the benchmark text tokenizes to {len(enc)} tokens, expected {length} with one [MASK]")
    return text


def check_parity(ours: Callable, reference: Callable) -> None:
    """Fail loudly if the two networks do not compute the same thing."""
    mine, ref = ours(), reference()
    attentions = torch.stack(ref.attentions)[:, 0].float().cpu().numpy()  # (layers, heads, T, T)
    hidden = torch.stack(ref.hidden_states)[:, 0].float().cpu().numpy()  # (layers + 1, T, hidden)
    diff = max(np.abs(mine.attentions - attentions).max(), np.abs(mine.hidden_states - hidden).max())
    mask_index = mine.fill_mask[0].index
    same_top1 = mine.fill_mask[0].predictions[0].token_id == int(ref.logits[0, mask_index].argmax())
    if diff > PARITY_TOL or not same_top1:
        raise RuntimeError(f"ours and the reference disagree (max diff {diff:.2e}, same top-1: {same_top1})")


def timed(fn: Callable, device: torch.device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


def measure(
    ours: Callable, reference: Callable, device: torch.device, target_s: float, min_repeats: int
) -> tuple[float, float, int]:
    """Median seconds of ours and of the reference, and the number of repeats."""
    for _ in range(WARMUP):
        timed(ours, device)
        timed(reference, device)
    pair_s = timed(ours, device) + timed(reference, device)
    floor = max(1, min_repeats - 2) if pair_s > SLOW_PAIR_S else min_repeats
    repeats = max(floor, math.ceil(target_s / pair_s))
    times: dict[Callable, list[float]] = {ours: [], reference: []}
    for i in range(repeats):
        order = (ours, reference) if i % 2 == 0 else (reference, ours)
        for fn in order:
            times[fn].append(timed(fn, device))
    return statistics.median(times[ours]), statistics.median(times[reference]), repeats


def parse_args() -> argparse.Namespace:
    cuda = torch.cuda.is_available()
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--configs", nargs="+", choices=list(CONFIGS), default=list(CONFIGS))
    parser.add_argument(
        "--lengths",
        nargs="+",
        type=int,
        default=list(LENGTHS),
        help="token counts, [CLS] and [SEP] included (3 to 512)",
    )
    parser.add_argument("--devices", nargs="+", choices=["cpu", "cuda"], default=["cpu", "cuda"] if cuda else ["cpu"])
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a rough number in a fraction of the time")
    args = parser.parse_args()
    for length in args.lengths:
        if not 3 <= length <= 512:
            parser.error(f"--lengths: {length} is not between 3 and 512")
    if "cuda" in args.devices and not cuda:
        parser.error("--devices cuda: CUDA is not available on this machine")
    return args


def main() -> None:
    args = parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    target_s, min_repeats = (0.5, 3) if args.quick else (2.5, 5)
    print(
        f"torch {torch.__version__}, transformers {transformers.__version__}, "
        f"{torch.get_num_threads()} CPU thread(s); medians of N alternating repeats\n"
    )
    print("| config | device | tokens | ours ms | reference ms | ratio ours/ref | N |")
    print("|---|---|---:|---:|---:|---:|---:|")
    cpu_ratios: list[tuple[str, int, float]] = []
    for name in args.configs:
        with tempfile.TemporaryDirectory() as folder:  # the tokenizer keeps its vocabulary in memory
            tokenizer = make_tokenizer(
                Path(folder), CONFIGS[name]["vocab_size"], CONFIGS[name]["max_position_embeddings"]
            )
        bert, reference = make_models(name, tokenizer)
        for device_name in args.devices:
            device = torch.device(device_name)
            bert.to(device)
            reference.to(device)
            for length in args.lengths:
                text = masked_text(tokenizer, length)
                enc = tokenizer.encode(text)
                ids = torch.tensor([enc.ids], device=device)
                segments = torch.tensor([enc.segment_ids], device=device)

                def ours(bert=bert, text=text):  # bound now: the models are deleted after their rows
                    return bert.inspect(text)

                def ref(reference=reference, ids=ids, segments=segments):
                    with torch.inference_mode():
                        return reference(
                            input_ids=ids, token_type_ids=segments, output_attentions=True, output_hidden_states=True
                        )

                check_parity(ours, ref)
                ours_s, ref_s, repeats = measure(ours, ref, device, target_s, min_repeats)
                ratio = ours_s / ref_s
                if device.type == "cpu":
                    cpu_ratios.append((name, length, ratio))
                print(
                    f"| {name} | {device_name} | {length} | {ours_s * 1e3:.2f} | {ref_s * 1e3:.2f} | "
                    f"{ratio:.2f} | {repeats} |",
                    flush=True,
                )
        del bert, reference

    if cpu_ratios:
        missed = [f"{name}@{length} ({ratio:.2f})" for name, length, ratio in cpu_ratios if ratio > GOAL]
        verdict = "met" if not missed else "NOT met: " + ", ".join(missed)
        print(f"\nGoal: every CPU ratio ours/ref <= {GOAL}: {verdict}")


if __name__ == "__main__":
    main()
