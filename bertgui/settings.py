"""What the app remembers between launches (QSettings): last model and text, recent models,
window geometry and view options.

The settings file is read at every start and may hold anything: hand edits, a copy from another
version, random bytes. So every value is checked before it is used; one that does not fit is
ignored for its default, with one line on stderr saying so, and a file Qt cannot read as settings
is moved aside, for the user to look at, and the app starts afresh.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 8
SHOWN_VALUE_CHARS = 100  # a hostile value may be megabytes long: a message shows its start

# Qt writes its INI files as UTF-8 with every control character escaped (\t, \n, \x1); a file
# holding one raw is not Qt's. Tab and line ends are let through for hand edits.
RAW_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def say_ignored(what: str, why: str, instead: str = "the default") -> None:
    print(f"bertgui: settings: ignored {what} ({why}); using {instead}", file=sys.stderr)


def shown(value: object) -> str:
    """A remembered value as a message shows it: on one line (repr escapes line breaks), and short."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS] + "…"


def as_finite_number(value: object) -> float | None:
    """A number or its text (INI files hand back text) as a float; None for anything else, for
    inf and nan, and for a number too large for a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def as_bool(value: object) -> bool | None:
    """True or False, or their text in any case; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_whole_number(value: object) -> int | None:
    """A whole number of at least 0, or its text; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def as_existing_folder(value: object) -> str | None:
    """A path to a folder that is there now (os.path.isdir only stats it); None for anything else.
    An empty path would mean the current folder, so it is none."""
    return value if isinstance(value, str) and value and os.path.isdir(value) else None


def as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def as_language(value: object) -> str | None:
    """A language the interface has (bertgui/i18n), or "" for the system's; None for anything else."""
    from .i18n import LANGUAGES

    return value if isinstance(value, str) and (value == "" or value in LANGUAGES) else None


def as_instance_of(kind: type) -> Callable[[object], object | None]:
    return lambda value: value if isinstance(value, kind) else None


def why_unreadable(settings: QSettings) -> str | None:
    """Why the settings file cannot be read as settings, or None if it can (or is not there yet).

    Qt (6.11, measured) mostly reads random bytes as an INI file of garbage keys with status()
    NoError, so the bytes are checked too: Qt writes nothing but UTF-8 without raw control characters."""
    if settings.status() == QSettings.Status.FormatError:
        return "Qt reports a format error"
    if settings.status() == QSettings.Status.AccessError:
        return "Qt cannot read it"
    path = settings.fileName()
    if not is_ini_file(settings) or not os.path.isfile(path):  # isfile: never opens a FIFO
        return None
    try:
        content = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except OSError as e:
        return f"cannot be read: {e.strerror}"
    if RAW_CONTROL_CHARACTER.search(content):
        return "holds control characters"
    return None


def is_ini_file(settings: QSettings) -> bool:
    native = settings.format() == QSettings.Format.NativeFormat
    # The native format is the registry on Windows and a property list on macOS; INI elsewhere.
    return settings.format() == QSettings.Format.IniFormat or (native and sys.platform not in ("win32", "darwin"))


def set_aside(settings: QSettings, why: str) -> None:
    """Move the unreadable settings file next to itself, where the user can look at it, and start
    from no settings; the next sync writes a fresh file."""
    path = settings.fileName()
    aside = f"{path}.broken-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        os.replace(path, aside)
    except OSError as e:
        say_ignored(path, f"{why}; could not move it aside: {e.strerror}", "the defaults")
    else:
        say_ignored(path, why, f"the defaults; the file is now {aside}")
    settings.clear()


def native_settings_file() -> Path | None:
    """Where QSettings("BERT Explorer", "BERT Explorer") keeps its INI file (Linux and other
    Unix-likes: $XDG_CONFIG_HOME/BERT Explorer/BERT Explorer.conf); None where it is not a file
    (the registry on Windows, a property list Qt reads itself on macOS)."""
    if sys.platform in ("win32", "darwin"):
        return None
    config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(config) / "BERT Explorer" / "BERT Explorer.conf" if config else None


def set_aside_if_not_a_file(path: Path) -> None:
    """QSettings reads its file on construction and blocks for ever on a FIFO: anything there that
    is not a regular file is moved aside first (a rename never opens it)."""
    if not os.path.lexists(path) or os.path.isfile(path):
        return
    aside = f"{path}.broken-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        os.replace(path, aside)
    except OSError as e:
        say_ignored(str(path), f"not a regular file; could not move it aside: {e.strerror}", "the defaults")
    else:
        say_ignored(str(path), "not a regular file", f"the defaults; it is now {aside}")


class AppSettings:
    def __init__(self, settings: QSettings | None = None):
        if settings is None and (path := native_settings_file()) is not None:
            set_aside_if_not_a_file(path)
        self._s = settings or QSettings("BERT Explorer", "BERT Explorer")
        self._said: set[tuple[str, str]] = set()  # a value read again is not reported again
        why = why_unreadable(self._s)
        if why:
            set_aside(self._s, why)

    def ignored(self, what: str, why: str, instead: str = "the default") -> None:
        """Report on stderr, once, a remembered value that does not fit and is not used."""
        if (what, why) not in self._said:
            self._said.add((what, why))
            say_ignored(what, why, instead)

    def _read(self, key: str, default, parse: Callable[[object], object | None], expected: str):
        """The value at key as parse makes it, or default when missing or not what parse expects."""
        if not self._s.contains(key):
            return default
        value = parse(self._s.value(key))
        if value is None:
            self.ignored(key, f"not {expected}")
            return default
        return value

    @property
    def last_model(self) -> str:
        return self._read("model/last", "", as_existing_folder, "an existing folder")

    @last_model.setter
    def last_model(self, path: str) -> None:
        self._s.setValue("model/last", path)
        if path:
            recent = [p for p in self.recent_models if p != path]
            self._s.setValue("model/recent", [path, *recent][:MAX_RECENT])

    @property
    def recent_models(self) -> list[str]:
        """The model folders opened last, newest first: the first MAX_RECENT entries that are
        folders still there (a folder gone, or a list of thousands, is dropped from the menu, and
        from the list written next)."""
        value = self._s.value("model/recent", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        if not isinstance(value, list):
            self.ignored("model/recent", "not a list of folders")
            return []
        recent = [p for p in value[:MAX_RECENT] if as_existing_folder(p)]  # at most MAX_RECENT look-ups
        if len(recent) < len(value):
            self.ignored(
                f"{len(value) - len(recent):,} of {len(value):,} model/recent entries",
                f"past the first {MAX_RECENT}, or not an existing folder",
                f"the {len(recent)} left",
            )
        return recent

    @property
    def export_folder(self) -> str:
        """The folder of the last export, where the next export dialog starts."""
        return self._read("files/export_folder", "", as_existing_folder, "an existing folder")

    @export_folder.setter
    def export_folder(self, folder: str) -> None:
        self._s.setValue("files/export_folder", folder)

    @property
    def text(self) -> tuple[str, str]:
        return self._read("input/text", "", as_text, "a text"), self._read("input/text_b", "", as_text, "a text")

    @text.setter
    def text(self, texts: tuple[str, str]) -> None:
        self._s.setValue("input/text", texts[0])
        self._s.setValue("input/text_b", texts[1])

    @property
    def dark(self) -> bool:
        return self._read("view/dark", False, as_bool, "true or false")

    @dark.setter
    def dark(self, on: bool) -> None:
        self._s.setValue("view/dark", "true" if on else "false")

    @property
    def language(self) -> str:
        """The interface language chosen in View > Language: "en", "zh_CN", or "" (the system's)."""
        return self._read("view/language", "", as_language, "en or zh_CN")

    @language.setter
    def language(self, code: str) -> None:
        self._s.setValue("view/language", code)

    @property
    def tab(self) -> int:
        """The tab shown last, a whole number; the window checks that it has that tab."""
        return self._read("view/tab", 0, as_whole_number, "a tab number")

    @tab.setter
    def tab(self, index: int) -> None:
        self._s.setValue("view/tab", index)

    def view_options(self, view: str) -> dict:
        """A view's own options (checkboxes, modes), as it last saved them; the view checks each."""
        return self._read(f"view/{view}", {}, as_instance_of(dict), "a set of options")

    def set_view_options(self, view: str, options: dict) -> None:
        self._s.setValue(f"view/{view}", options)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The saved geometry and state, each None if missing or not even bytes; the window
        checks that the bytes are its own."""
        return (
            self._read("window/geometry", None, as_instance_of(QByteArray), "a saved geometry"),
            self._read("window/state", None, as_instance_of(QByteArray), "a saved window state"),
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def sync(self) -> None:
        self._s.sync()
