"""The building blocks: embeddings, attention paths, head masks, the sinusoidal encoding."""

from __future__ import annotations

import math

import pytest
import torch

from model.attention import MultiHeadAttention
from model.config import BertConfig
from model.embeddings import BertEmbeddings, PositionalEncoding, PositionEmbedding
from model.heads import BertWithHeads, HeadSpec

CONFIG = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=64, max_position_embeddings=24)


def test_sinusoidal_encoding_matches_the_formula():
    config = BertConfig(**{**CONFIG.__dict__, "position_embedding_type": "sinusoidal", "extra": {}})
    pe = PositionalEncoding(config).weight
    d = config.hidden_size
    for pos in (0, 1, 7, 23):
        for i in range(d // 2):
            angle = pos / (10000 ** (2 * i / d))
            assert pe[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
            assert pe[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)
    assert "position_embeddings.weight" not in BertEmbeddings(config).state_dict()  # nothing to load or save


def test_embedding_type_is_chosen_by_config():
    assert isinstance(BertEmbeddings(CONFIG).position_embeddings, PositionEmbedding)
    sin = BertConfig(**{**CONFIG.__dict__, "position_embedding_type": "sinusoidal", "extra": {}})
    assert isinstance(BertEmbeddings(sin).position_embeddings, PositionalEncoding)


def test_embedding_output_is_layernorm_of_the_three_parts():
    emb = BertEmbeddings(CONFIG).eval()
    ids = torch.tensor([[2, 7, 9, 3, 11, 3]])
    types = torch.tensor([[0, 0, 0, 0, 1, 1]])
    out, parts = emb(ids, types, keep_parts=True)
    expected = emb.LayerNorm(emb.word_embeddings(ids) + emb.token_type_embeddings(types)
                             + emb.position_embeddings(torch.arange(6)))
    assert torch.allclose(out, expected)
    assert torch.equal(parts.segment[0, 4], emb.token_type_embeddings.weight[1])
    assert torch.equal(parts.position[0, 5], emb.position_embeddings.weight[5])


def attention_and_input(seed=0):
    torch.manual_seed(seed)
    attn = MultiHeadAttention(CONFIG).eval()
    x = torch.randn(2, 9, CONFIG.hidden_size)
    bias = torch.zeros(2, 1, 1, 9)
    bias[1, ..., 6:] = torch.finfo(torch.float32).min  # padding in the second row
    return attn, x, bias


def test_sdpa_path_equals_explicit_path():
    attn, x, bias = attention_and_input()
    with torch.no_grad():
        fused, none = attn(x, bias, need_weights=False)
        explicit, probs = attn(x, bias, need_weights=True)
    assert none is None and probs.shape == (2, 4, 9, 9)
    assert torch.allclose(fused, explicit, atol=1e-6)
    assert torch.allclose(probs.sum(-1), torch.ones(2, 4, 9))
    assert probs[1, :, :, 6:].abs().max() == 0  # padding gets no attention


@pytest.mark.parametrize("need_weights", [False, True])
def test_head_mask_zeroes_exactly_that_heads_contribution(need_weights):
    attn, x, bias = attention_and_input(1)
    d = CONFIG.head_dim
    mask = torch.tensor([1.0, 0.0, 1.0, 1.0])
    with torch.no_grad():
        full, full_probs = attn(x, bias, need_weights=need_weights)
        masked, masked_probs = attn(x, bias, head_mask=mask, need_weights=need_weights)
    assert masked[..., d:2 * d].abs().max() == 0
    for h in (0, 2, 3):
        assert torch.allclose(masked[..., h * d:(h + 1) * d], full[..., h * d:(h + 1) * d], atol=1e-6)
    if need_weights:
        assert masked_probs[:, 1].abs().max() == 0
        assert torch.equal(masked_probs[:, 0], full_probs[:, 0])


def test_head_mask_in_the_full_network_changes_only_later_layers():
    torch.manual_seed(0)
    net = BertWithHeads(CONFIG, HeadSpec()).eval()
    ids = torch.tensor([[2, 7, 9, 4, 3]])
    mask = torch.ones(2, 4)
    mask[1, 2] = 0
    with torch.no_grad():
        a = net(ids, head_mask=torch.ones(2, 4), output_hidden_states=True)
        b = net(ids, head_mask=mask, output_hidden_states=True)
    assert torch.equal(a.encoder.hidden_states[1], b.encoder.hidden_states[1])
    assert not torch.allclose(a.encoder.hidden_states[2], b.encoder.hidden_states[2])


def test_mlm_logits_at_selected_positions_equal_full_logits():
    torch.manual_seed(0)
    net = BertWithHeads(CONFIG, HeadSpec()).eval()
    net.init_weights()
    ids = torch.tensor([[2, 7, 4, 9, 4, 3]])
    with torch.no_grad():
        full = net(ids).mlm_logits  # (1, T, vocab)
        picked = net(ids, mlm_positions=ids == 4).mlm_logits  # (2, vocab)
        indexed = net(ids, mlm_positions=torch.tensor([[4, 2, 0]])).mlm_logits  # (1, 3, vocab)
    assert torch.allclose(picked, full[0, [2, 4]], atol=1e-6)
    assert torch.allclose(indexed[0], full[0, [4, 2, 0]], atol=1e-6)


def test_decoder_is_tied_to_word_embeddings():
    net = BertWithHeads(CONFIG, HeadSpec())
    assert net.cls.predictions.decoder.weight is net.bert.embeddings.word_embeddings.weight
    net.init_weights()
    assert net.cls.predictions.decoder.weight is net.bert.embeddings.word_embeddings.weight


def test_config_round_trips_through_json(tmp_path):
    config = BertConfig(**{**CONFIG.__dict__, "id2label": {0: "neg", 1: "pos"}, "extra": {"foo": [1, 2]}})
    path = tmp_path / "config.json"
    path.write_text(config.to_json_string())
    again = BertConfig.from_json_file(path)
    assert again == config and again.label2id == {"neg": 0, "pos": 1}


def _padded_batch():
    ids = torch.tensor([[2, 7, 8, 9, 10, 11, 3, 12, 13, 3], [2, 14, 15, 3, 0, 0, 0, 0, 0, 0],
                        [2, 16, 3, 0, 0, 0, 0, 0, 0, 0]])
    types = torch.tensor([[0] * 7 + [1] * 3, [0] * 10, [0] * 10])
    mask = (ids != 0).long()
    return ids, types, mask


def _classifier(seed=0):
    torch.manual_seed(seed)
    config = BertConfig(**{**CONFIG.__dict__, "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
                           "extra": {}})
    net = BertWithHeads(config, HeadSpec(mlm=True, nsp=False, classifier="sequence", num_labels=3))
    net.init_weights()
    return net


def test_packed_padded_batch_equals_the_explicit_path_at_real_tokens_and_is_zero_at_padding():
    """A padded batch without attention weights runs on its real tokens only (forward_packed);
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
    """Training uses the fused query/key/value GEMM, and forward_packed for padded batches."""
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
        out = net(ids, types, mask, head_mask=head_mask, mlm_positions=False, nsp=False,
                  output_hidden_states=everything)
        assert out.encoder.last_hidden_state.shape[1] == (ids.shape[1] if everything else 1)
        torch.nn.functional.cross_entropy(out.classifier_logits, labels).backward()
        results.append((out.classifier_logits.detach(),
                        {n: p.grad.clone() for n, p in net.named_parameters() if p.grad is not None}))
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
    full = net(ids, types, torch.zeros_like(mask), mlm_positions=False, nsp=False,
               output_hidden_states=True).classifier_logits
    assert short.shape == (len(ids), 3) and torch.allclose(short, full, atol=1e-5)
