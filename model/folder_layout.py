"""What a Hugging Face-layout model folder holds, by name. Pure (no torch), so the GUI thread can
use it too (the cache scan in bertgui/hf_cache.py)."""

from __future__ import annotations

import re

# The weights, in the order they are looked for: safetensors first (it cannot carry code).
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")

# Everything a model folder may hold: the files a save writes and those Hugging Face's tools put
# beside them. A save replaces the folder whole, so a folder holding anything else (the user's
# notes, a subfolder, a model card) is refused rather than emptied.
MODEL_FILE_NAMES = frozenset(
    {
        "config.json",
        *WEIGHT_FILES,
        "pytorch_model.bin.index.json",
        "vocab.txt",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "evaluation.json",  # the model's measured quality (model/model_info.py); replaced with the model it describes
    }
)
SHARD_NAME = re.compile(r"(model|pytorch_model)-\d+-of-\d+\.(safetensors|bin)")
