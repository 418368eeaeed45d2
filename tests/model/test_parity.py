"""Our model, loader and saver against transformers (the reference) on small random models."""

from __future__ import annotations

import pytest
import torch

import model

TOL = 1e-5


def reference_outputs(hf, ids, types, mask):
    with torch.no_grad():
        return hf(
            input_ids=ids, token_type_ids=types, attention_mask=mask, output_attentions=True, output_hidden_states=True
        )


def ours(bert, ids, types, mask):
    with torch.no_grad():
        return bert.network(ids, types, mask, output_attentions=True, output_hidden_states=True)


def batch_inputs(vocab_size: int):
    """A padded batch: a pair of length 12 and a single sentence padded from 7 to 12."""
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(5, vocab_size, (2, 12), generator=g)
    ids[:, 0] = 2  # [CLS]
    ids[0, 6] = ids[0, 11] = 3  # [SEP] A [SEP] B [SEP]
    ids[1, 6] = 3
    ids[1, 7:] = 0  # [PAD]
    ids[0, 3] = ids[1, 2] = 4  # [MASK]
    types = torch.zeros_like(ids)
    types[0, 7:] = 1
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    return ids, types, mask


def assert_close(ours_t, ref_t, valid):
    """Compare at real tokens only: padded rows are garbage in both models."""
    diff = (ours_t - ref_t).abs()[valid.bool()]
    assert diff.max().item() < TOL, diff.max().item()


def assert_attentions_close(ours_list, ref_list, valid):
    assert len(ours_list) == len(ref_list)
    for a, b in zip(ours_list, ref_list):
        assert a.shape == b.shape
        diff = (a - b).abs().permute(0, 2, 1, 3)[valid.bool()]  # (valid query rows, heads, T)
        assert diff.max().item() < TOL


@pytest.mark.parametrize(
    "hf_class",
    [
        "BertForPreTraining",
        "BertForMaskedLM",
        "BertForSequenceClassification",
        "BertModel",
        "BertForTokenClassification",
    ],
)
@pytest.mark.parametrize("case", ["single", "pair", "padded"])
def test_loaded_checkpoint_matches_transformers(hf_folder, hf_class, case):
    folder, hf = hf_folder(hf_class, attn_implementation="eager", num_labels=3)
    bert = model.load(folder, device="cpu")
    ids, types, mask = batch_inputs(hf.config.vocab_size)
    if case == "single":
        ids, types, mask = ids[1:, :7], types[1:, :7], mask[1:, :7]
    elif case == "pair":
        ids, types, mask = ids[:1], types[:1], mask[:1]
    ref = reference_outputs(hf, ids, types, mask)
    out = ours(bert, ids, types, mask)

    assert_close(out.encoder.last_hidden_state, ref.hidden_states[-1], mask)
    for a, b in zip(out.encoder.hidden_states, ref.hidden_states, strict=True):
        assert_close(a, b, mask)
    assert_attentions_close(out.encoder.attentions, ref.attentions, mask)
    if hf_class in ("BertForPreTraining", "BertForMaskedLM"):
        logits = ref.prediction_logits if hf_class == "BertForPreTraining" else ref.logits
        assert_close(out.mlm_logits, logits, mask)
    if hf_class == "BertForPreTraining":
        assert (out.nsp_logits - ref.seq_relationship_logits).abs().max() < TOL
    if hf_class == "BertForSequenceClassification":
        assert (out.classifier_logits - ref.logits).abs().max() < TOL
    if hf_class == "BertForTokenClassification":
        assert_close(out.classifier_logits, ref.logits, mask)


def test_heads_follow_the_checkpoint(hf_folder):
    expected = {
        "BertForPreTraining": (True, True, None),
        "BertForMaskedLM": (True, False, None),
        "BertModel": (False, False, None),
        "BertForSequenceClassification": (False, False, "sequence"),
        "BertForTokenClassification": (False, False, "token"),
    }
    for name, (mlm, nsp, classifier) in expected.items():
        folder, _ = hf_folder(name, num_labels=2)
        heads = model.load(folder, device="cpu").heads
        assert (heads.mlm, heads.nsp, heads.classifier) == (mlm, nsp, classifier), name


@pytest.mark.parametrize("hf_class", ["BertForPreTraining", "BertForMaskedLM", "BertForSequenceClassification"])
def test_saved_folder_loads_in_transformers_with_same_logits(hf_folder, tmp_path, hf_class):
    import transformers

    folder, _ = hf_folder(hf_class, seed=3, num_labels=4)
    bert = model.load(folder, device="cpu")
    out_dir = bert.save(tmp_path / "ours")
    ref = getattr(transformers, hf_class).from_pretrained(out_dir, attn_implementation="eager").eval()
    ids, types, mask = batch_inputs(bert.config.vocab_size)
    r = reference_outputs(ref, ids, types, mask)
    o = ours(bert, ids, types, mask)
    if hf_class == "BertForPreTraining":
        assert_close(o.mlm_logits, r.prediction_logits, mask)
        assert (o.nsp_logits - r.seq_relationship_logits).abs().max() < TOL
    elif hf_class == "BertForMaskedLM":
        assert_close(o.mlm_logits, r.logits, mask)
    else:
        assert (o.classifier_logits - r.logits).abs().max() < TOL
        assert ref.config.id2label == bert.config.id2label


def test_saved_tokenizer_matches_in_transformers(hf_folder, tmp_path):
    from transformers import AutoTokenizer

    folder, _ = hf_folder("BertForMaskedLM")
    bert = model.load(folder, device="cpu")
    out_dir = bert.save(tmp_path / "ours")
    ref = AutoTokenizer.from_pretrained(out_dir)
    for text in ["The cat sat on the [MASK].", "Hello, WORLD! café 猫"]:
        assert ref(text)["input_ids"] == bert.tokenize(text).ids


def test_untied_decoder_is_kept(hf_folder):
    folder, hf = hf_folder("BertForMaskedLM", tie_word_embeddings=False)
    with torch.no_grad():
        hf.cls.predictions.decoder.weight.add_(0.5)  # make it really differ from the embeddings
    hf.save_pretrained(folder)
    bert = model.load(folder, device="cpu")
    decoder = bert.network.cls.predictions.decoder.weight
    assert decoder.data_ptr() != bert.network.bert.embeddings.word_embeddings.weight.data_ptr()
    ids, types, mask = batch_inputs(hf.config.vocab_size)
    assert_close(ours(bert, ids, types, mask).mlm_logits, reference_outputs(hf, ids, types, mask).logits, mask)
