"""The inspection API the GUI calls: one forward pass, everything as float32 NumPy arrays."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import model


@pytest.fixture
def bert(hf_folder):
    folder, _ = hf_folder("BertForPreTraining", attn_implementation="eager")
    return model.load(folder, device="cpu")


def test_shapes_dtypes_and_consistency(bert):
    r = bert.inspect("the cat sat on the [MASK] .", "a dog ran .")
    T = len(r.tokens)
    L, H, D = 2, 4, 32
    assert r.tokens[0] == "[CLS]" and r.tokens.count("[SEP]") == 2
    assert r.attentions.shape == (L, H, T, T) and r.attentions.dtype == np.float32
    assert r.attentions.flags["C_CONTIGUOUS"]
    assert r.hidden_states.shape == (L + 1, T, D) and r.hidden_states.dtype == np.float32
    for part in (r.token_embeddings, r.segment_embeddings, r.position_embeddings, r.normalized_sum):
        assert part.shape == (T, D) and part.dtype == np.float32
    assert np.allclose(r.attentions.sum(-1), 1, atol=1e-5)
    assert np.array_equal(r.normalized_sum, r.hidden_states[0])
    assert list(r.segment_ids) == [0] * 9 + [1] * 5
    assert r.offsets.shape == (T, 2) and r.special_tokens_mask.sum() == 3
    assert 0.0 <= r.nsp_is_next <= 1.0
    emb = bert.network.bert.embeddings
    assert np.allclose(r.token_embeddings[1], emb.word_embeddings.weight[r.input_ids[1]].detach().numpy())


def test_attentions_match_transformers(hf_folder):
    folder, hf = hf_folder("BertForMaskedLM", attn_implementation="eager")
    bert = model.load(folder, device="cpu")
    r = bert.inspect("the cat sat on the [MASK] .")
    with torch.no_grad():
        ref = hf(input_ids=torch.from_numpy(r.input_ids)[None], output_attentions=True, output_hidden_states=True)
    assert np.allclose(r.attentions, torch.stack(ref.attentions)[:, 0].numpy(), atol=1e-5)
    assert np.allclose(r.hidden_states, torch.stack(ref.hidden_states)[:, 0].numpy(), atol=1e-5)
    probs = ref.logits[0, r.fill_mask[0].index].softmax(-1)
    top = probs.topk(5)
    assert [p.token_id for p in r.fill_mask[0].predictions[:5]] == top.indices.tolist()
    assert np.allclose([p.score for p in r.fill_mask[0].predictions[:5]], top.values.numpy(), atol=1e-6)


def test_several_masks_and_top_k(bert):
    r = bert.inspect("[MASK] cat [MASK] on the [MASK]", top_k=3)
    assert [m.index for m in r.fill_mask] == [1, 3, 6]
    for m in r.fill_mask:
        scores = [p.score for p in m.predictions]
        assert len(scores) == 3 and scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1


def test_all_positions_scores_every_token(bert):
    r = bert.inspect("the cat [MASK] on the mat", all_positions=True, top_k=2)
    T = len(r.tokens)
    assert len(r.position_predictions) == T and r.token_probabilities.shape == (T,)
    assert [m.index for m in r.fill_mask] == [3]
    assert r.fill_mask[0].predictions == r.position_predictions[3].predictions
    assert np.all((r.token_probabilities > 0) & (r.token_probabilities <= 1))


def test_head_mask_is_applied_and_reported(bert):
    mask = np.ones((2, 4), dtype=np.float32)
    mask[1, 3] = 0
    r = bert.inspect("the cat [MASK] .", head_mask=mask)
    assert np.array_equal(r.head_mask, mask)
    assert r.attentions[1, 3].max() == 0 and r.attentions[1, 2].max() > 0
    full = bert.inspect("the cat [MASK] .")
    assert np.array_equal(full.hidden_states[1], r.hidden_states[1])
    assert not np.allclose(full.hidden_states[2], r.hidden_states[2])
    with pytest.raises(model.BertError, match=r"head_mask must have shape \(2, 4\)"):
        bert.inspect("the cat", head_mask=np.ones((3, 4)))


@pytest.mark.parametrize("text", ["", "   ", "😀🐱", "\x00\x01", "猫 café " * 5, "x " * 50_000])
def test_odd_inputs_give_a_result(bert, text):
    r = bert.inspect(text)
    assert r.tokens[0] == "[CLS]" and r.tokens[-1] == "[SEP]"
    assert r.attentions.shape[-1] == len(r.tokens) <= bert.config.max_position_embeddings
    assert r.truncated == (len(text) > 10_000)


def test_no_nsp_probability_for_a_single_sentence(bert):
    assert bert.inspect("the cat").nsp_is_next is None


def test_sinusoidal_model_inspects(tmp_path, vocab_file):
    from model.tokenizer import BertTokenizer

    config = model.BertConfig(
        vocab_size=200,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=16,
        position_embedding_type="sinusoidal",
    )
    net = model.BertWithHeads(config, model.HeadSpec())
    net.init_weights()
    model.save_checkpoint(net, BertTokenizer.from_folder(vocab_file.parent, 16), tmp_path / "sin")
    bert = model.load(tmp_path / "sin", device="cpu")
    r = bert.inspect("the cat sat")
    from model.embeddings import sinusoidal_table

    assert np.allclose(r.position_embeddings, sinusoidal_table(16, 16)[: len(r.tokens)].numpy())


def test_parameter_counts_add_up_and_count_tied_weights_once(bert):
    counts = bert.parameter_counts()
    assert sum(counts.values()) == bert.parameter_count()
    assert list(counts)[:3] == ["embeddings", "layer 0 attention", "layer 0 feed-forward"]
    assert {"pooler", "masked-LM head", "next-sentence head"} <= set(counts)
    assert bert.position_embedding_table().shape == (40, 32)


@pytest.mark.parametrize("all_positions", [False, True])
def test_logit_lens_at_the_last_layer_is_fill_mask(bert, all_positions):
    r = bert.inspect("[MASK] cat [MASK] on the mat", top_k=4, all_positions=all_positions, logit_lens=True)
    assert [lens.index for lens in r.logit_lens] == [m.index for m in r.fill_mask] == [1, 3]
    for m, lens in zip(r.fill_mask, r.logit_lens):
        last = lens.layers[-1]
        assert [p.token for p in last] == [p.token for p in m.predictions]
        assert np.allclose([p.score for p in last], [p.score for p in m.predictions], atol=1e-6, rtol=0)


def test_logit_lens_shapes_and_final_probability_curve(bert):
    r = bert.inspect("the [MASK] sat on the [MASK] .", top_k=3, logit_lens=True)
    curve = r.logit_lens_final_probability
    assert curve.shape == (2 + 1, 2) and curve.dtype == np.float32 and curve.flags["C_CONTIGUOUS"]
    for m, lens in enumerate(r.logit_lens):
        assert len(lens.layers) == 3 and all(len(layer) == 3 for layer in lens.layers)
        assert curve[-1, m] == pytest.approx(lens.layers[-1][0].score, abs=1e-6)
        # Every layer is the MLM head applied to that layer's hidden state at the [MASK].
        hidden = torch.from_numpy(r.hidden_states[:, lens.index])  # (layers + 1, hidden)
        with torch.no_grad():
            probs = bert.network.cls.predictions(hidden).softmax(-1)
        assert np.allclose(curve[:, m], probs[:, lens.layers[-1][0].token_id].numpy(), atol=1e-6)
        assert [layer[0].token_id for layer in lens.layers] == probs.argmax(-1).tolist()


def test_logit_lens_is_opt_in_and_empty_without_masks(bert):
    assert bert.inspect("the [MASK] sat").logit_lens is None
    r = bert.inspect("the cat sat", logit_lens=True)
    assert r.logit_lens == [] and r.logit_lens_final_probability.shape == (3, 0)


def test_no_logit_lens_without_an_mlm_head(hf_folder):
    folder, _ = hf_folder("BertModel")
    r = model.load(folder, device="cpu").inspect("the [MASK] sat", logit_lens=True)
    assert r.logit_lens is None and r.logit_lens_final_probability is None and r.fill_mask == []


def full_softmax(bert, text, text_b=None, head_mask=None):
    """P(token) at every position from the network's vocabulary projection everywhere, computed
    here with torch directly: (T, vocab)."""
    enc = bert.tokenize(text, text_b)
    weights = None if head_mask is None else torch.from_numpy(head_mask)
    with torch.no_grad():
        out = bert.network(
            torch.tensor([enc.ids]), torch.tensor([enc.segment_ids]), head_mask=weights, nsp=False, classify=False
        )
    return out.mlm_logits[0].softmax(-1)


def test_candidate_scores_are_the_full_softmaxs_probability_and_rank(bert):
    text = "the [MASK] sat on the [MASK] ."
    r = bert.inspect(text, candidates=("France", "walking", "cat"))
    probs = full_softmax(bert, text)
    assert [c.word for c in r.candidate_scores] == ["France", "walking", "cat"]
    assert [c.pieces for c in r.candidate_scores] == [["france"], ["walk", "##ing"], ["cat"]]
    for c in r.candidate_scores:
        assert c.probabilities.shape == c.ranks.shape == (2, len(c.pieces)) and c.probabilities.dtype == np.float32
        assert c.vocabulary_size == probs.shape[-1]
        for m, mask in enumerate(r.fill_mask):
            order = probs[mask.index].argsort(descending=True).tolist()  # the whole vocabulary, best first
            for piece, token_id in enumerate(c.piece_ids):
                assert c.probabilities[m, piece] == pytest.approx(float(probs[mask.index, token_id]), rel=1e-5)
                assert c.ranks[m, piece] == order.index(token_id) + 1
    top = r.fill_mask[0].predictions[0]  # the top prediction is rank 1
    assert bert.inspect(text, candidates=(top.token,)).candidate_scores[0].ranks[0, 0] == 1


def test_candidates_cost_nothing_unless_asked_and_need_no_mask(bert):
    assert bert.inspect("the [MASK] sat").candidate_scores is None
    (c,) = bert.inspect("the cat sat", candidates=("dog",)).candidate_scores
    assert c.pieces == ["dog"] and c.probabilities.shape == (0, 1)


def test_all_heads_on_predictions_beside_those_with_heads_off(bert):
    text = "the cat [MASK] on the [MASK] ."
    mask = np.ones((2, 4), dtype=np.float32)
    mask[0, 2] = mask[1, 1] = 0
    r = bert.inspect(text, head_mask=mask, compare_all_heads_on=True, top_k=5)
    now, before = bert.inspect(text, head_mask=mask, top_k=5), bert.inspect(text, top_k=5)
    for shown, expected in ((r.fill_mask, now.fill_mask), (r.fill_mask_all_heads_on, before.fill_mask)):
        assert [m.index for m in shown] == [m.index for m in expected]
        for m, e in zip(shown, expected):
            assert [p.token_id for p in m.predictions] == [p.token_id for p in e.predictions]
            assert np.allclose([p.score for p in m.predictions], [p.score for p in e.predictions], atol=1e-6)
    assert not np.allclose(
        [p.score for p in r.fill_mask[1].predictions], [p.score for p in before.fill_mask[1].predictions]
    )
    # No extra pass when every head is on, or when there is no [MASK] to compare.
    assert bert.inspect(text, compare_all_heads_on=True).fill_mask_all_heads_on is None
    assert bert.inspect("the cat sat", head_mask=mask, compare_all_heads_on=True).fill_mask_all_heads_on is None


@pytest.mark.parametrize("chunk_tokens", [4096, 20])  # 20: a copy or two per pass, so several passes
def test_masked_scores_equal_masking_each_position_by_hand(bert, monkeypatch, chunk_tokens):
    import model.inspection

    monkeypatch.setattr(model.inspection, "PLL_CHUNK_TOKENS", chunk_tokens)
    text, text_b = "the cat sat on the [MASK] .", "a dog ran"
    mask = np.ones((2, 4), dtype=np.float32)
    mask[1, 3] = 0  # the scores are the model's as it is now, heads off included
    r = bert.inspect(text, text_b, head_mask=mask, masked_positions=True, top_k=3)
    vocabulary = bert.tokenizer.vocab_size
    scored = [i for i, t in enumerate(r.tokens) if t not in ("[CLS]", "[SEP]", "[MASK]")]
    assert [m.index for m in r.masked_position_predictions] == scored
    assert np.isnan(np.delete(r.masked_token_probabilities, scored)).all()
    for m in r.masked_position_predictions:
        i = m.index
        hidden = r.tokens.copy()
        hidden[i] = "[MASK]"
        a, b = hidden[1 : r.tokens.index("[SEP]")], hidden[r.tokens.index("[SEP]") + 1 : -1]
        by_hand = bert.inspect(" ".join(a), " ".join(b), head_mask=mask, top_k=vocabulary)
        (at_i,) = [f for f in by_hand.fill_mask if f.index == i]
        expected = {p.token_id: p.score for p in at_i.predictions}[int(r.input_ids[i])]
        assert r.masked_token_probabilities[i] == pytest.approx(expected, rel=1e-4)
        assert [p.token_id for p in m.predictions] == [p.token_id for p in at_i.predictions[:3]]
    assert r.pseudo_log_likelihood == pytest.approx(np.log(r.masked_token_probabilities[scored]).sum(), rel=1e-5)
    assert r.token_probabilities is None  # the as-seen scores are another request


def test_masked_scoring_is_opt_in(bert):
    r = bert.inspect("the cat sat")
    assert r.masked_token_probabilities is None and r.pseudo_log_likelihood is None
    assert r.masked_position_predictions is None
