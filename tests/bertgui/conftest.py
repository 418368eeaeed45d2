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
