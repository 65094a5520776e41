"""Schema 7: the index on (question_id, actor_id, dates, id) holds what a question's brief read
needs. A file of version 6 is upgraded on its first open, and says so when it is large (the
index is built over every position: about 2 s a million, 15 s at five million, which with no
word looks like a program that hangs)."""

from __future__ import annotations

from click.testing import CliRunner
from fixture_helpers import unpack

from tracker.cli import cli
from tracker.store import Store, database, reads

def test_a_large_version_6_file_says_it_is_upgraded_and_then_reads_from_the_index(tmp_path, monkeypatch):
    path = unpack(6, tmp_path)
    monkeypatch.setattr(database, "SAY_UPGRADE_FROM", 5)  # the fixture's few positions count as many
    result = CliRunner().invoke(cli, ["--db", str(path), "list", "questions"])
    assert result.exit_code == 0, result.output
    assert "upgrading " in result.stderr and "schema 7" in result.stderr
    with Store.open(path) as store:
        question = store.questions()[0]
        plan = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + reads._QUESTION_AT_ONCE, (question.id,))]
        assert "SEARCH p USING COVERING INDEX positions_question_actor_date (question_id=?)" in plan
        assert reads.question_brief(store.conn, question.id) == reads.brief_statements(store.conn, [question.id]).get(question.id, [])
