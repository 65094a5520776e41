"""The report of every question on two cores forks before it reads: each half reads only its
own questions' rows, the second on a connection of its own; the report is the same, and a
file that changes between the count and the reads is said in one line, with no file written."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import StoreError
from tracker.formats import markdown
from tracker.formats.markdown import report as markdown_report
from tracker.store import Store, reads

from tui_helpers import demo_copy

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="two cores need os.fork")


def report(store: Store, **options) -> str:
    out = io.StringIO()
    markdown.write_markdown(store, out, as_of=date(2025, 6, 1), **options)
    return out.getvalue()


def test_the_parent_reads_only_the_first_half_and_the_child_opens_its_own_connection(tmp_path, monkeypatch):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    parent = os.getpid()
    asked: list[object] = []  # the question ids of each read the parent made
    real_read, real_connect = reads.statements_by_question, reads.second_connection
    child_said = tmp_path / "child"

    def read(conn, question_ids=None):
        if os.getpid() == parent:
            asked.append(None if question_ids is None else list(question_ids))
        return real_read(conn, question_ids)

    def connect(path):
        child_said.write_text(f"{os.getpid() != parent}")  # the child's own lists are lost with it
        return real_connect(path)

    monkeypatch.setattr(reads, "statements_by_question", read)
    monkeypatch.setattr(reads, "second_connection", connect)
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        one = report(store)
        assert asked == [None]  # on one core: every row, in one read
        asked.clear()
        two = report(store, two_cores=True)
        questions = [q.id for q in store.questions()]
    assert two == one
    assert len(asked) == 1 and asked[0] and set(asked[0]) < set(questions)
    assert asked[0] == questions[: len(asked[0])]  # the first questions of the report, and only them
    assert child_said.read_text() == "True"


def test_reading_some_questions_gives_their_statements_as_reading_all(tmp_path):
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        every = reads.statements_by_question(store.conn)
        ids = [q.id for q in store.questions()][::2]
        some = reads.statements_by_question(store.conn, ids)
        assert set(some) == {q for q in ids if q in every}
        assert all(some[q] == every[q] for q in some)
        assert some.total == sum(len(every[q]) for q in some)
        assert reads.statement_counts(store.conn) == {q: len(every[q]) for q in every}
        other = reads.second_connection(store.path)
        try:
            assert dict(reads.statements_by_question(other, ids)) == dict(some)
            with pytest.raises(Exception, match="readonly|read-only"):
                other.execute("DELETE FROM positions")
        finally:
            other.close()


def test_a_file_changed_between_the_count_and_the_read_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    real = reads.statement_counts

    def counted_before_a_write(conn):
        counts = real(conn)
        counts[max(counts)] += 1  # as if a position was deleted after the count
        return counts

    monkeypatch.setattr(reads, "statement_counts", counted_before_a_write)
    with Store.open(demo_copy(tmp_path / "demo.db")) as store:
        with pytest.raises(StoreError, match="the file changed while the report was read"):
            report(store, two_cores=True)


def test_the_command_line_says_so_in_one_line_and_writes_no_file(tmp_path, monkeypatch):
    real = reads.statement_counts
    monkeypatch.setattr(markdown_report, "TWO_CORES_FROM", 1)
    monkeypatch.setattr(reads, "statement_counts", lambda conn: {q: n + 1 for q, n in real(conn).items()})
    db = demo_copy(tmp_path / "demo.db")
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "markdown", "-o", str(tmp_path / "r.md")])
    assert result.exit_code != 0
    assert "the file changed while the report was read; run the export again" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.md").exists()
