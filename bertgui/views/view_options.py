"""A view's remembered options: the values of its controls as a plain dict for QSettings, and back.

QSettings (INI on Linux) may hand every value back as a string, so values are converted by the kind
of control they return to. Anything that does not fit its control (a renamed mode, a hand-edited or
damaged file: inf, nan, a number out of the control's range, text for a number) is ignored with one
line on stderr, and the control keeps its current value.
"""

from __future__ import annotations

import os
from collections.abc import Collection

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from ..settings import as_bool, as_finite_number, say_ignored, shown


def control_values(controls: dict[str, QWidget]) -> dict:
    values = {}
    for name, control in controls.items():
        if isinstance(control, QCheckBox):
            values[name] = control.isChecked()
        elif isinstance(control, (QSpinBox, QDoubleSpinBox)):
            values[name] = control.value()
        elif isinstance(control, QComboBox):
            data = control.currentData()
            values[name] = data if data is not None else control.currentText()
        elif isinstance(control, QLineEdit):
            values[name] = control.text()
    return values


def set_control_values(controls: dict[str, QWidget], values: dict, files: Collection[str] = ()) -> None:
    """Set each control to its value in values where that fits it. files names the line edits that
    hold a file the app will read: a path there that is no regular file is ignored too."""
    for name, control in controls.items():
        if name not in values:
            continue
        value = values[name]
        why = set_control_value(control, value, is_file=name in files)
        if why:
            say_ignored(f"option {name}={shown(value)}", why)


def set_control_value(control: QWidget, value: object, is_file: bool = False) -> str | None:
    """Set the control to value; if value does not fit it, leave it and say why."""
    if isinstance(control, QCheckBox):
        return set_checked(control, value)
    if isinstance(control, QSpinBox):
        return set_whole_number(control, value)
    if isinstance(control, QDoubleSpinBox):
        return set_number(control, value)
    if isinstance(control, QComboBox):
        return set_choice(control, value)
    if isinstance(control, QLineEdit):
        return set_text(control, value, is_file)
    return None


def set_checked(box: QCheckBox, value: object) -> str | None:
    checked = as_bool(value)
    if checked is None:
        return "not true or false"
    box.setChecked(checked)
    return None


def set_whole_number(box: QSpinBox, value: object) -> str | None:
    # Out of range is ignored rather than clamped: 1e999 epochs is no wish for the most epochs.
    number = as_finite_number(value)
    if number is None or not number.is_integer() or not box.minimum() <= number <= box.maximum():
        return f"not a whole number from {box.minimum()} to {box.maximum()}"
    box.setValue(int(number))
    return None


def set_number(box: QDoubleSpinBox, value: object) -> str | None:
    number = as_finite_number(value)
    if number is None or not box.minimum() <= number <= box.maximum():
        return f"not a number from {box.minimum():g} to {box.maximum():g}"
    box.setValue(number)
    return None


def set_choice(box: QComboBox, value: object) -> str | None:
    index = box.findData(value)
    if index < 0:
        index = box.findText(str(value))
    if index < 0:
        return "not one of its choices"
    box.setCurrentIndex(index)
    return None


def set_text(edit: QLineEdit, value: object, is_file: bool) -> str | None:
    if not isinstance(value, str):
        return "not a text"
    # Reading a FIFO or a device could block the reader for good. A path not there (yet) is kept
    # as typed; whoever reads it checks again.
    if is_file and os.path.exists(value) and not os.path.isfile(value):
        return "not a regular file"
    edit.setText(value)
    return None


class RemembersControls:
    """Mixed into a view (before QWidget) whose controls are remembered across launches: the view
    names them in remembered_controls(), and those holding a file the app reads in FILE_CONTROLS."""

    FILE_CONTROLS: tuple[str, ...] = ()

    def remembered_controls(self) -> dict[str, QWidget]:
        raise NotImplementedError

    def options(self) -> dict:
        """What the user chose, for the settings."""
        return control_values(self.remembered_controls())

    def set_options(self, options: dict) -> None:
        set_control_values(self.remembered_controls(), options, files=self.FILE_CONTROLS)
