"""The Model tab on its own: what the model is, and how well it was measured to do on text it
never saw, from its folder's evaluation.json."""

from __future__ import annotations

import json
import shutil

import pytest


@pytest.fixture
def view(qtbot):
    from bertgui.views.model_view import ModelView

    v = ModelView()
    qtbot.addWidget(v)
    return v


def test_the_bundled_model_states_its_measured_accuracy(view):
    import model

    view.show_model(model.load(None, device="cpu").info())
    text = view.quality.text()
    assert "Held-out masked-token accuracy: <b>0.402</b>" in text and "its first guess is the hidden word 40%" in text
    assert "Held-out next-sentence accuracy: <b>0.890</b>" in text and "69 held-out documents" in text
    assert "evaluate-mlm heldout.txt --seed 0" in view.quality.toolTip()
    assert "<b style='font-size:large'>bert-mini-uncased</b>" in view.summary.text()


def test_a_folder_without_an_evaluation_says_how_to_measure_one(view, model_folder):
    import model

    view.show_model(model.load(model_folder, device="cpu").info())
    assert "Not measured" in view.quality.text() and "evaluate-mlm" in view.quality.text()
    assert view.quality.toolTip() == ""


def test_a_malformed_evaluation_is_a_warning_on_the_tab(view, model_folder, tmp_path):
    import model

    folder = tmp_path / "copy"
    shutil.copytree(model_folder, folder)
    (folder / "evaluation.json").write_text(json.dumps({"heldout_masked_token_accuracy": 38.9}))
    view.show_model(model.load(folder, device="cpu").info())
    assert "Not measured" in view.quality.text()
    assert "heldout_masked_token_accuracy: 38.9 is not a number from 0 to 1" in view.capabilities.text()


def test_the_parameter_count_is_compared_with_bert_base(view):
    import model
    from model.sizes import formula_counts, preset_config, size_report

    info = model.load(None, device="cpu").info()
    view.show_model(info)
    # BERT-base's figures as the built network gives them (formula_counts is what the tab uses).
    base = size_report(preset_config("base"))
    assert sum(formula_counts(base.config).values()) == base.total
    line = view.comparison.text()
    ratio = round(base.encoder_and_pooler / info.parameter_count)
    assert line.startswith(f"{info.parameter_count / 1e6:.1f} M parameters: about 1/{ratio} of BERT-base's 109.5 M")
    assert "the “110M” usually quoted; with the masked-LM and next-sentence heads BERT-base has 110.1 M" in line
