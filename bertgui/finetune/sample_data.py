"""The sample dataset the Fine-tune tab offers (written by the project, CC0: resources/samples/),
and where a run's model goes when the user has not said: beside the data, under a fresh name."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from model.resource_paths import resources_folder

SAMPLES_FOLDER = resources_folder() / "samples"
SAMPLE_TRAIN = SAMPLES_FOLDER / "sentiment" / "train.csv"
SAMPLE_EVAL = SAMPLES_FOLDER / "sentiment" / "eval.csv"
SAMPLE_DESCRIPTION = QT_TRANSLATE_NOOP(
    "sample_data", "sentiment: 240 review sentences to train on, 60 to evaluate, positive or negative"
)


def models_home() -> Path:
    """Where models go when the data's own folder will not do (the samples may be read-only in an
    installed app): a folder of the user's, named for the app."""
    return Path.home() / "BERT Explorer"


def is_sample(path: Path) -> bool:
    return path.resolve().is_relative_to(SAMPLES_FOLDER)


def default_output_folder(train: str) -> str:
    """'<data folder>/<data name>-finetuned', or with -2, -3... if that is taken: a run never
    lands in a folder that already holds something. The sample's model, and one whose data
    folder cannot be written, go under models_home()."""
    path = Path(train.strip()).expanduser()
    if is_sample(path):
        root, name = models_home(), f"{path.parent.name}-sample-finetuned"
    else:
        folder = path.parent
        root = folder if folder.is_dir() and os.access(folder, os.W_OK) else models_home()
        name = f"{path.stem}-finetuned"
    candidate, n = root / name, 2
    while candidate.exists():
        candidate, n = root / f"{name}-{n}", n + 1
    return str(candidate)


def start_folder(*paths: str) -> str:
    """Where a file dialog opens: the folder of the first of these paths that names one (a file in
    it, or the folder itself, or a folder still to be made inside it), else the user's home; never
    the folder the app was started from."""
    for text in paths:
        if not text.strip():
            continue
        path = Path(text.strip()).expanduser()
        for folder in (path, *path.parents):
            if folder.is_dir() and folder != Path(folder.anchor):
                return str(folder)
    return str(Path.home())
