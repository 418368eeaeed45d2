"""BERT's sizes without weights: every preset and a custom size, built on the meta device, have
exactly the parameters of transformers' BertForPreTraining of the same config, per component."""

from __future__ import annotations

import pytest
import torch
import transformers

from model.errors import BertError
from model.sizes import (
    PRESETS,
    activation_values,
    custom_config,
    formula_counts,
    parameter_groups,
    preset_config,
    size_report,
)

CUSTOM = dict(layers=3, hidden=96, heads=6, intermediate=200, vocab=1000, positions=64)
CONFIGS = {name: preset_config(name) for name in PRESETS} | {"custom": custom_config(**CUSTOM)}


def reference(config, cls=transformers.BertForPreTraining, **kwargs):
    """transformers' model of the same config, on the meta device (no memory, built at once)."""
    hf_config = transformers.BertConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_position_embeddings,
        type_vocab_size=config.type_vocab_size,
    )
    with torch.device("meta"):
        return cls(hf_config, **kwargs)


def unique_parameters(network) -> int:
    return sum(p.numel() for p in network.parameters())  # parameters() yields a tied tensor once


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_size_has_the_parameters_of_transformers_bert_for_pretraining(name):
    config = CONFIGS[name]
    report = size_report(config, tokens=16)
    hf = reference(config)
    assert report.total == unique_parameters(hf)
    # Grouped the same way, component by component (Hugging Face's parameter names are ours).
    assert {c.name: c.parameters for c in report.components} == parameter_groups(hf)
    # The arithmetic the GUI thread uses gives the same figures.
    assert formula_counts(config) == parameter_groups(hf)
    assert report.name == ("custom" if name == "custom" else f"BERT-{name}")


def test_the_presets_are_googles_and_base_is_transformers_default():
    base, default = preset_config("base"), transformers.BertConfig()
    for field in (
        "vocab_size",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "intermediate_size",
        "max_position_embeddings",
        "type_vocab_size",
    ):
        assert getattr(base, field) == getattr(default, field), field
    tiny, large = preset_config("tiny", vocab_size=8192), preset_config("large")
    assert (tiny.num_hidden_layers, tiny.hidden_size, tiny.num_attention_heads, tiny.vocab_size) == (2, 128, 2, 8192)
    assert (large.num_hidden_layers, large.hidden_size, large.num_attention_heads) == (24, 1024, 16)
    assert large.intermediate_size == 4096


def test_the_quoted_110m_and_340m_are_the_encoder_with_its_pooler():
    """Measured: BERT-base is 108,891,648 parameters without the pooler, 109,482,240 with it (the
    "110M" of the paper, rounded) and 110,106,428 with the MLM and NSP heads, which add only 624,188
    because the MLM decoder is the word-embedding matrix. BERT-large: 335,141,888 with the pooler
    (the paper says 340M) and 336,226,108 with the heads."""
    base, large = size_report(preset_config("base")), size_report(preset_config("large"))
    assert base.encoder == unique_parameters(reference(base.config, transformers.BertModel, add_pooling_layer=False))
    assert base.encoder_and_pooler == unique_parameters(reference(base.config, transformers.BertModel))
    assert (base.encoder, base.encoder_and_pooler, base.total) == (108_891_648, 109_482_240, 110_106_428)
    assert large.encoder_and_pooler == unique_parameters(reference(large.config, transformers.BertModel))
    assert (large.encoder_and_pooler, large.total) == (335_141_888, 336_226_108)
    assert round(base.encoder_and_pooler / 1e6) == 109 and round(base.total / 1e6) == 110


def test_the_report_lists_shapes_memory_and_the_tied_decoder():
    report = size_report(preset_config("base"), tokens=128)
    by_name = {c.name: c for c in report.components}
    assert dict(by_name["embeddings"].weights)["word_embeddings"] == (30522, 768)
    assert dict(by_name["layer 11 attention"].weights) == {
        "query": (768, 768),
        "key": (768, 768),
        "value": (768, 768),
        "output.dense": (768, 768),
    }
    assert dict(by_name["layer 0 feed-forward"].weights) == {
        "intermediate.dense": (3072, 768),
        "output.dense": (768, 3072),
    }
    assert by_name["masked-LM head"].tied == (("decoder", "word_embeddings"),)
    assert by_name["masked-LM head"].vectors == 768 + 2 * 768 + 30522  # transform bias, LayerNorm, output bias
    assert len(report.components) == 1 + 2 * 12 + 3
    assert (report.fp32_bytes, report.fp16_bytes) == (4 * report.total, 2 * report.total)
    assert report.training_bytes == 16 * report.total


def test_the_activation_figure_is_what_a_forward_pass_returns_with_everything_kept():
    """Counted on a real (small, random) network: hidden states, attention maps, MLM logits."""
    from model.heads import BertWithHeads

    config = custom_config(**CUSTOM)
    network = BertWithHeads(config).eval()
    tokens = 20
    ids = torch.randint(0, config.vocab_size, (1, tokens))
    with torch.inference_mode():
        out = network(ids, torch.zeros_like(ids), output_attentions=True, output_hidden_states=True)
    kept = (out.encoder.hidden_states, out.encoder.attentions, out.mlm_logits)
    assert activation_values(config, tokens) == sum(t.numel() for t in kept)
    assert size_report(config, tokens=tokens).activation_bytes == sum(t.numel() * 4 for t in kept)


def test_the_loaded_models_grouping_is_the_same_function():
    import model

    bert = model.load(None, device="cpu")  # the bundled BertForPreTraining, vocabulary 8,192
    assert bert.parameter_counts() == parameter_groups(bert.network) == formula_counts(bert.config)


@pytest.mark.parametrize(
    "sizes, message",
    [
        (dict(CUSTOM, hidden=100, heads=6), "hidden size 100 is not a multiple of heads 6"),
        (dict(CUSTOM, layers=0), "layers: must be a whole number of at least 1, got 0"),
        (dict(CUSTOM, heads=True), "heads: must be a whole number of at least 1, got True"),
        (dict(CUSTOM, hidden=1_000_000, heads=1), "hidden size: 1,000,000 is above the limit of 4,096"),
        (dict(CUSTOM, vocab=10**9), "vocabulary size: 1,000,000,000 is above the limit of 250,000"),
        (dict(CUSTOM, layers=1000), "layers: 1,000 is above the limit of 48"),
    ],
)
def test_a_bad_custom_size_is_one_line_naming_the_field(sizes, message):
    with pytest.raises(BertError) as caught:
        custom_config(**sizes)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_sequence_longer_than_the_positions_is_refused():
    with pytest.raises(BertError, match="sequence length: 600 tokens must be from 1 to the 512 positions"):
        size_report(preset_config("tiny"), tokens=600)
    with pytest.raises(BertError, match="no BERT size named 'huge'"):
        preset_config("huge")
