"""The report of a question, an actor, both, or everything: :func:`write_markdown`, the one
entry point (the command line's ``tracker export markdown`` and the interface's ``E``), and
the name of its file."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO

from tracker.domain.dates import FuzzyDate, as_of_bound
from tracker.domain.models import Question, Scale
from tracker.domain.movers import as_of as latest_as_of
from tracker.domain.validation import slugify
from tracker.errors import StoreError
from tracker.gc_pause import no_cycle_collection
from tracker.formats.markdown.document import Doc
from tracker.formats.markdown.escape import cell, inline, lines
from tracker.formats.markdown.second_core import aside
from tracker.formats.markdown.sections import (
    STANCE_HEAD,
    actor_intro,
    actor_movers,
    load,
    question_section,
    stance_rows,
    timeline_section,
)
from tracker.formats.markdown.words import display, plural, summary
from tracker.store import Store, reads

__all__ = ["TWO_CORES_FROM", "default_filename", "render_markdown", "write_markdown"]

# A report of every question with at least this many statements writes half of it on a
# second core (``two_cores``): below, the fork costs more than it saves.
TWO_CORES_FROM = 20_000


def write_markdown(
    store: Store,
    out: IO[str],
    *,
    question_id: int | None = None,
    actor_id: int | None = None,
    as_of: date | FuzzyDate | None = None,
    mermaid: bool = False,
    two_cores: bool = False,
    keep: list[object] | None = None,
) -> int:
    """Write the markdown report to ``out``; returns the number of statements in its timelines.

    With ``question_id``: that question. With ``actor_id``: that actor on each
    question it has spoken on. With both: that one story. With neither: every
    question, one section each. ``as_of`` (a day, or a date at its precision:
    "as of Feb 2024" includes all of February; default today) sets the stance
    tables; the movers and timelines cover every statement. ``two_cores``: a report of
    every question from TWO_CORES_FROM statements writes its second half in a forked
    process meanwhile (see tracker.formats.markdown.second_core); never from a program with
    threads of its own (the interface), which a fork would copy mid-flight. ``keep``: a
    list that what the report read and remembered on two cores is left in, rather than
    freed record by record, when the process ends as soon as the report is written (see
    tracker.cli.group.ends_the_process).
    """
    with no_cycle_collection():
        return _write_markdown(
            store, out, question_id=question_id, actor_id=actor_id, as_of=as_of, mermaid=mermaid, two_cores=two_cores,
            keep=keep,
        )  # fmt: skip


def _write_markdown(
    store: Store,
    out: IO[str],
    *,
    question_id: int | None,
    actor_id: int | None,
    as_of: date | FuzzyDate | None,
    mermaid: bool,
    two_cores: bool,
    keep: list[object] | None,
) -> int:
    when = as_of if as_of is not None else date.today()
    bound = as_of_bound(when) if isinstance(when, FuzzyDate) else when
    doc = Doc(out)
    scales: dict[str, Scale] = {}
    count = 0

    if question_id is not None and actor_id is None:
        data = load(store, store.question(question_id), scales)
        count = question_section(doc, data, 1, when, bound, mermaid=mermaid)
        doc.close()
        return count

    if actor_id is not None:
        actor = store.actor(actor_id)
        if question_id is not None:
            question = store.question(question_id)
            doc.heading(1, f"{inline(actor.name)} on {inline(question.title)}")
            doc.block(lines(question.description))
            data = load(store, question, scales)
            mine = [p for p in data.positions if p.actor_id == actor.id]
            if not mine:
                doc.block([f"No statements by {inline(actor.name)} on this question yet."])
                doc.close()
                return 0
            doc.block([f"*{summary(mine, by_actors=False)}.*"])
            doc.heading(2, f"Stance as of {display(when)}")
            doc.block(STANCE_HEAD + stance_rows(doc, data, bound, actor.id))
            actor_movers(doc, data, actor, 2)
            count = timeline_section(doc, data, 2, actor_id=actor.id, mermaid=mermaid, title=f"{actor.name} on {question.title}")
            doc.close()
            return count

        doc.heading(1, inline(actor.name))
        doc.block([actor_intro(store, actor)])
        own = reads.statements(store.conn, actor_id=actor.id)
        if not own:
            doc.block([f"No statements by {inline(actor.name)} yet."])
            doc.close()
            return 0
        question_ids = {p.question_id for p in own}
        questions = [q for q in store.questions() if q.id in question_ids]
        loaded = [load(store, q, scales) for q in questions]
        doc.block([f"*{summary(own, by_actors=False)}, on {plural(len(questions), 'question')}.*"])
        doc.heading(2, f"Where {inline(actor.name)} stands as of {display(when)}")
        rows = []
        for data in loaded:
            latest = latest_as_of([p for p in data.positions if p.actor_id == actor.id], bound, in_order=True).get(actor.id)
            if latest is None:
                rows.append([cell(data.question.title), "—", "no statement by then", ""])
            else:
                rows.append([cell(data.question.title), cell(latest.level.label), latest.date.display, data.status(latest)])
        doc.table(("Question", "Stance", "Stated", "Change"), rows)
        doc.flush()
        for data in loaded:
            doc.heading(2, inline(data.question.title))
            doc.block(lines(data.question.description))
            actor_movers(doc, data, actor, 3)
            count += timeline_section(doc, data, 3, actor_id=actor.id, mermaid=mermaid, title=data.question.title)
            doc.flush()
        doc.close()
        return count

    # Neither: every question, one section each.
    questions = store.questions()
    scales.update((scale.key, scale) for scale in store.scales())

    def header(into: Doc, total: int) -> None:
        into.heading(1, "Stated positions")
        into.block([f"*{plural(len(questions), 'question')}, {plural(total, 'statement')}; stances as of {display(when)}.*"])
        into.flush()

    def sections(into: Doc, chosen: Sequence[Question], by_question: reads.StatementsByQuestion) -> int:
        written = 0
        for question in chosen:
            data = load(store, question, scales, by_question.get(question.id, []))
            written += question_section(into, data, 2, when, bound, mermaid=mermaid)
            into.flush()
        into.close()
        return written

    # On two cores, the rows are counted first (from an index), and each half of the
    # questions read by the process that writes it: the second in a forked process, on a
    # connection of its own (one must never be used on both sides of a fork).
    counts = reads.statement_counts(store.conn) if two_cores else {}
    split = _first_half(questions, counts) if sum(counts.values()) >= TWO_CORES_FROM else len(questions)
    if split == len(questions):
        by_question = reads.statements_by_question(store.conn)
        header(doc, by_question.total)
        return sections(doc, questions, by_question)

    def read(conn: sqlite3.Connection, chosen: Sequence[Question]) -> reads.StatementsByQuestion:
        """The statements of ``chosen``; StoreError if they are not as many as counted (a
        write in between: the two halves would not tell of one state of the file)."""
        by_question = reads.statements_by_question(conn, [q.id for q in chosen])
        if any(by_question.count(q.id) != counts.get(q.id, 0) for q in chosen):
            raise StoreError("the file changed while the report was read; run the export again")
        return by_question

    # What each half reads and remembers (its rows, a line per source...) is held, not
    # freed record by record as the functions return: by the forked process, which ends
    # without any clean-up as soon as its text is written, and by this one in ``keep``
    # when it ends likewise; that freeing was the last 20-40 ms of either half.
    held = keep if keep is not None else []

    def second_half(file: IO[str], conn: sqlite3.Connection) -> int:
        into = Doc(file)
        into.written = True  # it goes on after the first half
        by_question = read(conn, questions[split:])
        held.append((into, by_question))
        return sections(into, questions[split:], by_question)

    header(doc, sum(counts.values()))
    with aside(lambda file: second_half(file, reads.second_connection(store.path))) as other:
        first = read(store.conn, questions[:split])
        if keep is not None:
            keep.append((doc, first))
        count = sections(doc, questions[:split], first)
        del doc, first  # unless kept, freed while the second half is still being written
        taken = other.take(out) if other is not None else None
    return count + (second_half(out, store.conn) if taken is None else taken)


def _first_half(questions: Sequence[Question], counts: Mapping[int, int]) -> int:
    """Where to cut the questions so that both halves hold about as many statements."""
    half, seen = sum(counts.values()) / 2, 0
    for index, question in enumerate(questions):
        seen += counts.get(question.id, 0)
        if seen >= half:
            return index + 1
    return len(questions)


def render_markdown(store: Store, **options) -> str:
    """:func:`write_markdown` into a string."""
    buffer = io.StringIO()
    write_markdown(store, buffer, **options)
    return buffer.getvalue()


def default_filename(store: Store, question_id: int | None = None, actor_id: int | None = None) -> str:
    """A file name for the report: ``ground-troops.md``, ``macron.md``, ``macron-ground-troops.md``, ``positions.md``."""
    parts = []
    if actor_id is not None:
        actor = store.actor(actor_id)
        parts.append(slugify(actor.slug) or f"actor-{actor.id}")
    if question_id is not None:
        question = store.question(question_id)
        parts.append(slugify(question.slug) or f"question-{question.id}")
    return ("-".join(parts) or "positions") + ".md"
