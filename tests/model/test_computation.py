"""The Computation tab's data: one encoder layer traced step by step (LayerTrace), and BertViz's
neuron view of one head (NeuronView). The layer's output is recomputed in NumPy from the traced
intermediates alone and must be the model's own hidden state."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import model
from model.computation import neuron_view, trace_layer
from model.heads import BertWithHeads, HeadSpec

PAIR = ("the cat sat on the mat .", "it was very happy there .")
# Absolute, for BERT-base too: float32 (the model) against float64 (the recomputation) differs
# by at most 4e-6 at any step here (hidden values up to about 9); BERT-base's longer sums
# (768 and 3,072 terms) do not make it worse, so no relative tolerance is needed.
ATOL = 1e-5


@pytest.fixture(scope="module")
def mini():
    return model.load(device="cpu")


@pytest.fixture(scope="module")
def base(mini):
    """A randomly initialised BERT-base-sized model (12 x 768, 12 heads, 3,072) with the bundled
    tokenizer. Biases and LayerNorm parameters are random too, so a step that forgot one differs."""
    config = model.BertConfig(
        vocab_size=mini.config.vocab_size,
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=128,
    )
    torch.manual_seed(20)
    network = BertWithHeads(config, HeadSpec(mlm=True, nsp=True))
    network.init_weights()
    with torch.no_grad():
        for name, p in network.named_parameters():
            if "LayerNorm.weight" in name:
                p.normal_(1.0, 0.2)
            elif name.endswith("bias"):
                p.normal_(0.0, 0.1)
    network.eval()
    return model.Bert(network, mini.tokenizer, config, None, torch.device("cpu"))


def gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU, x * Phi(x)."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)  # biased, as LayerNorm
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def weights(bert, layer: int) -> dict[str, np.ndarray]:
    """The layer's parameters as float64 NumPy, by their Hugging Face names."""
    block = bert.network.bert.encoder.layer[layer]
    return {name: p.detach().double().numpy() for name, p in block.named_parameters()}


def recompute(trace, w: dict[str, np.ndarray], eps: float) -> dict[str, np.ndarray]:
    """Every step of the layer from the trace's q, k, v, bias, head mask and x, in float64."""
    f = {name: getattr(trace, name).astype(np.float64) for name in ("x", "query", "key", "value")}
    out = {}
    out["scores"] = f["query"] @ f["key"].transpose(0, 2, 1) * trace.scale  # (H, T, T)
    biased = out["scores"] + trace.attention_bias.astype(np.float64)
    e = np.exp(biased - biased.max(-1, keepdims=True))
    out["probabilities"] = e / e.sum(-1, keepdims=True) * trace.head_mask[:, None, None]
    out["context"] = out["probabilities"] @ f["value"]  # (H, T, d)
    H, T, d = out["context"].shape
    out["concatenated"] = out["context"].transpose(1, 0, 2).reshape(T, H * d)
    out["attention_output"] = (
        out["concatenated"] @ w["attention.output.dense.weight"].T + w["attention.output.dense.bias"]
    )
    out["attention_residual"] = f["x"] + out["attention_output"]
    out["attention_normed"] = layer_norm(
        out["attention_residual"], w["attention.output.LayerNorm.weight"], w["attention.output.LayerNorm.bias"], eps
    )
    out["intermediate_linear"] = (
        out["attention_normed"] @ w["intermediate.dense.weight"].T + w["intermediate.dense.bias"]
    )
    out["intermediate"] = gelu(out["intermediate_linear"])
    out["ffn_output"] = out["intermediate"] @ w["output.dense.weight"].T + w["output.dense.bias"]
    out["ffn_residual"] = out["attention_normed"] + out["ffn_output"]
    out["output"] = layer_norm(out["ffn_residual"], w["output.LayerNorm.weight"], w["output.LayerNorm.bias"], eps)
    return out


def check_shapes(trace, config, T: int) -> None:
    H, C, inner = config.num_attention_heads, config.hidden_size, config.intermediate_size
    d = C // H
    expected = {
        "x": (T, C),
        "query": (H, T, d),
        "key": (H, T, d),
        "value": (H, T, d),
        "scores": (H, T, T),
        "attention_bias": (T,),
        "head_mask": (H,),
        "probabilities": (H, T, T),
        "context": (H, T, d),
        "concatenated": (T, C),
        "attention_output": (T, C),
        "attention_residual": (T, C),
        "attention_normed": (T, C),
        "intermediate_linear": (T, inner),
        "intermediate": (T, inner),
        "ffn_output": (T, C),
        "ffn_residual": (T, C),
        "output": (T, C),
    }
    for name, shape in expected.items():
        a = getattr(trace, name)
        assert a.shape == shape, name
        assert a.dtype == np.float32 and a.flags["C_CONTIGUOUS"], name
    assert trace.scale == pytest.approx(1 / math.sqrt(d))
    assert len(trace.tokens) == T and trace.activation == config.hidden_act


@pytest.mark.parametrize("which", ["mini", "base"])
def test_the_output_recomputed_from_the_intermediates_is_the_models(which, request):
    bert = request.getfixturevalue(which)
    r = bert.inspect(*PAIR)
    T = len(r.tokens)
    for layer in range(bert.config.num_hidden_layers):
        trace = bert.trace_layer(*PAIR, layer)
        check_shapes(trace, bert.config, T)
        assert trace.layer == layer and trace.tokens == r.tokens
        assert np.array_equal(trace.x, r.hidden_states[layer])
        steps = recompute(trace, weights(bert, layer), bert.config.layer_norm_eps)
        for name, value in steps.items():  # each displayed step follows from the ones before it
            np.testing.assert_allclose(getattr(trace, name), value, atol=ATOL, err_msg=name)
        np.testing.assert_allclose(steps["output"], r.hidden_states[layer + 1], atol=ATOL)
        np.testing.assert_allclose(trace.output, r.hidden_states[layer + 1], atol=ATOL)
        np.testing.assert_allclose(trace.probabilities, r.attentions[layer], atol=ATOL)


def test_the_intermediates_are_not_trivial(base):
    """A guard for the test above: the random model's biases, LayerNorms and GELU all matter."""
    trace = base.trace_layer(*PAIR, 5)
    assert (trace.intermediate_linear < 0).mean() > 0.2  # GELU's curved part is exercised
    assert not np.allclose(trace.attention_residual, trace.attention_normed, atol=0.1)
    assert np.abs(trace.output - trace.x).max() > 0.1


def test_neuron_view_builds_the_scores_dimension_by_dimension(mini):
    r = mini.inspect(*PAIR)
    for layer in (0, 3):
        trace = mini.trace_layer(*PAIR, layer)
        T, H = len(trace.tokens), trace.query.shape[0]
        for head in range(H):
            for query_index in (0, 3, T - 1):
                view = neuron_view(trace, head, query_index)
                assert (view.layer, view.head, view.query_index) == (layer, head, query_index)
                assert view.products.shape == view.keys.shape == (T, trace.query.shape[2])
                np.testing.assert_array_equal(view.query, trace.query[head, query_index])
                np.testing.assert_array_equal(view.keys, trace.key[head])
                np.testing.assert_allclose(
                    view.products.sum(-1) * trace.scale, trace.scores[head, query_index], atol=ATOL
                )
                np.testing.assert_allclose(view.scores, trace.scores[head, query_index], atol=ATOL)
                np.testing.assert_allclose(view.probabilities, r.attentions[layer, head, query_index], atol=ATOL)
    with pytest.raises(model.BertError, match="heads 0 to 3"):
        neuron_view(trace, 4, 0)
    with pytest.raises(model.BertError, match="tokens 0 to"):
        neuron_view(trace, 0, T)


def test_switched_off_heads_show_zero_and_the_output_follows_the_mask(mini):
    mask = np.ones((4, 4), dtype=np.float32)
    mask[1, 2] = mask[1, 0] = mask[2, 3] = 0
    r = mini.inspect(*PAIR, head_mask=mask)
    for layer in range(4):
        trace = mini.trace_layer(*PAIR, layer, head_mask=mask)
        np.testing.assert_array_equal(trace.head_mask, mask[layer])
        for head in np.flatnonzero(mask[layer] == 0):
            assert np.all(trace.probabilities[head] == 0) and np.all(trace.context[head] == 0)
        steps = recompute(trace, weights(mini, layer), mini.config.layer_norm_eps)
        np.testing.assert_allclose(steps["output"], r.hidden_states[layer + 1], atol=ATOL)
        np.testing.assert_allclose(trace.output, r.hidden_states[layer + 1], atol=ATOL)
    # The mask changes the layer's output (layer 1 lost two heads), so the comparison above means something.
    assert not np.allclose(mini.trace_layer(*PAIR, 1).output, mini.trace_layer(*PAIR, 1, head_mask=mask).output)


@pytest.mark.parametrize("layer", [-1, 4, 1.0, "1", True, None])
def test_a_bad_layer_is_one_line_naming_the_range(mini, layer):
    with pytest.raises(model.BertError, match="layers 0 to 3") as info:
        mini.trace_layer("the cat", None, layer)
    assert "\n" not in str(info.value)


def test_a_sentence_pair_is_traced_with_its_segments(mini):
    pair, single = mini.trace_layer(*PAIR, 0), mini.trace_layer(" ".join(PAIR), None, 0)
    assert pair.tokens.count("[SEP]") == 2 and single.tokens.count("[SEP]") == 1
    r = mini.inspect(*PAIR)
    assert list(r.segment_ids).count(1) > 0
    np.testing.assert_array_equal(pair.x, r.hidden_states[0])
    # Sentence B's tokens got the segment-B embedding: its input differs from the one-sentence text's.
    b_start = pair.tokens.index("[SEP]") + 1
    assert not np.allclose(pair.x[b_start], single.x[b_start])


def test_another_layer_of_the_same_input_runs_one_layer_only(mini, monkeypatch):
    calls = []
    original = type(mini.network.bert).forward

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(mini.network.bert), "forward", counted)
    mini.trace_layer("a new sentence", None, 0)
    assert len(calls) == 1
    for layer in (3, 1, 2):
        mini.trace_layer("a new sentence", None, layer)
    assert len(calls) == 1
    mini.trace_layer("a new sentence", "with a second", 1)  # another input: one more pass
    off = np.ones((4, 4), dtype=np.float32)
    off[0, 0] = 0
    mini.trace_layer("a new sentence", "with a second", 1, head_mask=off)  # another head mask: one more
    assert len(calls) == 3
    mini.to("cpu")  # a move forgets the cached hidden states (they were on the old device)
    mini.trace_layer("a new sentence", "with a second", 2, head_mask=off)
    assert len(calls) == 4


def test_trace_layer_applies_an_attention_bias_as_the_model_does(mini):
    """The padding bias BertModel builds for a padded batch: padded keys get no attention."""
    from model.transformer import attention_bias_from_mask

    enc = mini.tokenize("the cat sat")
    ids = torch.tensor([enc.ids + [0, 0]])  # two [PAD]s
    attention_mask = torch.tensor([[1] * len(enc.ids) + [0, 0]])
    with torch.no_grad():
        x, _ = mini.network.bert.embeddings(ids, torch.zeros_like(ids))  # (1, T, C)
        bias = attention_bias_from_mask(attention_mask, x.dtype)  # (1, 1, 1, T)
        expected, _ = mini.network.bert.encoder.layer[0](x, bias)
    trace = trace_layer(mini.network, 0, x, enc.tokens + ["[PAD]"] * 2, bias)
    assert np.all(trace.probabilities[:, :, -2:] == 0)
    assert trace.attention_bias[-1] < -1e30 and np.all(trace.attention_bias[:-2] == 0)
    np.testing.assert_allclose(trace.output, expected[0].numpy(), atol=ATOL)


def test_the_gui_thread_can_import_it_without_torch():
    """The Computation tab imports LayerTrace and neuron_view on the GUI thread, which never loads torch."""
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, model.computation; print(sorted(m for m in sys.modules if m.split('.')[0] == 'torch')[:3])"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
