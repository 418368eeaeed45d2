"""Spin boxes in a scrolling form: the wheel scrolls the form unless the box has the focus, and
out-of-range input is refused where the user sees it, keeping the previous value."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from bertgui.views.strict_spin_box import REFUSED_STYLE, StrictDoubleSpinBox, StrictSpinBox


def wheel_up(widget) -> QWheelEvent:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120),  # one notch up
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event


@pytest.fixture
def form(qtbot):
    """A tall scrolling form with an epochs box at the top and a line edit to move the focus to."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    page = QWidget()
    layout = QVBoxLayout(page)
    scroll.epochs = StrictSpinBox(name="Epochs", minimum=1, maximum=100, value=3)
    scroll.other = QLineEdit()
    layout.addWidget(scroll.epochs)
    layout.addWidget(scroll.other)
    layout.addSpacing(2000)
    scroll.setWidget(page)
    scroll.resize(300, 200)
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    scroll.activateWindow()
    return scroll


def test_the_wheel_over_an_unfocused_box_scrolls_the_form_not_the_value(qtbot, form):
    form.other.setFocus()
    qtbot.waitUntil(form.other.hasFocus)
    event = wheel_up(form.epochs)
    assert form.epochs.value() == 3 and not form.epochs.hasFocus()  # the wheel did not take the focus either
    # Left unaccepted: a real (spontaneous) wheel event then goes on to the scroll area around the
    # form. Qt does not pass on a synthesized one, so the test stops at the refusal.
    assert not event.isAccepted()


def test_the_wheel_changes_a_focused_box(qtbot, form):
    form.epochs.setFocus()
    qtbot.waitUntil(form.epochs.hasFocus)
    wheel_up(form.epochs)
    assert form.epochs.value() == 4


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(box, text)


def test_typing_a_number_above_the_maximum_is_refused_visibly_and_keeps_the_value(qtbot, form):
    box = form.epochs
    messages = []
    box.inputRefused.connect(messages.append)
    type_into(qtbot, box, "200")
    assert box.text() == "200" and box.is_refusing()  # shown as typed, not cut to "20"
    assert box.styleSheet() == REFUSED_STYLE and messages[-1] == "Epochs: 200 is above the maximum 100"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 3 and box.text() == "3" and box.styleSheet() == "" and not box.is_refusing()
    assert messages[-1] == "Epochs: 200 is above the maximum 100, so it stays 3"
    type_into(qtbot, box, "12")
    assert messages[-1] == "" and box.styleSheet() == ""
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 12


def test_leaving_a_refused_box_keeps_the_previous_value(qtbot, form):
    box = form.epochs
    messages = []
    box.inputRefused.connect(messages.append)
    type_into(qtbot, box, "0")
    assert messages[-1] == "Epochs: 0 is below the minimum 1"
    form.other.setFocus()
    qtbot.waitUntil(form.other.hasFocus)
    assert box.value() == 3 and messages[-1].endswith("so it stays 3")


def test_a_decimal_box_with_a_suffix_names_its_limits(qtbot):
    box = StrictDoubleSpinBox(name="Learning rate", decimals=6, minimum=1e-6, maximum=1e-2, value=1e-4)
    qtbot.addWidget(box)
    assert box.range_problem("0.05") == "Learning rate: 0.05 is above the maximum 0.010000"
    assert box.range_problem("0.005") == "" and box.range_problem("abc") == ""
    minutes = StrictSpinBox(name="Time limit", minimum=0, maximum=1440, suffix=" min")
    qtbot.addWidget(minutes)
    assert minutes.range_problem("2000 min") == "Time limit: 2000 is above the maximum 1440"
    assert minutes.validate("2000 min", 4)[0].name == "Intermediate"  # kept in the box to be seen, not typed over
