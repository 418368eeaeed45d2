"""The building blocks: embeddings, attention paths, head masks, the sinusoidal encoding.
The training-speed paths (packed batches, first token only) are in test_fast_paths.py."""

from __future__ import annotations

import math

import pytest
import torch

from model.attention import BertSelfAttention
from model.config import BertConfig
from model.embeddings import BertEmbeddings, PositionalEncoding, PositionEmbedding
from model.heads import BertWithHeads, HeadSpec

CONFIG = BertConfig(
    vocab_size=50,
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=64,
    max_position_embeddings=24,
)


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
    expected = emb.LayerNorm(
        emb.word_embeddings(ids) + emb.token_type_embeddings(types) + emb.position_embeddings(torch.arange(6))
    )
    assert torch.allclose(out, expected)
    assert torch.equal(parts.segment[0, 4], emb.token_type_embeddings.weight[1])
    assert torch.equal(parts.position[0, 5], emb.position_embeddings.weight[5])


def attention_and_input(seed=0):
    torch.manual_seed(seed)
    attn = BertSelfAttention(CONFIG).eval()
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
    assert masked[..., d : 2 * d].abs().max() == 0
    for h in (0, 2, 3):
        assert torch.allclose(masked[..., h * d : (h + 1) * d], full[..., h * d : (h + 1) * d], atol=1e-6)
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


def test_training_projection_one_gemm_equals_three():
    """With autograd on, query, key and value come from one GEMM on the stacked weights."""
    attn, x, _ = attention_and_input(2)
    with torch.no_grad():
        separate = attn.project(x)
    with torch.enable_grad():
        stacked = attn.project(x)
    for a, b in zip(separate, stacked):
        assert a.shape == (2, 4, 9, CONFIG.head_dim) and torch.allclose(a, b, atol=1e-6)
