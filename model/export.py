"""Saving an inspection: its arrays as .npz and a readable .json summary beside it."""

from __future__ import annotations

import io
import json
from dataclasses import fields
from pathlib import Path

import numpy as np

from .atomic import atomic_write_bytes, atomic_write_text
from .computation import LayerTrace
from .inspection import Inspection

ARRAYS = (
    "input_ids",
    "segment_ids",
    "offsets",
    "special_tokens_mask",
    "token_embeddings",
    "segment_embeddings",
    "position_embeddings",
    "normalized_sum",
    "hidden_states",
    "attentions",
    "head_mask",
)


def save_inspection(
    r: Inspection, path: str | Path, model_path: str | None = None, trace: LayerTrace | None = None
) -> tuple[Path, Path]:
    """Write FILE.npz (every array, under its field name) and FILE.json (tokens, shapes,
    predictions); both atomically. Returns the two paths. With the trace of one layer of the
    same input (the Computation tab's), its intermediates too, as layer<N>_<field>."""
    out = Path(path)
    out = out if out.suffix == ".npz" else out.with_suffix(".npz")
    arrays = {name: getattr(r, name) for name in ARRAYS}
    for name in ("rollout", "token_probabilities", "logit_lens_final_probability"):
        if getattr(r, name) is not None:
            arrays[name] = getattr(r, name)
    if trace is not None:
        if trace.tokens != r.tokens:
            raise ValueError("the layer trace is of another input than the inspection")
        for f in fields(trace):
            value = getattr(trace, f.name)
            if isinstance(value, np.ndarray):
                arrays[f"layer{trace.layer}_{f.name}"] = value
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    atomic_write_bytes(out, buffer.getvalue())
    summary = {
        "text": r.text,
        "text_b": r.text_b,
        "tokens": r.tokens,
        "truncated": r.truncated,
        "model": model_path,
        "layers": r.num_layers,
        "heads": r.num_heads,
        "arrays": {k: list(v.shape) for k, v in arrays.items()},
        "fill_mask": [
            {"index": m.index, "predictions": [{"token": p.token, "score": p.score} for p in m.predictions]}
            for m in r.fill_mask
        ],
        "nsp_is_next": r.nsp_is_next,
        "traced_layer": None if trace is None else trace.layer,
    }
    summary_path = out.with_suffix(".json")
    atomic_write_text(summary_path, json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return out, summary_path
