"""The app installs from a wheel (not only from a checkout): the bundled model and the samples
travel as package data, and `bertgui` and `python -m model` work from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")


def listed_packages() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]


def test_every_code_package_is_listed_in_pyproject():
    found = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("model", "bertgui")
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert sorted(p for p in listed_packages() if p != "bertgui_resources") == found


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the built wheel installed. Its
    dependencies come from this interpreter's site-packages through a plain path entry, so
    this checkout's editable install (a .pth hook there) is not run and cannot stand in."""
    pytest.importorskip("setuptools", reason="building the wheel offline needs setuptools installed")
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", ROOT],
        capture_output=True,
        text=True,
        cwd=tmp,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp / "dist").glob("bertgui-*.whl")
    env_dir = tmp / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
        capture_output=True,
        text=True,
        cwd=tmp,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    return env_dir


def run_in(env_dir: Path, *command: str) -> subprocess.CompletedProcess:
    home = env_dir.parent / "home"
    home.mkdir(exist_ok=True)
    environment = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""}
    return subprocess.run(command, capture_output=True, text=True, cwd=home, env=environment, timeout=240)


def test_the_installed_model_package_has_the_bundled_model(installed):
    python = str(installed / "bin" / "python")
    where = run_in(installed, python, "-c", "import model; print(model.__file__); print(model.BUNDLED_MODEL)")
    assert where.returncode == 0, where.stderr
    module, bundled = where.stdout.split()
    assert Path(module).is_relative_to(installed) and Path(bundled).is_relative_to(installed)
    fill = run_in(installed, python, "-m", "model", "fill-mask", "The cat sat on the [MASK].")
    assert fill.returncode == 0, fill.stderr
    assert fill.stdout.startswith("[MASK] at position 6:") and len(fill.stdout.splitlines()) > 5


def test_the_installed_bertgui_command_starts_and_draws(installed):
    shot = installed.parent / "shot.png"
    run = run_in(installed, str(installed / "bin" / "bertgui"), "--screenshot", str(shot), "--size", "800x600")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:4] == b"\x89PNG"
    samples = run_in(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        "from bertgui.finetune.sample_data import SAMPLE_TRAIN; print(SAMPLE_TRAIN.is_file())",
    )
    assert samples.stdout.strip() == "True", samples.stderr


def test_the_installed_app_has_its_chinese_translation(installed):
    """bertgui/i18n/*.qm is package data: the installed app can start in Chinese."""
    check = (
        "from PySide6.QtCore import QCoreApplication; "
        "from bertgui.i18n.translators import install_translators; "
        "app = QCoreApplication([]); install_translators(app, 'zh_CN'); "
        "print(QCoreApplication.translate('WindowMenus', '&File'))"
    )
    run = run_in(installed, str(installed / "bin" / "python"), "-c", check)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "文件(&F)"


def test_the_desktop_entry_is_written_and_removed(tmp_path, monkeypatch):
    from bertgui import desktop_entry
    from bertgui.app import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop-entry"]) == 0
    entry, icon = desktop_entry.entry_paths()
    text = entry.read_text()
    assert entry == tmp_path / "applications" / "bertgui.desktop" and icon.read_bytes().startswith(b"<svg")
    assert "Name=BERT Explorer" in text and f"Icon={icon}" in text and "Type=Application" in text
    assert text.splitlines()[0] == "[Desktop Entry]" and "Exec=" in text
    assert main(["--remove-desktop-entry"]) == 0
    assert not entry.exists() and not icon.exists()


def test_exec_arguments_are_quoted_as_the_specification_says():
    from bertgui.desktop_entry import _quoted

    assert _quoted("/usr/bin/python3") == "/usr/bin/python3"
    assert _quoted("/home/a b/main.py") == '"/home/a b/main.py"'
    assert _quoted('/x/"$y"') == '"/x/\\"\\$y\\""'
