"""Input attribution (model/attribution.py): integrated gradients and gradient x input held to
their definitions, to a reference computed with transformers, and to the head mask."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import torch

import model
import model.attribution as attribution
from model.cli import main

TEXT = "the cat sat on the [MASK] ."


@pytest.fixture
def mlm(hf_folder):
    """A small random BertForMaskedLM with weights large enough to make the logit nonlinear in
    its input (BERT's 0.02 initialisation leaves a random model almost linear), and the same
    network in transformers."""
    folder, hf = hf_folder("BertForMaskedLM", initializer_range=0.2)
    return model.load(folder, device="cpu"), hf, folder


def reference_ig(hf, head, ids, segments, special, pad_id, steps, read):
    """Integrated gradients written out plainly with transformers' model: one step at a time,
    midpoint rule, [PAD] baseline at the text tokens, through inputs_embeds."""
    words = hf.bert.embeddings.word_embeddings.weight.detach()
    inputs = words[ids]  # (T, hidden)
    reference = inputs.clone()
    reference[~special] = words[pad_id]
    total = torch.zeros_like(inputs)
    for k in range(steps):
        point = (reference + (k + 0.5) / steps * (inputs - reference)).requires_grad_()
        out = head(inputs_embeds=point[None], token_type_ids=segments[None])
        (gradient,) = torch.autograd.grad(read(out.logits), point)
        total += gradient
    return ((inputs - reference) * total / steps).sum(-1).numpy()


def test_integrated_gradients_are_complete(mlm):
    bert = mlm[0]
    a = bert.attribute(TEXT, steps=256)
    difference = a.score - a.baseline_score
    assert abs(difference) > 0.1  # a score that moves, so completeness says something
    assert abs(float(a.scores.astype(np.float64).sum()) - difference) < 1e-3
    assert abs(a.completeness_gap) < 1e-3
    coarse = bert.attribute(TEXT, steps=1)
    assert abs(coarse.completeness_gap) > 1e-3  # the gap measures the integration error: one step misses
    assert a.scores.dtype == np.float32 and a.scores.flags["C_CONTIGUOUS"] and a.scores.shape == (len(a.tokens),)
    assert a.tokens[a.target_position] == "[MASK]" and a.method == "ig" and a.steps == 256
    assert list(a.special_tokens_mask) == [True] + [False] * 7 + [True]
    assert a.scores[0] == 0 and a.scores[-1] == 0  # the [PAD] baseline keeps [CLS] and [SEP]


def test_gradient_times_input_is_the_directional_derivative(hf_folder):
    """Token t's score is the derivative of the logit along (x_t - baseline_t), which a central
    finite difference of transformers' float64 model gives independently."""
    folder, hf = hf_folder("BertForMaskedLM", initializer_range=0.2, hidden_size=16, intermediate_size=32)
    bert = model.load(folder, device="cpu")
    bert.network.double()
    hf.double()
    a = bert.attribute(TEXT, method="grad", baseline="zero")
    assert a.steps == 1 and a.baseline == "zero"
    enc = bert.tokenize(TEXT)
    x = hf.bert.embeddings.word_embeddings.weight.detach()[enc.ids]  # (T, hidden)
    segments = torch.tensor([enc.segment_ids])

    def logit(vectors):
        with torch.no_grad():
            return float(hf(inputs_embeds=vectors[None], token_type_ids=segments).logits[0, 6, a.target_id])

    assert np.isclose(a.score, logit(x), atol=1e-9)
    eps = 1e-6
    for t in range(len(enc.ids)):
        step = torch.zeros_like(x)
        step[t] = eps * x[t]  # the zero baseline: the direction is the input itself
        derivative = (logit(x + step) - logit(x - step)) / (2 * eps)
        assert a.scores[t] == pytest.approx(derivative, abs=1e-5)


def test_a_token_that_cannot_reach_the_prediction_gets_zero(mlm):
    """With every head switched off, no position reads another (attention is the only place
    where positions mix; the feed-forward and LayerNorms work on each alone), so the [MASK]'s
    logit depends on the [MASK] alone: every other token's attribution is exactly zero."""
    bert = mlm[0]
    off = np.zeros((2, 4), dtype=np.float32)
    for method, baseline in (("ig", "pad"), ("grad", "zero")):
        a = bert.attribute(TEXT, head_mask=off, method=method, baseline=baseline)
        others = np.delete(a.scores, a.target_position)
        assert np.all(others == 0), (method, a.scores)
        assert a.scores[a.target_position] != 0
    with_heads = bert.attribute(TEXT)
    assert np.count_nonzero(np.delete(with_heads.scores, with_heads.target_position)[1:-1]) == 6


def test_the_head_mask_is_in_force(mlm):
    """A head switched off by the mask gives the attribution of a model whose head outputs
    nothing (its value projection zeroed), and not that of the full model."""
    bert = mlm[0]
    mask = np.ones((2, 4), dtype=np.float32)
    mask[0, 1] = 0
    on = bert.attribute(TEXT, token="cat", steps=16)
    off = bert.attribute(TEXT, token="cat", steps=16, head_mask=mask)
    assert not np.allclose(on.scores, off.scores, atol=1e-3)

    zeroed = copy.deepcopy(bert)
    value = zeroed.network.bert.encoder.layer[0].attention.self.value
    d = value.out_features // 4
    with torch.no_grad():
        value.weight[d : 2 * d] = 0
        value.bias[d : 2 * d] = 0
    reference = zeroed.attribute(TEXT, token="cat", steps=16)
    assert np.allclose(off.scores, reference.scores, atol=1e-5)
    assert off.score == pytest.approx(reference.score, abs=1e-5)


def test_chunked_steps_give_the_one_batch_result(mlm, monkeypatch):
    bert = mlm[0]
    length = len(bert.tokenize(TEXT).ids)
    assert attribution.steps_per_chunk(bert.config, length) >= 24  # the default runs them in one batch
    whole = bert.attribute(TEXT, steps=24)
    monkeypatch.setattr(attribution, "CHUNK_BYTES", 1)
    assert attribution.steps_per_chunk(bert.config, length) == 1
    one_at_a_time = bert.attribute(TEXT, steps=24)
    assert np.allclose(whole.scores, one_at_a_time.scores, atol=1e-5)
    assert whole.target_id == one_at_a_time.target_id


def test_steps_per_chunk_bounds_bert_base_at_512_tokens():
    base = model.BertConfig(vocab_size=30522)  # BERT-base's shape: 12 layers of 768
    chunk = attribution.steps_per_chunk(base, 512)
    assert 1 <= chunk <= 4


def test_no_parameter_gradient_is_kept_and_the_mode_is_restored(mlm):
    bert = mlm[0]
    bert.network.train()
    bert.attribute(TEXT, steps=4)
    assert bert.network.training
    assert all(p.grad is None and p.requires_grad for p in bert.network.parameters())
    bert.network.eval()


def test_matches_a_plain_reference_with_transformers(mlm):
    bert, hf, _ = mlm
    a = bert.attribute(TEXT, token="cat", steps=20)
    enc = bert.tokenize(TEXT)
    special = torch.tensor(enc.special_tokens_mask, dtype=torch.bool)
    expected = reference_ig(
        hf,
        hf,
        torch.tensor(enc.ids),
        torch.tensor(enc.segment_ids),
        special,
        bert.tokenizer.pad_token_id,
        20,
        lambda logits: logits[0, 6, a.target_id],
    )
    assert np.allclose(a.scores, expected, atol=1e-4)
    with torch.no_grad():
        logits = hf(input_ids=torch.tensor([enc.ids])).logits[0, 6]
    assert a.score == pytest.approx(float(logits[a.target_id]), abs=1e-4)
    assert bert.tokenizer.id_to_token(a.target_id) == "cat" and a.target == "'cat' at position 6"


def test_a_classifier_class_matches_the_reference(hf_folder):
    folder, hf = hf_folder(
        "BertForSequenceClassification", initializer_range=0.2, num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}
    )
    bert = model.load(folder, device="cpu")
    text, text_b = "the cat sat", "a dog ran"
    default = bert.attribute(text, text_b, steps=8)
    probabilities = bert.classify(text, text_b)
    assert default.target == f"class '{max(probabilities, key=probabilities.get)}'" and default.target_position == 0
    a = bert.attribute(text, text_b, label="neu", steps=20)
    assert a.target_id == 1 and a.target == "class 'neu'"
    enc = bert.tokenize(text, text_b)
    expected = reference_ig(
        hf,
        hf,
        torch.tensor(enc.ids),
        torch.tensor(enc.segment_ids),
        torch.tensor(enc.special_tokens_mask, dtype=torch.bool),
        bert.tokenizer.pad_token_id,
        20,
        lambda logits: logits[0, 1],
    )
    assert np.allclose(a.scores, expected, atol=1e-4)


def test_one_line_refusals(mlm, hf_folder):
    bert = mlm[0]
    cases = [
        (dict(text="the cat sat ."), "no [MASK] in the input"),
        (dict(text=TEXT, token="xyzzyq"), "word pieces"),
        (dict(text=TEXT, token="\u2603"), "not in the model's vocabulary"),
        (dict(text=TEXT, label="pos"), "no sequence-classification head"),
        (dict(text=TEXT, steps=0), "steps must be"),
        (dict(text=TEXT, method="shap"), "unknown attribution method"),
        (dict(text=TEXT, baseline="blur"), "unknown baseline"),
        (dict(text=TEXT, position=9), "position 9 is not in the input: give one from 0 to 8"),
        (dict(text=TEXT, head_mask=np.ones((3, 4))), "head_mask must have shape (2, 4)"),
    ]
    for kwargs, message in cases:
        with pytest.raises(model.BertError, match=None) as caught:
            bert.attribute(**kwargs)
        assert message in str(caught.value) and "\n" not in str(caught.value), kwargs
    assert bert.attribute(TEXT, token="Cat", steps=2).target == "'cat' at position 6"  # as the tokenizer reads it

    folder, _ = hf_folder("BertForSequenceClassification", num_labels=2, id2label={0: "neg", 1: "pos"})
    classifier = model.load(folder, device="cpu")
    with pytest.raises(model.BertError, match="label 'happy' is not one of this classifier's: neg, pos"):
        classifier.attribute("the cat", label="happy")
    with pytest.raises(model.BertError, match="not both"):
        classifier.attribute("the cat", label="pos", position=1)


def test_cli_json_and_table(mlm, capsys):
    folder = str(mlm[2])
    args = ["attribute", TEXT, "--target", "cat", "--steps", "8", "--model", folder, "--device", "cpu"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == "'cat' at position 6" and data["steps"] == 8 and data["method"] == "ig"
    assert len(data["scores"]) == len(data["tokens"]) == len(data["special_tokens_mask"]) == 9
    gap = sum(data["scores"]) - (data["score"] - data["baseline_score"])
    assert data["completeness_gap"] == pytest.approx(gap, abs=1e-5)

    assert main([*args, "--method", "grad", "--baseline", "zero"]) == 0
    out = capsys.readouterr().out
    assert "gradient x input of the logit of 'cat' at position 6, from a zero baseline" in out
    assert "[MASK]" in out and "completeness gap" in out and "|" in out

    assert main(["attribute", "the cat sat .", "--model", folder]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no [MASK] in the input") and err.count("\n") == 1
