"""Token classification through the shared loop, on a tiny model and a learnable toy tagging
task: labels on first pieces only, long sentences, the saved folder in transformers, the CLI."""

from __future__ import annotations

import json
import random

import pytest
import torch

import model
from model.finetuning.token_datasets import load_token_dataset
from model.finetuning.token_trainer import IGNORED, TokenFineTuner, first_pieces, windows
from model.finetuning.trainer import FinetuneSettings, make_fine_tuner

ANIMALS = ["cat", "dog", "cats", "dogs"]
PLACES = ["paris", "london", "france"]
TWO_WORD_PLACES = [("big", "city"), ("new", "house")]
OTHER = ["the", "a", "sat", "ran", "on", "in", "is", "was", "time", "walked"]


def toy_sentence(rng: random.Random) -> list[tuple[str, str]]:
    """Words with BIO tags: ANI chunks of one word and LOC chunks of one or two among other words."""
    words = []
    for _ in range(rng.randint(2, 6)):
        kind = rng.random()
        if kind < 0.5:
            words.append((rng.choice(OTHER), "O"))
        elif kind < 0.7:
            words.append((rng.choice(ANIMALS), "B-ANI"))
        elif kind < 0.85:
            words.append((rng.choice(PLACES), "B-LOC"))
        else:
            first, second = rng.choice(TWO_WORD_PLACES)
            words += [(first, "B-LOC"), (second, "I-LOC")]
    return words


def conll(sentences) -> str:
    return "\n\n".join("\n".join(f"{w} X {t}" for w, t in s) for s in sentences) + "\n"


@pytest.fixture
def tagged(tmp_path):
    rng = random.Random(0)
    train, test = tmp_path / "train.txt", tmp_path / "test.txt"
    train.write_text(conll([toy_sentence(rng) for _ in range(96)]))
    test.write_text(conll([toy_sentence(rng) for _ in range(24)]))
    return train, test


def settings(folder, data, out, **overrides) -> FinetuneSettings:
    values = dict(
        task="tokens",
        train=str(data[0]),
        eval=str(data[1]),
        model=str(folder),
        out=str(out),
        epochs=8,
        batch_size=8,
        lr=3e-3,
        max_len=24,
        device="cpu",
        precision="fp32",
        log_every=1,
    )
    values.update(overrides)
    return FinetuneSettings(**values)


def test_first_pieces_and_windows():
    assert first_pieces([0, 0, 1, 2, 2, 2]) == [True, False, True, True, False, False]
    assert windows([0, 1, 1, 2, 3], 3) == [(0, 3), (3, 5)]
    assert windows([0, 1, 1, 2, 3], 2) == [(0, 1), (1, 3), (3, 5)]  # cut between words
    assert windows([0, 0, 0, 0, 1], 2) == [(0, 2), (2, 4), (4, 5)]  # one word longer than a window
    assert windows([], 4) == []


def test_labels_go_on_each_words_first_piece_only(hf_folder, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    train = tmp_path / "t.txt"
    train.write_text("walking X B-VP\nthe X B-NP\nmats X I-NP\n\nparis X B-NP\n")
    tuner = make_fine_tuner(settings(folder, (train, train), tmp_path / "out", batch_size=1))
    assert isinstance(tuner, TokenFineTuner)
    ids, labels = tuner.train_batches[0]
    tokens = [tuner.tokenizer.id_to_token(i) for i in ids]
    assert tokens == ["[CLS]", "walk", "##ing", "the", "mat", "##s", "[SEP]"]
    tag = {t: i for i, t in enumerate(tuner.labels)}
    assert labels == [IGNORED, tag["B-VP"], IGNORED, tag["B-NP"], tag["I-NP"], IGNORED, IGNORED]
    assert tuner.labels == ["B-NP", "I-NP", "B-VP"]  # by chunk type, B- before I-


def test_learns_a_tagging_task_and_saves_a_transformers_token_classifier(hf_folder, tagged, tmp_path):
    from transformers import BertForTokenClassification

    folder, _ = hf_folder("BertForMaskedLM")
    steps, evals = [], []
    tuner = make_fine_tuner(settings(folder, tagged, tmp_path / "out"))
    result = tuner.run(on_step=steps.append, on_eval=lambda s, m: evals.append(m))
    m = result.metrics
    assert m.scheme == "BIO" and m.score_name == "chunk F1" and m.f1 > 0.9 and m.accuracy > 0.9
    assert len(evals) == 8 and evals[-1] is m and steps[-1].step == result.steps == 96
    assert m.words == tuner.eval_set.words and {row.name for row in m.per_tag} == {"ANI", "LOC"}
    ours = model.load(result.output, device="cpu")
    assert ours.heads.classifier == "token" and not ours.heads.pooler
    assert ours.config.id2label == dict(enumerate(tuner.labels))
    ref = BertForTokenClassification.from_pretrained(result.output, attn_implementation="eager").eval()
    assert ref.config.id2label == ours.config.id2label and ref.config.label2id["B-ANI"] == tuner.labels.index("B-ANI")
    enc = ours.tokenize("the big city sat on a dog")
    ids = torch.tensor([enc.ids])
    with torch.no_grad():
        ref_logits = ref(input_ids=ids, token_type_ids=torch.zeros_like(ids)).logits
        our_logits = ours.network(ids, torch.zeros_like(ids)).classifier_logits
    assert ref_logits.shape == (1, 9, len(tuner.labels))
    assert (ref_logits - our_logits).abs().max() < 1e-5
    tags = [ours.config.id2label[i] for i in our_logits[0].argmax(-1).tolist()[1:-1]]
    assert tags == ["O", "B-LOC", "I-LOC", "O", "O", "O", "B-ANI"]
    word_tags = ours.tag("the big city sat on a dog")  # what the inspector and `predict` show
    assert [(t.word, t.tag, t.first) for t in word_tags] == list(
        zip("the big city sat on a dog".split(), tags, range(1, 8))
    )
    inspected = ours.inspect("the big city sat on a dog").word_tags  # the inspection's forward pass: same answer
    assert [(t.word, t.tag, t.first, t.last) for t in inspected] == [
        (t.word, t.tag, t.first, t.last) for t in word_tags
    ]
    for a, b in zip(inspected, word_tags, strict=True):
        assert list(a.probabilities) == list(b.probabilities)
        assert max(abs(a.probabilities[k] - b.probabilities[k]) for k in a.probabilities) < 1e-6


def test_our_loader_opens_a_token_classifier_saved_by_transformers(hf_folder):
    names = {0: "O", 1: "B-PER", 2: "I-PER"}
    folder, hf = hf_folder("BertForTokenClassification", id2label=names, label2id={v: k for k, v in names.items()})
    bert = model.load(folder, device="cpu")
    assert bert.heads.classifier == "token" and bert.config.id2label == names
    ids = torch.tensor([[2, 10, 11, 12, 3]])
    with torch.no_grad():
        ref = hf(input_ids=ids).logits
        ours = bert.network(ids).classifier_logits
    assert (ref - ours).abs().max() < 1e-5


def test_cli_predict_prints_each_words_tag(hf_folder, capsys):
    from model.cli import main

    names = {0: "O", 1: "B-PER", 2: "I-PER"}
    folder, _ = hf_folder("BertForTokenClassification", id2label=names, label2id={v: k for k, v in names.items()})
    expected = model.load(folder, device="cpu").tag("the cat sat")
    capsys.readouterr()
    assert main(["predict", "the cat sat", "--model", str(folder), "--device", "cpu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == " ".join(f"{t.word}/{t.tag}" for t in expected) and lines[0].startswith("the/")
    assert [line.split()[0] for line in lines[1:]] == ["the", "cat", "sat"]
    assert main(["predict", "the cat sat", "--model", str(folder), "--device", "cpu", "--json"]) == 0
    words = json.loads(capsys.readouterr().out)["words"]
    assert [(w["word"], w["tag"]) for w in words] == [(t.word, t.tag) for t in expected]
    assert abs(sum(words[0]["probabilities"].values()) - 1) < 1e-6 and set(words[0]["probabilities"]) == set(
        names.values()
    )


def test_a_sequence_model_refuses_to_tag(hf_folder):
    folder, _ = hf_folder("BertForMaskedLM")
    with pytest.raises(model.CapabilityError, match="no token-classification head"):
        model.load(folder, device="cpu").tag("the cat")


def test_long_sentences_are_cut_for_training_and_read_in_pieces_for_evaluation(hf_folder, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    long = [("the", "O")] * 10 + [("cat", "B-ANI")] * 4
    data = tmp_path / "long.txt"
    data.write_text(conll([long, [("a", "O"), ("dog", "B-ANI")]]))
    tuner = make_fine_tuner(settings(folder, (data, data), tmp_path / "out", max_len=8, batch_size=1, max_steps=2))
    assert tuner.notes[0] == (
        "1 training sentence of 2 is longer than 8 tokens and was cut: 8 words at their ends are not trained on "
        "(a larger maximum length keeps them)"
    )
    assert tuner.notes[1].startswith("1 evaluation sentence longer than 8 tokens is read in pieces")
    assert max(len(ids) for ids, _ in tuner.train_batches) == 8
    assert sorted(w.sentence for w in tuner.eval_batches) == [0, 0, 0, 1]
    m = tuner.run().metrics
    assert m.words == 16 and m.confusion.sum() == 16  # every word scored


def test_unseen_evaluation_tags_are_said_and_scored_as_errors(hf_folder, tagged, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    test = tmp_path / "odd.txt"
    test.write_text("the X O\ncat X B-PET\n")
    tuner = make_fine_tuner(settings(folder, (tagged[0], test), tmp_path / "out", max_steps=1))
    assert "B-PET" in tuner.labels and tuner.notes == [
        "the tag 'B-PET' of odd.txt never occurs in train.txt: the model cannot learn it, so 1 word count as errors"
    ]


def test_a_held_out_split_and_a_cancel_keep_the_last_checkpoint(hf_folder, tagged, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    tuner = make_fine_tuner(settings(folder, tagged, tmp_path / "out", eval=None, checkpoint_every=2))
    assert len(tuner.eval_set) == 10 and tuner.eval_set.part == "held-out split"
    calls = []
    result = tuner.run(should_stop=lambda: len(calls.append(1) or calls) > 3)
    assert result.metrics is None and result.steps == 3 and result.output == tmp_path / "out"
    assert model.load(result.output, device="cpu").heads.classifier == "token"


def test_same_seed_same_result(hf_folder, tagged, tmp_path):
    folder, _ = hf_folder("BertForMaskedLM")
    a = make_fine_tuner(settings(folder, tagged, tmp_path / "a", max_steps=3))
    a.run()
    b = make_fine_tuner(settings(folder, tagged, tmp_path / "b", max_steps=3))
    b.run()
    for (name, x), y in zip(a.network.state_dict().items(), b.network.state_dict().values()):
        assert torch.equal(x, y), name


def test_cli_finetune_tokens_prints_the_chunk_scores(hf_folder, tagged, tmp_path, capsys):
    from model.cli import main

    folder, _ = hf_folder("BertForMaskedLM")
    capsys.readouterr()
    args = ["finetune", "--task", "tokens", "--train", str(tagged[0]), "--eval", str(tagged[1])]
    args += ["--model", str(folder), "--out", str(tmp_path / "tagger"), "--epochs", "8", "--batch-size", "8"]
    args += ["--lr", "3e-3", "--max-len", "24", "--device", "cpu", "--tag-column", "3"]
    assert main(args) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("96 training sentences (") and "tags: O, B-ANI, B-LOC, I-LOC; 96 steps" in lines[0]
    assert any(line.startswith("eval at step 96: loss") and "chunk F1" in line for line in lines)
    final = next(line for line in lines if line.startswith("final chunk F1"))
    table = lines[lines.index(final) + 1 : -1]
    assert table[0].split()[:2] == ["chunk", "type"] and [row.split()[0] for row in table[1:]] == ["ANI", "LOC"]
    last = json.loads(lines[-1])
    assert last["f1"] > 0.9 and last["scheme"] == "BIO" and set(last["per_tag"]) == {"ANI", "LOC"}
    assert last["output"] == str(tmp_path / "tagger")


def test_cli_refuses_a_bad_tagged_file_with_one_line(hf_folder, tmp_path, capsys):
    from model.cli import main

    folder, _ = hf_folder("BertForMaskedLM")
    bad = tmp_path / "bad.txt"
    bad.write_text("the DT B-NP\ncat NN\n")
    capsys.readouterr()
    code = main(
        ["finetune", "--task", "tokens", "--train", str(bad), "--model", str(folder), "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "bad.txt, line 2: 2 columns, but the first word's line has 3" in err
    with pytest.raises(SystemExit) as exit_code:  # argparse's refusal, before anything loads
        main(["finetune", "--task", "tokens", "--train", str(bad), "--out", "o", "--tag-column", "1"])
    assert exit_code.value.code == 2
    assert "1 is too small: give at least 2" in capsys.readouterr().err


def test_two_processes_match_one_with_the_same_global_batch(hf_folder, tagged, tmp_path, torchrun):
    """The evaluation's counts are summed across ranks: the scores are the whole evaluation data's."""
    from safetensors.torch import load_file

    folder, _ = hf_folder("BertForMaskedLM")
    common = ["finetune", "--task", "tokens", "--train", str(tagged[0]), "--eval", str(tagged[1])]
    common += ["--model", str(folder), "--max-steps", "4", "--lr", "1e-3", "--max-len", "24", "--dropout", "0"]
    common += ["--device", "cpu", "--precision", "fp32"]
    single = torchrun([*common, "--batch-size", "8", "--out", str(tmp_path / "one")], processes=1)
    assert single.returncode == 0, single.stderr
    double = torchrun([*common, "--batch-size", "4", "--out", str(tmp_path / "two")], processes=2)
    assert double.returncode == 0, double.stderr[-3000:]
    one = json.loads(single.stdout.strip().splitlines()[-1])
    two = json.loads(double.stdout.strip().splitlines()[-1])
    assert one["words"] == two["words"] == load_token_dataset(tagged[1]).words
    assert abs(one["f1"] - two["f1"]) < 1e-9 and abs(one["eval_loss"] - two["eval_loss"]) < 1e-4
    a, b = (load_file(str(tmp_path / name / "model.safetensors")) for name in ("one", "two"))
    for key in a:
        assert torch.allclose(a[key], b[key], atol=1e-5), key
