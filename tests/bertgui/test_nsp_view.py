"""The Sentence tab on its own, fed inspections of a small saved model: one verdict with each
probability shown once, what IsNext and NotNext mean, what to do without a sentence B, and a
fine-tuned classifier's classes."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def bert(model_folder):
    import model

    return model.load(model_folder, device="cpu")


@pytest.fixture
def view(qtbot):
    from bertgui.views.nsp_view import NSPView

    v = NSPView()
    qtbot.addWidget(v)
    v.show()
    return v


def visible_texts(view) -> list[str]:
    """Every text a user sees in the view: labels and the bars' own text."""
    from PySide6.QtWidgets import QLabel, QProgressBar

    texts = [label.text() for label in view.findChildren(QLabel) if label.isVisible()]
    return texts + [bar.text() for bar in view.findChildren(QProgressBar) if bar.isVisible()]


def test_a_pair_gets_one_verdict_and_each_probability_once(view, bert):
    r = bert.inspect("the cat sat on the mat", "it was warm")
    view.show_inspection(r)
    p = r.nsp_is_next
    assert view.bar.isVisible() and view.not_next_bar.isVisible()
    assert view.bar.text() == f"{p:.3f}" and view.not_next_bar.text() == f"{1 - p:.3f}"
    assert view.bar.value() == round(p * 1000) and view.not_next_bar.value() == round((1 - p) * 1000)
    shown = " ".join(visible_texts(view))
    assert shown.count(f"{p:.3f}") == 1 and shown.count(f"{1 - p:.3f}") == 1
    assert "%" not in shown  # no second, rounded copy of the same number
    verdict = "IsNext: sentence B follows sentence A" if p >= 0.5 else "NotNext: sentence B does not follow"
    assert verdict in view.label.text()


@pytest.mark.parametrize("p, verdict", [(0.93, "IsNext: sentence B follows"), (0.2, "NotNext: sentence B does not")])
def test_the_verdict_follows_the_probability(view, bert, p, verdict):
    r = dataclasses.replace(bert.inspect("the cat sat", "a dog ran"), nsp_is_next=p)
    view.show_inspection(r)
    assert verdict in view.label.text() and view.bar.text() == f"{p:.3f}"


def test_isnext_and_notnext_are_explained(view, bert):
    view.show_inspection(bert.inspect("the cat sat", "a dog ran"))
    meaning = view.meaning.text()
    assert view.meaning.isVisible()
    assert "IsNext</b>: the model thinks sentence B follows sentence A in a real text" in meaning
    assert "NotNext</b>: it thinks B was taken from another document" in meaning
    assert "50/50 pairs" in meaning


def test_without_sentence_b_it_says_what_to_do_and_offers_pairs(view, bert, qtbot):
    view.show_inspection(bert.inspect("the cat sat"))
    assert "Type a sentence B" in view.label.text() and not view.bars.isVisible()
    assert view.examples.isVisible() and view.meaning.isVisible()
    with qtbot.waitSignal(view.pairRequested) as pair:
        qtbot.mouseClick(view.example_buttons[1], Qt.MouseButton.LeftButton)
    text_a, text_b = pair.args
    assert text_a and text_b and text_b in view.example_buttons[1].toolTip()


def test_a_fine_tuned_classifier_shows_its_classes_instead(view, bert):
    r = dataclasses.replace(
        bert.inspect("the cat sat", "a dog ran"), nsp_is_next=None, class_probabilities={"city": 0.3, "animal": 0.7}
    )
    view.show_inspection(r)
    assert view.classes.isVisible() and view.classes.rowCount() == 2
    assert "Classifier: animal" in view.classes_label.text() and "classes" in view.caption.text()
    assert not view.bars.isVisible() and not view.examples.isVisible() and not view.meaning.isVisible()
