"""What the app remembers between launches (QSettings): last model and text, recent models,
window geometry and view options."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    def __init__(self, settings: QSettings | None = None):
        self._s = settings or QSettings("BERT Explorer", "BERT Explorer")

    def _get(self, key: str, default, kind):
        value = self._s.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):  # a hand-edited or corrupt settings file must not stop the app
            return default

    @property
    def last_model(self) -> str:
        return self._get("model/last", "", str)

    @last_model.setter
    def last_model(self, path: str) -> None:
        self._s.setValue("model/last", path)
        if path:
            recent = [p for p in self.recent_models if p != path]
            self._s.setValue("model/recent", [path, *recent][:MAX_RECENT])

    @property
    def recent_models(self) -> list[str]:
        value = self._s.value("model/recent", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or []]

    @property
    def text(self) -> tuple[str, str]:
        return self._get("input/text", "", str), self._get("input/text_b", "", str)

    @text.setter
    def text(self, texts: tuple[str, str]) -> None:
        self._s.setValue("input/text", texts[0])
        self._s.setValue("input/text_b", texts[1])

    @property
    def dark(self) -> bool:
        return self._get("view/dark", "false", str).lower() == "true"

    @dark.setter
    def dark(self, on: bool) -> None:
        self._s.setValue("view/dark", "true" if on else "false")

    @property
    def tab(self) -> int:
        return self._get("view/tab", 0, int)

    @tab.setter
    def tab(self, index: int) -> None:
        self._s.setValue("view/tab", index)

    def view_options(self, view: str) -> dict:
        """A view's own options (checkboxes, modes), as it last saved them."""
        value = self._s.value(f"view/{view}", {})
        return value if isinstance(value, dict) else {}

    def set_view_options(self, view: str, options: dict) -> None:
        self._s.setValue(f"view/{view}", options)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self._s.value("window/geometry"), self._s.value("window/state")

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def sync(self) -> None:
        self._s.sync()
