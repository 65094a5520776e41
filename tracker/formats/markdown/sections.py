"""The sections of a report: one question's data loaded once, then its stance table, its
movers tables and its timeline (each statement with its quote, paraphrase, context and
source), for every actor or for one."""

from __future__ import annotations

from datetime import date

from tracker.domain.changes import change_between, with_previous
from tracker.domain.dates import FuzzyDate
from tracker.domain.models import Actor, Question, Scale, Statement
from tracker.domain.movers import Reached, as_of as latest_as_of, reach_by_level
from tracker.formats.markdown.document import GAP, Doc
from tracker.formats.markdown.escape import cell, inline, lines
from tracker.formats.markdown.mermaid import timeline_chart
from tracker.formats.markdown.words import (
    ACTOR_ID,
    FIRST,
    ID,
    NO_SOURCE,
    and_list,
    display,
    lag_words,
    marker,
    summary,
)
from tracker.store import Store, reads

class QuestionData:
    """One question's data, loaded once: its scale, every statement on it (in timeline
    order), the change marker of each statement that follows one by the same actor (an
    actor's first statement has none: most of a large file's; the changes are made without
    the quote diffs, which a report does not show) and the movers (per level key, see
    :func:`tracker.domain.movers.reach_by_level`)."""

    def __init__(self, question: Question, scale: Scale, positions: list[Statement]):
        self.question = question
        self.scale = scale
        self.positions = positions  # in timeline order
        size = scale.size
        self.markers = {
            p.id: marker(change_between(before, p, size, with_diff=False))
            for before, p in with_previous(positions, in_order=True)
            if before is not None
        }
        self.movers = reach_by_level(positions, scale, in_order=True) if positions else {}
        # Each actor's first statement: a level reached with it was reached by entry (the
        # actor was there when the data first records it), not by a move.
        self.entries = set(dict(zip(map(ACTOR_ID, reversed(positions)), map(ID, reversed(positions)))).values())

    def by(self, hit: Statement) -> str:
        """How ``hit`` reached its level: ``move`` or ``entry`` (see :mod:`tracker.domain.movers`)."""
        return "entry" if hit.id in self.entries else "move"

    def status(self, position: Statement) -> str:
        """:func:`marker` of the change to ``position``."""
        return self.markers.get(position.id, FIRST)


def stance_rows(doc: Doc, data: QuestionData, bound: date, actor_id: int | None = None) -> list[str]:
    """Actor, stance, date stated, change: the latest position of each actor by ``bound``,
    as the lines of a table's body."""
    positions = data.positions if actor_id is None else [p for p in data.positions if p.actor_id == actor_id]
    latest = latest_as_of(positions, bound, in_order=True)
    markers, cell, folded = data.markers, doc.cell, doc.folded
    known = sorted([(-p.level.rank, folded[p.actor_name], p.actor_id, p) for p in latest.values()])
    rows = [
        f"| {cell[p.actor_name]} | {cell[p.level.label]} | {p.date.display} | {markers.get(p.id, FIRST)} |"
        for _, _, _, p in known
    ]
    if positions[-1].date.start > bound:  # some actors may have spoken only later
        later = {p.actor_id: p.actor_name for p in positions if p.actor_id not in latest}
        rows += [f"| {cell[later[i]]} | — | no statement by then |  |" for i in sorted(later, key=lambda i: (later[i].casefold(), i))]
    return rows


STANCE_HEAD = ["| Actor | Stance | Stated | Change |", "| --- | --- | --- | --- |"]


def _same_movers(a: tuple[list[Reached], list[Statement]], b: tuple[list[Reached], list[Statement]], entries: set[int]) -> bool:
    """Whether two levels have the same movers: the same actors reaching them on the same
    dates (so with the same lags) in the same way (by a move, or by entry: the statements
    ``entries``), and the same actors not yet."""
    (reached_a, never_a), (reached_b, never_b) = a, b
    if len(reached_a) != len(reached_b) or len(never_a) != len(never_b):
        return False
    for (hit_a, _), (hit_b, _) in zip(reached_a, reached_b):
        if hit_a.id != hit_b.id and (hit_a.actor_id != hit_b.actor_id or hit_a.date != hit_b.date or hit_a.id in entries or hit_b.id in entries):
            return False
    return all(p.actor_id == q.actor_id for p, q in zip(never_a, never_b))


def movers_tables(doc: Doc, data: QuestionData, level: int) -> None:
    """One table per level that someone reached; a level whose table would repeat
    the one before it (same actors, same dates) is named under it instead."""
    if _only_one_actor(doc, data):
        return
    doc.heading(level, "Movers")
    if not data.movers:
        bottom = data.scale.levels[0].label if data.scale.levels else "the lowest level"
        doc.block([f"No actor has moved above “{inline(bottom)}” yet."])
        return
    doc.block([
        "Who reached each level first, and how long the others took to follow: by a *move* from a lower stance,"
        " or by *entry* when the actor's first recorded statement is already there."
    ])
    groups: list[tuple[list[str], tuple[list[Reached], list[Statement]]]] = []
    for key, movers in data.movers.items():
        if groups and _same_movers(groups[-1][1], movers, data.entries):
            groups[-1][0].append(key)
        else:
            groups.append(([key], movers))
    # The same actor often reaches several levels with one statement, behind the same first
    # mover: the same row, made once. Per first mover's date, per position id: the row.
    rows_after: dict[str, dict[int, str]] = {}
    lags, cell = doc.lags, doc.cell
    for keys, (reached, never) in groups:
        labels = [f"“{inline(data.scale.level(k).label)}”" for k in keys]
        doc.heading(level + 1, f"Reached {labels[0]} or beyond")
        if len(labels) > 1:
            doc.block([f"The same actors reached {and_list(labels[1:])} on the same dates."])
        table = ["| Actor | Reached | By | Lag | Latest stance |", "| --- | --- | --- | --- | --- |"]
        if reached:
            leader = reached[0][0].date
            rows = rows_after.get(leader.edtf)
            if rows is None:
                rows = rows_after[leader.edtf] = {}
            append = table.append
            for hit, latest in reached:
                row = rows.get(hit.id)
                if row is None:
                    reached_on = hit.date
                    key = (leader.edtf, reached_on.edtf)  # the canonical texts say all about the dates
                    lag = lags.get(key)
                    if lag is None:
                        lag = lags[key] = lag_words(leader, reached_on)
                    row = rows[hit.id] = (
                        f"| {cell[hit.actor_name]} | {reached_on.display} | {data.by(hit)} | {lag} | {cell[latest.level.label]} |"
                    )
                append(row)
        doc.block(table)
        if never:
            doc.block([f"Not yet: {', '.join([cell[p.actor_name] for p in never])}."])


def _only_one_actor(doc: Doc, data: QuestionData) -> bool:
    """When a single actor has spoken on the question, say so instead of a movers section:
    with no one to compare with, its only "mover" would be itself, first at every level."""
    actors = {p.actor_id for p in data.positions}
    if len(actors) != 1:
        return False
    doc.block([f"Only {inline(data.positions[0].actor_name)} has spoken on this question so far: no movers to compare."])
    return True


def actor_movers(doc: Doc, data: QuestionData, actor: Actor, level: int) -> None:
    """For one actor: per level it reached, when, who was first, and its lag.
    Consecutive levels with the same answer share a row."""
    if _only_one_actor(doc, data):
        return
    doc.heading(level, "Movers")
    groups: list[tuple[list[str], list[str]]] = []  # (level labels, the other cells)
    for key, (reached, never) in data.movers.items():
        mine = next((hit for hit, _ in reached if hit.actor_id == actor.id), None)
        if mine is None and not any(p.actor_id == actor.id for p in never):
            continue
        if reached:
            leader = reached[0][0].date
            firsts = [hit for hit, _ in reached if hit.date.start == leader.start]
            first = f"{', '.join(inline(hit.actor_name) for hit in firsts)} ({firsts[0].date.display})"
        else:
            first = ""
        label = cell(data.scale.level(key).label)
        rest = [mine.date.display, data.by(mine), first, lag_words(leader, mine.date)] if mine is not None else ["not yet", "", first, ""]
        if groups and groups[-1][1] == rest:
            groups[-1][0].append(label)
        else:
            groups.append(([label], rest))
    rows = [[labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}", *rest] for labels, rest in groups]
    if not rows:
        bottom = data.scale.levels[0].label if data.scale.levels else "the lowest level"
        doc.block([f"No actor has moved above “{inline(bottom)}” yet."])
        return
    doc.block([f"When {inline(actor.name)} reached each level, against the first actor to reach it."])
    doc.table(("Level", "Reached", "By", "First to reach it", "Lag"), rows)


def entry(doc: Doc, p: Statement, markers: dict[int, str], heading: str, show_actor: bool) -> None:
    """One statement of a timeline, added to the document under a ``heading`` (``### ``): the
    date, actor and stance, the change marker (from ``markers``; an actor's first statement
    has none), the quote, the paraphrase, the context and the source, each its own block."""
    id_, _, _, name, _, stance, when, quote, lang, paraphrase, context, source, confidence = p
    cell, pieces = doc.cell, doc.pieces
    if show_actor:
        pieces += (heading, when.display, " · ", cell[name], " · ", cell[stance.label], GAP)
    else:
        pieces += (heading, when.display, " · ", cell[stance.label], GAP)
    pieces += (markers.get(id_, FIRST), doc.confidence[confidence], ".", GAP)
    if quote:
        body = lines(quote)
        if len(body) == 1:  # the usual quote
            pieces += ("> ", body[0])
        elif body:
            pieces.append("\n".join(["> " + line if line else ">" for line in body]))
        language = doc.language[lang] if lang else ""
        if language:
            pieces += ("\n>\n> — in " if body else ">\n> — in ", language)
        if body or language:
            pieces.append(GAP)
    if paraphrase:
        said = lines(paraphrase)
        if said:
            pieces += ("*Paraphrase:* " if quote else "*In substance:* ", "\n".join(said), GAP)
    if context:
        told = lines(context)
        if told:
            pieces += ("*Context:* ", "\n".join(told), GAP)
    if source is None:
        pieces += (NO_SOURCE, GAP)
    else:  # one article backs many statements: its line is made once
        known = doc.sources.get(id(source))
        pieces += (doc.source(source) if known is None else known[1], GAP)


def timeline_section(doc: Doc, data: QuestionData, level: int, *, actor_id: int | None, mermaid: bool, title: str) -> int:
    timeline = data.positions if actor_id is None else [p for p in data.positions if p.actor_id == actor_id]
    doc.heading(level, "Timeline")
    if not timeline:
        doc.block(["No statements recorded yet."])
        return 0
    if mermaid:
        doc.block(timeline_chart(title, timeline, show_actor=actor_id is None))
    heading = "#" * min(level + 1, 6) + " "
    show_actor = actor_id is None
    markers = data.markers
    for p in timeline:
        entry(doc, p, markers, heading, show_actor)
    return len(timeline)


def question_section(doc: Doc, data: QuestionData, level: int, when: date | FuzzyDate, bound: date, *, mermaid: bool) -> int:
    q = data.question
    doc.heading(level, inline(q.title))
    doc.block(lines(q.description))
    if not data.positions:
        doc.block(["No statements recorded yet."])
        return 0
    doc.block([f"*{summary(data.positions)}.*"])
    doc.heading(level + 1, f"Where each actor stands as of {display(when)}")
    doc.block(STANCE_HEAD + stance_rows(doc, data, bound))
    movers_tables(doc, data, level + 1)
    return timeline_section(doc, data, level + 1, actor_id=None, mermaid=mermaid, title=q.title)


def actor_intro(store: Store, actor: Actor) -> str:
    parts = [actor.kind.capitalize()]
    if actor.country:
        parts.append(inline(actor.country))
    if actor.parent_slug:
        try:
            parent = store.resolve_actor(actor.parent_slug).name
        except Exception:  # a parent that cannot be read is left out, never fatal
            parent = actor.parent_slug
        parts.append(f"part of {inline(parent)}")
    return f"*{', '.join(parts)}.*"


def load(store: Store, question: Question, scales: dict[str, Scale], positions: list[Statement] | None = None) -> QuestionData:
    scale = scales.get(question.scale_key) or store.scale(question.scale_key)
    scales[question.scale_key] = scale
    if positions is None:
        positions = reads.statements(store.conn, question_id=question.id)
    return QuestionData(question, scale, positions)

