"""Every reader of a user's file refuses, quickly and in one line naming the path, what would
hang it (a FIFO, /dev/zero) or flood it (an oversized file), and what is no file at all."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from model.checkpoint import WEIGHTS_INDEX, find_weights, read_state_dict
from model.config import CONFIG_JSON, BertConfig
from model.errors import BertError, CheckpointError
from model.finetuning.datasets import DatasetError, load_dataset, preview_dataset
from model.pretraining.corpus import read_documents
from model.safe_read import open_file, read_text
from model.tokenizer import TOKENIZER_CONFIG, TOKENIZER_JSON, VOCAB_TXT, BertTokenizer

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")

QUICKLY_S = 1.0  # a refusal reads nothing; a regression that reads or blocks takes far longer


@contextmanager
def unblocked(path: Path, after_s: float = 3.0):
    """Guards a test against a regression that opens a FIFO for reading, which would block for
    ever: after `after_s` a writer opens and closes it, so the reader sees an empty file and the
    test fails on its assertions instead of hanging."""

    def release() -> None:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader is blocked on it (ENXIO), or it is gone
            pass

    timer = threading.Timer(after_s, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def make_hostile(path: Path, how: str, limit: int | None) -> str:
    """Put something that is not a readable file of the right size at `path`; returns the words
    the refusal must contain."""
    if how == "fifo":
        os.mkfifo(path)
        return "is a named pipe (FIFO), not a file"
    if how == "folder":
        path.mkdir()
        return "is a folder, not a file"
    if how == "dev_zero":
        os.symlink("/dev/zero", path)
        return "is a character device, not a file"
    if how == "link_loop":
        os.symlink(path.name, path)  # points at itself
        return "cannot read (Too many levels of symbolic links)"
    assert how == "oversized" and limit is not None
    path.touch()
    os.truncate(path, limit + 1)  # sparse: no disk used, nothing worth reading
    # Sizes are rounded up: one byte over 1 MB is 1.1 MB, over 32 MB 33 MB.
    return f"is {limit // 2**20}.1 MB; " if limit < 10 * 2**20 else f"is {limit // 2**20 + 1} MB; "


def refusal(call, path: Path, error: type[Exception]) -> str:
    with unblocked(path):
        start = time.perf_counter()
        with pytest.raises(error) as info:
            call()
        took = time.perf_counter() - start
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and took < QUICKLY_S, (message, took)
    return message


HOSTILE = ["fifo", "folder", "dev_zero", "link_loop", "oversized"]


def folder_with(tmp_path: Path, vocab_file: Path, name: str) -> Path:
    """A tokenizer folder whose `name` will be made hostile, the rest valid."""
    folder = tmp_path / "tok"
    folder.mkdir()
    if name == "tokenizer_config.json":
        shutil.copy(vocab_file, folder / "vocab.txt")
    return folder


# (file name, what reads it, its kind): every reader of a small file with a size limit.
LIMITED = {
    "config.json": (lambda folder: BertConfig.from_json_file(folder / "config.json"), CONFIG_JSON),
    "tokenizer.json": (lambda folder: BertTokenizer.from_folder(folder, 32), TOKENIZER_JSON),
    "vocab.txt": (lambda folder: BertTokenizer.from_folder(folder, 32), VOCAB_TXT),
    "tokenizer_config.json": (lambda folder: BertTokenizer.from_folder(folder, 32), TOKENIZER_CONFIG),
    "model.safetensors.index.json": (
        lambda folder: read_state_dict(folder / "model.safetensors.index.json"),
        WEIGHTS_INDEX,
    ),
}


@pytest.mark.parametrize("how", HOSTILE)
@pytest.mark.parametrize("name", list(LIMITED))
def test_model_folder_readers_refuse_what_is_not_a_small_file(tmp_path, vocab_file, name, how):
    read, kind = LIMITED[name]
    folder = folder_with(tmp_path, vocab_file, name)
    expected = make_hostile(folder / name, how, kind.limit)
    message = refusal(lambda: read(folder), folder / name, CheckpointError)
    assert expected in message
    if how == "oversized":
        assert message.endswith(f"{kind.name} is at most {kind.limit_mb} MB")


@pytest.mark.parametrize("how", HOSTILE[:4])  # weights have no size limit
@pytest.mark.parametrize("name", ["model.safetensors", "pytorch_model.bin"])
def test_weights_are_refused_unless_regular_files(tmp_path, name, how):
    expected = make_hostile(tmp_path / name, how, None)
    assert expected in refusal(lambda: find_weights(tmp_path), tmp_path / name, CheckpointError)
    assert expected in refusal(lambda: read_state_dict(tmp_path / name), tmp_path / name, CheckpointError)


@pytest.mark.parametrize("how", HOSTILE[:4])
def test_a_hostile_shard_listed_by_the_index_is_refused(tmp_path, how):
    shard = tmp_path / "model-00001-of-00001.safetensors"
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"a": shard.name}}))
    expected = make_hostile(shard, how, None)
    assert expected in refusal(
        lambda: read_state_dict(tmp_path / "model.safetensors.index.json"), shard, CheckpointError
    )


@pytest.mark.parametrize("how", HOSTILE[:4])  # datasets and corpora are streamed, at any size
@pytest.mark.parametrize("reader", ["load_dataset", "preview_dataset", "jsonl", "corpus"])
def test_training_data_readers_refuse_what_is_not_a_file(tmp_path, reader, how):
    path = tmp_path / ("train.jsonl" if reader == "jsonl" else "corpus.txt" if reader == "corpus" else "train.csv")
    expected = make_hostile(path, how, None)
    read, error = {
        "load_dataset": (lambda: load_dataset(path), DatasetError),
        "preview_dataset": (lambda: preview_dataset(path), DatasetError),
        "jsonl": (lambda: load_dataset(path), DatasetError),
        "corpus": (lambda: list(read_documents(path)), BertError),
    }[reader]
    if reader == "corpus" and how == "folder":  # a corpus may be a folder: one with no text files is refused
        expected = "a folder without .txt or .txt.gz files"
    assert expected in refusal(read, path, error)


def test_a_missing_file_says_what_is_needed(tmp_path):
    message = refusal(
        lambda: BertConfig.from_json_file(tmp_path / "config.json"), tmp_path / "config.json", CheckpointError
    )
    assert message.endswith("missing; a model folder needs a config.json")


def test_a_1_gb_config_is_refused_unread(tmp_path):
    path = tmp_path / "config.json"
    path.touch()
    os.truncate(path, 1 << 30)
    message = refusal(lambda: BertConfig.from_json_file(path), path, CheckpointError)
    assert message == f"{path}: is 1.0 GB; a config.json is at most 1 MB"


def test_a_fifo_swapped_in_after_the_check_is_refused_through_the_descriptor(tmp_path, monkeypatch):
    """Between the path's check and the open the file may change: the open never blocks, and
    what was opened is checked again."""
    import model.safe_read as safe_read

    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)
    monkeypatch.setattr(safe_read, "check_file", lambda path, kind: 0)  # as if it was a regular file then
    assert "is a named pipe (FIFO), not a file" in refusal(lambda: open_file(fifo, CONFIG_JSON), fifo, CheckpointError)


def test_a_file_that_grew_past_the_limit_after_the_checks_is_refused(tmp_path, monkeypatch):
    import model.safe_read as safe_read

    path = tmp_path / "config.json"
    path.write_bytes(b" " * (2 << 20))
    monkeypatch.setattr(safe_read, "_check_stat", lambda path, info, kind: None)  # as if it was small then
    assert refusal(lambda: read_text(path, CONFIG_JSON), path, CheckpointError).endswith(
        "is over 1 MB; a config.json is at most 1 MB"
    )


def test_valid_files_read_as_before(tmp_path, vocab_file):
    shutil.copy(vocab_file, tmp_path / "vocab.txt")
    assert BertTokenizer.from_folder(tmp_path, 32).vocab_size == len(vocab_file.read_text().splitlines())
    (tmp_path / "config.json").write_text(json.dumps({"hidden_size": 32, "num_attention_heads": 4}))
    assert BertConfig.from_json_file(tmp_path / "config.json").hidden_size == 32
