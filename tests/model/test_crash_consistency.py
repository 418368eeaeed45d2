"""A save killed at any moment leaves a complete, loadable model: the old one or the new one.

Each test runs the save in a subprocess that SIGKILLs itself at kill point N (just before or just
after each rename, exchange and removal the save makes, and halfway through each removal), for
N = 1, 2, ... until a run finishes without reaching its point; after every kill the folder is
opened as a user would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import model
from model.atomic import leftovers_of

ROOT = Path(__file__).resolve().parents[2]

# Prepended to the code a subprocess runs: kill point N of the file-system steps that follow.
KILLER = textwrap.dedent("""
    import os, shutil, signal, sys
    import model.atomic as atomic

    from pathlib import Path

    KILL_AT, MODE, WATCHED = int(sys.argv[1]), sys.argv[2], tuple(os.environ["WATCHED"].split(","))
    reached = 0

    def point():
        global reached
        reached += 1
        if reached == KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)

    def killable(step, halfway=False):
        def run(*args, **kwargs):
            # WATCHED: only steps on paths whose name starts so are kill points (not, say, a cache's)
            if not any(Path(a).name.lstrip(".").startswith(WATCHED) for a in args if isinstance(a, (str, Path))):
                return step(*args, **kwargs)
            point()
            if halfway:  # the removal of a folder cut short after its first file
                files = [p for p in sorted(Path(args[0]).rglob("*")) if p.is_file()]
                if files:
                    os.unlink(files[0])
                    point()
            result = step(*args, **kwargs)
            point()
            return result
        return run

    if MODE == "fallback":  # as on a platform or file system without an atomic exchange
        atomic.swap_paths = lambda a, b: False
    atomic.swap_paths = killable(atomic.swap_paths)
    os.rename = killable(os.rename)
    os.replace = killable(os.replace)
    shutil.rmtree = killable(shutil.rmtree, halfway=True)
""")


def run_killed(
    code: str, kill_at: int, mode: str, *args: str, watched: tuple[str, ...] = ("",)
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLER + textwrap.dedent(code), str(kill_at), mode, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1", "WATCHED": ",".join(watched)},
    )


SAVE = """
    import torch
    from model.checkpoint import load_checkpoint, save_checkpoint
    loaded = load_checkpoint(sys.argv[3])
    with torch.no_grad():
        for p in loaded.network.parameters():
            p.fill_(0.5)  # the new model: every weight 0.5
    save_checkpoint(loaded.network, loaded.tokenizer, sys.argv[4])
"""


def first_weight(folder: Path) -> float:
    return float(next(model.load_checkpoint(folder).network.parameters()).detach().flatten()[0])


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_a_save_killed_at_each_step_leaves_the_old_or_the_new_model(hf_folder, tmp_path, mode):
    source, _ = hf_folder("BertForMaskedLM")
    target = tmp_path / "out"
    old = model.load_checkpoint(source)
    model.save_checkpoint(old.network, old.tokenizer, target)
    old_weight = first_weight(target)
    assert old_weight != 0.5

    outcomes = []
    for kill_at in range(1, 40):
        proc = run_killed(SAVE, kill_at, mode, str(source), str(target))
        if proc.returncode == 0:
            break
        assert proc.returncode == -9, proc.stderr  # killed at its point, not failed
        outcomes.append(first_weight(target))  # opening recovers what a fallback swap left aside
        model.save_checkpoint(old.network, old.tokenizer, target)  # back to the old model for the next point
        assert leftovers_of(target) == []  # that save removed what the killed one left
    else:
        pytest.fail("the save never finished")
    assert first_weight(target) == 0.5
    assert len(outcomes) >= (3 if mode == "exchange" else 4)  # every rename and removal was a kill point
    assert set(outcomes) <= {old_weight, 0.5} and 0.5 in outcomes  # both old and new were seen: no third state
    print(f"{mode}: {len(outcomes)} kill points, all left a loadable model")


def test_a_save_killed_where_no_model_was_leaves_nothing_or_the_model(hf_folder, tmp_path):
    source, _ = hf_folder("BertForMaskedLM")
    target = tmp_path / "new"
    kill_points = 0
    while True:
        kill_points += 1
        proc = run_killed(SAVE, kill_points, "exchange", str(source), str(target))
        if proc.returncode == 0:
            break
        assert proc.returncode == -9, proc.stderr
        if target.exists():
            assert first_weight(target) == 0.5
    assert kill_points > 1 and first_weight(target) == 0.5


PRETRAIN = """
    from model.cli import main
    sys.exit(main(["pretrain", "--corpus", sys.argv[3], "--out", sys.argv[4], "--vocab", sys.argv[5],
                   "--layers", "1", "--hidden", "16", "--heads", "2", "--intermediate", "32", "--max-len", "32",
                   "--batch-size", "4", "--max-steps", "2", "--checkpoint-every", "1", "--log-every", "1",
                   "--precision", "fp32", "--device", "cpu", *sys.argv[6:]]))
"""


def test_a_pretraining_run_killed_at_each_save_step_resumes(tmp_path):
    from model.pretraining.vocab import train_wordpiece

    small_corpus = tmp_path / "corpus.txt"
    documents = [
        "the cat sat on the mat .\nthe dog ran to the house .\na cat is small .",
        "paris is a city in france .\nlondon is a big city .\nthe river runs through it .",
    ] * 10
    small_corpus.write_text("\n\n".join(documents) + "\n")
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    train_wordpiece(small_corpus, 200, 32).save(vocab)
    resumed = 0
    for kill_at in range(1, 80):
        run = tmp_path / f"run-{kill_at}"
        # The steps of its saves: OUT/model's swap and removal, and training_state.pt's rename.
        proc = run_killed(
            PRETRAIN, kill_at, "exchange", str(small_corpus), str(run), str(vocab), watched=("model", "training_state")
        )
        if proc.returncode == 0:
            break
        assert proc.returncode == -9, proc.stderr
        again = run_killed(PRETRAIN, 0, "exchange", str(small_corpus), str(run), str(vocab), "--resume")
        if (run / "training_state.pt").is_file():
            assert again.returncode == 0, again.stderr  # a saved state always finds its model and vocabulary
            assert model.load_checkpoint(run / "model").config.num_hidden_layers == 1
            resumed += 1
        else:  # killed before its first checkpoint: nothing to resume, and it says so in one line
            assert again.returncode == 2 and "nothing to resume" in again.stderr
    else:
        pytest.fail("the run never finished")
    assert resumed >= 3
    print(f"pretraining: {kill_at - 1} kill points, {resumed} with a saved state, every one resumed")
