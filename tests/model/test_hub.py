"""model/hub.py against a local stand-in for the Hub (tests/fake_hub.py, the fake_hub fixture)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import model
from model import hub
from model.errors import CheckpointError, ModelNotFoundError

ROOT = Path(__file__).resolve().parents[2]
MODEL_ID = "tester/tiny-bert"
NEEDED = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}  # what hf_folder saves
UNNEEDED = {"README.md", "pytorch_model.bin"}


@pytest.fixture
def served(fake_hub, hf_folder):
    folder, hf = hf_folder("BertForMaskedLM")
    (folder / "pytorch_model.bin").write_bytes(b"never fetched when safetensors are there")
    fake_hub.add_folder(MODEL_ID, folder)
    return fake_hub, folder, hf


def cached_berts():
    from bertgui.hf_cache import find_cached_berts  # pure: the cache scan the File menu runs

    return [entry.name for entry in find_cached_berts(hub.cache_dir())]


def test_download_fetches_only_what_a_bert_needs_into_the_standard_cache(served):
    from huggingface_hub import constants

    fake_hub, folder, _ = served
    settings = constants.DOWNLOAD_CHUNK_SIZE, constants.HF_HUB_DISABLE_XET
    reports = []
    path = hub.download(MODEL_ID, progress=reports.append)
    assert (constants.DOWNLOAD_CHUNK_SIZE, constants.HF_HUB_DISABLE_XET) == settings  # given back
    fetched = {name.removeprefix(MODEL_ID + "/") for name in fake_hub.fetched}
    assert NEEDED <= fetched
    assert fetched == {p.name for p in folder.iterdir()} - UNNEEDED  # all the tokenizer files it has, no more
    # The Hub's cache layout: models--ORG--NAME/{blobs,refs/main,snapshots/SHA}
    repo = hub.cache_dir() / "models--tester--tiny-bert"
    assert path == repo / "snapshots" / fake_hub.repos[MODEL_ID].sha
    assert (repo / "refs" / "main").read_text() == fake_hub.repos[MODEL_ID].sha
    assert (path / "model.safetensors").read_bytes() == (folder / "model.safetensors").read_bytes()
    total = sum((folder / name).stat().st_size for name in fetched)
    assert reports[-1].done_bytes == reports[-1].total_bytes == total
    assert [r.done_bytes for r in reports] == sorted(r.done_bytes for r in reports)
    assert hub.cached_snapshot(MODEL_ID) == path
    assert cached_berts() == [MODEL_ID]


def test_model_load_takes_a_cached_id_and_matches_transformers(served):
    import torch

    _, _, hf = served
    hub.download(MODEL_ID)
    bert = model.load(MODEL_ID, device="cpu")  # no network: from the cache
    ids = torch.tensor([bert.tokenize("the cat sat").ids])
    with torch.no_grad():
        expected = hf(ids, output_hidden_states=True).hidden_states[-1]
    got = bert.inspect("the cat sat")
    assert got.mlm_available
    assert torch.allclose(torch.from_numpy(got.hidden_states[-1]), expected[0], atol=1e-4)


def test_transformers_reads_the_download_offline(served):
    """The point of the standard cache: transformers finds the model there, with no network."""
    hub.download(MODEL_ID)
    code = f"from transformers import AutoModelForMaskedLM as M; print(type(M.from_pretrained({MODEL_ID!r})).__name__)"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:9"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "BertForMaskedLM"


def test_a_folder_wins_over_an_id_of_the_same_name(served, tmp_path, monkeypatch):
    _, folder, _ = served
    hub.download(MODEL_ID)
    local = tmp_path / "tester" / "tiny-bert"
    local.parent.mkdir()
    local.symlink_to(folder)
    monkeypatch.chdir(tmp_path)
    assert hub.resolve_local(MODEL_ID) == Path(MODEL_ID)  # the folder, not the cached snapshot


def test_cancel_mid_download_leaves_nothing_loadable(served, monkeypatch):
    fake_hub, _, _ = served
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16384)  # several chunks, even for a tiny model
    fake_hub.rate = 200_000
    cancel = threading.Event()

    def on_progress(p: hub.DownloadProgress) -> None:
        if p.file == "model.safetensors" and fake_hub.sent.get(f"{MODEL_ID}/model.safetensors", 0) > 0:
            cancel.set()

    with pytest.raises(hub.DownloadCancelled):
        hub.download(MODEL_ID, progress=on_progress, cancel=cancel)
    snapshot = hub.repo_folder(MODEL_ID) / "snapshots" / fake_hub.repos[MODEL_ID].sha
    assert (snapshot / "config.json").is_file()  # fetched before the weights
    assert not (snapshot / "model.safetensors").exists()
    assert hub.cached_snapshot(MODEL_ID) is None
    assert cached_berts() == []
    with pytest.raises(CheckpointError):
        model.load(snapshot, device="cpu")
    with pytest.raises(ModelNotFoundError, match="python -m model download"):
        model.load(MODEL_ID, device="cpu")
    # Cancelled by a callable too, before anything is fetched; then a second try completes.
    with pytest.raises(hub.DownloadCancelled):
        hub.download(MODEL_ID, cancel=lambda: True)
    fake_hub.rate = None
    assert hub.download(MODEL_ID) == snapshot
    assert hub.cached_snapshot(MODEL_ID) == snapshot


def test_no_such_model_is_one_line(fake_hub):
    with pytest.raises(hub.NoSuchModelError) as raised:
        hub.download("nobody/no-such-bert")
    message = str(raised.value)
    assert "\n" not in message and "no model 'nobody/no-such-bert'" in message and "check the spelling" in message


def test_a_gated_model_says_how_to_get_access(served):
    fake_hub, _, _ = served
    fake_hub.repos[MODEL_ID].gated = True
    with pytest.raises(hub.GatedModelError, match="HF_TOKEN") as raised:
        hub.download(MODEL_ID)
    assert "\n" not in str(raised.value)


def test_not_a_bert_is_refused_by_its_config(fake_hub, tmp_path):
    folder = tmp_path / "gpt"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "gpt2"}')
    (folder / "vocab.txt").write_text("[PAD]\n")
    (folder / "model.safetensors").write_bytes(b"x" * 100)
    fake_hub.add_folder("tester/gpt", folder)
    with pytest.raises(hub.NotABertError, match="gpt2 model") as raised:
        hub.download("tester/gpt")
    assert "\n" not in str(raised.value)
    assert "tester/gpt/model.safetensors" not in fake_hub.fetched  # refused before the weights


def test_an_id_that_cannot_be_one_is_refused_without_network(fake_hub):
    with pytest.raises(hub.NoSuchModelError, match="not a Hub model id"):
        hub.download("../etc/passwd")
    assert fake_hub.fetched == []


def test_a_server_that_dies_mid_file_gives_one_line_and_nothing_loadable(served):
    fake_hub, folder, _ = served
    fake_hub.die_after = (folder / "model.safetensors").stat().st_size // 2
    with pytest.raises(hub.NoNetworkError, match="cannot reach") as raised:
        hub.download(MODEL_ID)
    assert "\n" not in str(raised.value)
    assert hub.cached_snapshot(MODEL_ID) is None
    assert cached_berts() == []


def test_offline_mode_uses_the_cache_or_says_so(served, monkeypatch):
    fake_hub, _, _ = served
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(hub.NoNetworkError, match="offline mode is on") as raised:
        hub.download(MODEL_ID)
    assert "\n" not in str(raised.value) and fake_hub.fetched == []
    monkeypatch.delenv("HF_HUB_OFFLINE")
    path = hub.download(MODEL_ID)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fake_hub.fetched.clear()
    assert hub.download(MODEL_ID) == path and fake_hub.fetched == []


def test_a_cached_model_opens_when_the_hub_is_unreachable(served):
    fake_hub, _, _ = served
    path = hub.download(MODEL_ID)
    fake_hub.stop()
    assert hub.download(MODEL_ID) == path


def test_sharded_weights_come_before_their_index():
    remote = {
        "config.json": 10,
        "vocab.txt": 5,
        "README.md": 3,
        "model.safetensors.index.json": 4,
        "model-00002-of-00002.safetensors": 50,
        "model-00001-of-00002.safetensors": 50,
        "pytorch_model.bin": 100,
    }
    names = [f.name for f in hub.files_to_fetch(remote)]
    assert names == [
        "config.json",
        "vocab.txt",
        "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors",
        "model.safetensors.index.json",
    ]
    assert [f.name for f in hub.files_to_fetch({"config.json": 1, "vocab.txt": 1, "pytorch_model.bin": 9})][-1] == (
        "pytorch_model.bin"
    )
    with pytest.raises(hub.NotABertError, match="no model.safetensors nor pytorch_model.bin"):
        hub.files_to_fetch({"config.json": 1, "vocab.txt": 1, "tf_model.h5": 9})


def test_cli_download_and_model_id(served):
    fake_hub, _, _ = served
    env = {**os.environ}
    run = [sys.executable, "-m", "model"]
    proc = subprocess.run(
        [*run, "fill-mask", "the [MASK] sat", "--model", MODEL_ID, "--device", "cpu", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "MB/s" in proc.stderr  # the download's progress, on stderr
    proc = subprocess.run([*run, "download", MODEL_ID], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()) == hub.cached_snapshot(MODEL_ID)
    proc = subprocess.run(
        [*run, "download", "nobody/nothing"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error: no model 'nobody/nothing'")


def test_a_full_disk_is_said_before_downloading(served, monkeypatch):
    fake_hub, _, _ = served
    monkeypatch.setattr(hub.shutil, "disk_usage", lambda _: type("Usage", (), {"free": 1000})())
    with pytest.raises(hub.DiskFullError, match="set HF_HOME") as raised:
        hub.download(MODEL_ID)
    assert "\n" not in str(raised.value) and fake_hub.fetched == []


def test_progress_says_speed_and_time_left(served, monkeypatch):
    fake_hub, _, _ = served
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16384)
    fake_hub.rate = 400_000
    reports = []
    hub.download(MODEL_ID, progress=reports.append)
    measured = [r for r in reports if r.bytes_per_s > 0 and r.eta_s is not None]
    assert measured, reports
    assert 100_000 < measured[-1].bytes_per_s < 1_000_000  # about the server's 0.4 MB/s
