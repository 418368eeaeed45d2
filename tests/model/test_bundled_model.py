"""The model shipped in resources/models/bert-mini-uncased: what the app opens by default."""

from __future__ import annotations

import json

import numpy as np
import torch

import model
from model.cli import main as cli

SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}


def test_the_bundled_folder_is_complete_and_small():
    folder = model.BUNDLED_MODEL
    for name in ("config.json", "vocab.txt", "tokenizer.json", "model.safetensors", "MODEL_CARD.md"):
        assert (folder / name).is_file(), name
    assert sum(f.stat().st_size for f in folder.iterdir()) < 30_000_000  # fp16: small enough to ship in git


def test_our_loader_and_transformers_give_the_same_logits():
    from transformers import BertForPreTraining, BertTokenizerFast

    ours = model.load(device="cpu")  # no folder: the bundled model
    assert ours.heads.mlm and ours.heads.nsp
    ref = BertForPreTraining.from_pretrained(
        model.BUNDLED_MODEL, dtype=torch.float32, attn_implementation="eager"
    ).eval()
    text, text_b = "the river flooded the [MASK] after the storm .", "farmers lost their crops ."
    enc = ours.tokenize(text, text_b)
    assert enc.ids == BertTokenizerFast.from_pretrained(model.BUNDLED_MODEL)(text, text_b)["input_ids"]
    ids, types = torch.tensor([enc.ids]), torch.tensor([enc.segment_ids])
    with torch.no_grad():
        expected = ref(input_ids=ids, token_type_ids=types)
        got = ours.network(ids, types)
    assert torch.allclose(got.mlm_logits, expected.prediction_logits, atol=1e-4)
    assert torch.allclose(got.nsp_logits, expected.seq_relationship_logits, atol=1e-4)


def test_fill_mask_gives_real_predictions(capsys):
    assert cli(["fill-mask", "she drank a cup of [MASK] .", "--json", "--top-k", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    predictions = out["masks"][0]["predictions"]
    scores = [p["score"] for p in predictions]
    assert len(predictions) == 5 and scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1
    assert not SPECIAL & {p["token"] for p in predictions}
    # Trained, not random: the model is far more certain than a uniform guess over the vocabulary.
    vocab_size = model.load(device="cpu").config.vocab_size
    assert scores[0] > 20 / vocab_size


def test_inspection_of_the_bundled_model_is_finite():
    r = model.load(device="cpu").inspect("The cat sat on the mat.", "It was warm.")
    assert np.isfinite(r.attentions).all() and np.isfinite(r.hidden_states).all() and r.nsp_is_next is not None
