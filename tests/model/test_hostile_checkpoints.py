"""Hostile model folders: every one is refused with one short line naming the file (and the
field or tensor), before anything large is allocated, and nothing outside the folder is read.

Each case starts from a small valid Hugging Face folder (conftest's hf_folder) and damages one file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

import model
from model.checkpoint import load_checkpoint, save_checkpoint
from model.errors import BertError, CheckpointError

MAX_MESSAGE = 200  # characters, the whole line, for a folder path like /tmp/bxXXXXXXXX/m
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(hf_folder):
    """A valid BertForMaskedLM folder under a short path, so a message's length is its own words'."""
    made, _ = hf_folder("BertForMaskedLM")
    short = Path(tempfile.mkdtemp(prefix="bx"))
    shutil.copytree(made, short / "m")
    yield short / "m"
    shutil.rmtree(short)


def refusal(folder: Path, names: str) -> str:
    """The message both load_checkpoint and model.load give; checks its form. `names`: the file."""
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(folder)
    message = str(info.value)
    with pytest.raises(CheckpointError) as again:
        model.load(folder, device="cpu")
    assert str(again.value) == message
    assert "\n" not in message and len(message) < MAX_MESSAGE, message
    assert message.startswith(f"{folder / names}: "), message
    return message


def vocab_size(folder: Path) -> int:
    return json.loads((folder / "config.json").read_text())["vocab_size"]


def edit_json(path: Path, edit) -> None:
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def set_config(**fields):
    return lambda folder: edit_json(folder / "config.json", lambda c: c.update(fields))


def raw_config(make_text):
    """Replace config.json's text: make_text(the valid config as a dict) -> str."""

    def damage(folder):
        path = folder / "config.json"
        path.write_text(make_text(json.loads(path.read_text())))

    return damage


# --- config.json --------------------------------------------------------------------------------

CONFIG_CASES = {  # name: (damage, words the message holds)
    "id2label as a list": (set_config(id2label=["neg", "pos"]), "id2label: must map the class ids"),
    "id2label as a string": (set_config(id2label="neg,pos"), "id2label: must map"),
    "id2label with word keys": (set_config(id2label={"a": "neg", "b": "pos"}), "id2label: must map"),
    "id2label with a gap": (set_config(id2label={"0": "neg", "5": "pos"}), "id2label: must map"),
    "id2label with list names": (set_config(id2label={"0": ["neg"], "1": "pos"}), "id2label: must map"),
    "dropout 5": (set_config(hidden_dropout_prob=5), "hidden_dropout_prob: must be a probability from 0 to 1, got 5"),
    "dropout -1": (set_config(attention_probs_dropout_prob=-1), "attention_probs_dropout_prob: must be a probability"),
    "dropout x": (
        set_config(hidden_dropout_prob="x"),
        'hidden_dropout_prob: must be a probability from 0 to 1, got "x"',
    ),
    "dropout NaN": (set_config(hidden_dropout_prob=float("nan")), "got NaN"),
    "classifier dropout true": (set_config(classifier_dropout=True), "classifier_dropout: must be a probability"),
    "layer_norm_eps string": (
        set_config(layer_norm_eps="1e-12"),
        'layer_norm_eps: must be a positive number, got "1e-12"',
    ),
    "layer_norm_eps 0": (set_config(layer_norm_eps=0), "layer_norm_eps: must be a positive number"),
    "pad_token_id out of range": (set_config(pad_token_id=10**6), "pad_token_id: must be a token id below vocab_size"),
    "pad_token_id negative": (set_config(pad_token_id=-1), "pad_token_id: must be a token id"),
    "pad_token_id string": (set_config(pad_token_id="0"), "pad_token_id: must be a token id below vocab_size"),
    "hidden_size a float": (set_config(hidden_size=32.0), "hidden_size: must be a positive integer, got 32.0"),
    "num_hidden_layers true": (set_config(num_hidden_layers=True), "num_hidden_layers: must be a positive integer"),
    "hidden_act a list": (set_config(hidden_act=["gelu"]), "hidden_act: an array of 1 items is not supported"),
    "tie_word_embeddings a string": (set_config(tie_word_embeddings="yes"), "tie_word_embeddings: must be true or"),
    "architectures of numbers": (set_config(architectures=[1]), "architectures: must be a list of class names"),
    "model_type an object": (set_config(model_type={"a": 1}), "model_type: an object of 1 keys is not supported"),
    "a 1 MB string echoed": (set_config(hidden_act="x" * (1 << 19)), 'hidden_act: "xxxxxxxxxx'),
    "a 5,000-digit integer": (
        raw_config(lambda c: json.dumps(c)[:-1] + ', "seed": ' + "9" * 5000 + "}"),
        "a number of 5,000 digits",
    ),
    "nested 100,000 deep": (
        raw_config(lambda c: json.dumps(c)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        "JSON nested too deep",
    ),
    "a list, not an object": (raw_config(lambda c: "[1, 2]"), "expected a JSON object, got an array of 2 items"),
    "sinusoidal 4e6 positions": (
        set_config(position_embedding_type="sinusoidal", max_position_embeddings=4_000_000),
        "max_position_embeddings: 4000000 is more than the 8192 a sinusoidal table",
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_a_bad_config_field_is_one_line_naming_config_json_and_the_field(folder, case):
    damage, words = CONFIG_CASES[case]
    damage(folder)
    message = refusal(folder, "config.json")
    assert words in message, message


SIZE_CASES = {  # sizes that no tensor backs: refused by the weights file before anything is built
    "vocab_size 1e29": (
        set_config(vocab_size=10**29),
        "tensor 'bert.embeddings.word_embeddings.weight' has shape (199, 32) but config.json "
        "implies (100000000000000000000000000000, 32)",
    ),
    "num_hidden_layers 10,000": (
        set_config(num_hidden_layers=10_000),
        "tensor 'bert.encoder.layer.9999.output.dense.weight' is missing; config.json's "
        "num_hidden_layers (10000) needs it",
    ),
    "max_position_embeddings 1e9": (set_config(max_position_embeddings=10**9), "position_embeddings.weight' has shape"),
    "type_vocab_size 1e6": (set_config(type_vocab_size=10**6), "token_type_embeddings.weight' has shape"),
    "intermediate_size 1e9": (set_config(intermediate_size=10**9), "intermediate.dense.weight' has shape"),
    "hidden_size 1e6": (set_config(hidden_size=10**6, num_attention_heads=1), "word_embeddings.weight' has shape"),
}


@pytest.mark.parametrize("case", list(SIZE_CASES))
def test_a_size_no_tensor_backs_is_refused_naming_the_weights(folder, case):
    damage, words = SIZE_CASES[case]
    damage(folder)
    assert words in refusal(folder, "model.safetensors")


MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    import model
    from model.checkpoint import load_checkpoint
    valid, cases = sys.argv[1], sys.argv[2:]
    load_checkpoint(valid)  # every import and first-use cost paid before measuring
    out = {}
    for path in cases:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            load_checkpoint(path)
            outcome = "loaded"
        except model.CheckpointError as exc:
            outcome = str(exc)
        seconds = time.perf_counter() - start
        grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # Linux: KB
        out[path] = {"seconds": seconds, "peak_growth_mb": grew_mb, "outcome": outcome}
    print(json.dumps(out))
""")

HUGE_CASES = {
    "layers 1e6": {"num_hidden_layers": 10**6},
    "layers 1e4": {"num_hidden_layers": 10**4},
    "sinusoidal 1e9": {"position_embedding_type": "sinusoidal", "max_position_embeddings": 10**9},
    "sinusoidal 4e6": {"position_embedding_type": "sinusoidal", "max_position_embeddings": 4 * 10**6},
    "vocab 1e12": {"vocab_size": 10**12},
}


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KB on Linux")
def test_huge_sizes_are_refused_in_a_blink_without_memory(folder, tmp_path):
    """Measured in a fresh process so the peak is this load's alone."""
    cases = {}
    for name, fields in HUGE_CASES.items():
        copy = tmp_path / name.replace(" ", "_")
        shutil.copytree(folder, copy)
        set_config(**fields)(copy)
        cases[str(copy)] = name
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(folder), *cases],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout.splitlines()[-1])
    print({cases[path]: (round(r["seconds"], 3), round(r["peak_growth_mb"], 1)) for path, r in results.items()})
    for path, result in results.items():
        assert result["outcome"].startswith(path + "/"), result  # refused, naming a file in the folder
        assert result["seconds"] < 5, (cases[path], result)
        assert result["peak_growth_mb"] < 50, (cases[path], result)


# --- the weights --------------------------------------------------------------------------------


def write_header(path: Path, header: dict, data: bytes = b"") -> None:
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)


def test_a_header_claiming_more_than_the_file_holds_is_corrupt(folder):
    """A 10^12-row table in a header whose bytes are 128: never trusted, never built."""
    set_config(vocab_size=10**12)(folder)
    write_header(
        folder / "model.safetensors",
        {"bert.embeddings.word_embeddings.weight": {"dtype": "F32", "shape": [10**12, 32], "data_offsets": [0, 128]}},
        bytes(128),
    )
    message = refusal(folder, "model.safetensors")
    assert (
        'truncated or corrupt safetensors file (tensor "bert.embeddings.word_embeddings.weight": 128 bytes, '
        "but its shape needs 128000000000000)"
    ) in message


@pytest.mark.parametrize(
    "header, words",
    [
        ({"w": {"dtype": "F99", "shape": [1], "data_offsets": [0, 4]}}, 'tensor "w": unknown dtype "F99"'),
        ({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, "shape an array of 1 items is not a list"),
        ({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 10**9]}}, "its bytes are not within the file's 4"),
        ({"w": [1, 2]}, 'tensor "w": an array of 2 items, not an object'),
        ([1], "its header is an array of 1 items, not an object"),
    ],
)
def test_a_malformed_header_is_corrupt(folder, header, words):
    write_header(folder / "model.safetensors", header, bytes(4))
    message = refusal(folder, "model.safetensors")
    assert "truncated or corrupt safetensors file" in message and words in message, message


def test_a_header_over_the_limit_is_refused_unparsed(folder):
    path = folder / "model.safetensors"
    length = 17 << 20
    with open(path, "wb") as file:
        file.write(length.to_bytes(8, "little"))
        file.truncate(8 + length)  # sparse: nothing worth parsing
    assert "its header (the tensor list) is 17 MB; a model's headers are at most 16 MB" in refusal(
        folder, "model.safetensors"
    )


def to_bin(folder: Path, transform=lambda state: state) -> None:
    state = load_file(str(folder / "model.safetensors"))
    (folder / "model.safetensors").unlink()
    torch.save(transform(state), folder / "pytorch_model.bin")


class Exploit:
    def __reduce__(self):
        return (os.system, ("true",))


def test_a_pickle_holding_code_gets_our_sentence_not_torchs_advice(folder):
    (folder / "model.safetensors").unlink()
    torch.save({"bert.embeddings.word_embeddings.weight": Exploit()}, folder / "pytorch_model.bin")
    message = refusal(folder, "pytorch_model.bin")
    assert message.endswith(
        "refused: it holds Python objects other than tensors, and a checkpoint is never "
        "unpickled (it could run code); convert it to safetensors where it came from"
    )
    assert "weights_only" not in message


def test_a_bin_tensor_that_repeats_one_row_is_refused(folder):
    """torch.save keeps views: 128 stored bytes can pose as a 10^9 x 32 table."""
    set_config(vocab_size=10**9)(folder)
    key = "bert.embeddings.word_embeddings.weight"
    to_bin(folder, lambda s: {**s, key: s[key][0].expand(10**9, 32)})
    assert f'tensor "{key}" is not stored in full' in refusal(folder, "pytorch_model.bin")


def test_a_bin_with_sizes_no_tensor_backs_is_refused_before_building(folder):
    to_bin(folder)
    set_config(num_hidden_layers=10**6)(folder)
    assert "tensor 'bert.encoder.layer.999999.output.dense.weight' is missing" in refusal(folder, "pytorch_model.bin")


def test_a_classifier_weight_of_the_wrong_rank_is_refused(folder):
    rewrite = load_file(str(folder / "model.safetensors"))
    save_file({**rewrite, "classifier.weight": torch.zeros(3)}, str(folder / "model.safetensors"))
    assert "tensor 'classifier.weight' has shape (3,); a classifier's is (classes, hidden_size)" in refusal(
        folder, "model.safetensors"
    )


# --- the shard index ----------------------------------------------------------------------------


def shard(folder: Path) -> dict[str, str]:
    """Split model.safetensors into two shards and an index; returns the weight_map."""
    state = load_file(str(folder / "model.safetensors"))
    keys = sorted(state)
    names = {
        "model-00001-of-00002.safetensors": keys[: len(keys) // 2],
        "model-00002-of-00002.safetensors": keys[len(keys) // 2 :],
    }
    for name, part in names.items():
        save_file({k: state[k] for k in part}, str(folder / name), metadata={"format": "pt"})
    (folder / "model.safetensors").unlink()
    weight_map = {k: name for name, part in names.items() for k in part}
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}))
    return weight_map


@pytest.fixture
def reads(monkeypatch):
    """Every path a weights file is opened at, by our header reader or by safetensors."""
    import model.checkpoint
    import model.safetensors_header

    opened: list[Path] = []

    def spy(module, name):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda path, *a, **k: (opened.append(Path(path)), real(path, *a, **k))[1])

    spy(model.safetensors_header, "open_file")
    spy(model.checkpoint, "load_file")
    return opened


def outside_file(folder: Path) -> Path:
    """A valid safetensors file beside the model folder (what an index must not reach)."""
    path = folder.parent / "outside.safetensors"
    shutil.copy(folder / "model-00001-of-00002.safetensors", path)
    return path


INDEX_CASES = {  # name: (the index's content from the valid weight_map, words the message holds)
    "names itself": (
        lambda folder, m: {"weight_map": {**m, "x": "model.safetensors.index.json"}},
        '"model.safetensors.index.json" is not a shard\'s name',
    ),
    "integer name": (lambda folder, m: {"weight_map": {**m, "x": 1}}, "weight_map: 1 is not a shard's name"),
    "dot-dot": (
        lambda folder, m: {"weight_map": {**m, "x": "../outside.safetensors"}},
        '"../outside.safetensors" is not a shard',
    ),
    "absolute": (
        lambda folder, m: {"weight_map": {**m, "x": str(folder.parent / "outside.safetensors")}},
        "is not a shard's name",
    ),
    "no weight_map": (lambda folder, m: {"metadata": {}}, "weight_map: missing or empty"),
    "weight_map a list": (lambda folder, m: {"weight_map": list(m)}, "weight_map: missing or empty"),
    "a list": (lambda folder, m: [m], "weight_map: missing or empty"),
}


@pytest.mark.parametrize("case", list(INDEX_CASES))
def test_a_bad_index_is_refused_without_reading_outside(folder, reads, case):
    index, words = INDEX_CASES[case]
    weight_map = shard(folder)
    outside_file(folder)
    (folder / "model.safetensors.index.json").write_text(json.dumps(index(folder, weight_map)))
    message = refusal(folder, "model.safetensors.index.json")
    assert words in message, message
    assert all(path.resolve().is_relative_to(folder.resolve()) for path in reads), reads


def test_a_shard_linking_out_of_the_folder_is_refused(folder, reads):
    weight_map = shard(folder)
    first = folder / "model-00001-of-00002.safetensors"
    outside = outside_file(folder)
    first.unlink()
    first.symlink_to(outside)
    message = refusal(folder, first.name)
    assert f"a link to {outside}, outside the model folder" in message
    assert outside not in [path.resolve() for path in reads]
    assert weight_map  # the index itself was valid


def test_a_sharded_snapshot_in_the_hugging_face_cache_loads_through_its_blob_links(folder, tmp_path):
    """The cache stores each file once in blobs/ and links it from snapshots/REVISION/: links out of
    the snapshot folder, into its own repository's blobs, are how every cached model looks."""
    expected = load_checkpoint(folder).network.state_dict()
    shard(folder)
    repo = tmp_path / "models--org--bert"
    snapshot, blobs = repo / "snapshots" / "abc123", repo / "blobs"
    snapshot.mkdir(parents=True)
    blobs.mkdir()
    for i, file in enumerate(sorted(folder.iterdir())):
        shutil.copy(file, blobs / f"sha{i}")
        (snapshot / file.name).symlink_to(Path("..", "..", "blobs", f"sha{i}"))
    loaded = load_checkpoint(snapshot).network.state_dict()
    assert loaded.keys() == expected.keys() and all(torch.equal(loaded[k], expected[k]) for k in expected)


# --- the tokenizer ------------------------------------------------------------------------------


def vocab_txt_only(folder: Path) -> None:
    tokens = sorted(json.loads((folder / "tokenizer.json").read_text())["model"]["vocab"].items(), key=lambda kv: kv[1])
    (folder / "vocab.txt").write_text("".join(t + "\n" for t, _ in tokens))
    (folder / "tokenizer.json").unlink()


def test_a_tokenizer_config_that_is_a_list_is_one_line(folder):
    vocab_txt_only(folder)
    (folder / "tokenizer_config.json").write_text("[]")
    assert "expected a JSON object, got an array of 0 items" in refusal(folder, "tokenizer_config.json")


def test_a_tokenizer_config_option_of_the_wrong_type_is_one_line(folder):
    vocab_txt_only(folder)
    edit_json(folder / "tokenizer_config.json", lambda c: c.update(do_lower_case="false"))
    assert 'do_lower_case: must be true or false, got "false"' in refusal(folder, "tokenizer_config.json")


def test_deep_tokenizer_config_is_one_line(folder):
    vocab_txt_only(folder)
    (folder / "tokenizer_config.json").write_text("[" * 100_000 + "]" * 100_000)
    assert "JSON nested too deep" in refusal(folder, "tokenizer_config.json")


def test_a_tokenizer_json_id_past_the_vocabulary_is_refused(folder):
    edit_json(folder / "tokenizer.json", lambda t: t["model"]["vocab"].update(zzz=10**6))
    assert f'token "zzz" has id 1000000 but config.json\'s vocab_size is {vocab_size(folder)}' in refusal(
        folder, "tokenizer.json"
    )


def test_an_added_token_past_the_vocabulary_is_refused(folder):
    added = {
        "id": vocab_size(folder),
        "content": "[NEW]",
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": True,
    }
    edit_json(folder / "tokenizer.json", lambda t: t["added_tokens"].append(added))
    n = vocab_size(folder)
    assert f'token "[NEW]" has id {n} but config.json\'s vocab_size is {n}' in refusal(folder, "tokenizer.json")


def test_a_vocab_txt_longer_than_the_vocabulary_is_refused(folder):
    vocab_txt_only(folder)
    with open(folder / "vocab.txt", "a") as file:
        file.write("extra\n")
    assert f'token "extra" has id {vocab_size(folder)} but' in refusal(folder, "vocab.txt")


def test_a_tokenizer_json_whose_unk_token_is_not_in_it_is_refused(folder):
    edit_json(folder / "tokenizer.json", lambda t: t["model"].update(unk_token="<unk>"))
    assert 'model.unk_token "<unk>" is not in the vocabulary' in refusal(folder, "tokenizer.json")


def test_a_vocabulary_without_special_tokens_names_its_file(folder):
    edit_json(
        folder / "tokenizer.json",
        lambda t: (
            t["model"]["vocab"].pop("[MASK]"),
            t.update(added_tokens=[a for a in t["added_tokens"] if a["content"] != "[MASK]"]),
        ),
    )
    assert "lacks the special token(s) [MASK]" in refusal(folder, "tokenizer.json")


# --- saving -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, error",
    [
        (
            "model.checkpoint.save_file",
            SafetensorError("Error while serializing: I/O error: No space left on device (os error 28)"),
        ),
        ("model.tokenizer.BertTokenizer.save", Exception("No space left on device (os error 28)")),  # tokenizers' kind
    ],
)
def test_a_full_disk_is_a_checkpoint_error_naming_the_folder(folder, tmp_path, monkeypatch, where, error):
    loaded = load_checkpoint(folder)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(where, fail)
    with pytest.raises(CheckpointError) as info:
        save_checkpoint(loaded.network, loaded.tokenizer, tmp_path / "out")
    assert str(info.value) == f"{tmp_path / 'out'}: could not write the model (No space left on device)"


def test_a_bug_while_saving_is_not_passed_off_as_a_full_disk(folder, tmp_path, monkeypatch):
    loaded = load_checkpoint(folder)
    monkeypatch.setattr("model.checkpoint.save_file", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        save_checkpoint(loaded.network, loaded.tokenizer, tmp_path / "out")


# --- fuzzing config.json ------------------------------------------------------------------------

HUGE_INT = "__a 5,000-digit integer__"  # json.dumps cannot write one: spliced into the text
FIELDS = [
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "hidden_act",
    "hidden_dropout_prob",
    "attention_probs_dropout_prob",
    "max_position_embeddings",
    "type_vocab_size",
    "initializer_range",
    "layer_norm_eps",
    "pad_token_id",
    "position_embedding_type",
    "classifier_dropout",
    "tie_word_embeddings",
    "id2label",
    "label2id",
    "architectures",
    "model_type",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, 1, -1, 2, 32, 10**9, 10**40, -(10**40), HUGE_INT]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["gelu", "relu", "sinusoidal", "absolute", "bert", "roberta", "0", "1e-12"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), values, min_size=1, max_size=4))
def test_any_config_values_load_or_raise_a_bert_error(folder, changes):
    pristine = folder / "pristine.json"
    if not pristine.exists():
        shutil.copy(folder / "config.json", pristine)
    config = {**json.loads(pristine.read_text()), **changes}
    (folder / "config.json").write_text(json.dumps(config).replace(json.dumps(HUGE_INT), "9" * 5000))
    try:
        load_checkpoint(folder)
    except BertError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < MAX_MESSAGE, str(exc)
