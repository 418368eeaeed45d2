"""Shared fixtures: a small WordPiece vocabulary and small Hugging Face checkpoints made on
the spot with transformers (the reference), so no test needs a download or ../shared."""

from __future__ import annotations

import faulthandler
import os
import sys
from pathlib import Path

import pytest
import torch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
torch.set_num_threads(min(2, torch.get_num_threads()))

# pytest-timeout's limit (pyproject.toml) needs the GIL to act; a deadlock that holds it (a Qt
# destructor on the wrong thread) would hang for ever. faulthandler's watchdog is a C thread:
# past this limit it prints every thread's stack and ends the run, whatever holds the GIL.
HARD_TEST_LIMIT_S = 360


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    faulthandler.dump_traceback_later(HARD_TEST_LIMIT_S, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


WORDS = """the a an of to and in on at is was were be been it this that he she they we you i
cat cats dog dogs sat sit mat house run running ran walk walked play played
paris france london city capital river bank money time year day night good bad great
new old big small red blue green one two three four five first last
said say says make made go went come came see saw know knew think thought
hello world tea cup coffee drink drank book books read reading bert model
""".split()
PIECES = ["##s", "##ing", "##ed", "##er", "##ly", "##es", "##a", "##e", "##i", "##o", "##n", "##t", "##r"]
CHARS = (
    list("abcdefghijklmnopqrstuvwxyz0123456789")
    + list(".,!?;:'\"()-[]/&%$#@*+=")
    + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
    + list("猫狗中国人日本éüñß")
    + ["café"]
)
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def vocab_tokens() -> list[str]:
    seen: dict[str, None] = {}
    for t in SPECIALS + WORDS + PIECES + CHARS:
        seen.setdefault(t, None)
    return list(seen)


@pytest.fixture(scope="session")
def vocab_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    path.write_text("\n".join(vocab_tokens()) + "\n", encoding="utf-8")
    return path


def small_hf_config(**overrides):
    from transformers import BertConfig as HFConfig

    values = dict(
        vocab_size=len(vocab_tokens()),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=40,
        type_vocab_size=2,
    )
    values.update(overrides)
    return HFConfig(**values)


def save_hf_model(hf_class_name: str, folder: Path, vocab_file: Path, seed: int = 0, **config_overrides):
    """Save a randomly initialised transformers model (with tokenizer files) into `folder`."""
    import transformers
    from transformers import BertTokenizerFast

    torch.manual_seed(seed)
    cls = getattr(transformers, hf_class_name)
    hf = cls(small_hf_config(**config_overrides)).eval()
    hf.save_pretrained(folder)
    BertTokenizerFast(vocab=str(vocab_file), do_lower_case=True).save_pretrained(folder)
    return hf


@pytest.fixture
def hf_folder(tmp_path, vocab_file):
    """Factory: hf_folder("BertForMaskedLM", **config) -> (folder, transformers model)."""

    def make(hf_class_name: str = "BertForPreTraining", seed: int = 0, **config_overrides):
        folder = tmp_path / hf_class_name
        hf = save_hf_model(hf_class_name, folder, vocab_file, seed, **config_overrides)
        return folder, hf

    return make


@pytest.fixture
def torchrun():
    """run(args, processes=2): `python -m model ARGS` as a torchrun job of CPU processes (gloo)."""
    import socket
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]

    def run(args: list[str], processes: int = 2) -> subprocess.CompletedProcess:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        launcher = (
            [
                sys.executable,
                "-m",
                "torch.distributed.run",
                "--nproc_per_node",
                str(processes),
                "--master_addr",
                "127.0.0.1",
                "--master_port",
                str(port),
            ]
            if processes > 1
            else [sys.executable]
        )
        return subprocess.run(
            [*launcher, "-m", "model", *args],
            cwd=root,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


@pytest.fixture
def fake_hub(tmp_path, monkeypatch):
    """A local stand-in for the Hugging Face Hub (tests/fake_hub.py), with HF_ENDPOINT pointing at
    it and the cache (HF_HOME) in a fresh folder; offline mode off."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fake_hub", Path(__file__).with_name("fake_hub.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fake_hub", module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    from huggingface_hub import constants

    hub = module.FakeHub()
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_CACHE"):
        monkeypatch.delenv(name, raising=False)
    # huggingface_hub read HF_HUB_OFFLINE (set above for the whole suite) as it was imported.
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    yield hub
    hub.stop()
