"""evaluate-mlm: windows, determinism, and a check against a by-hand count."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import model
from model.evaluate import evaluate_mlm, windows


@pytest.fixture
def bert(hf_folder):
    return model.load(hf_folder("BertForMaskedLM")[0], device="cpu")


def test_long_passages_are_windowed_and_every_token_counted_once(bert, tmp_path):
    path = tmp_path / "t.txt"
    long_line = "the cat sat on the mat . " * 30  # 210 tokens, max_position_embeddings 40
    path.write_text(long_line + "\n\n   \nhello world\n")
    chunks = list(windows(bert, path))
    assert all(len(c) <= 38 for c in chunks)
    assert sum(len(c) for c in chunks) == 210 + 2
    assert (
        sum(chunks, [])
        == bert.tokenizer.encode_plain_batch([long_line, "hello world"])[0]
        + bert.tokenizer.encode_plain_batch(["hello world"])[0]
    )


def test_same_seed_same_result_and_by_hand_count(bert, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("\n".join(["the cat sat on the mat .", "a dog ran in the city", "one two three four five"] * 5))
    a = evaluate_mlm(bert, path, seed=3, batch_size=4)
    b = evaluate_mlm(bert, path, seed=3, batch_size=64)
    assert a == b
    # By hand: the same masks (same rng draws, in file order), one unbatched window at a time.
    rng = np.random.default_rng(3)
    hits = total = 0
    for ids in windows(bert, path):
        picks = np.sort(rng.choice(len(ids), size=max(1, round(0.15 * len(ids))), replace=False))
        x = torch.tensor([[bert.tokenizer.cls_token_id, *ids, bert.tokenizer.sep_token_id]])
        targets = x[0, picks + 1].clone()
        x[0, picks + 1] = bert.tokenizer.mask_token_id
        with torch.no_grad():
            logits = bert.network(x).mlm_logits[0, picks + 1]
        hits += int((logits.argmax(-1) == targets).sum())
        total += len(picks)
    assert a.masked_tokens == total and a.accuracy == pytest.approx(hits / total)


def test_empty_file_is_a_clear_error(bert, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n\n")
    with pytest.raises(model.BertError, match="no text to evaluate on"):
        evaluate_mlm(bert, path)


def test_evaluate_nsp_counts_pairs_made_as_in_pretraining(hf_folder, tmp_path):
    from model.evaluate import evaluate_nsp

    bert = model.load(hf_folder("BertForPreTraining")[0], device="cpu")
    path = tmp_path / "docs.txt"
    docs = [
        "the cat sat on the mat .\na cat is small .\ncats like milk .",
        "paris is the capital of france .\nlondon is a big city .\npeople live in cities .",
        "she drank a cup of tea .\ntea is hot .\nhe likes coffee .",
    ] * 10
    path.write_text("\n\n".join(docs) + "\n")
    result = evaluate_nsp(bert, path, seed=0)
    assert result.pairs > 20 and 0.3 < result.random_share < 0.7 and 0.0 <= result.accuracy <= 1.0
    assert evaluate_nsp(bert, path, seed=0) == result
    with pytest.raises(model.BertError, match="no next-sentence head"):
        evaluate_nsp(model.load(hf_folder("BertForMaskedLM")[0], device="cpu"), path)
