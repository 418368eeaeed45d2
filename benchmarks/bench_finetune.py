"""Fine-tuning throughput: our training step against transformers' BertForSequenceClassification.

Same config, same initial weights, same batches, same optimizer (AdamW) and loss; each side
runs the same number of steps, alternating rounds so that background load hits both alike;
prints tokens/s (real tokens, padding not counted) and the ratio ours/reference (goal on CPU:
at least 1.2). Two kinds of batches:
- full: every row `--length` tokens, no padding;
- padded: rows as long as sentences in a classification dataset (log-normal around 24
  tokens, as SST-style sentences), padded to the longest row of the batch, as a fine-tuning
  data loader does.
On CUDA (`--device cuda`, the default where there is a GPU) both sides run under bf16 autocast,
and each row also prints the model FLOPs utilisation: achieved training FLOP/s (6 x the
non-embedding parameters per token, plus attention's 12 x layers x width x hidden) over the
card's peak dense bf16 FLOP/s (a table of common cards, or `--peak-tflops`).

    python benchmarks/bench_finetune.py [--configs small base] [--batches full padded] [--batch 16]
                                        [--length 128] [--steps 5] [--device cpu|cuda] [--peak-tflops X]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from transformers import BertConfig as HFConfig
from transformers import BertForSequenceClassification, BertTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import model  # noqa: E402

CONFIGS = {
    "small": dict(
        num_hidden_layers=4,
        hidden_size=256,
        num_attention_heads=4,
        intermediate_size=1024,
        vocab_size=12000,
        max_position_embeddings=128,
    ),
    "base": dict(
        num_hidden_layers=12,
        hidden_size=768,
        num_attention_heads=12,
        intermediate_size=3072,
        vocab_size=30522,
        max_position_embeddings=512,
    ),
}


# Peak dense bf16 tensor FLOP/s (no sparsity), by a substring of torch.cuda.get_device_name().
PEAK_BF16_TFLOPS = {
    "H200": 989.0,
    "H100 PCIe": 756.0,
    "H100": 989.0,
    "A100": 312.0,
    "L40S": 362.0,
    "L4": 121.0,
    "A10": 125.0,
    "RTX 4090": 165.0,
    "RTX 3090": 71.0,
    "V100": 125.0,
    "T4": 65.0,
}


def peak_tflops(device: torch.device) -> float | None:
    name = torch.cuda.get_device_name(device)
    return next((tflops for key, tflops in PEAK_BF16_TFLOPS.items() if key in name), None)


def training_flops(network: torch.nn.Module, config: dict, tokens: int, width: int) -> float:
    """Matmul FLOPs of forward + backward: 6 per non-embedding parameter per token, plus the
    attention scores and weighted sums (4 x width x hidden per token per layer, times 3)."""
    embedding = sum(p.numel() for n, p in network.named_parameters() if "embeddings" in n)
    dense = sum(p.numel() for p in network.parameters()) - embedding
    attention = 12 * config["num_hidden_layers"] * width * config["hidden_size"]
    return tokens * (6 * dense + attention)


def make_pair(name: str, folder: Path, device: torch.device):
    torch.manual_seed(0)
    config = HFConfig(**CONFIGS[name], num_labels=2, attn_implementation="sdpa")
    reference = BertForSequenceClassification(config)
    reference.save_pretrained(folder)
    vocab = folder / "vocab.txt"
    vocab.write_text(
        "\n".join(
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(CONFIGS[name]["vocab_size"] - 5)]
        )
        + "\n"
    )
    BertTokenizerFast(vocab=str(vocab)).save_pretrained(folder)
    ours = model.load(folder, device=str(device)).network
    return ours.train(), reference.to(device).train()


def batches(vocab: int, batch: int, length: int, n: int, padded: bool, device: torch.device):
    g = torch.Generator().manual_seed(1)
    out = []
    for _ in range(n):
        if padded:
            lengths = torch.exp(torch.randn(batch, generator=g) * 0.5 + math.log(24)).round().long().clamp(4, length)
        else:
            lengths = torch.full((batch,), length)
        width = int(lengths.max())
        ids = torch.randint(5, vocab, (batch, width), generator=g)
        mask = (torch.arange(width)[None, :] < lengths[:, None]).long()
        ids[:, 0] = 2
        ids[torch.arange(batch), lengths - 1] = 3
        ids = ids * mask  # [PAD] = 0 after each row's [SEP]
        labels = torch.randint(0, 2, (batch,), generator=g)
        out.append(tuple(x.to(device) for x in (ids, torch.zeros_like(ids), mask, labels)))
    return out


def time_steps(step, data, device: torch.device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for item in data:
        step(*item)
    if device.type == "cuda":
        torch.cuda.synchronize(device)  # kernels run asynchronously: wait for the last one
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--length", type=int, default=128)
    parser.add_argument("--batches", nargs="+", default=["full", "padded"], choices=["full", "padded"])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--peak-tflops", type=float, default=None, help="the card's peak dense bf16 TFLOP/s")
    args = parser.parse_args()
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    peak = (args.peak_tflops or peak_tflops(device)) if cuda else None
    where = (
        f"{torch.cuda.get_device_name(device)}, bf16 autocast, peak {peak or '?'} TFLOP/s"
        if cuda
        else f"CPU, {torch.get_num_threads()} thread(s), fp32"
    )
    print(f"torch {torch.__version__}, {where}; batch {args.batch} x {args.length} tokens")
    mfu_header = " ours MFU | reference MFU |" if cuda else ""
    print(f"| config | batches | ours tok/s | reference tok/s | ratio ours/ref |{mfu_header}")
    print("|---|---|---:|---:|---:|" + ("---:|---:|" if cuda else ""))
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if cuda else contextlib.nullcontext
    for name, kind in [(name, kind) for name in args.configs for kind in args.batches]:
        with tempfile.TemporaryDirectory() as tmp:
            ours, reference = make_pair(name, Path(tmp), device)
        # The same optimizer for both: fused AdamW, as model/train_loop.py uses.
        ours_opt = torch.optim.AdamW(ours.parameters(), lr=1e-5, fused=True)
        ref_opt = torch.optim.AdamW(reference.parameters(), lr=1e-5, fused=True)

        def ours_step(ids, types, mask, labels):
            with autocast():
                logits = ours(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits
            F.cross_entropy(logits.float(), labels).backward()
            ours_opt.step()
            ours_opt.zero_grad(set_to_none=True)

        def ref_step(ids, types, mask, labels):
            with autocast():
                logits = reference(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            F.cross_entropy(logits.float(), labels).backward()
            ref_opt.step()
            ref_opt.zero_grad(set_to_none=True)

        data = batches(CONFIGS[name]["vocab_size"], args.batch, args.length, args.steps, kind == "padded", device)
        ids, types, mask, _ = data[0]
        with torch.no_grad():  # the two compute the same function before either is timed
            ours.eval(), reference.eval()
            ours_logits = ours(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits
            ref_logits = reference(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            assert torch.allclose(ours_logits, ref_logits, atol=1e-4), (ours_logits - ref_logits).abs().max()
            ours.train(), reference.train()
        time_steps(ours_step, data[:1], device)  # warm-up
        time_steps(ref_step, data[:1], device)
        ours_t, ref_t = [], []
        for r in range(args.rounds):
            pair = [(ours_step, ours_t), (ref_step, ref_t)]
            for step, times in pair if r % 2 == 0 else pair[::-1]:
                times.append(time_steps(step, data, device))
        tokens = sum(int(mask.sum()) for _, _, mask, _ in data)
        ours_tps, ref_tps = tokens / statistics.median(ours_t), tokens / statistics.median(ref_t)
        row = f"| {name} | {kind} | {ours_tps:,.0f} | {ref_tps:,.0f} | {ours_tps / ref_tps:.2f} |"
        if cuda:
            # FLOPs of the whole padded width: the matmuls compute padding too.
            flops = sum(training_flops(ours, CONFIGS[name], ids.numel(), ids.shape[1]) for ids, *_ in data)
            for t in (ours_t, ref_t):
                row += f" {flops / statistics.median(t) / (peak * 1e12):.1%} |" if peak else " ? |"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
