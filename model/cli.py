"""`python -m model`: tokenize, fill-mask, inspect, attribute, evaluate, pretrain, fine-tune, predict,
convert, download, index-corpus and search from the command line.

Every subcommand takes --model DIR or a Hugging Face Hub id (default: the bundled model; an id
not in the cache is downloaded first) and --device. Errors are
one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

from . import hub
from .bert import BUNDLED_MODEL, Bert, load
from .duration import parse_duration
from .errors import BertError, one_line
from .finetuning.settings import TASKS, FinetuneSettings
from .pretraining.settings import PretrainSettings

EXIT_USER_ERROR = 2  # bad input, said in one line
EXIT_UNEXPECTED = 3  # a failure no check foresaw (a bug to report)


def _number_at_least(kind: type, low: float, inclusive: bool = True):
    """An argparse type: a number of `kind` no smaller than `low` (or above it), refused with one
    line before anything loads, rather than a traceback deep in training."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # float() also reads "nan" and "inf", which no setting can use
            raise argparse.ArgumentTypeError(f"'{text}' is not a {'whole ' if kind is int else ''}number")
        if value < low or (value == low and not inclusive):
            raise argparse.ArgumentTypeError(
                f"{text} is too small: give {'at least' if inclusive else 'more than'} {low:g}"
            )
        return value

    return parse


def _share_below_one(low: float, inclusive: bool = True):
    """An argparse type for a rate or a share of the data: from `low` up to, not including, 1."""
    at_least_low = _number_at_least(float, low, inclusive)

    def parse(text: str) -> float:
        value = at_least_low(text)
        if value >= 1:
            raise argparse.ArgumentTypeError(f"{text} is too large: give a share below 1, e.g. 0.1")
        return value

    return parse


_share = _share_below_one(0.0)  # dropout, warm-up ratio
_held_out_share = _share_below_one(0.0, inclusive=False)  # some rows must be held out to evaluate on


COUNT = _number_at_least(int, 1)  # steps, epochs, batch sizes, layers ...
TAG_COLUMN = _number_at_least(int, 2)  # column 1 holds the words
NON_NEGATIVE_INT = _number_at_least(int, 0)
POSITIVE = _number_at_least(float, 0.0, inclusive=False)  # learning rates, clipping norms
NON_NEGATIVE = _number_at_least(float, 0.0)  # weight decay


def finite_or_none(value):
    """`value` with every NaN or Inf float, however deeply nested, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_or_none(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_none(item) for item in value]
    return value


def json_dumps(value, ensure_ascii: bool = True) -> str:
    """JSON has no NaN or Infinity (json.dumps would write them bare, and strict parsers refuse
    that): a non-finite number, as from a model with NaN weights, is written null."""
    return json.dumps(finite_or_none(value), ensure_ascii=ensure_ascii, allow_nan=False)


def add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        type=Path,
        default=None,
        help="model folder or Hugging Face Hub id, e.g. bert-base-uncased (default: the bundled model)",
    )
    p.add_argument("--device", default="auto", help="auto (CUDA when present), cpu, cuda or cuda:N")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m model", description="BERT Explorer's model core.")
    parser.add_argument(
        "--debug", action="store_true", help="on an unexpected failure, print the full traceback instead of one line"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tokenize", help="show WordPiece tokens, ids, segments and offsets")
    p.add_argument("text")
    p.add_argument("--text-b", default=None, help="second sentence of a pair")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_options(p)

    p = sub.add_parser("fill-mask", help="predict the tokens at each [MASK]")
    p.add_argument("text")
    p.add_argument("--text-b", default=None)
    p.add_argument("--top-k", type=COUNT, default=5)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_options(p)

    p = sub.add_parser("inspect", help="run one inspection and write its arrays to .npz (+ .json summary)")
    p.add_argument("text")
    p.add_argument("--text-b", default=None)
    p.add_argument("--out", type=Path, required=True, help="FILE.npz")
    p.add_argument("--top-k", type=COUNT, default=10)
    add_model_options(p)

    p = sub.add_parser("attribute", help="which input tokens a prediction depends on (integrated gradients)")
    p.add_argument("text")
    p.add_argument("--text-b", default=None)
    p.add_argument("--target", default=None, help="the token whose logit to explain (default: the top prediction)")
    p.add_argument(
        "--position", type=NON_NEGATIVE_INT, default=None, help="the position explained (default: the first [MASK])"
    )
    p.add_argument("--label", default=None, help="a classifier's class to explain (default: the most probable)")
    p.add_argument("--method", choices=("ig", "grad"), default="ig", help="integrated gradients or gradient x input")
    p.add_argument("--steps", type=COUNT, default=32, help="integration steps (ig)")
    p.add_argument("--baseline", choices=("pad", "zero"), default="pad", help="[PAD] embeddings or zero vectors")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_options(p)

    for name, what in (
        ("evaluate-mlm", "masked-token accuracy on a text file (one passage per line)"),
        ("evaluate-nsp", "next-sentence accuracy on a corpus-format file (blank lines between documents)"),
    ):
        p = sub.add_parser(name, help=what)
        p.add_argument("file", type=Path)
        p.add_argument("--seed", type=NON_NEGATIVE_INT, default=0)
        p.add_argument("--batch-size", type=COUNT, default=64)
        p.add_argument("--json", action="store_true")
        add_model_options(p)

    p = sub.add_parser("pretrain", help="pretrain (MLM + NSP) from scratch, or continue from --init")
    p.add_argument(
        "--corpus",
        required=True,
        nargs="+",
        help="text or gzip files, or folders of .txt/.txt.gz files (read in name order): documents separated "
        "by blank lines, a sentence per line; every 50th document, counted across the files in order, is held out",
    )
    p.add_argument("--out", required=True, help="output folder; the model lands in OUT/model")
    p.add_argument("--init", default=None, help="continue pretraining this model folder (keeps its vocabulary)")
    p.add_argument("--resume", action="store_true", help="continue the stopped run in --out exactly")
    p.add_argument("--vocab", default=None, help="use this folder's vocab.txt/tokenizer.json instead of training one")
    p.add_argument("--vocab-size", type=COUNT, default=PretrainSettings.vocab_size)
    p.add_argument("--layers", type=COUNT, default=PretrainSettings.layers)
    p.add_argument("--hidden", type=COUNT, default=PretrainSettings.hidden)
    p.add_argument("--heads", type=COUNT, default=PretrainSettings.heads)
    p.add_argument("--intermediate", type=COUNT, default=PretrainSettings.intermediate)
    p.add_argument("--max-len", type=COUNT, default=PretrainSettings.max_len)
    p.add_argument("--dropout", type=_share, default=None, help="hidden and attention dropout (default: 0.1, BERT's)")
    p.add_argument(
        "--position-init",
        choices=("sinusoidal", "random"),
        default=PretrainSettings.position_init,
        help="how learned position embeddings start (from scratch only)",
    )
    p.add_argument("--batch-size", type=COUNT, default=PretrainSettings.batch_size)
    p.add_argument("--lr", type=POSITIVE, default=PretrainSettings.lr)
    p.add_argument("--warmup-steps", type=NON_NEGATIVE_INT, default=PretrainSettings.warmup_steps)
    p.add_argument(
        "--max-steps",
        type=COUNT,
        default=None,
        help=f"the schedule's length (default: {PretrainSettings.max_steps:,}, or with --time-budget "
        "as many steps as the budget allows at the measured speed)",
    )
    p.add_argument("--time-budget", default=None, help="stop cleanly after this long, e.g. 90m or 2h")
    p.add_argument("--weight-decay", type=NON_NEGATIVE, default=PretrainSettings.weight_decay)
    p.add_argument("--clip", type=POSITIVE, default=PretrainSettings.clip)
    p.add_argument("--seed", type=NON_NEGATIVE_INT, default=PretrainSettings.seed)
    p.add_argument("--precision", choices=("auto", "bf16", "fp32"), default=PretrainSettings.precision)
    p.add_argument("--log-every", type=COUNT, default=PretrainSettings.log_every)
    p.add_argument("--checkpoint-every", type=COUNT, default=PretrainSettings.checkpoint_every)
    p.add_argument("--device", default=PretrainSettings.device)

    defaults = FinetuneSettings(train="", out="")
    p = sub.add_parser(
        "finetune", help="fine-tune a classifier on labelled sentences (CSV/TSV/JSONL) or a tagger on tagged words"
    )
    p.add_argument(
        "--task",
        choices=TASKS,
        default=defaults.task,
        help="sequence: a class per sentence or pair; tokens: a tag per word (chunking, named entities)",
    )
    p.add_argument(
        "--train",
        required=True,
        help="text,label (or text_a,text_b,label) rows; for --task tokens a CoNLL-style file (word ... tag a line, "
        "blank lines between sentences) or JSONL with tokens and tags lists",
    )
    p.add_argument("--eval", default=None, help="eval file (default: hold out --eval-fraction of --train)")
    p.add_argument("--eval-fraction", type=_held_out_share, default=defaults.eval_fraction)
    p.add_argument("--model", default=None, help="base model folder or Hub id (default: the bundled model)")
    p.add_argument("--out", required=True, help="where the fine-tuned model folder is written")
    for name in ("text_column", "text_b_column", "label_column"):
        p.add_argument("--" + name.replace("_", "-"), default=None)
    p.add_argument(
        "--tag-column",
        type=TAG_COLUMN,
        default=None,
        help="--task tokens: the column of a CoNLL-style file holding the tags, the word's being 1 (default: the last)",
    )
    p.add_argument("--epochs", type=COUNT, default=defaults.epochs)
    p.add_argument("--max-steps", type=COUNT, default=None)
    p.add_argument("--batch-size", type=COUNT, default=defaults.batch_size)
    p.add_argument("--lr", type=POSITIVE, default=None, help="peak learning rate (default: suited to the model's size)")
    p.add_argument("--warmup-ratio", type=_share, default=defaults.warmup_ratio)
    p.add_argument("--weight-decay", type=NON_NEGATIVE, default=defaults.weight_decay)
    p.add_argument("--dropout", type=_share, default=None)
    p.add_argument("--max-len", type=COUNT, default=defaults.max_len)
    p.add_argument("--grad-accum", type=COUNT, default=defaults.grad_accum)
    p.add_argument("--clip", type=POSITIVE, default=defaults.clip)
    p.add_argument("--freeze-embeddings", action="store_true")
    p.add_argument("--freeze-layers", type=NON_NEGATIVE_INT, default=defaults.freeze_layers)
    p.add_argument("--seed", type=NON_NEGATIVE_INT, default=defaults.seed)
    p.add_argument("--log-every", type=COUNT, default=defaults.log_every)
    p.add_argument("--device", default=defaults.device)
    p.add_argument(
        "--precision",
        choices=("auto", "bf16", "fp32"),
        default=defaults.precision,
        help="auto: bf16 autocast on CUDA and on CPUs with native bf16, else fp32",
    )
    p.add_argument(
        "--time-budget", default=None, help="end training after this long (e.g. 10m), then evaluate and save as usual"
    )
    p.add_argument(
        "--checkpoint-every",
        type=COUNT,
        default=None,
        help="also save the model to --out every N steps (a stopped run keeps the latest)",
    )

    p = sub.add_parser("convert", help="write a model folder again, e.g. with fp16 weights to halve its size")
    p.add_argument("--out", type=Path, required=True, help="folder to write (replaced atomically)")
    p.add_argument("--dtype", choices=("fp16", "bf16", "fp32"), default="fp16", help="dtype of the saved weights")
    add_model_options(p)

    p = sub.add_parser(
        "predict", help="a fine-tuned classifier's class probabilities, or a token classifier's tag for each word"
    )
    p.add_argument("text")
    p.add_argument("--text-b", default=None)
    p.add_argument("--json", action="store_true")
    add_model_options(p)

    p = sub.add_parser("index-corpus", help="index a text file's token vectors for corpus search (resumable)")
    p.add_argument("file", type=Path, help="one sentence per line (plain or .gz)")
    p.add_argument("--out", type=Path, required=True, help="the index folder (an interrupted build resumes there)")
    p.add_argument(
        "--layers", type=NON_NEGATIVE_INT, nargs="+", required=True, help="0 = embeddings, L = after layer L"
    )
    p.add_argument("--max-sentences", type=COUNT, default=None)
    add_model_options(p)

    p = sub.add_parser("search", help="the corpus tokens nearest a token of TEXT at a layer")
    p.add_argument("index", type=Path)
    p.add_argument("text")
    p.add_argument("--token", type=NON_NEGATIVE_INT, required=True, help="the token's position ([CLS] = 0)")
    p.add_argument("--layer", type=NON_NEGATIVE_INT, required=True)
    p.add_argument("--top-k", type=COUNT, default=10)
    p.add_argument("--json", action="store_true", help="a JSON list of results, best first")
    add_model_options(p)
    p = sub.add_parser(
        "download", help="download a BERT from the Hugging Face Hub into its cache; prints the snapshot folder"
    )
    p.add_argument("model_id", help="e.g. bert-base-uncased or google/bert_uncased_L-4_H-256_A-4")
    p.add_argument("--revision", default=None, help="a branch, tag or commit (default: main)")
    return parser


def print_download_progress(p: hub.DownloadProgress) -> None:
    """One line on stderr, rewritten in place: stdout carries only the result."""
    eta = f"ETA {p.eta_s:.0f} s" if p.eta_s is not None else "ETA -"
    print(
        f"\r{p.file:<28.28} {p.done_bytes / 1e6:8.1f} / {p.total_bytes / 1e6:.1f} MB  "
        f"{p.bytes_per_s / 1e6:6.1f} MB/s  {eta:<12}",
        end="",
        file=sys.stderr,
        flush=True,
    )


def fetch(model_id: str, revision: str | None = None) -> Path:
    try:
        return hub.download(model_id, revision, progress=print_download_progress)
    finally:
        print(file=sys.stderr)  # end the progress line


def model_folder(path):
    """A --model value as a folder: the folder itself when it exists (a folder wins over an id of
    the same name), else the Hub id's cached snapshot, else the id downloaded now."""
    if path is None or Path(path).exists() or not hub.is_model_id(str(path)):
        return path
    return hub.cached_snapshot(str(path)) or fetch(str(path))


def settings_from(args, settings_class):
    """A run's settings from its command's options, which are named after their fields (the
    parser takes its defaults from the same dataclass)."""
    fields = {f: getattr(args, f) for f in settings_class.__dataclass_fields__ if hasattr(args, f)}
    fields["time_budget_s"] = parse_duration(args.time_budget) if args.time_budget else None
    return settings_class(**fields)


def cmd_finetune(args) -> None:
    from .finetuning.trainer import make_fine_tuner

    tuner = make_fine_tuner(settings_from(args, FinetuneSettings))
    if tuner.rank != 0:  # under torchrun only rank 0 talks
        tuner.run()
        return
    tagging = args.task == "tokens"
    if tagging:
        train, held = tuner.train_set, tuner.eval_set
        print(
            f"{len(train):,} training sentences ({train.words:,} words) and {len(held):,} eval sentences "
            f"({held.words:,} words), {len(tuner.labels)} tags: {', '.join(tuner.labels)}; {tuner.total_steps()} steps",
            flush=True,
        )
    else:
        # How numeric labels were read (01 as 1), said once: a held-out split has its file's note.
        notes = dict.fromkeys(note for note in (tuner.train_set.label_note, tuner.eval_set.label_note) if note)
        read_as = f" ({'; '.join(notes)})" if notes else ""
        print(
            f"{len(tuner.train_set)} training and {len(tuner.eval_set)} eval rows, labels {', '.join(tuner.labels)}"
            f"{read_as}; {tuner.total_steps()} steps",
            flush=True,
        )
    for note in tuner.notes:
        print(f"note: {note}", flush=True)

    def on_step(p) -> None:
        print(
            f"step {p.step}/{p.total_steps} | epoch {p.epoch} | loss {p.loss:.4f} | lr {p.lr:.2e} | "
            f"{p.tokens_per_s:,.0f} tok/s | ETA {p.eta_s:.0f}s",
            flush=True,
        )

    def on_eval(step, m) -> None:
        if tagging:
            print(
                f"eval at step {step}: loss {m.loss:.4f}, word accuracy {m.accuracy:.4f}, "
                f"{m.score_name} {m.f1:.4f} (precision {m.precision:.4f}, recall {m.recall:.4f})",
                flush=True,
            )
        else:
            print(
                f"eval at step {step}: loss {m.loss:.4f}, accuracy {m.accuracy:.4f}, macro-F1 {m.macro_f1:.4f}",
                flush=True,
            )

    result = tuner.run(on_step=on_step, on_eval=on_eval)
    if tagging:
        m = result.metrics
        print(
            f"final {m.score_name} {m.f1:.4f} (precision {m.precision:.4f}, recall {m.recall:.4f}), word accuracy "
            f"{m.accuracy:.4f} on {m.words:,} eval words"
        )
        print(m.table())
    print(json_dumps({**result.metrics.as_dict(), "output": str(result.output)}))


def cmd_predict(bert: Bert, args) -> None:
    if bert.heads.classifier == "token":
        print_word_tags(bert.tag(args.text, args.text_b), args.json)
        return
    probabilities = bert.classify(args.text, args.text_b)
    label = max(probabilities, key=probabilities.get)
    if args.json:
        print(json_dumps({"label": label, "probabilities": probabilities}, ensure_ascii=False))
        return
    print(label)
    for name, p in sorted(probabilities.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<20} {p:.4f}")


def print_word_tags(tags, as_json: bool) -> None:
    """word/tag pairs on one line (as tagged corpora print them), each word's top 3 tags below."""
    if as_json:
        words = [{"word": t.word, "tag": t.tag, "probabilities": t.probabilities} for t in tags]
        print(json_dumps({"words": words}, ensure_ascii=False))
        return
    print(" ".join(f"{t.word}/{t.tag}" for t in tags))
    for t in tags:
        top = ", ".join(f"{tag} {p:.3f}" for tag, p in list(t.probabilities.items())[:3])
        print(f"  {t.word:<20} {top}")


def cmd_pretrain(args) -> None:
    from .pretraining.trainer import Pretrainer

    # Without --max-steps the schedule's length comes from the time budget, if any (see PretrainSettings).
    settings = replace(
        settings_from(args, PretrainSettings),
        max_steps=args.max_steps or PretrainSettings.max_steps,
        fit_schedule=args.max_steps is None,
    )
    trainer = Pretrainer(settings, resume=args.resume, log=lambda line: print(line, flush=True))
    trainer.run()


def cmd_tokenize(bert: Bert, args) -> None:
    enc = bert.tokenize(args.text, args.text_b)
    warn_about_text(enc.warning)
    if args.json:
        print(
            json_dumps(
                {
                    "tokens": enc.tokens,
                    "ids": enc.ids,
                    "segment_ids": enc.segment_ids,
                    "offsets": enc.offsets,
                    "special_tokens_mask": enc.special_tokens_mask,
                    "truncated": enc.truncated,
                },
                ensure_ascii=False,
            )
        )
        return
    print(f"{'#':>4}  {'token':<20} {'id':>7}  seg  chars")
    for i, (tok, tid, seg, (a, b)) in enumerate(zip(enc.tokens, enc.ids, enc.segment_ids, enc.offsets)):
        print(f"{i:>4}  {tok:<20} {tid:>7}  {'AB'[seg]:>3}  {a}-{b}")
    if enc.truncated:
        print(f"(input truncated to {len(enc)} tokens, the model's maximum)")


def warn_about_text(warning: str | None) -> None:
    if warning:  # on stderr, so that --json output stays one JSON object
        print(f"warning: {warning}", file=sys.stderr)


def cmd_fill_mask(bert: Bert, args) -> None:
    bert.require_mlm()
    result = bert.inspect(args.text, args.text_b, top_k=args.top_k)
    warn_about_text(result.text_warning)
    if args.json:
        masks = [
            {"index": m.index, "predictions": [{"token": p.token, "score": p.score} for p in m.predictions]}
            for m in result.fill_mask
        ]
        print(json_dumps({"tokens": result.tokens, "masks": masks}, ensure_ascii=False))
        return
    if not result.fill_mask:
        print("no [MASK] in the input; type [MASK] where a word should be predicted")
    for m in result.fill_mask:
        print(f"[MASK] at position {m.index}:")
        for p in m.predictions:
            print(f"  {p.token:<20} {p.score:.4f}")


BAR_WIDTH = 20  # characters on each side of the attribution bars' zero line


def cmd_attribute(bert: Bert, args) -> None:
    warn_about_text(bert.tokenize(args.text, args.text_b).warning)
    a = bert.attribute(
        args.text,
        args.text_b,
        position=args.position,
        token=args.target,
        label=args.label,
        method=args.method,
        steps=args.steps,
        baseline=args.baseline,
    )
    if args.json:
        fields = {k: v for k, v in vars(a).items() if k not in ("scores", "special_tokens_mask")}
        fields |= {"scores": a.scores.tolist(), "special_tokens_mask": a.special_tokens_mask.tolist()}
        print(json_dumps(fields, ensure_ascii=False))
        return
    method = "integrated gradients" if a.method == "ig" else "gradient x input"
    print(f"{method} of the logit of {a.target}, from a {a.baseline} baseline:")
    largest = float(abs(a.scores).max()) or 1.0
    print(f"{'#':>4}  {'token':<16} {'score':>9}  {'-':>{BAR_WIDTH}}|+")
    for i, (tok, score) in enumerate(zip(a.tokens, a.scores.tolist())):
        n = round(abs(score) / largest * BAR_WIDTH)
        bar = f"{'#' * n:>{BAR_WIDTH}}|" if score < 0 else f"{'':>{BAR_WIDTH}}|{'#' * n}"
        print(f"{i:>4}  {tok:<16} {score:>+9.4f}  {bar}")
    steps = f"{a.steps} step{'s' if a.steps != 1 else ''}"
    print(
        f"logit {a.score:.4f} at the input, {a.baseline_score:.4f} at the baseline; the scores sum to "
        f"{a.scores.astype(float).sum():.4f}: completeness gap {a.completeness_gap:+.4f} ({steps})"
    )


def cmd_inspect(bert: Bert, args) -> None:
    from .export import save_inspection

    r = bert.inspect(args.text, args.text_b, top_k=args.top_k)
    warn_about_text(r.text_warning)
    arrays, summary = save_inspection(r, args.out, str(bert.path))
    print(f"wrote {arrays} and {summary}")


def cmd_evaluate_mlm(bert: Bert, args) -> None:
    from .evaluate import evaluate_mlm

    result = evaluate_mlm(bert, args.file, seed=args.seed, batch_size=args.batch_size)
    if args.json:
        print(json_dumps({"accuracy": result.accuracy, "masked_tokens": result.masked_tokens}))
    else:
        print(
            f"masked-token accuracy {result.accuracy:.4f} over {result.masked_tokens} masked tokens "
            f"({result.windows} windows)"
        )


def cmd_evaluate_nsp(bert: Bert, args) -> None:
    from .evaluate import evaluate_nsp

    result = evaluate_nsp(bert, args.file, seed=args.seed, batch_size=args.batch_size)
    if args.json:
        print(json_dumps({"accuracy": result.accuracy, "pairs": result.pairs, "random_share": result.random_share}))
    else:
        print(
            f"next-sentence accuracy {result.accuracy:.4f} over {result.pairs} pairs "
            f"({result.random_share:.0%} NotNext)"
        )


def check_output_first(args) -> None:
    """An output that cannot be written, or whose writing would destroy the user's files, is said
    before the model loads (finetune and pretrain check theirs before reading any data)."""
    from .checkpoint import check_output_folder, probe_writable

    if args.command == "convert":
        check_output_folder(args.out, source=args.model or BUNDLED_MODEL)
    elif args.command == "inspect":
        out = Path(args.out).expanduser()
        if out.is_dir():
            raise BertError(f"{out}: is a folder; give a file name ending in .npz")
        probe_writable(out.parent, out)


def cmd_convert(bert: Bert, args) -> None:
    import torch

    from .checkpoint import save_checkpoint

    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[args.dtype]
    save_checkpoint(bert.network, bert.tokenizer, args.out, dtype=dtype)
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {args.out} ({args.dtype} weights, {size / 1e6:.1f} MB)")


def cmd_index_corpus(bert: Bert, args) -> None:
    from .corpus_index import build_index

    def progress(sentences: int, tokens: int) -> None:
        print(f"\r{sentences:,} sentences, {tokens:,} tokens indexed", end="", file=sys.stderr, flush=True)

    start = time.perf_counter()
    info = build_index(bert, args.file, args.out, args.layers, args.max_sentences, progress)
    seconds = time.perf_counter() - start
    print(file=sys.stderr)
    print(
        f"wrote {args.out}: {info.sentences:,} sentences, {info.tokens:,} tokens, layers {info.layers} "
        f"({seconds:.1f} s this run)"
    )


def cmd_search(bert: Bert, args) -> None:
    from .corpus_index import CorpusIndex, search

    result = search(bert, CorpusIndex(args.index), args.text, args.token, args.layer, args.top_k)
    if args.json:
        hits = [
            {"sentence": h.sentence, "token": h.token, "position": h.position, "similarity": h.similarity}
            for h in result.hits
        ]
        print(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    print(f"nearest to '{result.query_token}' at layer {result.layer}: {result.summary}")
    for h in result.hits:
        shown = " ".join(f"[{t}]" if i == h.position else t for i, t in enumerate(h.tokens[1:-1], start=1))
        print(f"  {h.similarity:.3f}  {shown}")


COMMANDS = {
    "tokenize": cmd_tokenize,
    "convert": cmd_convert,
    "fill-mask": cmd_fill_mask,
    "inspect": cmd_inspect,
    "attribute": cmd_attribute,
    "evaluate-mlm": cmd_evaluate_mlm,
    "evaluate-nsp": cmd_evaluate_nsp,
    "predict": cmd_predict,
    "index-corpus": cmd_index_corpus,
    "search": cmd_search,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "download":
            print(fetch(args.model_id, args.revision))
        elif args.command == "pretrain":
            args.init = args.init and str(model_folder(args.init))
            cmd_pretrain(args)
        elif args.command == "finetune":
            args.model = args.model and str(model_folder(args.model))
            cmd_finetune(args)
        else:
            args.model = model_folder(args.model)
            check_output_first(args)
            bert = load(args.model, device=args.device)
            for warning in bert.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            COMMANDS[args.command](bert, args)
    except BertError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): not an error of ours, and nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit must not fail too
        return 141
    except Exception as exc:  # a failure no check foresaw: still one line, the traceback on request
        if args.debug:
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {one_line(exc)[:160]} "
            f"(run again with --debug for the details, and please report it)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        if "torch.distributed" in sys.modules:  # a run under torchrun joined a process group
            from .train_loop import stop_distributed

            stop_distributed()
    return 0
