"""How much fine-tuning changed each head's attention."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import model
from model.attention_change import attention_change, jensen_shannon
from model.errors import BertError


def test_jensen_shannon_bounds_and_symmetry():
    p = np.array([[0.5, 0.5, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]])
    q = np.array([[0.0, 0.0, 0.5, 0.5], [0.4, 0.3, 0.2, 0.1]])
    assert np.allclose(jensen_shannon(p, p), 0)
    assert np.isclose(jensen_shannon(p, q)[0], np.log(2))  # disjoint supports: the maximum
    assert np.allclose(jensen_shannon(p, q), jensen_shannon(q, p))
    # Against a direct evaluation of the definition for the full-support row.
    m = (p[1] + q[1]) / 2
    expected = 0.5 * np.sum(p[1] * np.log(p[1] / m)) + 0.5 * np.sum(q[1] * np.log(q[1] / m))
    assert np.isclose(jensen_shannon(p, q)[1], expected)


@pytest.fixture
def base(hf_folder):
    folder, _ = hf_folder("BertForPreTraining", attn_implementation="eager")
    return model.load(folder, device="cpu")


def test_a_model_against_itself_changed_nothing(base):
    change = attention_change(base, base, "the cat sat on the mat .")
    assert change.divergence.shape == (2, 4) and change.divergence.dtype == np.float32
    assert np.allclose(change.divergence, 0, atol=1e-6)


def test_only_the_changed_layer_and_those_above_it_move(base):
    tuned = copy.deepcopy(base)
    torch.manual_seed(1)
    with torch.no_grad():  # freshly initialised attention is nearly uniform: give layer 1 sharp queries
        tuned.network.bert.encoder.layer[1].attention.self.query.weight.normal_(0, 1.0)
    change = attention_change(base, tuned, "the cat sat on the mat .", "a dog ran .")
    assert np.allclose(change.divergence[0], 0, atol=1e-6)  # layer 0 reads the same inputs with the same weights
    assert (change.divergence[1] > 1e-4).all()
    assert (change.divergence <= np.log(2) + 1e-6).all()
    layer, head, value = change.most_changed(1)[0]
    assert layer == 1 and value == pytest.approx(change.divergence.max())
    assert np.array_equal(change.base_attentions, base.inspect("the cat sat on the mat .", "a dog ran .").attentions)


def test_models_of_different_shapes_are_refused(base, hf_folder):
    folder, _ = hf_folder("BertForMaskedLM", num_hidden_layers=3)
    other = model.load(folder, device="cpu")
    with pytest.raises(BertError, match="different numbers of layers"):
        attention_change(base, other, "the cat")
