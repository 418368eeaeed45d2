"""The 简体中文 interface: every marked string has a translation (lupdate finds nothing
unfinished), translations keep their placeholders, a window in zh_CN shows no English label on
any tab, and View > Language is remembered and used at the next start."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

# What stays as it is in a Chinese interface: names of things (BERT, its tokens and heads, file
# formats, libraries), units and keys. Words of the input text and the model's name come on top.
ALLOWED = set(
    """BERT MLM NSP CLS SEP MASK PAD UNK GELU PCA LayerNorm WordPiece IsNext NotNext Ctrl Shift Alt
    GPU CPU CUDA SVG PNG JSON JSONL CSV TSV npz html Hub Hugging Face Logit lens rollout Dropout
    English float32 float16 bfloat16 input_ids token_type_ids position_ids attention_mask config json
    emb softmax tanh Transformer PyTorch PySide6 pyqtgraph AdamW conlleval CoNLL BIO ids Explorer base
    text label france paris cpu cuda PC1 PC2""".split()
)
WORD = re.compile(r"[A-Za-z][\w-]{2,}")  # identifiers (input_ids, float32) and names (BERT-tiny) are one word


def ts_file():
    from bertgui.i18n import FOLDER

    return FOLDER / "bertgui_zh_CN.ts"


def messages(path) -> list[tuple[str, str, str | None]]:
    """(source, translation, type) of every message in a .ts file."""
    root = ET.parse(path).getroot()
    return [
        (m.findtext("source"), m.findtext("translation") or "", m.find("translation").get("type"))
        for m in root.iter("message")
    ]


@pytest.fixture
def chinese(qapp):
    """The zh_CN translators installed for one test, and taken out after it."""
    from bertgui.i18n import ENGLISH
    from bertgui.i18n.translators import LANGUAGE_PROPERTY, install_translators

    installed = install_translators(qapp, "zh_CN")
    assert installed, "bertgui_zh_CN.qm did not load: run python -m bertgui.i18n.update"
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    qapp.setProperty(LANGUAGE_PROPERTY, ENGLISH)


def test_every_marked_string_is_translated(tmp_path):
    """lupdate, run over the sources as `python -m bertgui.i18n.update` runs it, finds no string
    without a translation: adding a tr() string without translating it fails here."""
    from bertgui.i18n.update import PACKAGE, sources, tool

    copy = tmp_path / "bertgui_zh_CN.ts"
    shutil.copy(ts_file(), copy)
    subprocess.run(
        [tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *sources(), "-ts", str(copy)],
        check=True,
        cwd=PACKAGE.parent,
        capture_output=True,
    )
    untranslated = [source for source, text, kind in messages(copy) if kind == "unfinished" or not text.strip()]
    assert untranslated == [], f"{len(untranslated)} strings have no translation yet, e.g. {untranslated[:5]}"
    assert len(messages(copy)) == len(messages(ts_file())), "the .ts is out of date: run python -m bertgui.i18n.update"


def test_the_shipped_qm_is_the_compiled_ts(tmp_path):
    from bertgui.i18n import FOLDER
    from bertgui.i18n.update import tool

    compiled = tmp_path / "check.qm"
    subprocess.run([tool("pyside6-lrelease"), str(ts_file()), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == (FOLDER / "bertgui_zh_CN.qm").read_bytes()


def test_translations_keep_their_placeholders_and_accelerators():
    for source, text, _ in messages(ts_file()):
        if (
            source
            == "Pseudo-log-likelihood {0:.2f} over {1} token{2} ({3:.2f} per token; closer to 0 = more predictable)"
        ):
            continue  # {2} is the English plural's "s"; Chinese has none
        if "label{1} left out" in source:
            continue  # the same
        assert set(re.findall(r"\{[^{}]*\}", source)) == set(re.findall(r"\{[^{}]*\}", text)), source
        if re.search(r"&[A-Za-z]", re.sub(r"&\w+;", "", source)):  # a menu accelerator, not an HTML entity
            assert re.search(r"\(&[A-Z]\)", text), (source, text)


def test_model_texts_shown_by_the_interface_are_marked():
    """The model core (no Qt) cannot mark its texts; bertgui/model_texts.py lists them."""
    from bertgui.model_texts import TEXTS
    from model.word_attention import AGGREGATIONS, HEAD_STATISTICS, WORD_RULE

    assert {WORD_RULE, *HEAD_STATISTICS.values(), *AGGREGATIONS.values()} <= set(TEXTS)


def visible_texts(window) -> list[str]:
    """Every label, button, tab, menu, heading, combo entry, placeholder and plot text shown."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QDockWidget,
        QGraphicsView,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QTabBar,
        QTableWidget,
    )

    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.title() for w in window.findChildren(QGroupBox) if w.isVisible()]
    texts += [w.windowTitle() for w in window.findChildren(QDockWidget)]
    texts += [w.placeholderText() for w in window.findChildren(QLineEdit) if w.isVisible()]
    for bar in window.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())] if bar.isVisible() else []
    for combo in window.findChildren(QComboBox):
        if combo.isVisible() and combo is not window.text_input.examples:  # example sentences are model input
            texts += [combo.itemText(i) for i in range(combo.count())]
    for table in window.findChildren(QTableWidget):
        if table.isVisible():
            headers = (table.horizontalHeaderItem(i) for i in range(table.columnCount()))
            texts += [h.text() for h in headers if h is not None]
    for widget in window.findChildren(QListWidget):
        texts += [widget.item(i).text() for i in range(widget.count())] if widget.isVisible() else []
    for menu in window.menuBar().findChildren(QMenu):
        texts += [menu.title(), *(a.text() for a in menu.actions())]
    for view in window.findChildren(QGraphicsView):
        if not view.isVisible() or view.scene() is None:
            continue
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem):
                texts.append(item.titleLabel.text)
            elif isinstance(item, pg.AxisItem) and item.isVisible():
                texts.append(item.labelText)
    return texts


def english_words(text: str, allowed: set[str]) -> list[str]:
    """The English words of a shown text, leaving out markup, code (<tt>), paths and file names."""
    plain = re.sub(r"<tt>.*?</tt>", " ", text)
    plain = re.sub(r"&\w+;", " ", re.sub(r"<[^>]+>", " ", plain))
    plain = re.sub(r"\S*/\S*|\b\w+\.\w+\b", " ", plain)
    return [
        w for w in WORD.findall(plain) if w not in allowed and w.lower() not in allowed and not w.startswith("BERT-")
    ]


def test_a_chinese_window_has_no_english_label_on_any_tab(qtbot, chinese, controller, model_folder):
    from bertgui.main_window import MainWindow

    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(model_folder, "cpu")
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        window.set_texts("the cat sat on the [MASK] .", "it was a dog .")
    r = controller.inspection
    allowed = ALLOWED | {t.strip("#").lower() for t in r.tokens} | set(WORD.findall(controller.info.name))
    assert window.tabs.tabText(0) == "词元" and window.menuBar().actions()[0].text() == "文件(&F)"
    found = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(300)  # the tab draws the inspection it was shown with
        for text in visible_texts(window):
            words = english_words(text, allowed)
            if words:
                found.setdefault(window.tabs.tabText(index), set()).update(words)
    assert found == {}, f"English left in the zh_CN interface: {found}"


def test_view_language_is_remembered_and_used_at_the_next_start(qtbot, window, tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from bertgui.i18n.translators import chosen_language
    from bertgui.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window.menus._settings = settings
    language_menu = window.menus.language_menu
    assert [a.text() for a in language_menu.actions()] == ["English", "简体中文"]
    assert [a.isChecked() for a in language_menu.actions()] == [True, False]
    language_menu.actions()[1].trigger()
    assert "next start" in window.statusBar().currentMessage() and settings.language == "zh_CN"
    notice = window.menus.language_notice
    assert notice.isVisible() and "简体中文" in notice.text()  # shown, but it blocks nothing
    notice.close()
    assert chosen_language(settings.language) == "zh_CN" and chosen_language(settings.language, "en") == "en"
    settings.language = "xx"  # a hand-edited file: ignored for the system's choice, with one line on stderr
    assert AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)).language == ""


@pytest.mark.parametrize(
    ("locale", "language"), [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_TW", "en"), ("zh_HK", "en"), ("de_DE", "en")]
)
def test_the_system_locale_chooses_the_language_at_first(monkeypatch, locale, language):
    from PySide6.QtCore import QLocale

    from bertgui.i18n import translators

    monkeypatch.setattr(QLocale, "system", lambda: QLocale(locale))
    assert translators.system_language() == language and translators.chosen_language("", None) == language
