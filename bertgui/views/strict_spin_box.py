"""Spin boxes that behave in a scrolling form: the mouse wheel scrolls the form unless the box has
the keyboard focus, and a typed number out of range is shown as refused (red frame, a message
naming the limit) and leaves the previous value, instead of being cut to fit ("200" in a box
that stops at 100 silently becoming "20")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

REFUSED_STYLE = "QAbstractSpinBox { border: 2px solid #dc2626; border-radius: 3px; }"


class _Strict:
    """The shared behaviour; the Qt classes below add their signal (a mixin cannot hold one)."""

    def _make_strict(self, name: str) -> None:
        self.name = name  # how messages name the field: "Epochs: 200 is above the maximum 100"
        self._refused_text = ""  # the out-of-range text being typed, "" if none
        # Focus by click or Tab only: the default (wheel focus) would let a passing scroll grab it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # The value changes when typing ends (Enter, leaving the box), so the previous value an
        # out-of-range number goes back to is the one before the typing, not "20" on the way to "200".
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textEdited.connect(self._on_line_edit_text_edited)
        self.editingFinished.connect(self._on_editing_finished)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # goes on to the scroll area around the form

    def validate(self, text: str, pos: int):
        state, text, pos = super().validate(text, pos)
        if state == QValidator.State.Invalid and self._typed_number(text) is not None:
            # A number, only out of range: let it stand in the box (refused, see below), not dropped.
            state = QValidator.State.Intermediate
        return state, text, pos

    def _typed_number(self, text: str) -> float | None:
        core = text
        if self.prefix() and core.startswith(self.prefix()):
            core = core[len(self.prefix()) :]
        if self.suffix() and core.endswith(self.suffix()):
            core = core[: -len(self.suffix())]
        number, ok = self.locale().toDouble(core.strip())
        return number if ok else None

    def range_problem(self, text: str) -> str:
        """'Epochs: 200 is above the maximum 100', or "" when the text is a number in range (or no number)."""
        number = self._typed_number(text)
        if number is None:
            return ""
        shown = self.locale().toString(number, "g", 12) if isinstance(self, QDoubleSpinBox) else str(int(number))
        if number > self.maximum():
            return self.tr("{0}: {1} is above the maximum {2}").format(
                self.name, shown, self.textFromValue(self.maximum())
            )
        if number < self.minimum():
            return self.tr("{0}: {1} is below the minimum {2}").format(
                self.name, shown, self.textFromValue(self.minimum())
            )
        return ""

    def _on_line_edit_text_edited(self, text: str) -> None:
        problem = self.range_problem(text)
        self._refused_text = text if problem else ""
        self.setStyleSheet(REFUSED_STYLE if problem else "")
        self.inputRefused.emit(problem)

    def _on_editing_finished(self) -> None:
        """Enter or leaving the box: an out-of-range number went back to the previous value; say so."""
        if not self._refused_text:
            return
        problem = self.range_problem(self._refused_text)
        self._refused_text = ""
        self.setStyleSheet("")
        self.inputRefused.emit(self.tr("{0}, so it stays {1}").format(problem, self.text()))

    def is_refusing(self) -> bool:
        """An out-of-range number is in the box now (it has not been left yet)."""
        return bool(self._refused_text)


class StrictSpinBox(_Strict, QSpinBox):
    inputRefused = Signal(str)  # a message naming the field and the limit; "" when the input is fine again

    def __init__(self, parent: QWidget | None = None, *, name: str | None = None, **kwargs):
        super().__init__(parent, **kwargs)
        self._make_strict(name or self.tr("This field"))


class StrictDoubleSpinBox(_Strict, QDoubleSpinBox):
    inputRefused = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, name: str | None = None, **kwargs):
        super().__init__(parent, **kwargs)
        self._make_strict(name or self.tr("This field"))
