"""Model > Explore a size: the dialog asks the model worker for each size and shows its parameters
per component; a size no BERT can have is one line, and the last good table stays."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture
def explorer(qtbot, controller):
    from bertgui.views.size_explorer import SizeExplorer

    with qtbot.waitSignal(controller.sizeMeasured, timeout=30_000):  # the first size, asked at once
        e = SizeExplorer(controller)
    qtbot.addWidget(e)
    return e


def table_rows(explorer) -> dict[str, tuple[str, str, str]]:
    t = explorer.table
    return {t.item(r, 0).text(): tuple(t.item(r, c).text() for c in (1, 2, 3)) for r in range(t.rowCount())}


def transformers_total(config) -> int:
    import torch
    import transformers

    hf_config = transformers.BertConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_position_embeddings,
    )
    with torch.device("meta"):
        return sum(p.numel() for p in transformers.BertForPreTraining(hf_config).parameters())


def test_base_shows_the_total_of_transformers_bert_for_pretraining(qtbot, controller, explorer, monkeypatch):
    import model.sizes

    threads = []
    measure = model.sizes.size_report
    monkeypatch.setattr(
        model.sizes, "size_report", lambda *a: threads.append(threading.current_thread()) or measure(*a)
    )
    with qtbot.waitSignal(controller.sizeMeasured, timeout=30_000):
        explorer.choose("base")
    qtbot.waitUntil(lambda: explorer.report is not None and explorer.report.name == "BERT-base")
    assert threads and threading.main_thread() not in threads  # torch ran on the worker, not here
    total = transformers_total(explorer.report.config)
    assert total == 110_106_428  # Google's 30,522-token vocabulary: no model was loaded
    rows = table_rows(explorer)
    assert rows["total"][1] == f"{total:,}"
    assert rows["layer 11 attention"][0].startswith("query (768, 768), key (768, 768)")
    assert "decoder = word_embeddings (shared)" in rows["masked-LM head"][0]
    assert len(rows) == 1 + 24 + 3 + 1
    summary = explorer.summary.text()
    assert "<b>110,106,428</b>" in summary and "encoder with its pooler holds 109,482,240" in summary
    assert "the 110M of BERT-base is its encoder with its pooler, 109,482,240" in summary
    assert "the 340M of BERT-large is its encoder with its pooler, 335,141,888" in summary
    assert "420.0 MB in fp32" in explorer.memory.text()  # 110,106,428 x 4 bytes


def test_a_hidden_size_the_heads_do_not_divide_is_one_line_and_the_table_stays(qtbot, controller, explorer):
    with qtbot.waitSignal(controller.sizeMeasured, timeout=30_000):
        explorer.choose("base")
    qtbot.waitUntil(lambda: explorer.report is not None and explorer.report.name == "BERT-base")
    before = table_rows(explorer)
    explorer.spins["hidden_size"].setValue(100)  # 12 heads
    assert explorer.preset.currentData() == "custom"
    message = explorer.message.text()
    assert "hidden size 100 is not a multiple of heads 12" in message and "\n" not in message
    assert "the table still shows BERT-base" in message
    qtbot.wait(200)  # nothing was asked, so nothing comes to change the table
    assert table_rows(explorer) == before and explorer.report.name == "BERT-base"
    with qtbot.waitSignal(controller.sizeMeasured, timeout=30_000):
        explorer.spins["num_attention_heads"].setValue(10)  # 100 / 10: a custom size it builds
    qtbot.waitUntil(lambda: explorer.report.name == "custom")
    assert explorer.message.text() == ""
    assert table_rows(explorer)["total"][1] == f"{transformers_total(explorer.report.config):,}"


def test_a_sequence_longer_than_the_positions_is_refused_in_one_line(qtbot, explorer):
    explorer.tokens.setValue(600)
    assert "sequence length: 600 tokens must be from 1 to the 512 positions" in explorer.message.text()


def test_the_model_menu_opens_one_non_modal_dialog_with_the_loaded_vocabulary(qtbot, window):
    from PySide6.QtWidgets import QDialog

    model_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Model")
    entry = next(a for a in model_menu.actions() if a.text() == "Explore a &size…")
    with qtbot.waitSignal(window.controller.sizeMeasured, timeout=30_000):
        entry.trigger()
    dialog = window.findChild(QDialog)
    assert dialog.isVisible() and not dialog.isModal()
    explorer = window.menus.size_explorer
    vocab = window.controller.info.config.vocab_size
    assert explorer.loaded_vocab.text() == f"Loaded model's ({vocab:,})"
    qtbot.waitUntil(lambda: explorer.report is not None)
    assert explorer.report.config.vocab_size == vocab  # sizes start with the loaded vocabulary
    with qtbot.waitSignal(window.controller.sizeMeasured, timeout=30_000):
        explorer.google_vocab.click()
    qtbot.waitUntil(lambda: explorer.report.config.vocab_size == 30522)
    with qtbot.waitSignal(window.controller.sizeMeasured, timeout=30_000):
        explorer.loaded_vocab.click()
    qtbot.waitUntil(lambda: explorer.report.config.vocab_size == vocab)
    assert window.menus.show_size_explorer() is dialog  # asked again: the same dialog, brought forward
