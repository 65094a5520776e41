"""Importing is all or nothing: every record is checked and written in one
transaction, and the first bad one aborts it with its line number and reason."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.gc_pause import no_cycle_collection
from tracker.store import Store
from tracker.store.bulk import BulkWriter, bulk_session
from tracker.store.revisions import creations_unlogged
from tracker.store.spool import BATCH, Spool

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


def import_records(
    store: Store,
    records: Iterable[tuple[int, dict]],
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    phase: Callable[[str, int | None], None] | None = None,
) -> ImportReport:
    """Apply checked records (``(line number, record)``, in any order) in one transaction.

    Two passes, so that memory stays bounded whatever the file's size. The first reads
    (and so checks) every record before the write lock is taken: a bad file is refused
    without keeping other programs waiting. It keeps the few actors, questions, sources
    and scales, and spools each position, as the plain values it will write, to a
    temporary file (``Spool``), with the names it refers to. The second, inside the
    transaction, writes the small records, checks the names the positions use (the
    first position that names something unknown is refused before any is written) and
    streams the positions from the spool into the bulk writer.

    ``progress(stage, count)``, when given, is called now and then: ("read", lines
    read) in the first pass, ("written", positions written) in the second (a place for
    a progress bar). ``phase(name, total)``, when given, is called as each phase starts:
    "read" (total None: the number of lines is not known), "write" (the positions), then
    for a large load "indexes" (the number rebuilt) and "search index" (the positions)."""
    with no_cycle_collection(), Spool() as spool:
        if phase is not None:
            phase("read", None)
        others, refs = _first_pass(records, spool, progress)
        return _import(store, spool, dry_run, lambda conn: _apply(conn, others, refs, spool, dry_run, progress, phase))


# Names the positions use, each with the line of its first use: at most this many of
# each kind are kept (memory stays bounded); those first used later are still checked,
# as each position is written.
_REFS_KEPT = 100_000
_DATES_KEPT = 100_000


@dataclass
class _Refs:
    questions: dict[str, int] = field(default_factory=dict)
    actors: dict[str, int] = field(default_factory=dict)
    stances: dict[tuple[str, str], int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)


def _first_pass(
    records: Iterable[tuple[int, dict]], spool: Spool, progress: Callable[[str, int], None] | None
) -> tuple[dict[str, list[tuple[int, dict]]], _Refs]:
    others: dict[str, list[tuple[int, dict]]] = {kind: [] for kind in ORDER}
    refs = _Refs()
    questions, actors, stances, sources = refs.questions, refs.actors, refs.stances, refs.sources
    dates: dict[str, tuple[str, str, str]] = {}  # the few thousand distinct dates, written out once
    dumps = json.dumps
    batch: list[tuple] = []
    append = batch.append
    line = 0
    for line, rec in records:
        if rec["type"] != "position":
            others[rec["type"]].append((line, rec))
            continue
        question, actor, stance, source = rec["question"], rec["actor"], rec["stance"], rec["source"]
        if question not in questions and len(questions) < _REFS_KEPT:
            questions[question] = line
        if actor not in actors and len(actors) < _REFS_KEPT:
            actors[actor] = line
        if (question, stance) not in stances and len(stances) < _REFS_KEPT:
            stances[(question, stance)] = line
        if source and source not in sources and len(sources) < _REFS_KEPT:
            sources[source] = line
        when = rec["date"]
        edtf = when.edtf
        interval = dates.get(edtf)
        if interval is None:
            interval = (when.start.isoformat(), when.end.isoformat(), when.precision)
            if len(dates) < _DATES_KEPT:
                dates[edtf] = interval
        tags = rec["tags"]
        append(
            (
                line, rec["uid"], actor, question, stance, edtf, *interval, rec["quote"], rec["quote_lang"],
                rec["paraphrase"], rec["context"], source, rec["confidence"], rec["notes"],
                dumps(tags, ensure_ascii=False) if tags else "[]",
            )
        )  # fmt: skip
        if len(batch) >= BATCH:
            spool.extend(batch)
            batch.clear()
            if progress is not None:
                progress("read", line)
    spool.extend(batch)
    if progress is not None:
        progress("read", line)
    return others, refs


def _import(store: Store, spool: Spool, dry_run: bool, apply: Callable[[object], ImportReport]) -> ImportReport:
    """``apply(conn)`` in the import's one transaction, rolled back when ``dry_run``."""
    try:
        with bulk_session(store.conn, spool.count), store.transaction(origin="import", limit=None) as conn:
            with creations_unlogged(conn):
                report = apply(conn)
            if dry_run:
                # Leaving the block by an exception makes transaction() roll everything back.
                raise _DryRun(report)
    except _DryRun as done:
        return done.report
    return report


class _DryRun(Exception):
    def __init__(self, report: ImportReport):
        self.report = report


def _apply(
    conn,
    others: dict[str, list[tuple[int, dict]]],
    refs: _Refs,
    spool: Spool,
    dry_run: bool,
    progress: Callable[[str, int], None] | None,
    phase: Callable[[str, int | None], None] | None,
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
    _check_refs(writer, refs)
    if phase is not None:
        phase("write", spool.count)
    writer.positions(_position_rows(writer, spool, progress), spool.count, phase=phase)
    return ImportReport(Counter(writer.counts), list(writer.created), dry_run)


def _check_refs(writer: BulkWriter, refs: _Refs) -> None:
    """Refuse the first position (in the file's order) that names an unknown question,
    actor, stance or source, with the message writing it would give, before any
    position is written (the write lock is held only briefly for such a file)."""
    bad: list[tuple[int, int, Callable, tuple]] = []  # (line, order of the checks in a row, check, its arguments)
    for order, check, names in (
        (0, writer.question_ref, refs.questions),
        (1, writer.actor_id, refs.actors),
        (3, writer.source_id, refs.sources),
    ):
        for name, line in names.items():
            try:
                check(name)
            except TrackerError:
                bad.append((line, order, check, (name,)))
    for (question, stance), line in refs.stances.items():
        try:
            _, scale_key = writer.question_ref(question)
        except TrackerError:
            continue  # the question's own check names it
        try:
            writer.level_id(scale_key, stance)
        except TrackerError:
            bad.append((line, 2, writer.level_id, (scale_key, stance)))
    if bad:
        line, _, check, args = min(bad, key=lambda b: b[:2])
        _at(line, check, *args)


def _position_rows(
    writer: BulkWriter, spool: Spool, progress: Callable[[str, int], None] | None
) -> Iterator[tuple]:
    """The values ``BulkWriter.positions`` writes, one tuple a position, from the spool;
    TrackerError names the line."""
    actor_id, question_ref = writer.actor_id, writer.question_ref
    level_id, source_id = writer.level_id, writer.source_id
    # The writer's own caches, read directly (a million rows, four look-ups each): a name
    # they do not hold goes to the writer's method, which finds it or says what is wrong.
    actors, questions, levels, sources = writer.actor_ids, writer.question_ids, writer.level_ids, writer.source_ids
    now = writer.now
    written = 0
    for batch in spool.batches():
        for r in batch:  # as _first_pass spooled it: the line, then the values, names for ids
            question, actor, source = questions.get(r[3]), actors.get(r[2]), r[13]
            if question is not None and actor is not None:
                level = levels.get((question[1], r[4]))
                source = sources.get(source) if source else None
                if level is not None and (source is not None or not r[13]):
                    yield (
                        r[1], actor, question[0], level, r[5], r[6], r[7], r[8], r[9],
                        r[10], r[11], r[12], source, r[14], r[15], r[16], now, now,
                    )  # fmt: skip
                    continue
            try:
                question_id, scale_key = question_ref(r[3])
                yield (
                    r[1], actor_id(r[2]), question_id, level_id(scale_key, r[4]), r[5], r[6], r[7], r[8], r[9],
                    r[10], r[11], r[12], source_id(r[13]), r[14], r[15], r[16], now, now,
                )  # fmt: skip
            except TrackerError as e:
                raise TrackerError(f"line {r[0]}: {e}") from None
        written += len(batch)
        if progress is not None:
            progress("written", written)


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
