from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _pyqtgraph_options():
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major")


def wait_for_abandoned_workers(timeout_ms: int = 60_000) -> None:
    """A worker a test's window abandoned at close must not run on into later tests (with the
    garbage policy still held, they would never collect), nor when the process ends (Qt aborts
    on a running QThread destroyed)."""
    from bertgui.worker_thread import wait_for_abandoned

    wait_for_abandoned(timeout_ms)


@pytest.fixture(autouse=True)
def _abandoned_workers_end_with_their_test():
    yield
    wait_for_abandoned_workers()


@pytest.fixture
def model_folder(hf_folder):
    return str(hf_folder("BertForPreTraining")[0])


@pytest.fixture
def controller(qtbot):
    from bertgui.controller import Controller

    c = Controller()
    yield c
    c.shutdown(wait_ms=60_000)  # a test waits for the worker, so nothing it started runs on into the next


@pytest.fixture
def window(qtbot, controller, model_folder):
    """The main window, shown, with a small model loaded and its first inspection drawn."""
    from bertgui.main_window import MainWindow

    w = MainWindow(controller)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(model_folder, "cpu")
    return w


@pytest.fixture
def data(tmp_path):
    """A small, easily learnt two-class CSV for fine-tuning runs."""
    rows = [f"the cat sat {i},animal" for i in range(16)] + [f"paris is big {i},city" for i in range(16)]
    path = tmp_path / "train.csv"
    path.write_text("text,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def drawn_tick_labels():
    """The tick labels a pyqtgraph axis draws now (after its own crowding rules), as (rect, text)."""
    from PySide6.QtGui import QImage, QPainter

    def labels(axis):
        image = QImage(8, 8, QImage.Format.Format_ARGB32)  # kept alive while the painter paints on it
        painter = QPainter(image)
        try:
            _, _, text_specs = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        return [(rect, text) for rect, _, text in text_specs]

    return labels
