"""An export run as the program ends its process as soon as its output is written, without
Python's clean-up (tracker.cli.group.ends_the_process): the output must be whole all the same,
to a pipe or a file, with its message and its exit code; run any other way, nothing changes."""

from __future__ import annotations

import gc
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.formats import markdown
from tracker.store import Store

from tui_helpers import demo_copy

# The program as the `tracker` command runs it, with a clean-up of its own that must not run,
# and (argv[2] = "1") the markdown report on two cores even for the small demo.
PROGRAM = """\
import atexit, sys
from pathlib import Path
from tracker.cli import main
import tracker.formats.markdown.report as report
if sys.argv[2] == "1":
    report.TWO_CORES_FROM = 1
atexit.register(lambda: Path(sys.argv[1]).write_text("cleaned up"))
main(sys.argv[3:])
"""


def run(tmp_path: Path, *args: str, two_cores: bool = False) -> tuple[subprocess.CompletedProcess, bool]:
    mark = tmp_path / "cleaned-up"
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(mark), "1" if two_cores else "0", *args], capture_output=True, timeout=60
    )
    return done, mark.exists()


def expected_report(db: Path) -> str:
    with Store.open(db) as store:
        return markdown.render_markdown(store, as_of=date(2025, 6, 1))


@pytest.mark.parametrize("two_cores", [False, True], ids=["one core", "two cores"])
def test_the_report_to_a_pipe_is_whole_and_the_process_ends_at_once(tmp_path, two_cores):
    db = demo_copy(tmp_path / "demo.db")
    done, cleaned_up = run(tmp_path, "--db", str(db), "export", "markdown", "--as-of", "2025-06-01", two_cores=two_cores)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == expected_report(db)
    assert not cleaned_up  # ended without Python's clean-up


def test_the_report_to_a_file_is_whole_and_said(tmp_path):
    db = demo_copy(tmp_path / "demo.db")
    out = tmp_path / "report.md"
    done, cleaned_up = run(tmp_path, "--db", str(db), "export", "markdown", "--as-of", "2025-06-01", "-o", str(out), two_cores=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == expected_report(db)
    with Store.open(db) as store:
        count = store.count_positions()
    assert done.stderr.decode() == f"wrote {count} statements to {out}\n"
    assert not cleaned_up
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.db")) == ["report.md"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_data_exports_are_whole_too(tmp_path, fmt):
    db = demo_copy(tmp_path / "demo.db")
    done, cleaned_up = run(tmp_path, "--db", str(db), "export", fmt)
    assert done.returncode == 0, done.stderr
    assert done.stdout == CliRunner().invoke(cli, ["--db", str(db), "export", fmt]).stdout_bytes
    assert not cleaned_up


def test_a_refused_export_keeps_its_message_and_exit_code(tmp_path):
    db = demo_copy(tmp_path / "demo.db")
    done, _ = run(tmp_path, "--db", str(db), "export", "markdown", "--question", "no-such-question")
    assert done.returncode == 1
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "no-such-question" in lines[0]


def test_an_export_run_in_process_leaves_the_collector_on(tmp_path):
    db = demo_copy(tmp_path / "demo.db")
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "markdown"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
