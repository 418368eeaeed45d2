"""Pretraining examples: NSP pairs and 80/10/10 masking, as BERT makes them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model.pretraining.data import IGNORE_LABEL, epoch_examples, make_batch, max_predictions, tokenize_corpus
from model.pretraining.vocab import train_wordpiece


@pytest.fixture(scope="module")
def prepared(small_corpus, tmp_path_factory):
    tokenizer = train_wordpiece(small_corpus, vocab_size=300, max_length=64)
    data = tokenize_corpus(small_corpus, tokenizer, tmp_path_factory.mktemp("cache"), log=lambda _: None)
    return tokenizer, data


def document_of(data, token_offset):
    sentence = np.searchsorted(data.sentence_starts, token_offset, side="right") - 1
    return np.searchsorted(data.document_starts, sentence, side="right") - 1


def test_nsp_pairs_are_balanced_and_random_segments_come_from_another_document(prepared):
    tokenizer, data = prepared
    rows = np.concatenate([epoch_examples(data, 64, seed=0, epoch=e) for e in range(4)])
    random_share = rows[:, 4].mean()
    assert 0.4 < random_share < 0.6
    for a0, a1, b0, b1, random_next in rows:
        assert 0 < a1 - a0 and 0 < b1 - b0 and (a1 - a0) + (b1 - b0) <= 61
        same = document_of(data, a0) == document_of(data, b0)
        assert same != bool(random_next)
        if not random_next:
            assert b0 == a1  # the true next segment follows A directly


def test_examples_are_fixed_by_seed_and_epoch(prepared):
    _, data = prepared
    assert np.array_equal(epoch_examples(data, 64, 1, 2), epoch_examples(data, 64, 1, 2))
    assert not np.array_equal(epoch_examples(data, 64, 1, 2), epoch_examples(data, 64, 1, 3))


def test_masking_is_80_10_10_and_never_touches_special_tokens(prepared):
    tokenizer, data = prepared
    rows = epoch_examples(data, 64, seed=0, epoch=0)
    batch = make_batch(data, rows, np.arange(len(rows)), tokenizer, seed=0, epoch=0)
    specials = {tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id}
    scored = batch.mlm_labels != IGNORE_LABEL
    rows = torch.arange(len(batch.input_ids))[:, None].expand_as(batch.mlm_positions)
    chosen = torch.zeros_like(batch.input_ids, dtype=torch.bool)
    chosen[rows[scored], batch.mlm_positions[scored]] = True
    assert int(chosen.sum()) == int(scored.sum())  # no position is chosen twice
    inputs = batch.input_ids[rows[scored], batch.mlm_positions[scored]]
    labels = batch.mlm_labels[scored]
    assert not any(int(t) in specials for t in labels)  # only real tokens are chosen
    real = batch.attention_mask.bool() & ~torch.isin(batch.input_ids, torch.tensor(list(specials))) | chosen
    share = chosen.sum().item() / real.sum().item()
    assert 0.13 < share < 0.17
    masked = (inputs == tokenizer.mask_token_id).float().mean().item()
    kept = (inputs == labels).float().mean().item()
    assert abs(masked - 0.8) < 0.03 and abs(kept - 0.1) < 0.03 and abs(1 - masked - kept - 0.1) < 0.03
    # [CLS]/[SEP] stay where they are.
    assert (batch.input_ids[:, 0] == tokenizer.cls_token_id).all()


def test_masks_are_drawn_anew_each_epoch(prepared):
    tokenizer, data = prepared
    rows = epoch_examples(data, 64, seed=0, epoch=0)[:8]
    idx = np.arange(8)
    a = make_batch(data, rows, idx, tokenizer, seed=0, epoch=0)
    b = make_batch(data, rows, idx, tokenizer, seed=0, epoch=1)
    again = make_batch(data, rows, idx, tokenizer, seed=0, epoch=0)
    assert np.array_equal(a.mlm_positions, again.mlm_positions)
    assert not np.array_equal(a.mlm_positions, b.mlm_positions)


def test_held_out_files_hold_the_held_out_documents(small_corpus, tmp_path):
    from model.pretraining.corpus import read_documents
    from model.pretraining.data import is_held_out, write_heldout

    docs = [d for i, d in enumerate(read_documents(small_corpus)) if is_held_out(i)]
    assert len(docs) == 1  # 60 documents: index 49 is the one held out
    write_heldout(docs, tmp_path)
    assert (tmp_path / "heldout.txt").read_text() == " ".join(docs[0]) + "\n"
    assert list(read_documents(tmp_path / "heldout_documents.txt")) == docs


def test_pad_to_fixes_every_shape_for_the_whole_run(prepared):
    tokenizer, data = prepared
    rows = epoch_examples(data, 64, seed=0, epoch=0)
    shapes = set()
    for start in range(0, len(rows) - 4, 4):
        idx = np.arange(start, start + 4)
        batch = make_batch(data, rows[idx], idx, tokenizer, seed=0, epoch=0, pad_to=64)
        shapes.add((tuple(batch.input_ids.shape), tuple(batch.mlm_positions.shape), tuple(batch.mlm_labels.shape)))
    assert shapes == {((4, 64), (4, max_predictions(64)), (4, max_predictions(64)))}


def test_the_token_cache_is_rebuilt_for_another_vocabulary_of_the_same_size(prepared, small_corpus, tmp_path):
    from model.tokenizer import BertTokenizer

    tokenizer, _ = prepared
    first = tokenize_corpus(small_corpus, tokenizer, tmp_path / "cache", log=lambda _: None)
    tokenizer.save(tmp_path)
    words = (tmp_path / "vocab.txt").read_text(encoding="utf-8").splitlines()
    common = int(np.bincount(np.asarray(first.tokens)).argmax())  # a frequent token id, not special
    words[common], words[-1] = words[-1], words[common]  # same size, two ids swapped
    (tmp_path / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (tmp_path / "tokenizer.json").unlink()
    swapped = BertTokenizer.from_folder(tmp_path, 64)
    assert swapped.vocab_size == tokenizer.vocab_size and swapped.fingerprint != tokenizer.fingerprint
    again = tokenize_corpus(small_corpus, swapped, tmp_path / "cache", log=lambda _: None)
    assert not np.array_equal(np.asarray(first.tokens), np.asarray(again.tokens))
    assert np.count_nonzero(np.asarray(again.tokens) == len(words) - 1) == np.count_nonzero(
        np.asarray(first.tokens) == common
    )


def test_an_examples_masks_do_not_depend_on_the_batch_it_is_in(prepared):
    """What lets N processes that each mask a share of a global batch reproduce one process."""
    tokenizer, data = prepared
    rows = epoch_examples(data, 64, seed=0, epoch=0)[:12]
    whole = make_batch(data, rows, np.arange(12), tokenizer, seed=0, epoch=0, pad_to=64)
    part = make_batch(data, rows[5:7], np.arange(5, 7), tokenizer, seed=0, epoch=0, pad_to=64)
    for name in ("input_ids", "token_type_ids", "attention_mask", "mlm_positions", "mlm_labels", "nsp_labels"):
        assert torch.equal(getattr(whole, name)[5:7], getattr(part, name)), name
    other_seed = make_batch(data, rows[5:7], np.arange(5, 7), tokenizer, seed=1, epoch=0, pad_to=64)
    assert not torch.equal(other_seed.mlm_positions, part.mlm_positions)


def split_in_three(small_corpus, folder):
    """small_corpus's documents as a plain file, a gzip file and a plain file (same documents, same order)."""
    import gzip

    documents = small_corpus.read_text().split("\n\n")
    folder.mkdir()
    thirds = [documents[:25], documents[25:45], documents[45:]]
    (folder / "a.txt").write_text("\n\n".join(thirds[0]) + "\n")
    (folder / "b.txt.gz").write_bytes(gzip.compress(("\n\n".join(thirds[1]) + "\n").encode()))
    (folder / "c.txt").write_text("\n\n".join(thirds[2]))
    return [folder / "a.txt", folder / "b.txt.gz", folder / "c.txt"]


def test_several_files_give_the_examples_of_their_concatenation(prepared, small_corpus, tmp_path):
    tokenizer, whole = prepared
    parts = tokenize_corpus(
        split_in_three(small_corpus, tmp_path / "parts"), tokenizer, tmp_path / "cache", log=lambda _: None
    )
    assert np.array_equal(parts.tokens, whole.tokens)
    assert np.array_equal(parts.document_starts, whole.document_starts)
    assert np.array_equal(epoch_examples(parts, 48, seed=3, epoch=1), epoch_examples(whole, 48, seed=3, epoch=1))


def test_held_out_documents_never_reach_training_and_the_first_files_keep_theirs(prepared, small_corpus, tmp_path):
    from model.pretraining.corpus import read_documents
    from model.pretraining.data import is_held_out

    tokenizer, _ = prepared
    more = tmp_path / "more"
    more.mkdir()
    (more / "extra.txt").write_text("".join(f"extra document {i} .\nits second line .\n\n" for i in range(80)))
    corpus = [small_corpus, more]
    data = tokenize_corpus(corpus, tokenizer, tmp_path / "both", log=lambda _: None)
    documents = list(read_documents(corpus))
    training = [d for i, d in enumerate(documents) if not is_held_out(i)]
    expected = [t for d in training for ids in tokenizer.encode_plain_batch(d) for t in ids]
    assert data.tokens.tolist() == expected  # exactly the documents not held out
    held_out = list(read_documents(tmp_path / "both" / "heldout_documents.txt"))
    assert held_out == [d for i, d in enumerate(documents) if is_held_out(i)]
    tokenize_corpus(small_corpus, tokenizer, tmp_path / "old", log=lambda _: None)
    old = list(read_documents(tmp_path / "old" / "heldout_documents.txt"))
    assert old and held_out[: len(old)] == old and len(held_out) > len(old)  # the old split stays measurable


def test_another_list_of_files_rebuilds_the_cache(prepared, small_corpus, tmp_path):
    tokenizer, _ = prepared
    files = split_in_three(small_corpus, tmp_path / "parts")
    fewer = tokenize_corpus(files[:2], tokenizer, tmp_path / "cache", log=lambda _: None)
    every = tokenize_corpus(files, tokenizer, tmp_path / "cache", log=lambda _: None)
    assert every.num_documents > fewer.num_documents
