"""`bertgui --install-desktop-entry`: put BERT Explorer in the Linux desktop's application menu.

Writes a freedesktop.org desktop entry and the app's icon under $XDG_DATA_HOME (default
~/.local/share), where desktops look for the user's own applications; nothing needs root.
Pure Python, no Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from model.atomic import atomic_write_bytes, atomic_write_text
from model.resource_paths import resources_folder

APP_ID = "bertgui"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def entry_paths(home: Path | None = None) -> tuple[Path, Path]:
    """Where the desktop entry and the icon go."""
    home = home or data_home()
    return (
        home / "applications" / f"{APP_ID}.desktop",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    )


def launch_command() -> str:
    """The Exec line: this Python running this installation's app, whichever way it was installed
    (a checkout's main.py, or the installed package), so the menu starts what the user tried."""
    checkout_main = Path(__file__).resolve().parent.parent / "main.py"
    target = [str(checkout_main)] if checkout_main.is_file() else ["-m", APP_ID]
    return " ".join(_quoted(part) for part in [sys.executable, *target])


def _quoted(argument: str) -> str:
    """An Exec argument as the Desktop Entry Specification quotes it."""
    if not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def desktop_entry(icon: Path) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=BERT Explorer\n"
        "GenericName=BERT model inspector\n"
        "Comment=Look inside a BERT: tokens, embeddings, attention, fill-mask and fine-tuning, offline\n"
        f"Exec={launch_command()}\n"
        f"Icon={icon}\n"
        "Terminal=false\n"
        "Categories=Education;Science;ArtificialIntelligence;\n"
        "Keywords=BERT;transformer;attention;NLP;machine learning;\n"
        "StartupWMClass=bertgui\n"
    )


def install(home: Path | None = None) -> tuple[Path, Path]:
    """Write the icon and the entry (each atomically) and return their paths."""
    entry, icon = entry_paths(home)
    atomic_write_bytes(icon, (resources_folder() / "icons" / f"{APP_ID}.svg").read_bytes())
    atomic_write_text(entry, desktop_entry(icon))
    return entry, icon


def remove(home: Path | None = None) -> list[Path]:
    """Delete what install wrote; returns the files that were there."""
    removed = []
    for path in entry_paths(home):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
