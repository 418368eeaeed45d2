"""`python main.py --screenshot` renders the window to a PNG and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_option_writes_a_png(model_folder, tmp_path):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "main.py", "--model", model_folder, "--device", "cpu", "--text",
                           "the cat [MASK] .", "--tab", "attention", "--screenshot", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_screenshot_of_a_bad_model_fails_with_one_line(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "main.py", "--model", str(tmp_path / "nope"), "--screenshot",
                           str(tmp_path / "x.png")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 2 and "error: " in proc.stderr and "no such folder" in proc.stderr


def test_the_gui_thread_does_not_import_torch_to_show_the_window():
    code = ("import sys; from bertgui import app, controller, main_window; "
            "print('torch' in sys.modules or 'model' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


def test_head_option_reads_layer_dash_head(capsys):
    import pytest

    from bertgui.app import parse_args

    assert parse_args(["--head", "1-3"]).head == (1, 3)
    for bad in ("1", "a-b", "-1-2", "1-2-3"):
        with pytest.raises(SystemExit):
            parse_args([f"--head={bad}"])
        assert "is not LAYER-HEAD" in capsys.readouterr().err


def test_an_unknown_tab_fails_with_one_line_naming_the_tabs(model_folder, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "main.py", "--model", model_folder, "--tab", "heads", "--screenshot",
                           str(tmp_path / "x.png")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 2 and "no tab 'heads'" in proc.stderr and "head-view" in proc.stderr
    assert not (tmp_path / "x.png").exists()
