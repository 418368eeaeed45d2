"""Application entry point: `python main.py` or the `bertgui` console script.

The full inspector lands with the GUI issue; until then this opens the main window
with the model status, so the install command has something real to start.
"""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bertgui", description="BERT Explorer")
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    import model

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("BERT Explorer")
    try:
        bert = model.load(args.model, device=args.device)
        status = f"{bert.path.name}: {bert.config.num_hidden_layers} layers, {bert.parameter_count():,} parameters on {bert.device}"
    except model.BertError as exc:
        status = str(exc)
    label = QLabel(status)
    label.setWordWrap(True)
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(720, 240)
    window.show()
    return app.exec()
