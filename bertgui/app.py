"""Application entry point: `python main.py` or the `bertgui` console script.

    python main.py [--model DIR] [--device auto|cpu|cuda] [--text "..."] [--text-b "..."]
                   [--screenshot FILE.png]
"""

from __future__ import annotations

import argparse
import sys

SCREENSHOT_TIMEOUT_MS = 120_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bertgui", description="BERT Explorer")
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--text", default="The cat sat on the [MASK].", help="sentence A to open with")
    parser.add_argument("--text-b", default="", help="sentence B to open with")
    parser.add_argument("--tab", default=None, help="tab to show by name, e.g. tokens, embeddings, attention, fill-mask, model")
    parser.add_argument("--screenshot", default=None, help="render the window to this PNG once ready, then exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .controller import Controller
    from .main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("BERT Explorer")
    controller = Controller()
    window = MainWindow(controller, show_dialogs=not args.screenshot)
    if args.tab:
        names = [window.tabs.tabText(i).lower() for i in range(window.tabs.count())]
        if args.tab.lower() in names:
            window.tabs.setCurrentIndex(names.index(args.tab.lower()))
    window.set_texts(args.text, args.text_b)
    window.show()
    exit_code = {"value": 0}

    if args.screenshot:
        def grab(_result=None) -> None:
            QTimer.singleShot(300, lambda: (window.grab().save(args.screenshot), window.close()))

        def failed(message: str) -> None:
            print(f"error: {message}", file=sys.stderr)
            exit_code["value"] = 2
            window.close()

        controller.inspectionReady.connect(grab)
        controller.modelLoadFailed.connect(failed)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: failed("timed out waiting for the model"))

    # The model (and torch with it) loads on the worker thread once the window has painted.
    QTimer.singleShot(0, lambda: controller.load_model(args.model, args.device))
    app.exec()
    return exit_code["value"]
