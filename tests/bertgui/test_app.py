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
    proc = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--model",
            model_folder,
            "--device",
            "cpu",
            "--text",
            "the cat [MASK] .",
            "--tab",
            "attention",
            "--screenshot",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_screenshot_of_a_bad_model_fails_with_one_line(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "main.py", "--model", str(tmp_path / "nope"), "--screenshot", str(tmp_path / "x.png")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 2 and "error: " in proc.stderr and "no such folder" in proc.stderr


def test_the_gui_thread_does_not_import_torch_to_show_the_window():
    # The GUI imports model's pure modules (errors, datasets' helpers); torch only on the worker.
    code = (
        "import sys; from bertgui import app, controller, main_window; "
        "print('torch' in sys.modules or 'model.bert' in sys.modules)"
    )
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
    proc = subprocess.run(
        [sys.executable, "main.py", "--model", model_folder, "--tab", "heads", "--screenshot", str(tmp_path / "x.png")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 2 and "no tab 'heads'" in proc.stderr and "head-view" in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_opening_texts_come_from_the_command_line_then_the_last_session():
    from bertgui.app import DEFAULT_TEXT, opening_texts

    assert opening_texts(None, None, ("", "")) == (DEFAULT_TEXT, "")
    assert opening_texts(None, None, ("old a", "old b")) == ("old a", "old b")
    assert opening_texts("new a", None, ("old a", "old b")) == ("new a", "")
    assert opening_texts(None, "new b", ("old a", "old b")) == ("old a", "new b")  # --text-b alone
    assert opening_texts(None, "new b", ("", "")) == (DEFAULT_TEXT, "new b")


def test_a_head_the_model_lacks_is_clamped_with_a_warning(model_folder, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--model",
            model_folder,
            "--device",
            "cpu",
            "--head",
            "9-9",
            "--screenshot",
            str(tmp_path / "x.png"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning: the model has 2 layers of 4 heads" in proc.stderr and "showing head 1-3" in proc.stderr


def test_help_names_every_tab(capsys):
    import pytest

    from bertgui.app import parse_args
    from bertgui.tab_guide import TAB_NAMES, tab_key

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert all(tab_key(name) in out for name in TAB_NAMES) and len(TAB_NAMES) == 10
    assert parse_args(["--tab", "Hidden states"]).tab == "hidden-states"


def test_size_reads_width_x_height_and_dark_is_a_switch(capsys):
    import pytest

    from bertgui.app import parse_args

    args = parse_args(["--size", "1920x1080", "--dark"])
    assert args.size == (1920, 1080) and args.dark
    assert parse_args([]).size is None and not parse_args([]).dark
    for bad, why in (("1280", "is not WIDTHxHEIGHT"), ("axb", "is not WIDTHxHEIGHT"), ("10x800", "from 200 to")):
        with pytest.raises(SystemExit):
            parse_args(["--size", bad])
        assert why in capsys.readouterr().err


def test_screenshot_at_a_size_in_the_dark_palette(model_folder, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "dark.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "main.py", "--model", model_folder, "--device", "cpu", "--size", "1280x800", "--dark"]
        + ["--tab", "model", "--screenshot", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert image.pixelColor(image.width() // 2, image.height() - 60).lightness() < 80  # the dark palette's window
