"""The interface's languages: English, the source text, and Simplified Chinese, a Qt translation
(bertgui_zh_CN.ts, compiled to bertgui_zh_CN.qm beside it by `python -m bertgui.i18n.update`).

Every user-visible string goes through Qt's translation system (`self.tr()` in a QObject,
`QCoreApplication.translate(context, text)` elsewhere, `QT_TRANSLATE_NOOP` for tables of texts
translated where they are shown), so a translator installed before the window is built turns
the whole interface into its language.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
ENGLISH = "en"
LANGUAGES = {ENGLISH: "English", "zh_CN": "简体中文"}  # code -> the language's own name, as the menu shows it
