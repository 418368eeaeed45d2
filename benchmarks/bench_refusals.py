"""Time and peak memory of refusing the worst hostile training files, each in a fresh process.

    python benchmarks/bench_refusals.py

Prints one row per case: how long the refusal took (wall and CPU) and the process's peak
resident memory (ru_maxrss), which the project keeps under 5 s and 1 GB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh process: refuse one file with load_dataset, report time and peak memory.
PROBE = """
import json, resource, sys, time
from model.errors import BertError
from model.finetuning.datasets import load_dataset
wall, cpu = time.perf_counter(), time.process_time()
try:
    load_dataset(sys.argv[1])
    outcome = "loaded"
except BertError as exc:
    outcome = str(exc)
print(json.dumps({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "outcome": outcome}))
"""


def write_cases(folder: Path) -> dict[str, Path]:
    from model.finetuning import datasets

    cases = {}
    huge = folder / "1gb.csv"
    with open(huge, "wb") as file:
        file.write(b"text,label\n")
        file.truncate(1 << 30)  # sparse: refused by its size, never read
    cases["1 GB CSV"] = huge
    classes = folder / "classes.csv"
    classes.write_text("text,label\n" + "".join(f"row {i},class{i}\n" for i in range(10_000)))
    cases["10,000-class CSV"] = classes
    last = folder / "last-row.csv"
    row = "word " * 38 + "{},{}\n"
    with open(last, "w") as file:  # both limits: every row is read before the last one is refused
        file.write("text,label\n")
        file.writelines(row.format(i, i % 7) for i in range(datasets.MAX_ROWS - 1))
        file.write("last row,\n")
    cases[f"{last.stat().st_size / 2**20:.0f} MB, {datasets.MAX_ROWS:,} rows, the last one bad"] = last
    return cases


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        print("| case | wall s | CPU s | peak MB | outcome |\n|---|---:|---:|---:|---|")
        for name, path in write_cases(Path(tmp)).items():
            run = subprocess.run(
                [sys.executable, "-c", PROBE, str(path)], cwd=ROOT, capture_output=True, text=True, check=True
            )
            r = json.loads(run.stdout)
            outcome = r["outcome"].replace(str(path.parent) + "/", "")[:90]
            print(f"| {name} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_mb']:.0f} | {outcome} |")


if __name__ == "__main__":
    main()
