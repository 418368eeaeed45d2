"""model/ is pure PyTorch: no Qt, no GUI, and transformers only in tests/ and benchmarks/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI_MODULES = {"PySide6", "pyqtgraph", "bertgui", "shiboken6", "qtpy", "superqt"}


def imported_top_levels(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_model_never_imports_qt_or_the_gui():
    offenders = {f: n & GUI_MODULES for f, n in imported_top_levels(ROOT / "model").items() if n & GUI_MODULES}
    assert offenders == {}


def test_transformers_is_not_a_runtime_dependency():
    for folder in ("model", "bertgui"):
        offenders = [f for f, n in imported_top_levels(ROOT / folder).items() if "transformers" in n]
        assert offenders == []


def test_importing_model_loads_no_qt_module():
    code = (
        "import sys, model, model.cli, model.evaluate; "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'PySide6', 'pyqtgraph', 'bertgui', 'transformers'}]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_modules_the_gui_thread_imports_load_no_torch():
    """`import model` is lazy (PEP 562): the GUI imports its pure modules without loading torch,
    which only the worker threads import."""
    code = (
        "import sys, model, model.errors, model.safe_read, model.atomic, model.config, model.duration, "
        "model.finetuning.datasets, model.finetuning.settings, model.pretraining.corpus, model.folder_layout, "
        "model.pretraining.settings, model.attribution, bertgui.main_window, bertgui.app; "
        "model.BertError; print(sorted(m for m in sys.modules if m.split('.')[0] == 'torch')[:3])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_every_lazy_name_of_model_is_listed_and_resolves():
    import model

    assert sorted(model.__all__) == sorted(model._EXPORTS)
    for name in model.__all__:
        assert getattr(model, name) is not None
