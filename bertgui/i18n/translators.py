"""Installing the chosen language's translators, before the window is built."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from . import ENGLISH, FOLDER, LANGUAGES

LANGUAGE_PROPERTY = "bertgui_language"  # the application's property naming the language it shows


def system_language() -> str:
    """The language of the system's locale if the interface has it, else English."""
    name = QLocale.system().name()  # e.g. zh_CN, en_US
    if name in LANGUAGES:
        return name
    traditional = any(
        region in name for region in ("TW", "HK", "MO", "Hant")
    )  # the interface is in simplified characters
    return "zh_CN" if name.startswith("zh") and not traditional else ENGLISH


def chosen_language(remembered: str, asked: str | None = None) -> str:
    """The language to start in: asked on the command line, else remembered, else the system's."""
    return asked or remembered or system_language()


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's translation and Qt's own (standard dialogs, context menus) for `language`;
    nothing for English. Returns them, to be kept alive as long as the app."""
    app.setProperty(LANGUAGE_PROPERTY, language)
    if language == ENGLISH:
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(str(FOLDER / f"bertgui_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
