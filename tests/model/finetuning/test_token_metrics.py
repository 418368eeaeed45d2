"""Tagging scores: hand-computed cases, conlleval's chunk rules, and seqeval (conlleval's Python
port) as the reference on random tag sequences where it is installed."""

from __future__ import annotations

import random

import numpy as np
import pytest

from model.finetuning.token_metrics import (
    BIO,
    PLAIN,
    Chunk,
    TagCounter,
    TaggingCounts,
    chunks,
    score_tags,
    tag_order,
    tag_scheme,
    tagging_metrics,
)


def test_chunks_follow_conlleval():
    assert chunks("B-NP I-NP O B-VP".split()) == [Chunk(0, 2, "NP"), Chunk(3, 4, "VP")]
    assert chunks("B-NP B-NP".split()) == [Chunk(0, 1, "NP"), Chunk(1, 2, "NP")]  # B starts a new chunk
    assert chunks("O I-NP I-NP O".split()) == [Chunk(1, 3, "NP")]  # I after O starts one (IOB1)
    assert chunks("I-NP I-VP".split()) == [Chunk(0, 1, "NP"), Chunk(1, 2, "VP")]  # I of another type too
    assert chunks("B-NP I-VP I-VP".split()) == [Chunk(0, 1, "NP"), Chunk(1, 3, "VP")]
    assert chunks("O B-PP I-PP".split()) == [Chunk(1, 3, "PP")]  # the sentence's end closes a chunk
    assert chunks("O O".split()) == []


def test_a_hand_computed_example():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "I-LOC", "I-LOC", "O", "B-PER"]]
    predicted = [["B-PER", "I-PER", "O", "B-ORG"], ["B-LOC", "I-LOC", "O", "O", "B-PER"]]
    m = score_tags(gold, predicted, loss=0.5)
    # Gold chunks: PER(0-2), LOC(3), LOC(0-3), PER(4): 4. Predicted: PER(0-2), ORG(3), LOC(0-2), PER(4): 4.
    # Right: the two PER chunks; LOC(0-2) stops a word short, so it is wrong.
    assert m.scheme == BIO and m.words == 9 and m.loss == 0.5
    assert m.precision == pytest.approx(2 / 4) and m.recall == pytest.approx(2 / 4) and m.f1 == pytest.approx(0.5)
    assert m.accuracy == pytest.approx(7 / 9)  # the ORG for LOC and the O for I-LOC are the wrong words
    rows = {s.name: s for s in m.per_tag}
    assert list(rows) == ["LOC", "ORG", "PER"]
    assert (rows["LOC"].support, rows["LOC"].predicted, rows["LOC"].recall) == (2, 1, 0.0)
    assert (rows["ORG"].support, rows["ORG"].predicted, rows["ORG"].precision) == (0, 1, 0.0)
    assert (rows["PER"].precision, rows["PER"].recall, rows["PER"].f1) == (1.0, 1.0, 1.0)
    assert m.tags == ["O", "B-LOC", "I-LOC", "B-ORG", "B-PER", "I-PER"]
    i = m.tags.index
    assert m.confusion[i("I-LOC"), i("O")] == 1 and m.confusion[i("B-LOC"), i("B-ORG")] == 1
    assert m.confusion.sum() == 9 and np.trace(m.confusion) == 7
    assert m.majority == pytest.approx(2 / 9)  # O is the commonest gold tag (2 of 9 words)


def test_an_iob1_chunk_matches_its_bio_spelling():
    m = score_tags([["O", "I-NP", "I-NP"]], [["O", "B-NP", "I-NP"]])
    assert m.f1 == 1.0 and m.accuracy == pytest.approx(2 / 3)  # the same chunk; one tag differs


def test_plain_tags_are_scored_per_tag_with_a_macro_average():
    gold = [["DT", "NN", "VB"], ["DT", "NN"]]
    predicted = [["DT", "VB", "VB"], ["DT", "NN"]]
    m = score_tags(gold, predicted)
    assert m.scheme == PLAIN and m.score_name == "macro-F1" and m.accuracy == pytest.approx(4 / 5)
    rows = {s.name: s for s in m.per_tag}
    assert (rows["NN"].precision, rows["NN"].recall) == (1.0, 0.5)
    assert (rows["VB"].precision, rows["VB"].recall) == (0.5, 1.0)
    assert m.f1 == pytest.approx((1.0 + 2 / 3 + 2 / 3) / 3)


def test_schemes_and_orders():
    assert tag_scheme(["O", "B-NP", "I-NP"]) == BIO and tag_scheme(["O"]) == PLAIN
    assert tag_scheme(["O", "B-NP", "NN"]) == PLAIN and tag_scheme(["S-PER", "O"]) == PLAIN  # IOBES is not BIO
    assert tag_order(["I-VP", "B-VP", "O", "B-NP", "I-NP"]) == ["O", "B-NP", "I-NP", "B-VP", "I-VP"]
    assert tag_order(["VB", "DT", "NN"]) == ["DT", "NN", "VB"]


def test_counts_add_up_across_shards():
    """What the trainer does across processes: counts of two halves summed give the whole's scores."""
    gold = [["B-A", "I-A", "O"], ["O", "B-B"], ["B-A", "B-A"]]
    predicted = [["B-A", "I-A", "O"], ["B-B", "B-B"], ["B-A", "I-A"]]
    tags = tag_order({t for s in gold + predicted for t in s})
    index = {t: i for i, t in enumerate(tags)}
    halves = [TagCounter(tags), TagCounter(tags)]
    for n, (g, p) in enumerate(zip(gold, predicted)):
        halves[n % 2].add([index[t] for t in g], [index[t] for t in p])
    summed = halves[0].counts.vector() + halves[1].counts.vector()
    counts = TaggingCounts.from_vector(summed, len(tags), len(halves[0].types))
    whole, merged = score_tags(gold, predicted), tagging_metrics(counts, tags, 0.0)
    assert (merged.precision, merged.recall, merged.f1, merged.accuracy) == (
        whole.precision,
        whole.recall,
        whole.f1,
        whole.accuracy,
    )
    assert np.array_equal(merged.confusion, whole.confusion)


def test_the_table_lists_every_chunk_type():
    m = score_tags([["B-NP", "O", "B-VP"]], [["B-NP", "O", "O"]])
    lines = m.table().splitlines()
    assert lines[0].startswith("chunk type") and lines[1].split()[:4] == ["NP", "1.0000", "1.0000", "1.0000"]
    assert lines[2].split()[:4] == ["VP", "0.0000", "0.0000", "0.0000"]


def random_sentence(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(["O", "O", "B-A", "I-A", "B-B", "I-B", "B-C"]) for _ in range(n)]


def test_agrees_with_seqeval_on_random_tags():
    seqeval = pytest.importorskip("seqeval.metrics")
    rng = random.Random(0)
    gold = [random_sentence(rng, rng.randint(1, 12)) for _ in range(300)]
    # Predictions: the gold tags with a fifth changed at random, so that most chunks match.
    predicted = [[t if rng.random() > 0.2 else rng.choice(["O", "B-A", "I-A", "I-B", "B-C"]) for t in s] for s in gold]
    m = score_tags(gold, predicted)
    assert m.precision == pytest.approx(seqeval.precision_score(gold, predicted), abs=1e-12)
    assert m.recall == pytest.approx(seqeval.recall_score(gold, predicted), abs=1e-12)
    assert m.f1 == pytest.approx(seqeval.f1_score(gold, predicted), abs=1e-12)
    assert m.accuracy == pytest.approx(seqeval.accuracy_score(gold, predicted), abs=1e-12)
    report = seqeval.classification_report(gold, predicted, output_dict=True, zero_division=0)
    for row in m.per_tag:
        assert row.precision == pytest.approx(report[row.name]["precision"], abs=1e-12), row.name
        assert row.recall == pytest.approx(report[row.name]["recall"], abs=1e-12), row.name
        assert row.support == report[row.name]["support"], row.name
