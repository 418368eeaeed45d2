"""The main window driven as a user would: typing, choosing a head, reading predictions."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt


def type_and_wait(qtbot, window, text, text_b=""):
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == text):
        window.text_b.setText(text_b)
        window.text_a.clear()
        if text.isascii():
            qtbot.keyClicks(window.text_a, text)  # as a user types, one key at a time
        else:
            window.text_a.setText(text)  # QTest cannot type emoji


def test_typing_shows_tokens_as_chips(qtbot, window):
    type_and_wait(qtbot, window, "the cat sits", "a dog")
    chips = window.tokens_view.chips()
    assert [c.index for c in chips] == list(range(9))  # [CLS] the cat sit ##s [SEP] a dog [SEP]
    assert "sit" in chips[3].text() and "##s" in chips[4].text()
    assert "segment B" in chips[6].toolTip() and "segment A" in chips[2].toolTip()
    table = window.tokens_view.inputs_table  # the numbers the model receives, a column per token
    r = window.controller.inspection
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == r.tokens
    assert [int(table.item(0, c).text()) for c in range(9)] == r.input_ids.tolist()
    assert [int(table.item(1, c).text()) for c in range(9)] == [0] * 6 + [1] * 3  # token_type_ids
    assert [int(table.item(2, c).text()) for c in range(9)] == list(range(9))  # position_ids


def test_truncation_and_unknown_notices(qtbot, window):
    type_and_wait(qtbot, window, "the cat 😀 " + "x " * 60)
    assert window.tokens_view._notice.isVisible()
    assert "cut" in window.tokens_view._notice.text() and "[UNK]" in window.tokens_view._notice.text()


def test_attention_grid_and_large_view(qtbot, window):
    window.tabs.setCurrentWidget(window.attention_view)
    type_and_wait(qtbot, window, "the cat sat on the mat")
    view = window.attention_view
    assert len(view._thumbs) == 2 and len(view._thumbs[0]) == 4
    qtbot.waitExposed(view.grid)
    thumbnail = view._thumb_boxes[1][3]
    centre = view.grid.mapFromScene(thumbnail.sceneBoundingRect().center())
    with qtbot.waitSignal(view.headSelected, timeout=5_000) as clicked:
        qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert clicked.args == [1, 3]
    r = window.controller.inspection
    np.testing.assert_array_equal(view.image.image, r.attentions[1, 3])  # what the large plot draws
    assert view.plot.titleLabel.text == "layer 1, head 3"
    assert view.outlined_heads() == [(1, 3)]
    matrix, keep = view.current_matrix()
    view.hide_special.setChecked(True)
    matrix, keep = view.current_matrix()
    assert len(keep) == len(r.tokens) - 2 and np.allclose(matrix.sum(1), 1, atol=1e-5)
    view.head_combo.setCurrentIndex(0)  # the mean of the heads
    view.hide_special.setChecked(False)
    assert np.allclose(view.current_matrix()[0], r.attentions[1].mean(0))
    view.mode_combo.setCurrentIndex(1)  # rollout
    assert np.allclose(view.current_matrix()[0].sum(1), 1, atol=1e-5)


def test_fill_mask_table_lists_predictions(qtbot, window):
    window.tabs.setCurrentWidget(window.fill_mask_view)
    type_and_wait(qtbot, window, "the [MASK] sat on the [MASK]")
    view = window.fill_mask_view
    assert view.mask_combo.count() == 2 and view.table.rowCount() == 10
    probabilities = [float(view.table.item(i, 1).text()) for i in range(10)]
    assert probabilities == sorted(probabilities, reverse=True)


def test_bad_model_folder_shows_a_dialog_and_keeps_the_model(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("bertgui.main_window.QMessageBox.warning", lambda *args: shown.append(args[2]))
    with qtbot.waitSignal(window.controller.modelLoadFailed, timeout=30_000):
        window.controller.load_model(str(tmp_path))
    assert shown and "config.json" in shown[0]
    assert window.model_label.text().startswith(window.controller.info.name + ": 2 layers")  # still in use


def test_unticking_a_head_switches_it_off_everywhere(qtbot, window):
    from PySide6.QtCore import Qt

    type_and_wait(qtbot, window, "the cat [MASK] on the mat")
    window.tabs.setCurrentWidget(window.fill_mask_view)

    def shown_predictions():
        table = window.fill_mask_view.table
        return [(table.item(i, 0).text(), table.item(i, 1).text()) for i in range(table.rowCount())]

    before = shown_predictions()
    scores_before = [p.score for p in window.controller.inspection.fill_mask[0].predictions]
    item = window.heads_view.table.item(1, 2)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        item.setCheckState(Qt.CheckState.Unchecked)
    r = window.controller.inspection
    assert r.head_mask[1, 2] == 0 and r.attentions[1, 2].max() == 0
    assert "L1H2" in window.heads_view.off_label.text()
    assert [p.score for p in r.fill_mask[0].predictions] != scores_before  # the prediction changed
    attention = window.attention_view
    window.tabs.setCurrentWidget(attention)
    attention.select(1, 2)  # the switched-off head, large: says so, on the usual 0..1 scale
    assert attention.plot.titleLabel.text == "layer 1, head 2 (switched off: no attention)"
    assert tuple(attention.image.levels) == (0.0, 1.0)
    attention.head_combo.setCurrentIndex(0)  # the layer's mean counts it
    assert attention.plot.titleLabel.text == "layer 1, mean of heads (1 switched off)"
    # The table shows the new inspection (the tiny random test model moves the scores by less
    # than the table's three decimals, so compare with what it should show).
    assert shown_predictions() == [(p.token, f"{p.score:.3f}") for p in r.fill_mask[0].predictions]
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        qtbot.mouseClick(window.heads_view.reset_button, Qt.MouseButton.LeftButton)
    assert window.controller.inspection.head_mask.all()
    assert window.heads_view.table.item(1, 2).checkState() == Qt.CheckState.Checked
    assert shown_predictions() == before  # and back after the reset


def test_double_clicking_a_token_masks_it(qtbot, window):
    from PySide6.QtCore import Qt

    type_and_wait(qtbot, window, "the cat sat", "a dog")
    chip = window.tokens_view.chips()[6]  # [CLS] the cat sat [SEP] a dog [SEP]: "dog", in sentence B
    with qtbot.waitSignal(
        window.controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text_b == "a [MASK]"
    ):
        qtbot.mouseDClick(chip, Qt.MouseButton.LeftButton)
    window.tabs.setCurrentWidget(window.fill_mask_view)
    assert window.fill_mask_view.mask_combo.count() == 1
    (mask,) = window.controller.inspection.fill_mask
    assert window.controller.inspection.tokens[mask.index] == "[MASK]"
    table = window.fill_mask_view.table
    assert [table.item(i, 0).text() for i in range(table.rowCount())] == [p.token for p in mask.predictions]


def test_embeddings_hidden_states_nsp_and_model_views(qtbot, window):
    type_and_wait(qtbot, window, "the cat sat", "a dog ran")
    r = window.controller.inspection
    assert window.embeddings_view.images["sum"].image is None  # hidden tabs draw when shown
    for view in (window.embeddings_view, window.hidden_states_view, window.nsp_view):
        window.tabs.setCurrentWidget(view)
    T = len(r.tokens)
    assert window.embeddings_view.images["sum"].image.shape == (T, 32)
    assert window.embeddings_view.similarity.image.shape == (40, 40)
    x, y = window.embeddings_view.norm_curves["token"].getData()
    assert np.allclose(y, np.linalg.norm(r.token_embeddings, axis=1))
    view = window.hidden_states_view
    view.slider.setValue(2)
    px, py = view.points.getData()
    assert len(px) == T and np.isfinite(px).all() and np.isfinite(py).all()
    assert "after L1" in view.layer_label.text()
    assert "P(IsNext)" in window.nsp_view.label.text() and not window.nsp_view.bars.isHidden()
    rows = window.model_view.params_table.rowCount()
    assert rows >= 2 + 2 * 2 and window.model_view.params_table.item(rows - 1, 0).text() == "total"


def test_settings_remember_text_model_tab_and_recent(qtbot, controller, model_folder, tmp_path):
    from PySide6.QtCore import QSettings

    from bertgui.main_window import MainWindow
    from bertgui.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(controller, settings=settings)
    qtbot.addWidget(w)
    with qtbot.waitSignal(controller.inspectionReady, timeout=30_000):
        controller.load_model(model_folder, "cpu")
    w.set_texts("the cat", "a dog")
    w.tabs.setCurrentIndex(2)
    w.attention_view.hide_special.setChecked(True)
    w.attention_view.mode_combo.setCurrentIndex(1)
    w.head_lines_view.threshold_spin.setValue(0.125)
    w.head_lines_view.hide_special.setChecked(True)
    w.fill_mask_view.score_all.setChecked(True)
    w.finetune_view.form.task.setCurrentIndex(1)  # continued pretraining
    w.finetune_view.form.train_edit.setText(str(tmp_path / "notes.txt"))
    w.finetune_view.form.out_edit.setText(str(tmp_path / "out"))
    w.finetune_view.form.batch.setValue(48)
    w.finetune_view.form.freeze_embeddings.setChecked(True)
    w.close()
    again = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert again.text == ("the cat", "a dog") and again.tab == 2
    assert again.last_model == model_folder and again.recent_models == [model_folder]
    assert again.window_state()[0] is not None
    restored = MainWindow(controller, settings=again)
    qtbot.addWidget(restored)
    assert restored.attention_view.hide_special.isChecked()
    assert restored.attention_view.mode_combo.currentData() == "rollout" and restored.tabs.currentIndex() == 2
    assert (
        restored.head_lines_view.threshold_spin.value() == 0.125 and restored.head_lines_view.hide_special.isChecked()
    )
    assert restored.fill_mask_view.score_all.isChecked()
    ft = restored.finetune_view.form
    assert ft.is_pretraining() and ft.train_edit.text() == str(tmp_path / "notes.txt")
    assert ft.out_edit.text() == str(tmp_path / "out") and ft.batch.value() == 48 and ft.freeze_embeddings.isChecked()


def test_a_corrupt_settings_file_leaves_the_controls_as_they_were(qtbot, controller, tmp_path):
    from PySide6.QtCore import QSettings

    from bertgui.main_window import MainWindow
    from bertgui.settings import AppSettings

    (tmp_path / "settings.ini").write_text("[view]\nhead_lines=@Invalid()\nfill_mask=12\nfinetune=@Variant(garbage)\n")
    w = MainWindow(
        controller, settings=AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(w)
    assert w.head_lines_view.threshold_spin.value() > 0 and not w.fill_mask_view.score_all.isChecked()


def test_dark_palette_reaches_the_plots(qtbot, window):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from bertgui.palette import apply_palette

    def plot_colours():
        canvas = window.attention_view.large
        axis = window.attention_view.plot.getAxis("left")
        return canvas.backgroundBrush().color().name(), axis.textPen().color().name()

    try:
        window.dark_action.trigger()
        qtbot.waitUntil(lambda: plot_colours()[0] == "#161b22", timeout=5_000)
        assert plot_colours()[1] == QApplication.palette().color(QPalette.ColorRole.Text).name() == "#e6edf3"
        assert window.hidden_states_view.plot.backgroundBrush().color().name() == "#161b22"
        window.dark_action.trigger()
        light = QApplication.palette()
        qtbot.waitUntil(lambda: plot_colours()[0] == light.color(QPalette.ColorRole.Base).name(), timeout=5_000)
        assert plot_colours()[1] == light.color(QPalette.ColorRole.Text).name()
    finally:
        apply_palette(QApplication.instance(), dark=False)


def test_export_view_and_arrays(qtbot, window, tmp_path, monkeypatch):
    window.tabs.setCurrentWidget(window.attention_view)
    type_and_wait(qtbot, window, "the cat sat")
    window.export_widget(window.attention_view, str(tmp_path / "a.png"))
    window.export_widget(window.attention_view, str(tmp_path / "a.svg"))
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()[:2000]
    for kind in ("png", "svg"):  # a name typed without the extension the dialog offered gets it
        monkeypatch.setattr(
            "bertgui.menus.QFileDialog.getSaveFileName",
            lambda *args, kind=kind: (str(tmp_path / f"typed-{kind}"), ""),
        )
        window.menus.export_view(kind)
        assert (tmp_path / f"typed-{kind}.{kind}").stat().st_size > 1000
    shown = []
    monkeypatch.setattr("bertgui.main_window.QMessageBox.warning", lambda *args: shown.append(args[2]))
    window.export_widget(window.attention_view, str(tmp_path / "missing" / "b.svg"))
    assert shown and "could not write" in shown[0]
    with qtbot.waitSignal(window.controller.exportFinished, timeout=30_000):
        window.controller.export_inspection(str(tmp_path / "run.npz"))
    arrays = np.load(tmp_path / "run.npz")
    assert np.array_equal(arrays["attentions"], window.controller.inspection.attentions)
    assert (tmp_path / "run.json").is_file()


def test_device_menu_lists_the_cpu_and_switching_keeps_working(qtbot, window):
    devices = [a.data() for a in window.device_group.actions()]
    assert devices[0] == "cpu"
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        window.controller.set_device("cpu")
    assert window.device_group.actions()[0].isChecked()


def test_hovering_a_token_selects_its_characters(qtbot, window):
    type_and_wait(qtbot, window, "the sits sat", "a dog")
    view = window.tokens_view
    chips = view.chips()
    view.tokenHovered.emit(0, *[int(v) for v in window.controller.inspection.offsets[2]], 2)  # "sit" of "sits"
    assert window.text_a.selectedText() == "sit"
    view.tokenHovered.emit(1, *[int(v) for v in window.controller.inspection.offsets[7]], 7)  # "dog"
    assert window.text_b.selectedText() == "dog" and window.text_a.selectedText() == ""
    assert len(chips) == 9


def test_hovering_selects_the_right_characters_after_an_emoji(qtbot, window):
    text = "😀😀 the cat"  # each emoji is one character to Python and two UTF-16 units to Qt
    type_and_wait(qtbot, window, text)
    r = window.controller.inspection
    for i in (r.tokens.index("cat"), 1):  # "cat", then the emoji's token
        start, end = (int(v) for v in r.offsets[i])
        window.tokens_view.tokenHovered.emit(0, start, end, i)
        assert window.text_a.selectedText() == text[start:end]
    assert window.text_a.selectedText().startswith("😀")


BAD_INPUTS = {
    "empty": ("", ""),
    "whitespace": ("   \t ", ""),
    "long paste": ("the cat sat on the mat . " * 4000, ""),
    "emoji": ("😀🐱 the cat", ""),
    "cjk": ("猫狗 中国人", ""),
    "control characters": ("the\x00cat\x07 sat\u200b", ""),
    "ten masks": (" ".join(["[MASK]"] * 10), ""),
    "b without a": ("", "a dog ran"),
    "blank b": ("the cat sat", "  \t "),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_inputs_give_a_result_and_the_app_keeps_working(qtbot, window, case):
    text, text_b = BAD_INPUTS[case]
    blank_b = not text_b.strip()  # a blank sentence B makes no pair
    with qtbot.waitSignal(
        window.controller.inspectionReady,
        timeout=30_000,
        check_params_cb=lambda r: r.text == text and (r.text_b or "") == ("" if blank_b else text_b),
    ):
        window.set_texts(text, text_b)
        window.controller.inspect_now()  # also when the fields already held this text
    r = window.controller.inspection
    assert len(window.tokens_view.chips()) == len(r.tokens) <= 40
    window.tabs.setCurrentWidget(window.fill_mask_view)
    assert window.fill_mask_view.mask_combo.count() == len(r.fill_mask)
    if case == "ten masks":
        assert len(r.fill_mask) == 10
    if case == "long paste":
        assert "cut" in window.tokens_view._notice.text()
    if case == "blank b":
        assert r.text_b is None and r.tokens.count("[SEP]") == 1
    window.tabs.setCurrentWidget(window.nsp_view)
    if case == "b without a":  # no verdict on a sentence that is not there
        assert "Sentence A is empty" in window.nsp_view.label.text() and window.nsp_view.bars.isHidden()
    window.tabs.setCurrentWidget(window.tokens_view)
    type_and_wait(qtbot, window, "still working")


def test_model_without_mlm_head_says_so_and_other_views_work(qtbot, controller, hf_folder):
    from bertgui.main_window import MainWindow

    folder, _ = hf_folder("BertModel")
    w = MainWindow(controller)
    qtbot.addWidget(w)
    with qtbot.waitSignal(controller.modelLoaded, timeout=30_000):
        controller.load_model(str(folder), "cpu")
    type_and_wait(qtbot, w, "the cat [MASK]")
    w.tabs.setCurrentWidget(w.fill_mask_view)
    assert "no MLM head" in w.fill_mask_view.message.text()
    w.tabs.setCurrentWidget(w.tokens_view)
    assert len(w.tokens_view.chips()) == 5
    w.tabs.setCurrentWidget(w.attention_view)
    assert w.attention_view.current_matrix() is not None


def test_score_every_position_and_logit_lens_through_the_window(qtbot, window):
    window.tabs.setCurrentWidget(window.fill_mask_view)
    type_and_wait(qtbot, window, "the cat [MASK] on the mat")
    assert window.controller.inspection.logit_lens is not None  # the worker always asks for the lens
    view = window.fill_mask_view
    view.score_mode.setCurrentIndex(view.score_mode.findData("as seen"))
    with qtbot.waitSignal(
        window.controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.token_probabilities is not None
    ):
        view.score_all.setChecked(True)
    assert len(window.controller.inspection.token_probabilities) == 8


def test_gpu_out_of_memory_offers_the_cpu(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import model.bert

    asked = []
    monkeypatch.setattr(
        "bertgui.main_window.QMessageBox.question",
        lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Yes,
    )
    window.show_dialogs = True
    original = model.bert.Bert.inspect

    def out_of_memory(self, *args, **kwargs):  # what CUDA raises, simulated: CI has no GPU
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(model.bert.Bert, "inspect", out_of_memory)
    with qtbot.waitSignal(window.controller.inspectionFailed, timeout=30_000):
        window.controller.set_text("the cat")
    assert asked and "ran out of memory" in asked[0]
    monkeypatch.setattr(model.bert.Bert, "inspect", original)
    with qtbot.waitSignal(window.controller.inspectionReady, timeout=30_000):
        pass  # the switch to the CPU re-runs the text there
    assert window.controller.device == "cpu"


def test_double_click_after_an_edit_does_not_mask_the_wrong_characters(qtbot, window):
    window.set_texts("the cat sat")
    with qtbot.waitSignal(
        window.controller.inspectionReady, timeout=30_000, check_params_cb=lambda r: r.text == "the cat sat"
    ):
        window.controller.inspect_now()
    window.text_a.setText("a dog sat")  # typed; the inspection for it has not arrived yet
    window._on_tokens_double_clicked(2)
    assert window.text_a.text() == "a dog sat"


def test_show_head_selects_it_in_both_views_and_clamps_to_the_model(qtbot, window):
    window.tabs.setCurrentWidget(window.attention_view)  # hidden views render when shown
    window.show_head(1, 2)
    assert window.attention_view.plot.titleLabel.text == "layer 1, head 2"
    assert window.head_lines_view.layer_spin.value() == 1 and window.head_lines_view.selected_heads() == [2]
    window.show_head(9, 9)  # the test model has 2 layers of 4 heads
    assert window.attention_view.plot.titleLabel.text == "layer 1, head 3"
    assert window.head_lines_view.selected_heads() == [3]


def test_the_status_bar_labels_the_memory_figure(qtbot, window):
    window._on_memory_timer()
    assert window.memory_label.text().startswith("Memory: ") and window.memory_label.text().endswith(" MB")


def test_how_is_this_computed_opens_the_neuron_view_on_that_head(qtbot, window, tmp_path):
    type_and_wait(qtbot, window, "the cat sat on the mat")
    view = window.computation_view
    with qtbot.waitSignal(window.controller.layerTraceReady, timeout=30_000, check_params_cb=lambda t: t.layer == 1):
        window.attention_view.neuronViewRequested.emit(1, 2, 3)  # the heatmap's right-click menu entry
    assert window.tabs.currentWidget() is view
    assert (view.layer(), view.head(), view.query()) == (1, 2, 3)
    assert view.stack.currentIndex() == 3  # the neuron panel
    trace = view.trace
    np.testing.assert_allclose(trace.probabilities[2, 3], window.controller.inspection.attentions[1, 2, 3], atol=1e-5)
    with qtbot.waitSignal(window.controller.exportFinished, timeout=30_000):  # the arrays carry the traced layer
        window.controller.export_inspection(str(tmp_path / "run.npz"))
    arrays = np.load(tmp_path / "run.npz")
    np.testing.assert_array_equal(arrays["layer1_intermediate"], trace.intermediate)
    assert np.array_equal(arrays["attentions"], window.controller.inspection.attentions)


def test_the_attention_exports_as_a_web_page_opening_on_the_shown_head(qtbot, window, tmp_path, monkeypatch):
    import json
    import re

    window.tabs.setCurrentWidget(window.attention_view)
    type_and_wait(qtbot, window, "the cat sat")
    window.show_head(1, 2)
    monkeypatch.setattr("bertgui.menus.QFileDialog.getSaveFileName", lambda *args: (str(tmp_path / "page.html"), ""))
    window.menus._on_export_page_triggered()
    page = (tmp_path / "page.html").read_text()
    data = json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1))
    r = window.controller.inspection
    assert data["tokens"] == r.tokens and data["layer"] == 1 and data["heads"] == [2]
    np.testing.assert_allclose(np.array(data["attention"]) / 1000, r.attentions, atol=5e-4)
