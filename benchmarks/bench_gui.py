"""GUI responsiveness, measured on the real window offscreen.

- edit latency: from a change of the text (as a keystroke makes it) to every view updated and
  the window repainted, median over 50 edits; for the chosen model at 32 tokens and for a
  BERT-base-sized model (random weights) at 128 tokens;
- launch: from process start to the first painted main window (a fresh interpreter);
- peak memory (max resident set size) of the process after the edits, and for BERT-base-sized
  at 512 tokens with all 144 heads drawn;
- the Computation tab: from a change of head or query token to the step-through and neuron
  panels redrawn and painted, and from a change of layer to its trace (run on the worker)
  drawn and painted, median over the switches, for the same two models and lengths;
- word mode in the Attention tab, BERT-base-sized at 128 tokens, a quarter of the words split in
  two pieces: what word mode adds to a change of head (the large map redrawn and painted) and to
  a new input drawn (every thumbnail too), median over the redraws.

    python benchmarks/bench_gui.py [--model DIR] [--edits 50] [--skip-base]

Goals (issue 4): 150 ms at 32 tokens with the bundled model, 300 ms at 128 tokens for
BERT-base-sized, first paint within 2 s, 700 MB with the bundled model, 1.5 GB with
BERT-base-sized at 512 tokens. Issue 20: switching layer, head or query token in the
Computation tab within 50 ms with the bundled model and 150 ms BERT-base-sized at 128 tokens.
Issue 23: word mode adds at most 10 ms to a redraw at 128 tokens.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "the cat sat on a warm mat while the old dog slept near the open door of a small house "
    "in the quiet town by the river and the children played"
).split()


def sentence(n_tokens: int, variant: int) -> str:
    """About n_tokens word pieces ([CLS]/[SEP] included), different for each variant, one [MASK]."""
    words = [WORDS[(i + variant) % len(WORDS)] for i in range(n_tokens - 3)]
    words[len(words) // 2] = "[MASK]"
    return " ".join(words) + "."


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_edits(model_dir: str | None, n_tokens: int, edits: int) -> tuple[float, int]:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from bertgui.controller import Controller
    from bertgui.main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major")
    app = QApplication.instance() or QApplication([])
    controller = Controller()
    window = MainWindow(controller, show_dialogs=False)
    window.tabs.setCurrentWidget(window.attention_view)
    window.show()
    done = {"flag": False}
    controller.modelLoaded.connect(lambda _: done.update(flag=True))
    controller.load_model(model_dir, "cpu")
    while not done["flag"]:
        app.processEvents()
        time.sleep(0.005)
    times = []
    arrived: list = []
    controller.inspectionReady.connect(arrived.append)  # connected after the window: runs after it rendered
    for i in range(edits + 3):
        arrived.clear()
        start = time.perf_counter()
        window.text_a.setText(sentence(n_tokens, i))
        while not arrived:
            app.processEvents()
            time.sleep(0.0005)
        window.repaint()  # the paint of every updated view
        app.processEvents()
        if i >= 3:  # warm-up edits are not counted
            times.append(time.perf_counter() - start)
    tokens = len(arrived[-1].tokens)
    window.close()
    return statistics.median(times) * 1000, tokens


def measure_computation(model_dir: str | None, n_tokens: int, switches: int) -> tuple[float, float, int]:
    """Median ms of a head or token switch and of a layer switch in the Computation tab, with
    the step-through panel shown (the neuron panel redraws with it: both follow the selection)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from bertgui.controller import Controller
    from bertgui.main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major")
    app = QApplication.instance() or QApplication([])
    controller = Controller()
    window = MainWindow(controller, show_dialogs=False)
    view = window.computation_view
    window.tabs.setCurrentWidget(view)
    view.set_panel(2)  # one layer, step by step
    window.show()
    traces: list = []
    controller.layerTraceReady.connect(traces.append)  # after the view: runs once it has drawn

    def wait(condition) -> None:
        while not condition():
            app.processEvents()
            time.sleep(0.0005)

    loaded: list = []
    controller.modelLoaded.connect(loaded.append)
    controller.load_model(model_dir, "cpu")
    wait(lambda: loaded)
    window.text_a.setText(sentence(n_tokens, 0))
    wait(lambda: traces and controller.inspection is not None and traces[-1].tokens == controller.inspection.tokens)
    tokens = len(traces[-1].tokens)
    layers, heads = view.layer_combo.count(), view.head_combo.count()
    selection, layer_switch = [], []
    for i in range(switches + 2):
        start = time.perf_counter()
        combo, count = (view.head_combo, heads) if i % 2 else (view.token_combo, tokens)
        combo.setCurrentIndex((combo.currentIndex() + 1) % count)
        window.repaint()
        app.processEvents()
        if i >= 2:
            selection.append(time.perf_counter() - start)
    for i in range(switches + 2):
        traces.clear()
        start = time.perf_counter()
        view.layer_combo.setCurrentIndex((view.layer_combo.currentIndex() + 1) % layers)
        wait(lambda: traces)
        window.repaint()
        app.processEvents()
        if i >= 2:
            layer_switch.append(time.perf_counter() - start)
    window.close()
    return statistics.median(selection) * 1000, statistics.median(layer_switch) * 1000, tokens


def split_sentence(n_tokens: int) -> str:
    """About n_tokens word pieces, every fourth word ending in "s": two pieces ("cat ##s")."""
    words, pieces = [], 2  # [CLS] and [SEP]
    for i in range(n_tokens):
        split = i % 4 == 3
        if pieces + 1 + split > n_tokens:
            break
        words.append(WORDS[i % len(WORDS)] + ("s" if split else ""))
        pieces += 1 + split
    return " ".join(words)


def measure_words(model_dir: str, n_tokens: int, repeats: int) -> tuple[float, float, float, float, int, int]:
    """Median ms of a change of head, and of a new input drawn, in the Attention tab, pieces then
    words; and the input's tokens and words."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from bertgui.controller import Controller
    from bertgui.main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major")
    app = QApplication.instance() or QApplication([])
    controller = Controller()
    window = MainWindow(controller, show_dialogs=False)
    view = window.attention_view
    window.tabs.setCurrentWidget(view)
    window.show()
    arrived: list = []
    controller.inspectionReady.connect(arrived.append)
    controller.load_model(model_dir, "cpu")
    while not arrived:
        app.processEvents()
        time.sleep(0.005)
    arrived.clear()
    window.text_a.setText(split_sentence(n_tokens))
    while not arrived:
        app.processEvents()
        time.sleep(0.005)
    r = arrived[-1]

    def timed(action) -> float:
        times = []
        for i in range(repeats + 2):
            start = time.perf_counter()
            action(i)
            window.repaint()
            app.processEvents()
            if i >= 2:
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    heads = view.head_combo.count()
    results = []
    for words in (False, True):
        view.words_box.setChecked(words)
        if words:  # while word mode is on, inspections bring the word attentions, made on the worker
            arrived.clear()
            controller.inspect_now()
            while not arrived:
                app.processEvents()
                time.sleep(0.005)
            r = arrived[-1]
        results.append(timed(lambda i: view.head_combo.setCurrentIndex((view.head_combo.currentIndex() + 1) % heads)))
        results.append(timed(lambda i: view.show_inspection(r)))
    window.close()
    piece_switch, piece_input, word_switch, word_input = results
    return piece_switch, word_switch, piece_input, word_input, len(r.tokens), len(r.words.words)


def measure_launch(model_dir: str | None) -> float:
    """Seconds from interpreter start to the first paint of the main window."""
    code = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT)!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QEvent
from PySide6.QtWidgets import QApplication
started = {{}}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "t" not in started:
            started["t"] = time.time()
            print(started["t"], flush=True)  # now: closing leaves the loading worker, ending the process at once
            obj.close()
        return False
app = QApplication([])
watcher = FirstPaint()
from bertgui import app as bertgui_app
import bertgui.main_window as mw
original_show = mw.MainWindow.show
def show(self):
    self.installEventFilter(watcher)
    original_show(self)
mw.MainWindow.show = show
bertgui_app.main(["--text", "The cat sat on the [MASK]."] + ({["--model", model_dir] if model_dir else []!r}))
"""
    launch = time.time()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return float(proc.stdout.strip().splitlines()[-1]) - launch


def base_model_folder(folder: Path) -> str:
    """A BERT-base-sized checkpoint with random weights (for timing only)."""
    import torch

    import model
    from model.tokenizer import BertTokenizer

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, ".", "##s"]
    vocab += [f"w{i}" for i in range(30522 - len(vocab))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    config = model.BertConfig()
    torch.manual_seed(0)
    net = model.BertWithHeads(config, model.HeadSpec())
    net.init_weights()
    model.save_checkpoint(net, BertTokenizer.from_folder(folder, 512), folder / "base")
    return str(folder / "base")


def run_isolated(*args: str) -> list[str]:
    """Run one measurement in a fresh interpreter, so its peak memory is its own."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return proc.stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--skip-base", action="store_true", help="skip the BERT-base-sized measurements")
    parser.add_argument("--measure", nargs=3, metavar=("MODEL", "TOKENS", "EDITS"), help=argparse.SUPPRESS)
    parser.add_argument("--make-base", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument(
        "--measure-computation", nargs=3, metavar=("MODEL", "TOKENS", "SWITCHES"), help=argparse.SUPPRESS
    )
    parser.add_argument("--measure-words", nargs=3, metavar=("MODEL", "TOKENS", "REPEATS"), help=argparse.SUPPRESS)
    parser.add_argument("--words-only", action="store_true", help="only the word-mode measurement (BERT-base-sized)")
    args = parser.parse_args()
    if args.measure_words:  # the child process of run_isolated
        model_dir, n_tokens, repeats = args.measure_words
        print(" ".join(f"{x:.1f}" for x in measure_words(model_dir, int(n_tokens), int(repeats))))
        return 0
    if args.measure_computation:  # the child process of run_isolated
        model_dir, n_tokens, switches = args.measure_computation
        model_dir = None if model_dir == "-" else model_dir
        selection, layer, tokens = measure_computation(model_dir, int(n_tokens), int(switches))
        print(f"{selection:.1f} {layer:.1f} {tokens}")
        return 0
    if args.measure:  # the child process of run_isolated
        model_dir, n_tokens, edits = args.measure
        ms, tokens = measure_edits(None if model_dir == "-" else model_dir, int(n_tokens), int(edits))
        print(f"{ms:.1f} {tokens} {peak_rss_mb():.0f}")
        return 0
    if args.make_base:
        print(base_model_folder(Path(args.make_base)))
        return 0

    if args.words_only:
        with tempfile.TemporaryDirectory() as tmp:
            (base,) = run_isolated("--make-base", tmp)
            print_words(base)
        return 0
    name = args.model or "bundled model"
    launch = measure_launch(args.model)
    print(f"launch to first paint ({name}): {launch:.2f} s (goal 2 s)")
    ms, tokens, peak = run_isolated("--measure", args.model or "-", "32", str(args.edits))
    print(
        f"edit latency, {name}, {tokens} tokens: median {float(ms):.0f} ms over {args.edits} edits (goal 150 ms); "
        f"peak memory {peak} MB (goal 700 MB)"
    )
    selection, layer, tokens = run_isolated("--measure-computation", args.model or "-", "32", "20")
    print(
        f"Computation tab, {name}, {tokens} tokens: head or token switch {float(selection):.0f} ms, "
        f"layer switch (traced on the worker) {float(layer):.0f} ms, medians over 20 (goal 50 ms)"
    )
    if not args.skip_base:
        with tempfile.TemporaryDirectory() as tmp:
            (base,) = run_isolated("--make-base", tmp)
            selection, layer, tokens = run_isolated("--measure-computation", base, "128", "20")
            print(
                f"Computation tab, BERT-base-sized, {tokens} tokens: head or token switch {float(selection):.0f} ms, "
                f"layer switch {float(layer):.0f} ms, medians over 20 (goal 150 ms)"
            )
            ms, tokens, peak = run_isolated("--measure", base, "128", str(args.edits))
            print(
                f"edit latency, BERT-base-sized, {tokens} tokens: median {float(ms):.0f} ms (goal 300 ms); "
                f"peak memory {peak} MB"
            )
            ms, tokens, peak = run_isolated("--measure", base, "512", "5")
            print(
                f"edit latency, BERT-base-sized, {tokens} tokens, attention tab (144 heads): median {float(ms):.0f} ms "
                f"over 5 edits; peak memory {peak} MB (goal 1.5 GB)"
            )
            print_words(base)
    return 0


def print_words(base: str) -> None:
    piece_switch, word_switch, piece_input, word_input, tokens, words = map(
        float, run_isolated("--measure-words", base, "128", "20")
    )
    print(
        f"word mode, Attention tab, BERT-base-sized, {tokens:.0f} tokens as {words:.0f} words: change of head "
        f"{piece_switch:.1f} -> {word_switch:.1f} ms (+{word_switch - piece_switch:.1f} ms, goal +10 ms); "
        f"new input drawn {piece_input:.1f} -> {word_input:.1f} ms (+{word_input - piece_input:.1f} ms), "
        "medians over 20"
    )


if __name__ == "__main__":
    sys.exit(main())
