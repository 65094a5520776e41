"""The benchmark runner at tiny sizes, so that it cannot rot.

Only a smoke test: 2,000 positions, one run, ten keys a list (about 12 s). It checks
that every measure still produces a figure and that the results block renders; the
figures themselves mean nothing at this size. The full runs (benchmarks/run.py with its
defaults) are not part of the tests.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"

EXPECTED = {
    "paint", "memory", "search", "search-prefix", "markdown", "import",
    "keys-questions", "keys-actors", "keys-timeline", "keys-question", "keys-matrix", "plans",
}  # fmt: skip


def load_runner():
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_runner_measures_everything_at_tiny_sizes(tmp_path):
    results_md = tmp_path / "RESULTS.md"
    results_md.write_text("# Results\n\nProse written by hand, kept.\n", encoding="utf-8")
    results_json = tmp_path / "results.json"
    argv = [
        sys.executable, str(RUN), "--positions", "2000", "--actors", "50", "--questions", "20", "--runs", "1",
        "--presses", "10", "--work", str(tmp_path / "work"), "--write-results", str(results_md), "--json", str(results_json),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]

    data = json.loads(results_json.read_text())
    results = {r["measure"]: r for r in data["results"]}
    assert set(results) == EXPECTED
    for name, r in results.items():
        assert not r["error"], (name, r["error"])
        if name == "plans":  # no timing: the number of hot reads that scan positions, none
            assert r["ours"] == 0 and r["reference"] is None and r["verdict"] == "met", r
            assert len(r["plans"]) == r["samples"] > 20 and all(p["plan"] for p in r["plans"])
            continue
        assert r["ours"] > 0, name
        if name == "markdown" and not shutil.which("sqlite3"):
            assert r["reference"] is None and r["verdict"] == "n/a"  # no sqlite3 command line to compare with
            continue
        assert r["reference"] > 0, name
        assert r["verdict"] in (("context",) if name == "search-prefix" else ("met", "MISSED")), name
    assert results["import"]["samples"] == 1 and results["keys-timeline"]["samples"] == 10

    text = results_md.read_text(encoding="utf-8")
    runner = load_runner()
    assert text.startswith("# Results\n\nProse written by hand, kept.\n")
    assert text.count(runner.BEGIN) == 1 and text.count(runner.END) == 1
    for r in results.values():
        assert f"| {r['label']} |" in text
    plans = text[text.index("### Query plans") : text.index(runner.END)]
    assert plans.count("```text") == len(results["plans"]["plans"])
    assert "SEARCH p USING INTEGER PRIMARY KEY" in plans and "Full scan, intended" in plans
    assert "--positions 2000" in text and "nproc" in text and "Textual 8" in text


def test_results_block_is_replaced_not_appended(tmp_path):
    runner = load_runner()
    path = tmp_path / "RESULTS.md"
    result = runner.Result("search", "Full-text search", 3.0, 0.5, "ms", "under", 50.0, samples=4)
    keys = ("cpu", "ram", "os", "python", "sqlite", "textual", "rich", "sqlite-utils", "load_start", "load_end", "code_start", "code_end")
    info = {key: "x" for key in keys}
    runner.write_results(path, runner.results_block([result], info, "python benchmarks/run.py", "today", 1.0))
    path.write_text(path.read_text(encoding="utf-8") + "\nNotes after the block.\n", encoding="utf-8")
    result.ours = 70.0
    runner.write_results(path, runner.results_block([result], info, "python benchmarks/run.py", "today", 1.0))
    text = path.read_text(encoding="utf-8")
    assert text.count(runner.BEGIN) == 1
    assert "| 70.0 ms |" in text and "| 3.00 ms |" not in text
    assert "**MISSED**" in text and text.endswith("Notes after the block.\n")
