"""The report of every question, written on two cores, is the report written on one."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.formats import markdown
from tracker.formats.markdown import report as markdown_report
from tracker.store import Store

from tui_helpers import demo_copy

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="two cores need os.fork")
GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def report(store: Store, **options) -> tuple[str, int]:
    out = io.StringIO()
    count = markdown.write_markdown(store, out, as_of=date(2025, 6, 1), **options)
    return out.getvalue(), count


def test_the_demo_on_two_cores_is_the_demo_on_one(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        one = report(store)
        assert forks == []
        two = report(store, two_cores=True)
    assert len(forks) == 1
    assert two == one
    assert one[1] == store_count(tmp_path)


def store_count(tmp_path: Path) -> int:
    with Store.open(tmp_path / "demo.db") as store:
        return store.count_positions()


def test_a_generated_file_on_two_cores_is_the_same_report(tmp_path, monkeypatch, forks):
    data = tmp_path / "g.jsonl"
    subprocess.run([sys.executable, str(GENERATE), "--positions", "3000", "--actors", "40", "--questions", "30",
                    "--sources", "50", "-o", str(data)], check=True)  # fmt: skip
    db = tmp_path / "g.db"
    subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "import", str(data)], check=True, capture_output=True)
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1000)
    with Store.open(db) as store:
        assert report(store, two_cores=True) == report(store)
    assert len(forks) == 1


def test_below_the_threshold_nothing_is_forked(tmp_path, forks):
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        report(store, two_cores=True)
    assert forks == []


def test_a_child_that_fails_leaves_the_parent_to_write_its_half(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    parent = os.getpid()
    real = markdown_report.question_section

    def section(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return real(*args, **kwargs)

    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        one = report(store)
        monkeypatch.setattr(markdown_report, "question_section", section)
        two = report(store, two_cores=True)
    assert len(forks) == 1
    assert two == one


def test_the_command_line_writes_the_whole_report_on_two_cores(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    db = demo_copy(tmp_path / "demo.db")
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "markdown", "--as-of", "2025-06-01", "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert len(forks) == 1
    with Store.open(db) as store:
        assert (tmp_path / "r.md").read_text(encoding="utf-8") == report(store)[0]


def test_what_the_first_half_read_is_left_in_keep_and_the_report_is_the_same(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    kept: list[object] = []
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        one = report(store)
        two = report(store, two_cores=True, keep=kept)
    assert two == one
    assert len(forks) == 1
    ((doc, first),) = kept  # the parent's: the child's ended with the child
    assert first.total and first.total < one[1]  # the first half's statements
    assert doc.sources  # a line per source, not freed


@pytest.mark.parametrize("to", ["a file", "a pipe", "memory"])
def test_the_second_half_is_copied_whole_after_the_first(tmp_path, monkeypatch, to):
    """By the kernel to a file or a pipe (os.sendfile), by reading and writing otherwise."""
    import tempfile
    import threading

    from tracker.formats.markdown.second_core import copy_text

    sent: list[int] = []
    real_sendfile = os.sendfile
    monkeypatch.setattr(os, "sendfile", lambda *args: sent.append(real_sendfile(*args)) or sent[-1])

    half = "« deuxième moitié » [TODO]\n" * 50_000  # 1.4 MB: several sendfile calls to a pipe
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as text:
        text.write(half)
        text.flush()
        if to == "memory":
            raw = io.BytesIO()
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out.write("first half\n")
            copy_text(text, out)
            out.flush()
            assert raw.getvalue().decode("utf-8") == "first half\n" + half
            assert sent == []  # no file of the system behind it
            return
        if to == "a file":
            out = open(tmp_path / "out.md", "w", encoding="utf-8", newline="")
            read = lambda: (tmp_path / "out.md").read_text(encoding="utf-8")  # noqa: E731
        else:
            read_end, write_end = os.pipe()
            out = os.fdopen(write_end, "w", encoding="utf-8", newline="")
            chunks: list[bytes] = []
            reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(read_end, 1 << 16), b"")))
            reader.start()
            read = lambda: (reader.join(), b"".join(chunks).decode("utf-8"))[1]  # noqa: E731
        with out:
            out.write("first half\n")
            copy_text(text, out)
        assert read() == "first half\n" + half
        assert sum(sent) == len(half.encode("utf-8"))  # by the kernel
