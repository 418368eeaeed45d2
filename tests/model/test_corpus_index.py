"""Corpus search: an index built from a text file, resumed after an interruption, refused for
another model, and searched exactly (faiss and NumPy agree)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import model
import model.corpus_index as corpus_index
from model.cli import main as cli
from model.corpus_index import CorpusIndex, CorpusIndexError, build_index, search

SENTENCES = [
    "the cat sat on the mat",
    "a dog ran in the house",
    "the river bank was cold",
    "she put money in the bank",
    "one two three four five",
    "the old book was good",
    "we drank tea and coffee",
    "paris is the capital of france",
    "the big red dog played",
    "they walked to the city",
    "i think the new model is great",
    "he read a book at night",
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "sentences.txt"
    path.write_text("\n".join(SENTENCES * 2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def bert(hf_folder):
    folder, _ = hf_folder("BertForMaskedLM")
    return model.load(folder, device="cpu")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(corpus_index, "CHUNK_SENTENCES", 5)  # several chunks, so resuming is exercised
    monkeypatch.setattr(corpus_index, "BATCH_SENTENCES", 3)


def files_of(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "index.json"}


def test_every_text_token_is_indexed_with_unit_vectors(bert, corpus, tmp_path):
    info = build_index(bert, corpus, tmp_path / "index", layers=[0, 2])
    expected = sum(len(bert.tokenizer.encode(s).tokens) - 2 for s in SENTENCES * 2)
    assert info.complete and info.sentences == 24 and info.tokens == expected
    index = CorpusIndex(tmp_path / "index")
    vectors = np.asarray(index.vectors(2), dtype=np.float32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=2e-3)
    # the row of token 'bank' in sentence 2 is that token's hidden state after layer 2
    r = bert.inspect(SENTENCES[2])
    bank = r.tokens.index("bank")
    row = np.flatnonzero((index.arrays["sentence_of"] == 2) & (index.arrays["position"] == bank))[0]
    state = r.hidden_states[2, bank] / np.linalg.norm(r.hidden_states[2, bank])
    np.testing.assert_allclose(vectors[row], state, atol=2e-3)


def test_a_token_finds_itself_first_and_faiss_agrees_with_numpy(bert, corpus, tmp_path):
    build_index(bert, corpus, tmp_path / "index", layers=[1])
    index = CorpusIndex(tmp_path / "index")
    bank = bert.tokenizer.encode(SENTENCES[3]).tokens.index("bank")
    result = search(bert, index, SENTENCES[3], token=bank, layer=1, top_k=4)
    assert result.query_token == "bank" and result.hits[0].token == "bank"
    assert result.hits[0].similarity == pytest.approx(1.0, abs=2e-3) and result.hits[0].sentence == SENTENCES[3]
    assert result.hits[0].tokens[result.hits[0].position] == "bank"
    assert "of 4 are 'bank'" in result.summary
    query = np.asarray(index.vectors(1)[7], dtype=np.float32)
    rows_numpy, scores_numpy = index.nearest(1, query, 10, engine="numpy")
    pytest.importorskip("faiss")
    rows_faiss, scores_faiss = index.nearest(1, query, 10, engine="faiss")
    np.testing.assert_allclose(scores_faiss, scores_numpy, atol=1e-3)
    assert set(rows_faiss[:3]) == set(rows_numpy[:3])


def test_an_interrupted_build_resumes_to_the_same_index(bert, corpus, tmp_path):
    clean = tmp_path / "clean"
    build_index(bert, corpus, clean, layers=[0, 1])

    class Interrupted(Exception):
        pass

    def stop_after_two_chunks(sentences, tokens):
        if sentences >= 10:
            raise Interrupted

    resumed = tmp_path / "resumed"
    with pytest.raises(Interrupted):
        build_index(bert, corpus, resumed, layers=[0, 1], progress=stop_after_two_chunks)
    assert json.loads((resumed / "index.json").read_text())["sentences"] == 10
    with open(resumed / "layer_1.f16", "ab") as f:  # a chunk half written when the process died
        f.write(b"\x00" * 1000)
    info = build_index(bert, corpus, resumed, layers=[0, 1], max_sentences=15)  # one more chunk: not complete
    assert not info.complete and info.sentences == 15
    info = build_index(bert, corpus, resumed, layers=[0, 1])
    assert info.complete and files_of(resumed) == files_of(clean)


def test_the_example_corpus_is_shipped_and_indexes_three_layers(bert, tmp_path):
    from model.corpus_index import example_corpus, example_index_folder, example_layers

    lines = example_corpus().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2000 and all(lines)
    assert example_layers(4) == [0, 2, 4] and example_layers(12) == [0, 6, 12]
    folder = example_index_folder(bert, tmp_path)
    assert folder.parent == tmp_path and folder.name.endswith("-example")
    info = build_index(bert, example_corpus(), folder, example_layers(2), max_sentences=20)
    assert info.sentences == 20 and info.layers == [0, 1, 2]


def test_an_index_of_another_model_or_layer_is_refused_in_one_line(bert, hf_folder, corpus, tmp_path):
    build_index(bert, corpus, tmp_path / "index", layers=[1], max_sentences=6)
    other_folder, _ = hf_folder("BertForMaskedLM", seed=1)
    other = model.load(other_folder, device="cpu")
    index = CorpusIndex(tmp_path / "index")
    with pytest.raises(CorpusIndexError, match="built with another model .*build an index with this one"):
        search(other, index, "the cat", token=1, layer=1)
    with pytest.raises(CorpusIndexError, match=r"holds layers \[1\], not 2"):
        search(bert, index, "the cat", token=1, layer=2)
    with pytest.raises(CorpusIndexError, match="built with another model"):
        build_index(other, corpus, tmp_path / "index", layers=[1])
    with pytest.raises(CorpusIndexError, match="resume with those, or choose a new folder"):
        build_index(bert, corpus, tmp_path / "index", layers=[0, 1])
    with pytest.raises(model.BertError, match="choose layers from 0"):
        build_index(bert, corpus, tmp_path / "new", layers=[3])
    with pytest.raises(model.BertError, match="holds other files"):
        build_index(bert, corpus, tmp_path, layers=[1])
    with pytest.raises(CorpusIndexError, match="not a corpus index"):
        CorpusIndex(tmp_path / "new")


def test_the_command_line_builds_and_searches_with_json(hf_folder, corpus, tmp_path, capsys):
    folder, _ = hf_folder("BertForMaskedLM")
    index = tmp_path / "index"
    assert cli(["index-corpus", str(corpus), "--out", str(index), "--layers", "2", "--model", str(folder)]) == 0
    assert "24 sentences" in capsys.readouterr().out
    args = ["search", str(index), "the river bank was cold", "--token", "3", "--layer", "2", "--top-k", "3"]  # 3: bank
    assert cli([*args, "--json", "--model", str(folder)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and set(hits[0]) == {"sentence", "token", "position", "similarity"}
    assert hits[0]["token"] == "bank" and hits[0]["similarity"] >= hits[1]["similarity"] >= hits[2]["similarity"]
    assert cli([*args, "--model", str(folder)]) == 0
    assert "[bank]" in capsys.readouterr().out
    assert cli(["search", str(index), "the cat", "--token", "1", "--layer", "1", "--model", str(folder)]) == 2
    assert "holds layers [2], not 1" in capsys.readouterr().err
