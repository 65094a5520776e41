"""Bulk reads for reports: the positions of Store.positions as statements, in timeline order, read the fast way."""

from __future__ import annotations

import random
from importlib import resources

import pytest

from tracker.domain.changes import timeline_order
from tracker.domain.models import Position, Statement
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


def statement(p: Position) -> Statement:
    return Statement(p.id, p.actor_id, p.actor_slug, p.actor_name, p.question_id, p.level, p.date, p.quote,
                     p.quote_lang, p.paraphrase, p.context, p.source, p.confidence)  # fmt: skip


def expected(store: Store, **where) -> list[Statement]:
    return [statement(p) for p in sorted(store.positions(**where), key=timeline_order)]


def check_equal(store: Store) -> None:
    for where in every_filter(store):
        assert reads.statements(store.conn, **where) == expected(store, **where), where
    by_question = reads.statements_by_question(store.conn)
    assert by_question.total == store.count_positions()
    assert set(by_question) == {p.question_id for p in store.positions()}
    for q in store.questions():
        assert by_question.get(q.id, []) == expected(store, question_id=q.id)
    assert not store.conn.in_transaction  # the read transaction is over


def test_the_same_records_as_store_positions(demo):
    check_equal(demo)
    assert len(reads.statements(demo.conn)) > 20


def test_records_share_what_they_refer_to(demo):
    """One record per date text and per source, however many statements refer to it."""
    every = reads.statements(demo.conn)
    assert len({id(s.date) for s in every}) == len({s.date.edtf for s in every})
    cited = [s.source for s in every if s.source is not None]
    assert len({id(source) for source in cited}) == len({source.id for source in cited}) < len(cited)


def test_sample_data_with_tags_no_source_and_many_look_ups(sample_store, monkeypatch):
    check_equal(sample_store)
    monkeypatch.setattr(reads, "_BATCH", 1)  # look-ups by id one at a time
    check_equal(sample_store)


def test_generated_data(store):
    rng = random.Random(7)
    for i in range(3):
        store.add_question(f"Question {i}", slug=f"q{i}", scale=["commitment", "agreement"][i % 2])
    for i in range(6):
        store.add_actor(f"Actor {i}", slug=f"a{5 - i}")  # the slugs' order is not the ids'
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
        assert reads.statements(sample_store.conn) == expected(sample_store)
        assert sample_store.conn.in_transaction  # the caller's, left open
    assert not sample_store.conn.in_transaction


def test_empty(store):
    assert reads.statements(store.conn) == []
    assert dict(reads.statements_by_question(store.conn)) == {}
    assert reads.statements_by_question(store.conn).total == 0
