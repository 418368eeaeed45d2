import json
import os
import time

import pytest

from bertgui.hf_cache import find_cached_berts, hub_cache_dir


def make_snapshot(cache, repo, model_type="bert", weights="model.safetensors"):
    snap = cache / f"models--{repo.replace('/', '--')}" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    (snap / "config.json").write_text(json.dumps({"model_type": model_type}))
    if weights:
        (snap / weights).write_bytes(b"x")
    return snap


def test_lists_bert_snapshots_only(tmp_path):
    bert = make_snapshot(tmp_path, "google/bert_uncased_L-2_H-128_A-2")
    make_snapshot(tmp_path, "roberta-base", model_type="roberta")
    make_snapshot(tmp_path, "bert-no-weights", weights=None)
    found = find_cached_berts(tmp_path)
    assert [(m.name, m.path) for m in found] == [("google/bert_uncased_L-2_H-128_A-2", bert)]


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    assert hub_cache_dir() == tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "x"))
    assert hub_cache_dir() == tmp_path / "x"
    assert find_cached_berts(tmp_path / "missing") == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_snapshots_whose_config_is_no_small_file_are_skipped_unopened(tmp_path):
    """The scan runs on the GUI thread: a FIFO would block it for ever, a huge file freeze it."""
    fifo = make_snapshot(tmp_path, "org/fifo-config")
    (fifo / "config.json").unlink()
    os.mkfifo(fifo / "config.json")
    huge = make_snapshot(tmp_path, "org/huge-config")
    os.truncate(huge / "config.json", 1 << 30)
    os.symlink(tmp_path / "nowhere", fifo.parent / "broken")  # a dangling snapshot link
    bert = make_snapshot(tmp_path, "org/bert")
    start = time.perf_counter()
    found = find_cached_berts(tmp_path)
    assert [m.path for m in found] == [bert] and time.perf_counter() - start < 1
