"""A checkpoint with NaN or Inf weights loads with one warning naming the tensors, and the
CLI's --json output stays valid JSON (NaN and Inf are written null)."""

from __future__ import annotations

import json
import math

import pytest

from model.cli import json_dumps, main

LAYER_1_QUERY = "bert.encoder.layer.1.attention.self.query.weight"


def spoil(folder, names: list[str], value: float = math.nan) -> str:
    """Rewrite the folder's weights with `value` in the first entries of the named tensors."""
    from safetensors.torch import load_file, save_file

    weights = load_file(folder / "model.safetensors")
    for name in names:
        weights[name].view(-1)[:4] = value
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})
    return str(folder)


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_a_finite_model_loads_without_warnings(hf_folder):
    import model

    assert model.load(hf_folder("BertForMaskedLM")[0], device="cpu").warnings == []


def test_the_warning_names_the_tensors_and_counts_the_rest(hf_folder):
    import model

    folder = hf_folder("BertForMaskedLM")[0]
    one = model.load(spoil(folder, [LAYER_1_QUERY], math.inf), device="cpu")
    assert one.warnings == [
        f"{folder}: 1 tensor holds NaN or Inf values ({LAYER_1_QUERY}); its outputs will be meaningless"
    ]
    names = [
        f"bert.encoder.layer.{layer}.{part}"
        for layer in (0, 1)
        for part in ("attention.self.key.bias", "intermediate.dense.weight", "output.dense.bias")
    ]
    many = model.load(spoil(folder, names), device="cpu")  # and the layer-1 query still
    assert many.warnings == [
        f"{folder}: 7 tensors hold NaN or Inf values ({', '.join(names[:3])} and 4 more); "
        "its outputs will be meaningless"
    ]


def test_fill_mask_json_is_valid_json_for_a_model_with_nan_weights(hf_folder, capsys):
    folder = spoil(hf_folder("BertForPreTraining")[0], [LAYER_1_QUERY])
    code = main(["fill-mask", "the cat [MASK] on the mat .", "--model", folder, "--json", "--device", "cpu"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = strict_json(out)
    assert [p["score"] for p in data["masks"][0]["predictions"]] == [None] * 5
    assert err.count("warning: ") == 1 and LAYER_1_QUERY in err


def test_predict_json_is_valid_json_for_a_classifier_with_nan_weights(hf_folder, capsys):
    folder = spoil(hf_folder("BertForSequenceClassification", num_labels=2)[0], ["classifier.weight"])
    assert main(["predict", "a cat", "--model", folder, "--json", "--device", "cpu"]) == 0
    data = strict_json(capsys.readouterr().out)
    assert list(data["probabilities"].values()) == [None, None]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_json_dumps_writes_non_finite_numbers_as_null(value):
    assert json_dumps({"a": [value, {"b": (1.5, value)}], "c": "x"}) == '{"a": [null, {"b": [1.5, null]}], "c": "x"}'


def test_a_finite_tensor_whose_sum_overflows_is_not_reported():
    import torch

    from model.bert import non_finite_parameters

    layer = torch.nn.Linear(4, 4)
    with torch.no_grad():
        layer.weight.fill_(3e38)  # finite, but its sum is Inf
        layer.bias[0] = math.nan
    assert non_finite_parameters(layer) == ["bias"]
