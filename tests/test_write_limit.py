"""A write that runs away is interrupted, rolled back and said in one line (issue 16, item 3).

A file's own triggers are refused when it is opened (tests/test_untrusted_schema.py); this is
the second guard: whatever makes a statement run on, an ordinary write stops after its limit."""

from __future__ import annotations

import pytest

from tracker.errors import StoreError
from tracker.store import Store

RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_write_that_runs_away_is_interrupted_and_leaves_nothing(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        with pytest.raises(StoreError, match=r"^stopped writing to .*t\.db: it ran for longer than 0\.2 s.*nothing was written$"):
            with store.transaction(limit=0.2) as conn:
                conn.execute("INSERT INTO actors(uid, slug, name, created_at, updated_at) VALUES ('u', 's', 'n', '', '')")
                conn.execute(RUNAWAY).fetchone()
        assert store.count_actors() == 0
        assert not store.conn.in_transaction
        store.add_actor("Emmanuel Macron")  # the connection is still good for the next write
        assert store.count_actors() == 1



def test_an_import_has_no_time_limit(tmp_path, monkeypatch):
    """An import of a million positions takes a minute or more in one transaction: the
    limit of ordinary writes must not cut it (it is lifted, not raised)."""
    import io

    from tracker.formats import jsonl
    from tracker.formats.importer import import_records

    limits = []
    transaction = Store.transaction

    def spy(self, **kwargs):
        limits.append(kwargs.get("limit", "default"))
        return transaction(self, **kwargs)

    monkeypatch.setattr(Store, "transaction", spy)
    lines = '{"type": "actor", "slug": "macron", "name": "Emmanuel Macron"}\n'
    with Store.open(tmp_path / "t.db") as store:
        import_records(store, jsonl.read_records(io.StringIO(lines)))
    assert limits == [None]
