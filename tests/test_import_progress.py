"""`tracker import` shows a progress bar on a terminal (issue 19): its phases named
(reading and checking, writing, indexes, search index) with their counts; in a pipe,
nothing but the report, without a single escape code."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from tracker.cli.import_progress import ImportProgress, import_progress
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store.bulk import BULK_THRESHOLD

POSITIONS = BULK_THRESHOLD + 500  # a bulk load: every phase runs


def write_file(path: Path, positions: int = POSITIONS) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"type": "actor", "slug": "macron", "name": "Emmanuel Macron"}) + "\n")
        out.write(json.dumps({"type": "question", "slug": "troops", "title": "Troops?"}) + "\n")
        for i in range(positions):
            out.write(json.dumps({"type": "position", "actor": "macron", "question": "troops", "stance": "open",
                                  "date": f"{1900 + i % 120}-01-01", "quote": f"nous verrons {i}"}) + "\n")  # fmt: skip
    return path


def run_in_terminal(args: list[str]) -> tuple[int, str]:
    """(exit status, everything written) of ``tracker ARGS`` with its output on a pseudo-terminal."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS")}
    env |= {"TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args], stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=env
    )
    os.close(child)
    out = bytearray()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child has gone and closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    os.close(main)
    return proc.wait(timeout=30), out.decode("utf-8", "replace")


def test_on_a_terminal_the_import_shows_each_phase_with_its_counts(tmp_path):
    path = write_file(tmp_path / "big.jsonl")
    status, shown = run_in_terminal(["--db", str(tmp_path / "t.db"), "import", str(path)])
    assert status == 0, shown
    assert "\x1b[" in shown  # drawn, not printed
    for phase in ("reading and checking", "writing", "indexes", "search index"):
        assert phase in shown
    assert f"{POSITIONS + 2:,} lines" in shown
    assert f"{POSITIONS:,} of {POSITIONS:,} positions" in shown
    assert f"positions: {POSITIONS} created" in shown


def test_in_a_pipe_the_import_prints_its_report_alone(tmp_path):
    path = write_file(tmp_path / "big.jsonl")
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", str(tmp_path / "t.db"), "import", str(path)],
                          capture_output=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert b"\x1b" not in done.stdout
    report = ["actors: 1 created", "questions: 1 created", f"positions: {POSITIONS} created"]
    assert done.stdout.decode().splitlines()[:3] == report


def test_no_bar_is_made_for_a_console_that_is_not_a_terminal(tmp_path):
    plain = Console(file=io.StringIO(), force_terminal=False)
    with import_progress(None, plain) as shown:
        assert shown is None
    assert plain.file.getvalue() == ""


def test_the_bar_reads_a_regular_file_by_its_bytes_and_names_every_phase(tmp_path, store):
    """Driven by import_records' own callbacks: the phases in order, the reading phase done
    at the file's size, the writing phase at the number of positions."""
    path = write_file(tmp_path / "big.jsonl")
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=110, color_system=None)
    phases = []
    with path.open(encoding="utf-8") as stream, import_progress(stream, console) as shown:
        assert isinstance(shown, ImportProgress)

        def phase(name, total):
            phases.append(name)
            shown.phase(name, total)

        import_records(store, jsonl.read_records(stream), progress=shown.progress, phase=phase)
        tasks = shown.bar.tasks
    assert phases == ["read", "write", "indexes", "search index"]
    assert [t.description for t in tasks] == ["reading and checking", "writing", "indexes", "search index"]
    assert tasks[0].total == path.stat().st_size and tasks[0].finished
    assert tasks[1].total == POSITIONS and tasks[1].completed == POSITIONS
    assert all(t.finished for t in tasks)
    assert store.count_positions() == POSITIONS
    shown_text = out.getvalue()
    assert f"{POSITIONS + 2:,} lines" in shown_text and "search index" in shown_text


def test_a_small_import_has_no_index_phases(tmp_path, store):
    path = write_file(tmp_path / "small.jsonl", positions=10)
    phases = []
    with path.open(encoding="utf-8") as stream:
        import_records(store, jsonl.read_records(stream), phase=lambda name, total: phases.append((name, total)))
    assert phases == [("read", None), ("write", 10)]
