"""Loading every checkpoint flavour we promise, and refusing every bad folder with one line."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import torch
from safetensors.torch import load_file, save_file

import model
from model.checkpoint import save_checkpoint


def rewrite_weights(folder, transform, name="model.safetensors"):
    state = load_file(str(folder / "model.safetensors"))
    state = transform(state)
    (folder / "model.safetensors").unlink()
    if name.endswith(".bin"):
        torch.save(state, folder / name)
    else:
        save_file({k: v.contiguous() for k, v in state.items()}, str(folder / name), metadata={"format": "pt"})


def last_hidden(bert, text="the cat sat on the [MASK] ."):
    return torch.from_numpy(bert.inspect(text, all_positions=True).hidden_states[-1])


@pytest.fixture
def reference(hf_folder):
    folder, _ = hf_folder("BertForMaskedLM")
    return folder, last_hidden(model.load(folder, device="cpu"))


def test_keys_without_bert_prefix(reference):
    folder, expected = reference
    rewrite_weights(folder, lambda s: {k.removeprefix("bert."): v for k, v in s.items()})
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


def test_legacy_gamma_beta_layernorm_names(reference):
    folder, expected = reference

    def legacy(state):
        out = {}
        for k, v in state.items():
            if "LayerNorm" in k:
                k = k.replace(".weight", ".gamma").replace(".bias", ".beta")
            out[k] = v
        return out

    rewrite_weights(folder, legacy)
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


def test_position_ids_buffer_present_or_missing(reference):
    folder, expected = reference
    rewrite_weights(folder, lambda s: {**s, "bert.embeddings.position_ids": torch.arange(40).unsqueeze(0)})
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


def test_pytorch_model_bin_is_read_with_weights_only(reference):
    folder, expected = reference
    rewrite_weights(folder, lambda s: s, name="pytorch_model.bin")
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


def test_fp16_weights_load_as_float32(reference):
    folder, expected = reference
    rewrite_weights(folder, lambda s: {k: v.half() for k, v in s.items()})
    bert = model.load(folder, device="cpu")
    assert bert.network.bert.embeddings.word_embeddings.weight.dtype == torch.float32
    assert torch.allclose(last_hidden(bert), expected, atol=0.05)


def test_sharded_safetensors_index(reference):
    folder, expected = reference
    state = load_file(str(folder / "model.safetensors"))
    keys = sorted(state)
    half = len(keys) // 2
    shards = {"model-00001-of-00002.safetensors": keys[:half], "model-00002-of-00002.safetensors": keys[half:]}
    for name, names in shards.items():
        save_file({k: state[k] for k in names}, str(folder / name), metadata={"format": "pt"})
    (folder / "model.safetensors").unlink()
    index = {"weight_map": {k: name for name, names in shards.items() for k in names}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


def test_vocab_txt_without_tokenizer_json(reference, vocab_file):
    folder, expected = reference
    (folder / "tokenizer.json").unlink()
    shutil.copy(vocab_file, folder / "vocab.txt")
    assert torch.equal(last_hidden(model.load(folder, device="cpu")), expected)


class Exploit:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_pickle_that_carries_code_is_refused_and_never_runs(reference, tmp_path):
    folder, _ = reference
    marker = tmp_path / "pwned"
    (folder / "model.safetensors").unlink()
    torch.save({"bert.embeddings.word_embeddings.weight": Exploit(marker)}, folder / "pytorch_model.bin")
    with pytest.raises(model.CheckpointError, match="pytorch_model.bin: refused"):
        model.load(folder, device="cpu")
    assert not marker.exists()


def break_config(key, value):
    def edit(folder):
        config = json.loads((folder / "config.json").read_text())
        config[key] = value
        (folder / "config.json").write_text(json.dumps(config))

    return edit


def truncate(folder):
    data = (folder / "model.safetensors").read_bytes()
    (folder / "model.safetensors").write_bytes(data[: len(data) // 2])


def corrupt_header(folder):
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[8:40] = b"#" * 32
    (folder / "model.safetensors").write_bytes(bytes(data))


BAD_FOLDERS = {
    "missing config": (lambda f: (f / "config.json").unlink(), r"config.json: missing"),
    "config not json": (lambda f: (f / "config.json").write_text("{not json"), r"config.json: not valid JSON"),
    "missing weights": (lambda f: (f / "model.safetensors").unlink(), r"no weights file"),
    "missing vocabulary": (lambda f: (f / "tokenizer.json").unlink(), r"no vocab.txt or tokenizer.json"),
    "truncated safetensors": (truncate, r"model.safetensors: truncated or corrupt"),
    "corrupt safetensors": (corrupt_header, r"model.safetensors: truncated or corrupt"),
    "shape contradicts config": (
        break_config("intermediate_size", 48),
        r"tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape \(64, 32\) "
        r"but config.json implies \(48, 32\)",
    ),
    "unknown model_type": (
        break_config("model_type", "roberta"),
        r'config.json: model_type: "roberta" is not supported',
    ),
    "bad head count": (break_config("num_attention_heads", 5), r"not a multiple of num_attention_heads"),
    "missing tensor": (
        lambda f: rewrite_weights(f, lambda s: {k: v for k, v in s.items() if "layer.1.output.dense" not in k}),
        r"tensor 'bert.encoder.layer.1.output.dense.weight' is missing",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FOLDERS))
def test_bad_folder_raises_one_line_naming_the_file(reference, case):
    folder, _ = reference
    damage, pattern = BAD_FOLDERS[case]
    damage(folder)
    with pytest.raises(model.CheckpointError, match=pattern) as info:
        model.load(folder, device="cpu")
    assert "\n" not in str(info.value)


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(model.ModelNotFoundError, match="no such folder"):
        model.load(tmp_path / "nope", device="cpu")
    (tmp_path / "file").write_text("x")
    with pytest.raises(model.CheckpointError, match="not a folder"):
        model.load(tmp_path / "file", device="cpu")


def test_failed_save_leaves_the_previous_folder_intact(reference, tmp_path, monkeypatch):
    folder, _ = reference
    bert = model.load(folder, device="cpu")
    target = bert.save(tmp_path / "saved")
    before = sorted(p.name for p in target.iterdir())

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("model.checkpoint.save_file", disk_full)
    with pytest.raises(model.CheckpointError, match="could not write the model"):
        save_checkpoint(bert.network, bert.tokenizer, target)
    assert sorted(p.name for p in target.iterdir()) == before
    assert model.load(target, device="cpu").heads.mlm
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_checkpoint_without_mlm_head_loads_but_cannot_fill_masks(hf_folder):
    folder, _ = hf_folder("BertModel")
    bert = model.load(folder, device="cpu")
    result = bert.inspect("the cat [MASK] .")
    assert result.attentions.shape[0] == 2 and not result.mlm_available and result.fill_mask == []
    with pytest.raises(model.CapabilityError, match="no MLM head"):
        bert.fill_mask("the cat [MASK] .")


def test_tensors_with_no_place_are_reported(reference):
    folder, _ = reference
    rewrite_weights(folder, lambda s: {**s, "qa_outputs.weight": torch.zeros(2, 32), "qa_outputs.bias": torch.zeros(2)})
    bert = model.load(folder, device="cpu")
    assert bert.ignored_keys == ["qa_outputs.bias", "qa_outputs.weight"]
