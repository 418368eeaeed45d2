"""Model > Find in corpus, driven as a user would: build the example index, pick a token and a
layer, read the neighbours; an index of another model is refused in one line."""

from __future__ import annotations

import model.corpus_index as corpus_index
from model.corpus_index import build_index

SENTENCES = [
    "the cat sat on the mat",
    "a dog ran in the house",
    "the river bank was cold",
    "she put money in the bank",
    "paris is the capital of france",
    "we drank tea and coffee",
    "the old book was good",
    "the big red dog played",
    "they walked to the city",
    "he read a book at night",
] * 2


def test_building_the_example_index_then_searching_a_token(qtbot, window, tmp_path, monkeypatch):
    corpus = tmp_path / "example.txt"
    corpus.write_text("\n".join(SENTENCES) + "\n")
    monkeypatch.setattr(corpus_index, "example_corpus", lambda: corpus)
    monkeypatch.setattr(corpus_index, "CHUNK_SENTENCES", 6)  # several chunks: several progress steps
    monkeypatch.setattr("bertgui.views.corpus_search.models_home", lambda: tmp_path / "home")
    window.text_a.setText("the river bank was cold")
    qtbot.waitUntil(lambda: window.controller.inspection.text == "the river bank was cold", timeout=30_000)
    window.menus.show_corpus_search()
    panel = window.menus.corpus_search
    steps = []
    window.controller.corpusIndexProgress.connect(lambda _id, done, total: steps.append((done, total)))
    with qtbot.waitSignal(window.controller.corpusIndexOpened, timeout=60_000):
        panel.example_button.click()
    assert steps == [(6, 20), (12, 20), (18, 20)]
    assert [panel.layer_combo.itemData(i) for i in range(panel.layer_combo.count())] == [0, 1, 2]
    assert "20 sentences" in panel.index_label.text() and panel.example_button.isEnabled()
    assert (tmp_path / "home" / "corpus-indexes").is_dir()
    bank = window.controller.inspection.tokens.index("bank")
    wanted = lambda _id, r: r.query_token == "bank" and r.layer == 0  # noqa: E731
    with qtbot.waitSignal(window.controller.corpusSearched, timeout=30_000, check_params_cb=wanted) as searched:
        panel.token_combo.setCurrentIndex(bank)
        panel.layer_combo.setCurrentIndex(0)  # the embeddings: the same word comes first
    result = searched.args[1]
    assert result.query_token == "bank" and result.layer == 0 and result.hits[0].token == "bank"
    assert len(result.hits) == 10 and "of 10 are 'bank'" in panel.summary.text()
    assert (
        "<b style='color:#c2410c'>bank</b>" in panel.results.toHtml().replace('"', "'")
        or "bank" in panel.results.toPlainText()
    )
    assert panel.results.toPlainText().count("\n") >= 9  # one row per neighbour


def test_an_index_of_another_model_is_refused_in_one_line(qtbot, window, hf_folder, tmp_path):
    import model

    other_folder, _ = hf_folder("BertForMaskedLM", seed=3)
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(SENTENCES) + "\n")
    build_index(model.load(other_folder, device="cpu"), corpus, tmp_path / "other-index", layers=[1])
    window.menus.show_corpus_search()
    panel = window.menus.corpus_search
    with qtbot.waitSignal(window.controller.corpusIndexFailed, timeout=30_000):
        panel.open_index(str(tmp_path / "other-index"))
    assert "built with another model" in panel.message.text() and panel.info is None
    with qtbot.waitSignal(window.controller.corpusIndexFailed, timeout=30_000):
        panel.open_index(str(tmp_path))
    assert "not a corpus index" in panel.message.text()
