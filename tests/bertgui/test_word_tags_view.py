"""A token classifier in the Sentence tab: each word a chip with its tag under it, coloured by
chunk type, the chunks in brackets, the tag probabilities on hover; hidden for other models."""

from __future__ import annotations

import pytest

NAMES = {0: "O", 1: "B-NP", 2: "I-NP", 3: "B-VP"}


@pytest.fixture
def tagger(hf_folder):
    import model

    folder, _ = hf_folder("BertForTokenClassification", id2label=NAMES, label2id={v: k for k, v in NAMES.items()})
    return model.load(folder, device="cpu")


@pytest.fixture
def view(qtbot):
    from bertgui.views.nsp_view import NSPView

    v = NSPView()
    qtbot.addWidget(v)
    v.show()
    return v


def test_each_word_gets_a_chip_with_its_tag_and_probabilities(view, tagger):
    r = tagger.inspect("the cat sat")
    view.show_inspection(r)
    chips = view.word_tags.chips()
    assert view.word_tags.isVisible() and [c.word.text() for c in chips] == ["the", "cat", "sat"]
    assert [c.tag.text() for c in chips] == [t.tag for t in r.word_tags]
    best = next(iter(r.word_tags[1].probabilities))
    assert f"{best}</td><td align='right'>&nbsp;{r.word_tags[1].probabilities[best]:.3f}" in chips[1].toolTip()
    assert "token classifier" in view.label.text() and not view.meaning.isVisible() and not view.examples.isVisible()
    assert not view.classes.isVisible() and not view.bars.isVisible()


def test_chunks_read_out_in_brackets_and_share_a_colour(view):
    from types import SimpleNamespace

    from model.word_tags import WordTag

    def word(text, index, tag):
        return WordTag(text, index, index, tag, {tag: 0.9, **{n: 0.1 / 3 for n in NAMES.values() if n != tag}})

    tags = [word("The", 1, "B-NP"), word("cat", 2, "I-NP"), word("sat", 3, "B-VP"), word(".", 4, "O")]
    view.word_tags.show_inspection(SimpleNamespace(word_tags=tags))
    assert "[NP The cat] [VP sat] ." in view.word_tags.chunk_line.text()
    styles = [c.word.styleSheet() for c in view.word_tags.chips()]
    assert styles[0] == styles[1] != styles[2] != styles[3] and "#f3f4f6" in styles[3]  # O is grey


def test_a_plain_tag_set_is_shown_word_by_word():
    from bertgui.views.word_tags_view import bracketed, type_colours
    from model.finetuning.token_datasets import chunk_type_of

    assert type_colours(["VB", "NN", "O"]) == {"NN": "#dbeafe", "VB": "#dcfce7"}  # alphabetical, O left grey
    assert type_colours(["I-NP", "B-VP", "B-NP", "O"]) == {"NP": "#dbeafe", "VP": "#dcfce7"}
    assert chunk_type_of("B-PER") == "PER" and chunk_type_of("NN") == "NN"
    assert bracketed([]) == ""


def test_other_models_hide_it(view, model_folder):
    import model

    view.show_inspection(model.load(model_folder, device="cpu").inspect("the cat sat"))
    assert not view.word_tags.isVisible()
