"""Atomic files and folders: they appear whole, with the permissions of any the user makes."""

from __future__ import annotations

import os

import pytest

from model.atomic import UMASK, atomic_directory, atomic_write_bytes


def test_a_written_folder_gets_default_permissions_not_private_ones(tmp_path):
    target = tmp_path / "model"
    with atomic_directory(target) as tmp:
        (tmp / "weights.bin").write_bytes(b"x")
        os.chmod(tmp / "weights.bin", 0o600)  # as some writers leave their files
    assert (target.stat().st_mode & 0o777) == 0o777 & ~UMASK
    assert ((target / "weights.bin").stat().st_mode & 0o777) == 0o666 & ~UMASK


def test_a_failed_write_leaves_the_previous_folder(tmp_path):
    target = tmp_path / "model"
    target.mkdir()
    (target / "config.json").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(target) as tmp:
        (tmp / "config.json").write_text("new")
        raise RuntimeError("crash mid-write")
    assert (target / "config.json").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no temporary folder left behind


def test_a_written_file_gets_default_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    new = tmp_path / "arrays.npz"
    atomic_write_bytes(new, b"x")
    assert (new.stat().st_mode & 0o777) == 0o666 & ~UMASK  # not mkstemp's private 0600
    os.chmod(new, 0o640)
    atomic_write_bytes(new, b"y")
    assert (new.stat().st_mode & 0o777) == 0o640 and new.read_bytes() == b"y"
