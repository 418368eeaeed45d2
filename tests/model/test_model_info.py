"""ModelInfo's facts beyond the network: the measured quality a model folder states in its
evaluation.json (a bad file never stops a load), and names for Hugging Face cache snapshots."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from model.model_info import EVALUATION_FILE, read_evaluation

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "models" / "bert-mini-uncased"


@pytest.fixture
def model_folder(hf_folder):
    return hf_folder("BertForPreTraining")[0]


def test_the_bundled_evaluation_is_the_model_cards_figures_and_command():
    evaluation, warning = read_evaluation(BUNDLED)
    card = (BUNDLED / "MODEL_CARD.md").read_text()
    assert warning is None
    assert 0.35 <= evaluation.masked_token_accuracy <= 1 and 0.85 <= evaluation.nsp_accuracy <= 1  # the bars
    assert f"**{evaluation.masked_token_accuracy:.3f}** (15,412 masked tokens" in card
    assert f"**{evaluation.nsp_accuracy:.3f}** (1,055 pairs, 53% NotNext" in card
    for command in evaluation.command.split("; "):
        assert f"`{command}`" in card


def test_a_folder_without_one_has_no_evaluation_and_no_warning(tmp_path):
    assert read_evaluation(tmp_path) == (None, None) and read_evaluation(None) == (None, None)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{not json", "not valid JSON"),
        ("[0.389]", "not an object"),
        (json.dumps({"heldout_masked_token_accuracy": 1.7}), "1.7 is not a number from 0 to 1"),
        (json.dumps({"heldout_masked_token_accuracy": "high"}), "is not a number from 0 to 1"),
        (json.dumps({"heldout_nsp_accuracy": True}), "true is not a number from 0 to 1"),
        (json.dumps({"measured_on": 3}), "measured_on: 3 is not text"),
        (json.dumps({"command": "x" * 600}), "longer than 500 characters"),
        ("{}" + " " * (1 << 20), "is 1.1 MB; an evaluation.json is at most 1 MB"),
    ],
    ids=["syntax", "array", "above 1", "text", "bool", "note", "long", "oversized"],
)
def test_a_malformed_file_is_ignored_with_a_one_line_warning(tmp_path, content, problem):
    (tmp_path / EVALUATION_FILE).write_text(content)
    evaluation, warning = read_evaluation(tmp_path)
    assert evaluation is None and problem in warning and "\n" not in warning
    assert warning.startswith(str(tmp_path / EVALUATION_FILE)) and warning.endswith("fix or delete the file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_refused_unopened(tmp_path):
    os.mkfifo(tmp_path / EVALUATION_FILE)
    evaluation, warning = read_evaluation(tmp_path)  # would block for ever if it were opened for reading
    assert evaluation is None and "named pipe" in warning


def test_a_model_loads_with_its_evaluation_or_a_warning(model_folder, tmp_path):
    import model

    folder = tmp_path / "model"
    shutil.copytree(model_folder, folder)
    (folder / EVALUATION_FILE).write_text(json.dumps({"heldout_masked_token_accuracy": 0.5, "measured_on": "x"}))
    info = model.load(folder, device="cpu").info()
    assert (info.heldout_masked_accuracy, info.heldout_nsp_accuracy, info.quality_note) == (0.5, None, "x")
    assert info.warnings == ()
    (folder / EVALUATION_FILE).write_text("{")
    info = model.load(folder, device="cpu").info()
    assert info.heldout_masked_accuracy is None and len(info.warnings) == 1 and EVALUATION_FILE in info.warnings[0]


def test_a_hugging_face_cache_snapshot_is_named_by_its_repository(model_folder, tmp_path):
    import model

    info = model.load(model_folder, device="cpu").info()
    snapshot = tmp_path / "hub" / "models--google--bert_uncased_L-4_H-256_A-4" / "snapshots" / "0123abcd"
    assert dataclasses.replace(info, path=str(snapshot)).name == "google/bert_uncased_L-4_H-256_A-4"
    plain = tmp_path / "hub" / "models--bert-base-uncased" / "snapshots" / "0123abcd"
    assert dataclasses.replace(info, path=str(plain)).name == "bert-base-uncased"
    assert dataclasses.replace(info, path=str(tmp_path / "snapshots" / "0123abcd")).name == "0123abcd"
    assert dataclasses.replace(info, path=str(tmp_path / "my-model")).name == "my-model"
    assert re.fullmatch(r"[\w.-]+", info.name)
