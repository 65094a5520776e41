"""The keypress measure: a key in each list and a step of the matrix, timed by benchmarks/keys.py under
Pilot, the bare app's DataTable beside them."""

from __future__ import annotations

import json

from benchmarks import HERE
from benchmarks.datasets import Bench
from benchmarks.processes import run, shell
from benchmarks.results import Result
from benchmarks.stats import median, p95

KEY_LISTS = {
    "questions": "Keypress: questions list (1)",
    "actors": "Keypress: actors list (2)",
    "timeline": "Keypress: timeline (3)",
    "question": "Keypress: a question's positions",
    "matrix": "Matrix: one as-of step ([)",
}


def measure_keys(b: Bench) -> list[Result]:
    db = b.main_db
    w, h = b.size
    common = ["--presses", str(b.args.presses), "--gap", str(b.args.gap), "--size", f"{w}x{h}"]
    ours_argv = [*b.python, str(HERE / "keys.py"), "tracker", str(db), *common]
    bare_argv = [*b.python, str(HERE / "keys.py"), "bare", str(db), *common]
    ours: dict[str, list[float]] = {name: [] for name in KEY_LISTS}
    bare: list[float] = []
    runs = b.key_runs
    for i in range(runs):
        b.log(f"keys {i + 1}/{runs}")
        for name, samples in json.loads(run(ours_argv).stdout).items():
            ours[name] += samples
        bare += json.loads(run(bare_argv).stdout)["table"]
    results = []
    for name, label in KEY_LISTS.items():
        ms = [s * 1000 for s in ours[name]]
        if not ms:
            raise RuntimeError(f"no keypress was measured in {name}")
        results.append(Result(f"keys-{name}", label, median(ms), median(bare) * 1000, "ms", "under", 16.0, samples=len(ms),
                              ours_p95=p95(ms), reference_p95=p95(bare) * 1000, ours_command=shell(ours_argv, b.work),
                              reference_command=shell(bare_argv, b.work),
                              note=f"every key of {runs} {'run' if runs == 1 else 'runs'} pooled, "
                                   f"up to {b.args.presses} a list, "
                                   f"{b.args.gap * 1000:g} ms apart, {w}x{h}; from sending the key to the end of the paint "
                                   "that shows the loaded row (the new date's cells in the matrix); reference: down in "
                                   f"the bare app's DataTable of {b.args.presses + 1} rows, for context"))  # fmt: skip
    return results
