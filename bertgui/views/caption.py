"""A "how to read this tab" caption above each tab's view, which the reader can hide (and bring
back), and the tab widget that places one above every view and remembers which are hidden."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from ..settings import as_bool, say_ignored, shown
from ..tab_guide import tab_key

SHOW_TEXT = QT_TRANSLATE_NOOP("caption", "? How to read this tab")


class CaptionBar(QFrame):
    """Two or three sentences on how to read a tab, in the palette's note colours (tooltip
    colours, so they stay readable in every palette); Hide folds it to one small button."""

    collapsedChanged = Signal(bool)

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.hide_button = QToolButton()
        self.hide_button.setText(self.tr("Hide"))
        self.hide_button.setAutoRaise(True)
        self.hide_button.setToolTip(self.tr("Hide this explanation; the button that takes its place brings it back"))
        self.show_button = QToolButton()
        self.show_button.setText(QCoreApplication.translate("caption", SHOW_TEXT))
        self.show_button.setAutoRaise(True)
        self.show_button.setToolTip(
            self.tr("Show the explanation of this tab again (Help > Tab guide has every tab's)")
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.hide_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.hide_button.clicked.connect(lambda: self.set_collapsed(True))
        self.show_button.clicked.connect(lambda: self.set_collapsed(False))
        self._collapsed = True  # so that the first set_collapsed lays the bar out
        self.set_collapsed(False)

    def is_collapsed(self) -> bool:
        return self._collapsed

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed == self._collapsed:
            return
        self._collapsed = collapsed
        self.label.setVisible(not collapsed)
        self.hide_button.setVisible(not collapsed)
        self.show_button.setVisible(collapsed)
        # Expanded, a note on its own background; folded, only the small button, on the window's.
        self.setAutoFillBackground(not collapsed)
        self.setFrameShape(QFrame.Shape.NoFrame if collapsed else QFrame.Shape.StyledPanel)
        self.layout().setContentsMargins(*((0, 0, 0, 0) if collapsed else (8, 4, 4, 4)))
        self.collapsedChanged.emit(collapsed)


class CaptionedTabs(QTabWidget):
    """Tabs whose pages are a caption above a view. widget(), currentWidget(), indexOf() and
    setCurrentWidget() speak of the views, as with a plain QTabWidget of views, so that callers
    (the window, the menus, tests) need not know about the captions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._views: list[QWidget] = []
        self.captions: dict[str, CaptionBar] = {}  # by tab key ("head-view")

    def add_captioned_tab(self, view: QWidget, name: str, caption: str) -> CaptionBar:
        bar = CaptionBar(caption)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(bar)
        layout.addWidget(view, 1)
        self.addTab(page, name)
        self._views.append(view)
        self.captions[tab_key(name)] = bar
        return bar

    def caption(self, index: int) -> CaptionBar:
        return self.captions[tab_key(self.tabText(index))]

    def widget(self, index: int) -> QWidget | None:
        return self._views[index] if 0 <= index < len(self._views) else super().widget(index)

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:
        return self._views.index(widget) if widget in self._views else super().indexOf(widget)

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(widget))

    # --- remembered between launches, as a view's options are (bertgui/window_state.py) ------

    def options(self) -> dict:
        return {key: bar.is_collapsed() for key, bar in self.captions.items()}

    def set_options(self, options: dict) -> None:
        """Fold the captions the reader folded last time; a value that is not true or false, or a
        tab that is no more, is ignored with one line on stderr."""
        for key, value in options.items():
            collapsed = as_bool(value)
            if key not in self.captions:
                say_ignored(f"caption option {shown(key)}", "there is no such tab", "nothing")
            elif collapsed is None:
                say_ignored(f"caption option {key}={shown(value)}", "not true or false")
            else:
                self.captions[key].set_collapsed(collapsed)
