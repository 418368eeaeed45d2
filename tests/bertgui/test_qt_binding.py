"""The installed Qt binding survives many calls into Python overrides of Qt virtual methods.

PySide6 6.12.0 released None and False once too often on such calls, so an event filter or a
custom layout crashed the app (Fatal Python error: none_dealloc) after a few thousand events.
Run in a subprocess: that failure aborts the interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from bertgui.views.flow_layout import FlowLayout

app = QApplication([])
class Filter(QObject):
    def eventFilter(self, watched, event):
        return super().eventFilter(watched, event)
watcher = Filter()
host = QWidget()
layout = FlowLayout(host)
labels = [QLabel(f"token {i}") for i in range(5)]
for label in labels:
    layout.addWidget(label)
    label.installEventFilter(watcher)
host.show()
for i in range(4000):
    host.resize(100 + i % 50, 100)
    app.processEvents()
print("survived")
"""


def test_many_calls_into_python_overrides_do_not_crash():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr[-2000:]
