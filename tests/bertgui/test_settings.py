"""The settings file can never stop the app: every value is checked, one that does not fit is
ignored for its default with one line on stderr, and a file Qt cannot read is moved aside."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "bertgui: settings: ignored "
HOSTILE_NUMBERS = [float("inf"), float("nan"), "1e999", -1, "x", "inf", "1099511627776"]

# Starts the real app (bertgui.app.main, settings and all) and closes its window once the first
# inspection is drawn, or the model failed to load: the test then reads what it wrote.
DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from bertgui import app
from bertgui.main_window import MainWindow

def close_when_drawn():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    window.controller.inspectionReady.connect(window.close)
    window.controller.modelLoadFailed.connect(lambda message: (print("driver: load failed:", message), window.close()))

qt = QApplication(sys.argv[:1])
QTimer.singleShot(0, close_when_drawn)  # the first timer of the event loop: before main() asks for the model
sys.exit(app.main(sys.argv[1:]))
"""


def qsettings(path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(path), QSettings.Format.IniFormat)


def write_settings(path: Path, values: dict) -> None:
    s = qsettings(path)
    for key, value in values.items():
        s.setValue(key, value)
    s.sync()


def app_settings(path: Path):
    from bertgui.settings import AppSettings

    return AppSettings(qsettings(path))


def lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("bertgui: ")]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("geometry", ["hello", "@ByteArray(hello)"])
def test_garbage_geometry_and_state_are_ignored_with_a_line_each(qtbot, controller, tmp_path, capsys, geometry):
    from bertgui.main_window import MainWindow

    path = tmp_path / "settings.ini"
    path.write_text(f"[window]\ngeometry={geometry}\nstate=@ByteArray(not a state)\n")
    w = MainWindow(controller, settings=app_settings(path))
    qtbot.addWidget(w)
    assert lines(capsys.readouterr().err) == [
        PREFIX + "window/geometry (not a saved geometry); using the default",
        PREFIX + "window/state (not a saved window state); using the default",
    ]


def test_hostile_numbers_in_every_view_s_options_leave_the_defaults(qtbot, controller, tmp_path, capsys):
    from bertgui.main_window import MainWindow

    w = MainWindow(controller)  # no settings: every control at its default
    qtbot.addWidget(w)
    checked = 0
    for view_name, view in w._views_with_options().items():
        defaults = view.options()
        numbers = [k for k, v in defaults.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        for n, hostile in enumerate(HOSTILE_NUMBERS):
            path = tmp_path / f"{view_name}-{n}.ini"
            write_settings(path, {f"view/{view_name}": {key: hostile for key in numbers}})
            view.set_options(app_settings(path).view_options(view_name))
            assert view.options() == defaults, (view_name, hostile)
            err = lines(capsys.readouterr().err)
            assert len(err) == len(numbers) and all(line.startswith(PREFIX + "option ") for line in err)
            assert all(line.endswith("); using the default") for line in err)
            checked += len(numbers)
    assert checked >= 13 * len(HOSTILE_NUMBERS)  # the Fine-tune form's 12 numbers and Head view's threshold


def test_fitting_options_are_applied_and_the_messages_say_what_was_ignored(qtbot, tmp_path, capsys):
    from bertgui.finetune.view import FinetuneView

    view = FinetuneView()
    qtbot.addWidget(view)
    path = tmp_path / "settings.ini"
    write_settings(
        path,
        {
            "view/finetune": {
                "epochs": "5",
                "batch": 2.5,
                "warmup": 0.2,
                "max_len": float("inf"),
                "task": "gone",
                "freeze_embeddings": "perhaps",
                "out": 7,
            }
        },
    )
    view.set_options(app_settings(path).view_options("finetune"))
    assert view.form.epochs.value() == 5 and view.form.warmup.value() == 0.2
    form = view.form
    assert form.batch.value() == 32 and form.max_len.value() == 128 and form.task.currentData() == "classify"
    assert sorted(lines(capsys.readouterr().err)) == sorted(
        PREFIX + line + "; using the default"
        for line in [
            "option batch=2.5 (not a whole number from 1 to 1024)",
            "option max_len=inf (not a whole number from 8 to 512)",
            "option task='gone' (not one of its choices)",
            "option freeze_embeddings='perhaps' (not true or false)",
            "option out=7 (not a text)",
        ]
    )


def test_a_remembered_dataset_is_previewed_only_if_it_is_a_regular_file(qtbot, tmp_path, fifo, capsys, data):
    from bertgui.finetune.view import FinetuneView

    view = FinetuneView()
    qtbot.addWidget(view)
    previews = []
    view.previewRequested.connect(lambda *args: previews.append(args[0]))
    view.set_options({"train": str(fifo), "eval": str(fifo)})  # reading a FIFO blocks the worker for good
    assert previews == [] and view.form.train_edit.text() == view.form.eval_edit.text() == ""
    assert lines(capsys.readouterr().err) == [
        PREFIX + f"option {key}='{fifo}' (not a regular file); using the default" for key in ("train", "eval")
    ]
    missing = str(tmp_path / "not yet.csv")
    view.set_options({"train": missing})
    assert previews == [] and view.form.train_edit.text() == missing  # kept as typed, not read
    view.set_options({"train": str(data)})
    assert previews == [str(data)]


def test_a_fifo_or_a_file_as_last_model_is_ignored(tmp_path, fifo, capsys):
    path = tmp_path / "settings.ini"
    for last in (fifo, tmp_path / "settings.ini", tmp_path / "gone", 7):
        write_settings(path, {"model/last": str(last) if isinstance(last, Path) else last})
        assert app_settings(path).last_model == ""
        assert lines(capsys.readouterr().err) == [PREFIX + "model/last (not an existing folder); using the default"]
    write_settings(path, {"model/last": str(tmp_path)})
    assert app_settings(path).last_model == str(tmp_path) and capsys.readouterr().err == ""


def test_thousands_of_recent_models_are_cut_to_the_first_existing_folders(tmp_path, fifo, capsys):
    from bertgui.settings import MAX_RECENT

    folders = [tmp_path / f"model{i}" for i in range(12)]
    for folder in folders:
        folder.mkdir()
    entries = [
        str(folders[0]),
        str(fifo),
        5,
        "",
        str(folders[1]),
        str(tmp_path / "gone"),
        str(folders[2]),
        None,
        *(str(f) for f in folders[3:]),
        *(f"/nowhere/{i}" for i in range(5_000 - 17)),
    ]
    assert len(entries) == 5_000
    path = tmp_path / "settings.ini"
    write_settings(path, {"model/recent": entries})
    settings = app_settings(path)
    assert settings.recent_models == [str(f) for f in folders[:3]] and MAX_RECENT == 8
    assert settings.recent_models == [str(f) for f in folders[:3]]  # read again: said once
    assert lines(capsys.readouterr().err) == [
        PREFIX + "4,997 of 5,000 model/recent entries (past the first 8, or not an existing folder); using the 3 left"
    ]
    settings.last_model = str(folders[5])
    assert settings.recent_models == [str(folders[5])] + [str(f) for f in folders[:3]]


def test_tab_dark_and_texts_of_the_wrong_kind_fall_back(qtbot, controller, tmp_path, capsys):
    from bertgui.main_window import MainWindow

    path = tmp_path / "settings.ini"
    path.write_text("[view]\ntab=99\ndark=maybe\n[input]\ntext=a, b\ntext_b=fine\n")
    settings = app_settings(path)
    assert settings.dark is False and settings.text == ("", "fine")
    w = MainWindow(controller, settings=settings)
    qtbot.addWidget(w)
    assert w.tabs.currentIndex() == 0 and not w.dark_action.isChecked()
    assert lines(capsys.readouterr().err) == [
        PREFIX + line + "; using the default"
        for line in ["view/dark (not true or false)", "input/text (not a text)", "view/tab (there is no tab 99)"]
    ]
    path.write_text("[view]\ntab=-1\ndark=TRUE\n")
    settings = app_settings(path)
    assert settings.tab == 0 and settings.dark is True
    assert lines(capsys.readouterr().err) == [PREFIX + "view/tab (not a tab number); using the default"]


@pytest.mark.parametrize(
    "content",
    [random.Random(15).randbytes(4096), b"\0" * 64, b"[window\n=x\n[[[\n", "[input]\ntext=caf\xe9\n".encode("latin-1")],
    ids=["random bytes", "zero bytes", "invalid INI", "Latin-1 text"],
)
def test_a_file_qt_cannot_read_is_set_aside_and_a_fresh_one_written(tmp_path, capsys, content):
    path = tmp_path / "settings.ini"
    path.write_bytes(content)
    settings = app_settings(path)
    (aside,) = tmp_path.glob("settings.ini.broken-*")
    assert aside.read_bytes() == content and not path.exists()
    (line,) = lines(capsys.readouterr().err)
    assert line.startswith(PREFIX + f"{path} (") and line.endswith(f"); using the defaults; the file is now {aside}")
    assert settings.text == ("", "") and settings.recent_models == [] and settings.tab == 0
    settings.tab = 3
    settings.sync()
    assert app_settings(path).tab == 3 and capsys.readouterr().err == ""


def test_a_file_qt_wrote_is_kept(tmp_path, capsys):
    path = tmp_path / "settings.ini"
    write_settings(path, {"input/text": "tab\there, line\nbreak, \x01 and 猫", "view/tab": 2})
    assert app_settings(path).text == ("tab\there, line\nbreak, \x01 and 猫", "")
    assert list(tmp_path.iterdir()) == [path] and capsys.readouterr().err == ""


def run_the_app(model_folder: str, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", DRIVER, "--model", model_folder, "--device", "cpu"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def conf_file(config: Path) -> Path:
    """Where QSettings("BERT Explorer", "BERT Explorer") keeps its file on Linux."""
    return config / "BERT Explorer" / "BERT Explorer.conf"


def test_the_real_app_starts_and_closes_with_hostile_settings(model_folder, tmp_path, fifo):
    from PySide6.QtCore import QByteArray

    conf = conf_file(tmp_path / "config")
    conf.parent.mkdir(parents=True)
    write_settings(
        conf,
        {
            "window/geometry": "hello",
            "window/state": QByteArray(b"garbage"),
            "view/tab": 99,
            "view/dark": "maybe",
            "input/text": ["a", "b"],
            "model/last": str(fifo),
            "model/recent": [f"/nowhere/{i}" for i in range(5_000)],
            "view/fill_mask": 12,
            "view/head_lines": {"threshold": float("nan")},
            "view/attention": {"mode": "gone", "hide_special": "perhaps"},
            "view/finetune": {
                "epochs": float("inf"),
                "train": str(fifo),
                "eval": str(fifo),
                "batch": "x",
                "max_len": -1,
            },
        },
    )
    proc = run_the_app(model_folder, tmp_path / "config")
    assert proc.returncode == 0, proc.stderr
    assert "driver: load failed" not in proc.stderr
    said = lines(proc.stderr)
    for expected in [
        "window/geometry (not a saved geometry)",
        "window/state (not a saved window state)",
        "view/tab (there is no tab 99)",
        "view/dark (not true or false)",
        "input/text (not a text)",
        "view/fill_mask (not a set of options)",
        "option threshold=nan (not a number from 0.001 to 0.5)",
        "option mode='gone' (not one of its choices)",
        "option hide_special='perhaps' (not true or false)",
        "option epochs=inf (not a whole number from 1 to 100)",
        f"option train='{fifo}' (not a regular file)",
        f"option eval='{fifo}' (not a regular file)",
        "option batch='x' (not a whole number from 1 to 1024)",
        "option max_len=-1 (not a whole number from 8 to 512)",
    ]:
        assert said.count(PREFIX + expected + "; using the default") == 1, (expected, proc.stderr)
    assert (
        said.count(
            PREFIX + "5,000 of 5,000 model/recent entries (past the first 8, or not an existing folder); "
            "using the 0 left"
        )
        == 1
    )
    written = app_settings(conf)  # what the app saved at close, read as at the next start
    assert isinstance(written.window_state()[0], QByteArray) and written.tab == 0
    assert written.last_model == model_folder and written.recent_models == [model_folder]
    assert written.view_options("finetune")["epochs"] == 3 and written.view_options("finetune")["train"] == ""


def test_the_real_app_sets_aside_a_settings_file_of_random_bytes(model_folder, tmp_path):
    conf = conf_file(tmp_path / "config")
    conf.parent.mkdir(parents=True)
    content = random.Random(4).randbytes(8192)
    conf.write_bytes(content)
    proc = run_the_app(model_folder, tmp_path / "config")
    assert proc.returncode == 0, proc.stderr
    (aside,) = conf.parent.glob("BERT Explorer.conf.broken-*")
    assert aside.read_bytes() == content
    assert lines(proc.stderr) == [PREFIX + f"{conf} (not UTF-8 text); using the defaults; the file is now {aside}"]
    written = qsettings(conf)
    assert written.status() == written.Status.NoError and written.value("model/last") == model_folder


def test_the_real_app_sets_aside_a_settings_file_that_is_a_fifo(model_folder, tmp_path):
    conf = conf_file(tmp_path / "config")
    conf.parent.mkdir(parents=True)
    os.mkfifo(conf)  # QSettings would block on it for ever
    proc = run_the_app(model_folder, tmp_path / "config")
    assert proc.returncode == 0, proc.stderr
    (aside,) = conf.parent.glob("BERT Explorer.conf.broken-*")
    assert aside.is_fifo() and conf.is_file()  # a fresh file was written at close
    assert lines(proc.stderr) == [PREFIX + f"{conf} (not a regular file); using the defaults; it is now {aside}"]
