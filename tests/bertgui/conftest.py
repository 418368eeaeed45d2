from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _pyqtgraph_options():
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major")


@pytest.fixture
def model_folder(hf_folder):
    return str(hf_folder("BertForPreTraining")[0])


@pytest.fixture
def controller(qtbot):
    from bertgui.controller import Controller

    c = Controller()
    yield c
    c.shutdown()


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
