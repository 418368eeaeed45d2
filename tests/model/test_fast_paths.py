"""The training-speed paths of model/fast_paths.py against the reference forward.

Each path (packed: the real tokens of a padded batch alone; first token: the [CLS] query alone;
both) must give the reference's outputs within float tolerance, on padded batches, left
padding and head masks; padding positions come out as zeros.
"""

from __future__ import annotations

import pytest
import torch

from model import fast_paths
from model.config import BertConfig
from model.heads import BertWithHeads, HeadSpec
from model.transformer import BertLayer, attention_bias_from_mask

CONFIG = BertConfig(
    vocab_size=50,
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=64,
    max_position_embeddings=24,
)
TOL = 1e-5


def _mask(padding: str) -> torch.Tensor:
    """(3, 8) attention masks; "left" pads the front of rows 1 and 2, so their position 0 is padding."""
    lengths = [8, 5, 2]
    mask = torch.tensor([[1] * n + [0] * (8 - n) for n in lengths])
    return {"none": torch.ones_like(mask), "right": mask, "left": mask.flip(1), "all": torch.zeros_like(mask)}[padding]


def _layer_and_input(padding: str, seed: int = 0):
    torch.manual_seed(seed)
    layer = BertLayer(CONFIG).eval()
    x = torch.randn(3, 8, CONFIG.hidden_size)
    mask = _mask(padding)
    bias = None if padding == "none" else attention_bias_from_mask(mask, x.dtype)
    return layer, x, mask, bias


def _head_mask(masked: bool) -> torch.Tensor | None:
    return torch.tensor([1.0, 0.0, 0.5, 1.0]) if masked else None


def _packed(x: torch.Tensor, mask: torch.Tensor):
    keep = mask.reshape(-1).nonzero().squeeze(1)  # (N,)
    firsts = torch.searchsorted(keep, torch.arange(len(x)) * x.shape[1]).clamp(max=len(keep) - 1)
    return x.reshape(-1, x.shape[-1]).index_select(0, keep), keep, firsts


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("padding", ["right", "left"])
def test_packed_attention_and_layer_equal_the_reference_at_real_tokens(padding, masked, grad):
    layer, x, mask, bias = _layer_and_input(padding)
    head_mask = _head_mask(masked)
    real = mask.bool()
    with torch.no_grad():
        ref_context, _ = layer.attention.self(x, bias, head_mask, need_weights=True)  # (B, T, hidden)
        ref_out, _ = layer(x, bias, head_mask, need_weights=True)
    rows, keep, _ = _packed(x, mask)
    with torch.set_grad_enabled(grad):  # training stacks the projections into one GEMM
        context = fast_paths.packed_self_attention(layer.attention.self, rows, keep, 3, 8, bias, head_mask)
        out = fast_paths.packed_layer(layer, rows, keep, 3, 8, bias, head_mask)
    assert context.shape == out.shape == (int(real.sum()), CONFIG.hidden_size)
    assert torch.allclose(context, ref_context[real], atol=TOL)
    assert torch.allclose(out, ref_out[real], atol=TOL)
    assert torch.equal(fast_paths.unpack(out, keep, 3, 8)[real], out)
    assert (fast_paths.unpack(out, keep, 3, 8)[~real] == 0).all()


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("padding", ["none", "right", "left"])
def test_first_token_attention_and_layer_equal_the_reference_row_0(padding, masked, grad):
    layer, x, mask, bias = _layer_and_input(padding, seed=1)
    head_mask = _head_mask(masked)
    with torch.no_grad():
        ref_context, _ = layer.attention.self(x, bias, head_mask, need_weights=True)
        ref_out, _ = layer(x, bias, head_mask, need_weights=True)
    with torch.set_grad_enabled(grad):
        context = fast_paths.first_token_self_attention(layer.attention.self, x, bias, head_mask)
        out = fast_paths.first_token_layer(layer, x, bias, head_mask)
    assert context.shape == out.shape == (3, CONFIG.hidden_size)
    assert torch.allclose(context, ref_context[:, 0], atol=TOL)
    assert torch.allclose(out, ref_out[:, 0], atol=TOL)


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("padding", ["right", "left"])
def test_first_token_packed_attention_and_layer_equal_the_reference_row_0(padding, masked, grad):
    """Rows whose position 0 is padding (left padding) have no [CLS] to compute; encode zeroes them."""
    layer, x, mask, bias = _layer_and_input(padding, seed=2)
    head_mask = _head_mask(masked)
    with torch.no_grad():
        ref_context, _ = layer.attention.self(x, bias, head_mask, need_weights=True)
        ref_out, _ = layer(x, bias, head_mask, need_weights=True)
    rows, keep, firsts = _packed(x, mask)
    with torch.set_grad_enabled(grad):
        context = fast_paths.first_token_packed_self_attention(
            layer.attention.self, rows, keep, firsts, 3, 8, bias, head_mask
        )
        out = fast_paths.first_token_packed_layer(layer, rows, keep, firsts, 3, 8, bias, head_mask)
    assert context.shape == out.shape == (3, CONFIG.hidden_size)
    has_cls = mask[:, 0].bool()
    assert has_cls.sum() == (3 if padding == "right" else 1)
    assert torch.allclose(context[has_cls], ref_context[:, 0][has_cls], atol=TOL)
    assert torch.allclose(out[has_cls], ref_out[:, 0][has_cls], atol=TOL)


def _reference_encoder(layers, x, bias, head_mask):
    """BertModel.forward's loop on the explicit path: every layer's output, (layers + 1, B, T, hidden)."""
    states = [x]
    for i, layer in enumerate(layers):
        x = layer(x, bias, None if head_mask is None else head_mask[i], need_weights=True)[0]
        states.append(x)
    return torch.stack(states)


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("first_token_only,hidden_states", [(False, False), (False, True), (True, False)])
@pytest.mark.parametrize("padding", ["none", "right", "left", "all"])
def test_encode_equals_the_reference_loop(padding, first_token_only, hidden_states, masked):
    torch.manual_seed(3)
    layers = [BertLayer(CONFIG).eval() for _ in range(CONFIG.num_hidden_layers)]
    x = torch.randn(3, 8, CONFIG.hidden_size)
    mask = _mask(padding)
    bias = None if padding == "none" else attention_bias_from_mask(mask, x.dtype)
    head_mask = torch.ones(CONFIG.num_hidden_layers, CONFIG.num_attention_heads)
    head_mask[-1, 1] = 0.0
    head_mask = head_mask if masked else None
    with torch.no_grad():
        ref = _reference_encoder(layers, x, bias, head_mask)  # (layers + 1, B, T, hidden)
        last, states = fast_paths.encode(layers, x, bias, mask, head_mask, hidden_states, first_token_only)
    # a batch of padding alone is not packed: the plain layers run, as in the reference
    real = mask.bool() if padding != "all" else torch.ones_like(mask, dtype=torch.bool)
    if first_token_only:
        assert last.shape == (3, 1, CONFIG.hidden_size) and states is None
        has_cls = real[:, 0]
        assert torch.allclose(last[has_cls, 0], ref[-1, has_cls, 0], atol=TOL)
        assert (last[~has_cls] == 0).all()  # left padding: no [CLS] there, a zero vector
        return
    assert last.shape == (3, 8, CONFIG.hidden_size)
    assert torch.allclose(last[real], ref[-1][real], atol=TOL) and (last[~real] == 0).all()
    if hidden_states:
        assert states.shape == ref.shape
        assert torch.allclose(states[:, real], ref[:, real], atol=TOL)
        assert (states[1:, ~real] == 0).all()
    else:
        assert states is None


# ---- the paths inside the whole network (BertModel.forward and BertWithHeads choose them) ----


def _padded_batch():
    ids = torch.tensor(
        [[2, 7, 8, 9, 10, 11, 3, 12, 13, 3], [2, 14, 15, 3, 0, 0, 0, 0, 0, 0], [2, 16, 3, 0, 0, 0, 0, 0, 0, 0]]
    )
    types = torch.tensor([[0] * 7 + [1] * 3, [0] * 10, [0] * 10])
    mask = (ids != 0).long()
    return ids, types, mask


def _classifier(seed=0):
    torch.manual_seed(seed)
    config = BertConfig(
        **{**CONFIG.__dict__, "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "extra": {}}
    )
    net = BertWithHeads(config, HeadSpec(mlm=True, nsp=False, classifier="sequence", num_labels=3))
    net.init_weights()
    return net


def test_packed_padded_batch_equals_the_explicit_path_at_real_tokens_and_is_zero_at_padding():
    """A padded batch without attention weights runs on its real tokens only (fast_paths, packed);
    the explicit path, which the inspector uses, computes every position."""
    net = _classifier().eval()
    ids, types, mask = _padded_batch()
    with torch.no_grad():
        packed = net.bert(ids, types, mask, output_hidden_states=True)
        explicit = net.bert(ids, types, mask, output_hidden_states=True, output_attentions=True)
    real = mask.bool()
    assert torch.allclose(packed.last_hidden_state[real], explicit.last_hidden_state[real], atol=1e-5)
    assert torch.allclose(packed.hidden_states[:, real], explicit.hidden_states[:, real], atol=1e-5)
    assert (packed.last_hidden_state[~real] == 0).all() and (packed.hidden_states[1:, ~real] == 0).all()


@pytest.mark.parametrize("padded", [True, False])
def test_training_paths_give_the_gradients_of_the_explicit_path(padded):
    """Training uses the fused query/key/value GEMM, and the packed path for padded batches."""
    ids, types, mask = _padded_batch()
    if not padded:
        mask = torch.ones_like(mask)
    labels = torch.tensor([0, 2, 1])
    grads = []
    for explicit in (False, True):
        net = _classifier().train()
        out = net.bert(ids, types, mask, output_attentions=explicit).last_hidden_state
        logits = net.classifier(net.pooled(out))
        loss = torch.nn.functional.cross_entropy(logits, labels) + out[mask.bool()].pow(2).mean()
        loss.backward()
        grads.append({n: p.grad.clone() for n, p in net.named_parameters() if p.grad is not None})
    assert grads[0].keys() == grads[1].keys() and len(grads[0]) > 10
    for name in grads[0]:
        assert torch.allclose(grads[0][name], grads[1][name], atol=1e-5), name


@pytest.mark.parametrize("padding", ["none", "right", "left"])
def test_a_sentence_classifier_computes_only_the_cls_row_of_the_last_layer_with_the_same_logits(padding):
    """With only the pooled [CLS] vector read, the last layer runs one query row per sequence;
    logits and every gradient equal those of the path that computes all positions."""
    ids, types, mask = _padded_batch()
    if padding == "none":
        mask = torch.ones_like(mask)
    elif padding == "left":  # the second row's [CLS] is padding: its pooled vector reads zeros
        mask, ids = mask.flip(1), ids.flip(1)
        mask[0], ids[0] = 1, _padded_batch()[0][0]
    labels = torch.tensor([0, 2, 1])
    head_mask = torch.ones(CONFIG.num_hidden_layers, CONFIG.num_attention_heads)
    head_mask[-1, 0] = 0.0  # the last layer's head mask is honoured on the short path too
    results = []
    for everything in (False, True):
        net = _classifier().train()
        out = net(
            ids, types, mask, head_mask=head_mask, mlm_positions=False, nsp=False, output_hidden_states=everything
        )
        assert out.encoder.last_hidden_state.shape[1] == (ids.shape[1] if everything else 1)
        torch.nn.functional.cross_entropy(out.classifier_logits, labels).backward()
        results.append(
            (
                out.classifier_logits.detach(),
                {n: p.grad.clone() for n, p in net.named_parameters() if p.grad is not None},
            )
        )
    (logits, grads), (full_logits, full_grads) = results
    assert torch.allclose(logits, full_logits, atol=1e-5)
    assert grads.keys() == full_grads.keys() and len(grads) > 10
    for name in grads:
        assert torch.allclose(grads[name], full_grads[name], atol=1e-5), name


@pytest.mark.parametrize("padding", ["none", "right"])
def test_the_cls_row_path_runs_under_bf16_autocast(padding):
    """Under autocast the projections give bf16 while the residual stream stays fp32: the short
    path must mix them as the full path does (CPU autocast stands in for CUDA's here)."""
    ids, types, mask = _padded_batch()
    if padding == "none":
        mask = torch.ones_like(mask)
    net = _classifier().train()
    logits = []
    for everything in (False, True):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = net(ids, types, mask, mlm_positions=False, nsp=False, output_hidden_states=everything)
        logits.append(out.classifier_logits.float())
    assert torch.allclose(logits[0], logits[1], atol=5e-2)


def test_a_batch_of_padding_alone_still_gives_logits():
    ids, types, mask = _padded_batch()
    net = _classifier().eval()
    short = net(ids, types, torch.zeros_like(mask), mlm_positions=False, nsp=False).classifier_logits
    full = net(
        ids, types, torch.zeros_like(mask), mlm_positions=False, nsp=False, output_hidden_states=True
    ).classifier_logits
    assert short.shape == (len(ids), 3) and torch.allclose(short, full, atol=1e-5)
