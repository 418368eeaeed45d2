"""A view's remembered options: the values of its controls as a plain dict for QSettings, and back.

QSettings (INI on Linux) may hand every value back as a string, so values are converted by the kind
of control they return to; anything that no longer fits (a renamed mode, a hand-edited file) is
skipped and the control keeps its current value.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget


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


def set_control_values(controls: dict[str, QWidget], values: dict) -> None:
    for name, control in controls.items():
        if name not in values:
            continue
        value = values[name]
        try:
            if isinstance(control, QCheckBox):
                control.setChecked(str(value).lower() == "true")
            elif isinstance(control, QSpinBox):
                control.setValue(int(float(value)))
            elif isinstance(control, QDoubleSpinBox):
                control.setValue(float(value))
            elif isinstance(control, QComboBox):
                index = control.findData(value)
                if index < 0:
                    index = control.findText(str(value))
                if index >= 0:
                    control.setCurrentIndex(index)
            elif isinstance(control, QLineEdit):
                control.setText(str(value))
        except (TypeError, ValueError):
            continue
