"""File > Open from the Hub, measured on the real window offscreen against a local stand-in for
the Hub (tests/fake_hub.py, in a process of its own) serving a 45 MB BERT (4 layers, hidden 256,
the 30,522-token vocabulary: the size of google/bert_uncased_L-4_H-256_A-4, random weights):

- open: from clicking "Download and open" to the first inspection of the downloaded model drawn
  (download, load, inspect), into an empty cache each time; median of --runs;
- progress: progress reports shown per second while the server sends at --rate MB/s;
- edit latency of the open (bundled) model while that download runs, against the same without
  a download (median over the edits, as benchmarks/bench_gui.py measures them at 32 tokens).

    python benchmarks/bench_hub.py [--runs 3] [--rate 5] [--idle-s 8]

Goals (issue 22): at least 4 progress updates a second, GUI latency unchanged while downloading.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_gui import sentence  # noqa: E402

MODEL_ID = "bench/bert-L4-H256"


def fake_hub_module():
    spec = importlib.util.spec_from_file_location("fake_hub", ROOT / "tests" / "fake_hub.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_hub"] = module
    spec.loader.exec_module(module)
    return module


def make_model(folder: Path) -> int:
    """A 45 MB BERT with the real vocabulary's size; its bytes on disk."""
    import torch
    from bench_gui import WORDS
    from transformers import BertConfig, BertForMaskedLM

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = sorted(set(WORDS) | {".", ","})
    vocab = specials + words + [f"w{i}" for i in range(30522 - len(specials) - len(words))]
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
                        intermediate_size=1024)  # fmt: skip
    BertForMaskedLM(config).save_pretrained(folder)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (folder / "tokenizer_config.json").write_text('{"do_lower_case": true}', encoding="utf-8")
    return sum(p.stat().st_size for p in folder.iterdir())


def serve(folder: str, rate_mb_s: float) -> None:
    """Run the stand-in Hub until killed, printing its URL."""
    hub = fake_hub_module().FakeHub(rate=rate_mb_s * 1e6 if rate_mb_s > 0 else None)
    hub.add_folder(MODEL_ID, Path(folder))
    print(hub.url, flush=True)
    while True:
        time.sleep(3600)


class Server:
    def __init__(self, folder: Path, rate_mb_s: float = 0):
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(folder), "--rate", str(rate_mb_s)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.proc.stdout.readline().strip()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def wait(app, condition, timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the benchmark waited too long")
        app.processEvents()
        time.sleep(0.0005)


def window_with_bundled_model():
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
    arrived = []
    controller.inspectionReady.connect(arrived.append)
    controller.load_model(None, "cpu")
    wait(app, lambda: arrived)
    return app, window, controller


def fresh_cache() -> None:
    os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="bench-hub-")


def measure_open(app, window, controller, server: Server) -> tuple[float, float, int, float]:
    """Seconds from the click to the first inspection of the downloaded model, and to the end of
    the download; progress reports and their rate during the download."""
    fresh_cache()
    os.environ["HF_ENDPOINT"] = server.url
    dialog = window.menus.open_from_hub()
    dialog.id_edit.setText(MODEL_ID)
    loaded, inspected, downloaded = [], [], []

    def on_downloaded(*_) -> None:
        downloaded.append(time.perf_counter())

    def on_inspected(result) -> None:
        if loaded:
            inspected.append(result)

    dialog.downloader.downloaded.connect(on_downloaded)
    controller.modelLoaded.connect(loaded.append)
    controller.inspectionReady.connect(on_inspected)
    updates_before = dialog.progress_updates
    start = time.perf_counter()
    dialog.open_button.click()
    wait(app, lambda: inspected)
    window.repaint()
    app.processEvents()
    end = time.perf_counter()
    updates = dialog.progress_updates - updates_before
    dialog.downloader.downloaded.disconnect(on_downloaded)
    controller.modelLoaded.disconnect(loaded.append)
    controller.inspectionReady.disconnect(on_inspected)
    return end - start, downloaded[0] - start, updates, updates / (downloaded[0] - start)


def edit_latencies(app, window, controller, keep_going) -> list[float]:
    """ms from a text edit to its inspection drawn and painted, for as long as keep_going() says."""
    times, arrived, i = [], [], 0
    controller.inspectionReady.connect(arrived.append)
    while keep_going() or i < 3:
        arrived.clear()
        start = time.perf_counter()
        window.text_a.setText(sentence(32, i))
        wait(app, lambda: arrived)
        window.repaint()
        app.processEvents()
        if i >= 3:
            times.append((time.perf_counter() - start) * 1000)
        i += 1
    controller.inspectionReady.disconnect(arrived.append)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=5.0, help="MB/s of the throttled server")
    parser.add_argument("--idle-s", type=float, default=8.0, help="seconds of edits before and after the download")
    parser.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.rate)
        return
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_CACHE"):
        os.environ.pop(name, None)
    folder = Path(tempfile.mkdtemp(prefix="bench-hub-model-"))
    size = make_model(folder)
    print(f"model: {size / 1e6:.1f} MB ({MODEL_ID})")
    app, window, controller = window_with_bundled_model()

    fast = Server(folder)
    try:
        runs = [measure_open(app, window, controller, fast) for _ in range(args.runs)]
    finally:
        fast.stop()
    median_open, median_download = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    print(
        f"click to first inspection, unthrottled local server: median {median_open:.2f} s "
        f"(runs {', '.join(f'{r[0]:.2f}' for r in runs)}; of which download {median_download:.2f} s)"
    )

    controller.load_model(None, "cpu")  # back to the bundled model for the edits
    wait(app, lambda: controller.info is not None and "bert-mini" in (controller.info.path or ""))
    deadline = time.monotonic() + args.idle_s
    idle = edit_latencies(app, window, controller, lambda: time.monotonic() < deadline)

    slow = Server(folder, args.rate)
    try:
        fresh_cache()
        os.environ["HF_ENDPOINT"] = slow.url
        dialog = window.menus.hub_dialog
        dialog.id_edit.setText(MODEL_ID)
        progress = []
        dialog.downloader.progressed.connect(lambda p: progress.append(time.perf_counter()))
        start = time.perf_counter()
        # Download only: the edits run on the bundled model during and after it.
        dialog.downloader.downloaded.disconnect(dialog._on_downloader_downloaded)
        dialog.downloader.start(MODEL_ID)
        busy = edit_latencies(app, window, controller, dialog.downloader.is_busy)
        seconds = time.perf_counter() - start
    finally:
        slow.stop()
    deadline = time.monotonic() + args.idle_s
    idle_after = edit_latencies(app, window, controller, lambda: time.monotonic() < deadline)
    print(
        f"progress reports at {args.rate:g} MB/s: {len(progress)} in {seconds:.1f} s = "
        f"{len(progress) / seconds:.1f}/s; "
        f"longest wait between two {max(b - a for a, b in zip(progress, progress[1:])) * 1000:.0f} ms"
    )
    print("edit latency at 32 tokens, bundled model (median, 90th percentile, edits):")
    for name, times in (("before", idle), ("while downloading", busy), ("after", idle_after)):
        print(
            f"  {name}: {statistics.median(times):.0f} ms, {statistics.quantiles(times, n=10)[-1]:.0f} ms, {len(times)}"
        )
    window.close()
    controller.shutdown()


if __name__ == "__main__":
    main()
