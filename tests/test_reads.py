"""Bulk reads for reports: the same records as Store.positions, read the fast way."""

from __future__ import annotations

import random
from importlib import resources

import pytest

from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store, reads


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("reads") / "demo.db")
    with resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
        import_records(store, jsonl.read_records(f))
    yield store
    store.close()


def every_filter(store: Store):
    actors = [a.id for a in store.actors()]
    questions = [q.id for q in store.questions()]
    yield {}
    for a in actors:
        yield {"actor_id": a}
    for q in questions:
        yield {"question_id": q}
        for a in actors:
            yield {"actor_id": a, "question_id": q}


def check_equal(store: Store) -> None:
    for where in every_filter(store):
        assert reads.positions(store.conn, **where) == store.positions(**where), where
    by_question = reads.positions_by_question(store.conn)
    assert by_question.total == store.count_positions()
    assert set(by_question) == {p.question_id for p in store.positions()}
    for q in store.questions():
        assert by_question.get(q.id, []) == store.positions(question_id=q.id)
    assert not store.conn.in_transaction  # the read transaction is over


def test_the_same_records_as_store_positions(demo):
    check_equal(demo)
    assert len(reads.positions(demo.conn)) > 20


def test_records_are_whole(demo):
    """Every field is set (equality would fail on a missing one), reads the same and is frozen."""
    mine, theirs = reads.positions(demo.conn)[0], demo.positions()[0]
    assert vars(mine) == vars(theirs) and repr(mine) == repr(theirs) and hash(mine) == hash(theirs)
    with pytest.raises(AttributeError):
        mine.quote = "changed"  # type: ignore[misc]


def test_sample_data_with_tags_no_source_and_many_look_ups(sample_store, monkeypatch):
    check_equal(sample_store)
    monkeypatch.setattr(reads, "_BATCH", 1)  # look-ups by id one at a time
    check_equal(sample_store)


def test_generated_data(store):
    rng = random.Random(7)
    for i in range(3):
        store.add_question(f"Question {i}", slug=f"q{i}", scale=["commitment", "agreement"][i % 2])
    for i in range(6):
        store.add_actor(f"Actor {i}", slug=f"a{i}")
    sources = [None] + [
        store.add_source(url=f"https://example.org/{i}" if i % 2 else None, title=f"t{i}", published=["2024-01", None][i % 2]).uid
        for i in range(4)
    ]
    for _ in range(60):
        q = rng.randrange(3)
        scale = store.scale(store.resolve_question(f"q{q}").scale_key)
        store.add_position(
            actor=f"a{rng.randrange(6)}", question=f"q{q}", stance=rng.choice(scale.levels).key,
            date=rng.choice(["2022", "2022~", "2022-06", "2022-06-15", "2023-01-01", "2024-02-29"]),
            quote=rng.choice(["", "never", "not on the agenda"]), source=rng.choice(sources),
            confidence=rng.choice(["confirmed", "reported", "inferred"]), tags=rng.choice([[], ["x"], ["x", "y"]]),
        )  # fmt: skip
    check_equal(store)


def test_inside_a_transaction(sample_store):
    with sample_store.transaction():
        assert reads.positions(sample_store.conn) == sample_store.positions()
        assert sample_store.conn.in_transaction  # the caller's, left open
    assert not sample_store.conn.in_transaction


def test_empty(store):
    assert reads.positions(store.conn) == []
    assert dict(reads.positions_by_question(store.conn)) == {}
    assert reads.positions_by_question(store.conn).total == 0
