"""`python -m bertgui.i18n.update`: collect the interface's strings into bertgui_zh_CN.ts
(pyside6-lupdate keeps the translations already there and marks new strings unfinished), then
compile the translated ones into bertgui_zh_CN.qm (pyside6-lrelease). Translate new entries in
the .ts (Qt Linguist, or by hand) and run it again."""

from __future__ import annotations

import shutil
import subprocess
import sys

from . import FOLDER, LANGUAGES

PACKAGE = FOLDER.parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py") if "i18n" not in p.parts)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"error: {name} not found: it comes with PySide6 (pip install PySide6)")
    return found


def main() -> int:
    for language in LANGUAGES:
        if language == "en":
            continue
        ts = FOLDER / f"bertgui_{language}.ts"
        subprocess.run(
            [tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *sources(), "-ts", str(ts)],
            check=True,
            cwd=PACKAGE.parent,
        )
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
