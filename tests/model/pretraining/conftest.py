from __future__ import annotations

import random

import pytest

TOPICS = {
    "cats": "the cat sat on the mat . a cat is a small animal . cats like milk and sleep all day .",
    "rivers": "the river runs to the sea . water in the river is cold . boats go down the river .",
    "cities": "paris is the capital of france . london is a big city . people live in cities .",
    "books": "she read a good book . books are full of words . he wrote a new book last year .",
    "tea": "she drank a cup of tea . tea is made with hot water . he likes coffee more than tea .",
}


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    """60 short documents on five topics: one sentence per line, blank lines between documents."""
    rng = random.Random(0)
    docs = []
    for i in range(60):
        sentences = [s.strip() + " ." for s in TOPICS[list(TOPICS)[i % 5]].split(" . ") if s.strip(" .")]
        rng.shuffle(sentences)
        docs.append("\n".join(sentences * 2))
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    path.write_text("\n\n".join(docs) + "\n", encoding="utf-8")
    return path
