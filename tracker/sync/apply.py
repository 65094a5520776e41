"""Reading a merged layout into the SQLite file: adds, updates and tombstoned deletions,
by uid, in one transaction (origin "sync").

Records keep the layout's ``updated_at``: a clone that imports what another wrote then
writes the same lines back, so two clones settle on the same files. Scales, actors,
questions and sources go through the one write path of records (``RecordWriter``),
positions through the bulk writer, each checked as an import checks it. A value a merge
set aside ends up in the record's revision history on both sides: where the import
changes the row, the schema's trigger logs it; where the row already held the kept
value, nothing changes, so the sync writes that revision itself (``log_set_aside``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from tracker.domain.dates import parse_date
from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.bulk import BulkWriter, bulk_session
from tracker.store.dataset import actor_id, delete_positions, log_set_aside, revised_row
from tracker.store.revisions import creations_unlogged
from tracker.store.upserts import RecordWriter
from tracker.sync.layout import Layout, LayoutError

TABLES = {"actor": "actors", "question": "questions", "source": "sources", "position": "positions"}


@dataclass
class Applied:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    kept_over_deletion: list[str] = field(default_factory=list)  # uids tombstoned that the layout still holds


def apply(store: Store, layout: Layout, ours: dict[str, str], conflicts: list[dict]) -> Applied:
    """Write ``layout`` into the file in one transaction. ``ours``: the records this
    file had (uid -> line, as the layout wrote them before the merge), to tell on which
    side each conflict's kept value already was."""
    done = Applied()
    with bulk_session(store.conn, len(layout.positions)), store.transaction(origin="sync", limit=None) as conn:
        with creations_unlogged(conn):
            outcomes = _records(conn, layout)
            writer = BulkWriter(conn)
            writer.positions(_position_rows(writer, layout), len(layout.positions))
        outcomes.update({k: v for (kind, k), v in writer.counts.items() if kind == "position"})
        done.added, done.updated = outcomes["created"], outcomes["updated"]
        gone = [uid for uid in layout.tombstones if uid not in layout.present]
        done.kept_over_deletion = sorted(uid for uid in layout.tombstones if uid in layout.present and uid not in ours)
        done.deleted = delete_positions(conn, gone)
        for c in conflicts:
            if c["kind"] == "both-edited" and c["type"] in TABLES and c["uid"] in ours:
                mine = json.loads(ours[c["uid"]])
                if mine.get(c["field"]) == c["kept"]:
                    _log_set_aside(conn, writer, mine, c)
    return done


def _records(conn, layout: Layout) -> Counter:
    writer = RecordWriter(conn)
    outcomes: Counter = Counter()
    for rec in layout.records["scale"]:
        outcomes[_checked(rec, writer.scale).outcome] += 1
    written = {}
    for rec in layout.records["actor"]:
        written[rec["slug"]] = w = _checked(rec, writer.actor)
        outcomes[w.outcome] += 1
    for rec in layout.records["actor"]:
        parent = rec["parent"]
        parent_id = (written[parent].id if parent in written else actor_id(conn, parent)) if parent else None
        if parent and parent_id is None:
            raise LayoutError(f"actor {quoted(rec['slug'])}: its parent {quoted(parent)} is not in the dataset")
        if writer.actor_parent(written[rec["slug"]].id, parent_id, updated_at=rec["updated_at"] or None):
            if written[rec["slug"]].outcome == "unchanged":
                outcomes["unchanged"] -= 1
                outcomes["updated"] += 1
    for kind in ("question", "source"):
        for rec in layout.records[kind]:
            outcomes[_checked(rec, getattr(writer, kind)).outcome] += 1
    writer.flush()
    return outcomes


def _checked(rec: dict, write):
    try:
        return write(rec)
    except TrackerError as e:
        raise LayoutError(f"{rec['type']} {rec['uid']}: {e}") from None


def _position_rows(writer: BulkWriter, layout: Layout):
    now = writer.now
    for rec in layout.positions.values():
        try:
            question_id, scale = writer.question_ref(rec["question"])
            when = rec["date"]
            yield (
                rec["uid"], writer.actor_id(rec["actor"]), question_id, writer.level_id(scale, rec["stance"]),
                when.edtf, when.start.isoformat(), when.end.isoformat(), when.precision, rec["quote"],
                rec["quote_lang"], rec["paraphrase"], rec["context"], writer.source_id(rec["source"]),
                rec["confidence"], rec["notes"], json.dumps(rec["tags"], ensure_ascii=False), now,
                rec["updated_at"] or now,
            )  # fmt: skip
        except TrackerError as e:
            raise LayoutError(f"position {rec['uid']}: {e}") from None


def _log_set_aside(conn, writer: BulkWriter, mine: dict, c: dict) -> None:
    """The revision of a value set aside on the side whose value was kept."""
    table = TABLES[c["type"]]
    after = revised_row(conn, table, c["uid"])
    if after is None:
        return
    try:
        columns = _columns(writer, mine, c["field"], c["set_aside"])
    except TrackerError:
        return  # a value this file cannot hold any more (a level, an actor gone): the report still names it
    if columns:
        log_set_aside(conn, table, c["uid"], after | columns | {"updated_at": c["set_aside_at"]}, after, writer.now)


def _columns(writer: BulkWriter, mine: dict, name: str, value) -> dict:
    """A field of the record ``mine`` (as the layout wrote it) as the columns of its row
    (empty: the field has no column)."""
    kind = mine["type"]
    if name in ("tags",):
        return {"tags": json.dumps(list(value or []), ensure_ascii=False)}
    if kind == "position":
        if name == "stance":
            return {"level_id": writer.level_id(writer.question_ref(mine["question"])[1], value)}
        if name == "actor":
            return {"actor_id": writer.actor_id(value)}
        if name == "question":
            return {"question_id": writer.question_ref(value)[0]}
        if name == "source":
            return {"source_id": writer.source_id(value)}
        if name == "date":
            when = parse_date(value)
            return {"date": when.edtf, "date_start": when.start.isoformat(), "date_end": when.end.isoformat(), "precision": when.precision}
    if kind == "actor" and name == "parent":
        return {"parent_id": writer.actor_id(value) if value else None}
    if kind == "actor" and name == "aliases":
        return {}  # kept in their own table, which has no revisions
    if kind == "question" and name == "scale":
        return {"scale_id": writer.scales[value][0]} if value in writer.scales else {}
    return {name: value}
