"""Word mode, on or off, for every tab that shows attention between tokens: one state the main
window owns, so that the Words box of the Attention, Head view and Tokens tabs is one switch."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class WordMode(QObject):
    """Whether the views show words (WordPiece pieces joined) instead of pieces."""

    wordModeChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._on = False

    def is_on(self) -> bool:
        return self._on

    def set_on(self, on: bool) -> None:
        if on == self._on:
            return
        self._on = on
        self.wordModeChanged.emit(on)
