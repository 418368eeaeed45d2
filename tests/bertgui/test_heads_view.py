"""Switched-off heads where the eye is: a notice above every inspecting tab, the Heads dock that
View > Heads dock always brings back, and a dock that shows 12 or 16 heads without scrolling."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt


def view_menu_action(window, text: str):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in view_menu.actions() if a.text() == text)


def test_unticking_heads_shows_a_notice_naming_them_and_its_button_switches_all_on(qtbot, window):
    notice = window.heads_notice
    window.tabs.setCurrentWidget(window.fill_mask_view)
    assert notice.isHidden()  # all heads on
    for layer, head in ((0, 2), (1, 1)):
        with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
            window.heads_view.table.item(layer, head).setCheckState(Qt.CheckState.Unchecked)
    assert notice.isVisible()
    assert "2 heads off:" in notice.label.text() and "L0H2, L1H1" in notice.label.text()
    window.tabs.setCurrentWidget(window.model_view)  # the model's description does not depend on the mask
    assert notice.isHidden()
    window.tabs.setCurrentWidget(window.attention_view)
    assert notice.isVisible()
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        qtbot.mouseClick(notice.reset_button, Qt.MouseButton.LeftButton)
    assert window.controller.head_mask.all() and window.controller.inspection.head_mask.all()
    assert notice.isHidden()
    assert window.heads_view.table.item(0, 2).checkState() == Qt.CheckState.Checked


def test_the_notice_counts_what_it_does_not_name(qtbot):
    from bertgui.views.heads_view import NAMED_IN_NOTICE, HeadsOffNotice

    notice = HeadsOffNotice()
    qtbot.addWidget(notice)
    mask = np.ones((4, 4), dtype=np.float32)
    mask[1, 3] = 0
    notice.show_mask(mask)
    assert not notice.isHidden() and notice.label.text().startswith("<b>1 head off:</b> L1H3.")
    mask[:3] = 0
    notice.show_mask(mask)
    assert f"and {12 - NAMED_IN_NOTICE} more (see the Heads dock)" in notice.label.text()
    assert "L0H0, L0H1" in notice.label.text() and "L2H3" not in notice.label.text()


def test_a_closed_heads_dock_comes_back_from_the_view_menu(qtbot, window):
    dock = window.heads_dock
    assert dock.isVisible()
    dock.close()  # its title bar's close button
    assert not dock.isVisible()
    toggle = view_menu_action(window, "Heads dock")
    toggle.trigger()
    assert dock.isVisible() and toggle.isChecked()
    assert toggle.shortcut().toString() == "Ctrl+Shift+H"


@pytest.mark.parametrize("heads", [12, 16])
def test_the_heads_dock_shows_12_or_16_heads_without_scrolling_sideways(qtbot, window, heads):
    window.resize(1280, 800)
    window.controller.headMaskChanged.emit(np.ones((12, heads), dtype=np.float32))  # as a 12-layer model would
    table = window.heads_view.table
    qtbot.waitUntil(lambda: table.columnCount() == heads, timeout=5_000)
    qtbot.wait(10)  # the dock takes its new width
    assert table.horizontalScrollBar().maximum() == 0
    assert table.viewport().width() >= sum(table.columnWidth(c) for c in range(heads))
    assert window.heads_dock.width() <= 1280 // 3  # compact: the tabs keep most of the window
