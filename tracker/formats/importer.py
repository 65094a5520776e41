"""Importing is all or nothing: every record is checked and written in one
transaction, and the first bad one aborts it with its line number and reason."""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tracker.domain.validation import quoted
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.bulk import BulkWriter, bulk_session

ORDER = ("scale", "actor", "question", "source")


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        """A few lines for the terminal: what was (or would be) created, updated, left alone."""
        out = []
        for kind in (*ORDER, "position"):
            parts = [
                f"{self.counts[(kind, outcome)]} {outcome}"
                for outcome in ("created", "updated", "unchanged")
                if self.counts[(kind, outcome)]
            ]
            if parts:
                out.append(f"{kind}s: {', '.join(parts)}")
        if not out:
            return ["nothing to import: the file has no records"]
        named = [c for c in self.created if not c.startswith(("source ", "scale "))]
        if named:
            shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
            verb = "would be" if self.dry_run else "was" if len(named) == 1 else "were"
            out.append(f"new {shown} {verb} created")
        if self.dry_run:
            out.append("dry run: nothing was written")
        return out


def import_records(store: Store, records: Iterable[tuple[int, dict]], *, dry_run: bool = False) -> ImportReport:
    """Apply checked records (``(line number, record)``, in any order) in one transaction.

    The records are all read (and so checked) before the write lock is taken: a bad
    file is refused without keeping other programs waiting, and the lock is held only
    while writing."""
    with _no_cycle_collection():
        return _import(store, records, dry_run)


def _import(store: Store, records: Iterable[tuple[int, dict]], dry_run: bool) -> ImportReport:
    others: dict[str, list[tuple[int, dict]]] = {kind: [] for kind in ORDER}
    positions: list[tuple[int, dict]] = []
    for line, rec in records:
        (positions if rec["type"] == "position" else others[rec["type"]]).append((line, rec))
    try:
        with bulk_session(store.conn, len(positions)), store.transaction(origin="import") as conn:
            report = _apply(conn, others, positions, dry_run)
            if dry_run:
                # Leaving the block by an exception makes transaction() roll everything back.
                raise _DryRun(report)
    except _DryRun as done:
        return done.report
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Records make no reference cycles, but millions of them kept alive make Python's
    cycle collector walk them again and again (a fifth of a large import's time). They
    are all gone (``_import`` has returned) when it is switched on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _DryRun(Exception):
    def __init__(self, report: ImportReport):
        self.report = report


def _apply(
    conn, others: dict[str, list[tuple[int, dict]]], positions: list[tuple[int, dict]], dry_run: bool
) -> ImportReport:
    writer = BulkWriter(conn)
    for line, rec in others["scale"]:
        _at(line, writer.scale, rec)
    for line, rec in others["actor"]:
        _at(line, writer.actor, rec)
    for line, rec in others["actor"]:
        _at(line, writer.actor_parent, rec["slug"], rec["parent"])
    _check_parent_cycles(conn, others["actor"])
    for line, rec in others["question"]:
        _at(line, writer.question, rec)
    for line, rec in others["source"]:
        _at(line, writer.source, rec)
    rows = list(_position_rows(writer, positions))
    positions.clear()  # the records are needed no more: their memory is free before the indexes are built
    writer.positions(rows)
    return ImportReport(Counter(writer.counts), list(writer.created), dry_run)


def _position_rows(writer: BulkWriter, positions: list[tuple[int, dict]]) -> Iterator[tuple]:
    """The values ``BulkWriter.positions`` writes, one tuple a position; TrackerError names the line."""
    actor_id, question_ref = writer.actor_id, writer.question_ref
    level_id, source_id = writer.level_id, writer.source_id
    now = writer.now
    dates: dict[str, tuple[str, str, str]] = {}  # the few thousand distinct dates, written out once
    dumps = json.dumps
    for line, rec in positions:
        try:
            question_id, scale_key = question_ref(rec["question"])
            when = rec["date"]
            edtf = when.edtf
            interval = dates.get(edtf)
            if interval is None:
                interval = dates[edtf] = (when.start.isoformat(), when.end.isoformat(), when.precision)
            tags = rec["tags"]
            yield (
                rec["uid"],
                actor_id(rec["actor"]),
                question_id,
                level_id(scale_key, rec["stance"]),
                edtf,
                *interval,
                rec["quote"],
                rec["quote_lang"],
                rec["paraphrase"],
                rec["context"],
                source_id(rec["source"]),
                rec["confidence"],
                rec["notes"],
                dumps(tags, ensure_ascii=False) if tags else "[]",
                now,
                now,
            )
        except TrackerError as e:
            raise TrackerError(f"line {line}: {e}") from None


def _check_parent_cycles(conn, actors: list[tuple[int, dict]]) -> None:
    """Refuse a loop of parents, naming the line of the first actor of the file in it."""
    looped = {
        r[0]
        for r in conn.execute(
            "WITH RECURSIVE chain(start, id, depth) AS ("
            " SELECT id, parent_id, 1 FROM actors WHERE parent_id IS NOT NULL"
            " UNION ALL SELECT chain.start, a.parent_id, depth + 1 FROM chain JOIN actors a ON a.id = chain.id"
            " WHERE a.parent_id IS NOT NULL AND depth < 100)"
            " SELECT DISTINCT a.slug FROM chain JOIN actors a ON a.id = chain.start WHERE chain.id = chain.start"
        )
    }
    if not looped:
        return
    for line, rec in actors:
        if rec["slug"] in looped:
            raise TrackerError(f"line {line}: the parents of actor {quoted(rec['slug'])} form a loop")
    raise TrackerError(f"the parents of actor {quoted(min(looped))} form a loop")  # a loop already in the database


def _at(line: int, fn, *args):
    try:
        return fn(*args)
    except TrackerError as e:
        raise TrackerError(f"line {line}: {e}") from None
