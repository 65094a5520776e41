"""The movers answer read from a store: the one function behind `tracker movers`, the
interface's Movers view and `tracker export markdown --movers`.

Questions are chosen by name (the forgiving look-up people typing get) or by tag; the
level and the refusal level are typed as a key, a label, a rank or a prefix.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.domain.models import Question
from tracker.domain.movers import MoversReport, default_level, movers_report, top_parents
from tracker.domain.scales import resolve_level
from tracker.domain.text import fold, quoted
from tracker.errors import Ambiguous, NotFound, TrackerError
from tracker.store import Store, reads


def tags(questions: Sequence[Question]) -> list[tuple[str, tuple[int, ...]]]:
    """Every tag of ``questions`` with the ids of the questions that carry it, by tag."""
    ids: dict[str, list[int]] = {}
    for q in questions:
        for tag in dict.fromkeys(q.tags):
            ids.setdefault(tag, []).append(q.id)
    return [(tag, tuple(ids[tag])) for tag in sorted(ids, key=lambda t: (fold(t), t))]


def resolve_tag(questions: Sequence[Question], text: str) -> str:
    """A tag of ``questions``: the one equal to ``text`` (case and accents ignored), else
    the only one it starts."""
    raw = text.strip()
    if not raw:
        raise TrackerError("tag is required")
    known = [tag for tag, _ in tags(questions)]
    wanted = fold(raw)
    for test in (lambda t: fold(t) == wanted, lambda t: fold(t).startswith(wanted)):
        found = sorted({t for t in known if test(t)})
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(found[:6]) + (", ..." if len(found) > 6 else "")
            raise Ambiguous(f"tag {quoted(raw)} is ambiguous: it matches {listed}")
    raise NotFound(f"no question has the tag {quoted(raw)}")


def choose_questions(store: Store, names: Sequence[str] = (), tag: str | None = None) -> list[Question]:
    """The questions named (each once, in the order given), or those with ``tag`` (by title)."""
    if tag is not None:
        every = store.questions()
        wanted = resolve_tag(every, tag)
        return [q for q in every if wanted in q.tags]
    chosen = {q.id: q for q in (store.resolve_question(name) for name in names)}
    return list(chosen.values())


def movers(
    store: Store,
    questions: Sequence[Question],
    *,
    level: str | None = None,
    refusal: str | None = None,
    roll_up: bool = False,
    chronological: bool = False,
) -> MoversReport:
    """Who reached ``level`` (default: ``committed``, see :func:`default_level`) first on
    each of ``questions``, the lag of the others and their time from the last position at or
    below ``refusal`` (default: the scale's lowest level). Each question's own scale reads
    the two levels; the report names them as the first question's scale does.
    ``chronological``: the questions in the order their first movers reached the level (for
    a tag's questions), else as given."""
    if not questions:
        raise TrackerError("choose at least one question")
    scales = {key: store.scale(key) for key in dict.fromkeys(q.scale_key for q in questions)}
    levels = {}
    for q in questions:
        scale = scales[q.scale_key]
        try:
            reach = default_level(scale) if level is None else resolve_level(scale, level)
            refuse = min(scale.levels, key=lambda lv: lv.rank) if refusal is None else resolve_level(scale, refusal)
        except TrackerError as e:
            raise TrackerError(f"{e} (question {quoted(q.slug)})") from None
        if refuse.rank >= reach.rank:
            raise TrackerError(
                f"the refusal level {quoted(refuse.label)} must be below the level reached, {quoted(reach.label)}"
            )
        levels[q.id] = (reach, refuse)
    first_level, first_refusal = levels[questions[0].id]
    # Who said what when is all the answer reads: the positions without their texts.
    positions = reads.brief_statements(store.conn, [q.id for q in questions])
    return movers_report(
        [(q, positions.get(q.id, [])) for q in questions],
        first_level,
        first_refusal,
        levels=levels,
        tops=top_parents(store.actors()) if roll_up else None,
        chronological=chronological,
        in_order=True,
    )
