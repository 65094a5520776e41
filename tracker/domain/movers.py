"""Movers: who reached a level on a question first, how late the others followed, and how
long each took from its last refusal ("from never to yes"), on one question or across several.

An actor *reaches* a level with its first position (by date start, date end, then id) whose
level ranks at or above it: a *move* when it has an earlier position below the level, an
*entry* when its first recorded position is already there. The *first movers* are the actors
with the earliest reach (ties all count); another's *lag* is its reach date minus theirs.
Its *refusal* is its last position at or below the refusal level before it reached the level.
Durations run between the starts of the dates' intervals; one that involves a date known only
to the month or year, or approximate, is approximate. With roll-up, every actor's positions
count for its top-level parent (Macron for France).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import Literal

from tracker.domain.changes import POSITION_ORDER
from tracker.domain.dates import FuzzyDate
from tracker.domain.durations import days_words, elapsed_words
from tracker.domain.text import quoted
from tracker.domain.models import Actor, Level, Position, Question, Scale, Statement
from tracker.errors import OutOfShape

_ACTOR_ID = attrgetter("actor_id")
_QUESTION_ID = attrgetter("question_id")
_START = attrgetter("date.start")


def _in_order(positions: Iterable[Position]) -> list[Position]:
    """``positions`` in position order (date start, date end, id), all on one question."""
    ordered = sorted(positions, key=POSITION_ORDER)
    question_ids = set(map(_QUESTION_ID, ordered))
    if len(question_ids) > 1:
        raise ValueError(f"movers are computed on one question, got positions on {len(question_ids)}")
    return ordered


# An actor's first position at or above a threshold, and its latest position.
Reached = tuple[Position, Position]


def _reach(positions: list[Position]) -> dict[int, tuple[list[Reached], list[Position]]]:
    """Per threshold rank from 1 to the highest rank any actor reached:
    (first position at or above it and latest position, by when the threshold was reached,
    ties by actor name then id; the latest positions of the actors that never reached it,
    by name then id). ``positions`` are on one question, each actor's in position order.

    One pass over the positions finds each actor's steps: the positions that beat its best
    rank so far, each the first to reach every rank above that best up to its own. The
    steps are sorted once (they come nearly in order: by date); each threshold's movers are
    then the steps that cover it, in that order (an actor has one step per threshold),
    without a sort per threshold.
    """
    latest = dict(zip(map(_ACTOR_ID, positions), positions))  # the last one of each actor
    top = dict.fromkeys(latest, -1)  # per actor, the best rank so far
    steps: list[tuple[tuple, Reached, int, int]] = []  # (order, (step, latest), lowest rank, highest)
    for position in positions:
        actor_id = position.actor_id
        rank = position.level.rank
        best = top[actor_id]
        if rank > best:
            date = position.date
            steps.append(((date.start, date.end, position.actor_name, actor_id), (position, latest[actor_id]), best + 1, rank))
            top[actor_id] = rank
    steps.sort(key=itemgetter(0))  # stable: an actor's steps on one date stay in position order
    by_name = sorted([(p.actor_name, actor_id, top[actor_id], p) for actor_id, p in latest.items()])
    result: dict[int, tuple[list[Reached], list[Position]]] = {}
    for rank in range(1, max(top.values(), default=-1) + 1):
        reached = [pair for _, pair, low, high in steps if low <= rank <= high]
        never = [p for _, _, best, p in by_name if best < rank]
        result[rank] = (reached, never)
    return result


def reach_by_level(
    positions: Iterable[Position], scale: Scale, *, in_order: bool = False
) -> dict[str, tuple[list[Reached], list[Position]]]:
    """What :func:`movers_by_level` is made of, without the :class:`Mover` records (a report
    of thousands of actors renders straight from it): per level key, the pairs (first
    position at or above the level, latest position) of the actors that reached it, in
    mover order, then the latest positions of the others, by name.

    ``in_order``: the positions, all on one question, come with each actor's in position
    order already (in timeline order, as a report reads them), and are not sorted again.
    """
    reach = _reach(list(positions) if in_order else _in_order(positions))
    return {level.key: reach[level.rank] for level in sorted(scale.levels, key=lambda lv: lv.rank) if level.rank in reach}


# -- reach, refusal and lag, on one question or across several -------------------------------


@dataclass(frozen=True)
class Span:
    """The time between two dates: whole days between their starts, and in words.

    The words are worked out when first asked for: a question's movers have a span or two
    for each of thousands of actors, and a view shows a screenful of them (their words were
    a fifth of the time to read a question of ten thousand positions)."""

    days: int
    approximate: bool  # a date involved is known only to the month or year, or is approximate
    start: FuzzyDate = field(repr=False)
    end: FuzzyDate = field(repr=False)

    @cached_property
    def words(self) -> str:
        """"11 months", "1 year 2 months", "14 days", "same day"."""
        words = elapsed_words(self.start, self.end)
        if words.startswith("about "):  # the precision is said by "c." (see __str__)
            words = words[6:]
            if words.startswith("the "):
                words = words[4:]
        return words

    def __str__(self) -> str:
        return f"c. {self.words}" if self.approximate and not self.words.startswith("same") else self.words


def span(a: FuzzyDate, b: FuzzyDate) -> Span:
    """From ``a`` to ``b``."""
    approximate = a.precision != "day" or b.precision != "day" or a.approximate or b.approximate
    return Span((b.start - a.start).days, approximate, a, b)


@dataclass(frozen=True)
class Reach:
    """An actor that reached the level on a question."""

    actor_id: int
    actor_slug: str
    actor_name: str
    position: Position  # its first position at or above the level
    by: Literal["move", "entry"]
    lag: Span  # behind the first movers (0 days for them)
    refusal: Position | None  # its last position at or below the refusal level before it
    refusal_to_reach: Span | None
    current: Level  # its latest stance

    @property
    def date(self) -> FuzzyDate:
        return self.position.date

    @property
    def is_first(self) -> bool:
        return self.lag.days == 0

    @property
    def approximate(self) -> bool:
        """Whether a duration of this row (the lag or the time from refusal) is approximate."""
        return self.lag.approximate or (self.refusal_to_reach is not None and self.refusal_to_reach.approximate)


@dataclass(frozen=True)
class NotReached:
    """An actor with positions on the question that has not reached the level."""

    actor_id: int
    actor_slug: str
    actor_name: str
    latest: Level
    since: FuzzyDate  # when it took its latest stance (the first of its last run at that level)


@dataclass(frozen=True)
class QuestionMovers:
    question: Question
    level: Level
    refusal_level: Level
    reached: tuple[Reach, ...]  # by reach date; the first movers first
    not_reached: tuple[NotReached, ...]  # by name

    @property
    def first(self) -> tuple[Reach, ...]:
        return tuple(r for r in self.reached if r.is_first)


def question_movers(
    question: Question, positions: Iterable[Position], level: Level, refusal_level: Level, *, in_order: bool = False
) -> QuestionMovers:
    """Who reached ``level`` on ``question``, and how; ``positions`` are the question's.

    ``in_order``: the positions come with each actor's in position order already (in
    timeline order, as a report reads them), and are not sorted again.

    One pass over the positions keeps, per actor, its first position at or above the
    level, its last refusal before that, its latest position and the first of its last
    run at one level.
    """
    if refusal_level.rank >= level.rank:
        raise ValueError("the refusal level must be below the level reached")
    level_rank, refusal_rank = level.rank, refusal_level.rank
    hits: dict[int, tuple[Position, Position | None, bool]] = {}  # (reach, refusal, move)
    refusals: dict[int, Position] = {}  # the last refusal so far, of the actors not there yet
    latest: dict[int, Position] = {}
    since: dict[int, Position] = {}  # the first position of the latest run at one level
    for p in positions if in_order else sorted(positions, key=POSITION_ORDER):
        actor_id = p.actor_id
        before = latest.get(actor_id)
        latest[actor_id] = p
        if before is None or before.level.key != p.level.key:
            since[actor_id] = p
        if actor_id in hits:
            continue
        rank = p.level.rank
        if rank >= level_rank:
            hits[actor_id] = (p, refusals.get(actor_id), before is not None)
        elif rank <= refusal_rank:
            refusals[actor_id] = p
    order = sorted(hits.values(), key=lambda h: (h[0].date.start, h[0].date.end, h[0].actor_name.casefold(), h[0].actor_id))
    reached = []
    for hit, refusal, move in order:
        lag = span(order[0][0].date, hit.date)
        if lag.days == 0:  # a first mover: no lag to be unsure of
            lag = replace(lag, approximate=False)
        reached.append(
            Reach(
                hit.actor_id, hit.actor_slug, hit.actor_name, hit, "move" if move else "entry", lag,
                refusal, span(refusal.date, hit.date) if refusal else None, latest[hit.actor_id].level,
            )
        )  # fmt: skip
    never = [
        NotReached(p.actor_id, p.actor_slug, p.actor_name, p.level, since[actor_id].date)
        for actor_id, p in latest.items()
        if actor_id not in hits
    ]
    never.sort(key=lambda n: (n.actor_name.casefold(), n.actor_id))
    return QuestionMovers(question, level, refusal_level, tuple(reached), tuple(never))


# -- roll-up ------------------------------------------------------------------------------


def top_parents(actors: Iterable[Actor]) -> dict[int, Actor]:
    """Per actor id, its top-level parent (itself when it has none). A loop of parents,
    which the store refuses, would stop at the actor where it closes."""
    by_slug = {a.slug: a for a in actors}
    tops: dict[int, Actor] = {}
    for actor in by_slug.values():
        top, seen = actor, {actor.slug}
        while top.parent_slug and top.parent_slug in by_slug and top.parent_slug not in seen:
            top = by_slug[top.parent_slug]
            seen.add(top.slug)
        tops[actor.id] = top
    return tops


def roll_up(positions: Iterable[Position | Statement], tops: Mapping[int, Actor]) -> list[Position | Statement]:
    """The same positions (or statements), each counted for its actor's top-level parent."""
    out = []
    for p in positions:
        top = tops.get(p.actor_id)
        if top is None or top.id == p.actor_id:
            out.append(p)
        else:
            moved = {"actor_id": top.id, "actor_slug": top.slug, "actor_name": top.name}
            out.append(p._replace(**moved) if isinstance(p, Statement) else replace(p, **moved))
    return out


# -- across questions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Day counts: how many, their median (rounded to a day), least and most."""

    n: int
    median: int | None
    min: int | None
    max: int | None

    @classmethod
    def of(cls, days: Sequence[int]) -> Stats:
        if not days:
            return cls(0, None, None, None)
        import statistics  # here: 2 ms to import (fractions, decimal), for the movers answer alone

        return cls(len(days), round(statistics.median(days)), min(days), max(days))

    def as_dict(self) -> dict:
        return {"n": self.n, "median": self.median, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class MoversReport:
    questions: tuple[QuestionMovers, ...]
    level: Level  # as the first question's scale names it
    refusal_level: Level
    roll_up: bool
    lag: Stats  # every actor that reached the level, but the first movers
    refusal_to_reach: Stats  # every one with a refusal

    @property
    def sentence(self) -> str:
        return summary_sentence(self)

    def as_dict(self) -> dict:
        """The JSON answer: dates as their stored EDTF text, durations as whole days."""
        return {
            "level": self.level.key,
            "from": self.refusal_level.key,
            "roll_up": self.roll_up,
            "questions": [
                {
                    "question": q.question.slug,
                    "title": q.question.title,
                    "first": [{"actor": r.actor_slug, "date": r.date.edtf} for r in q.first],
                    "reached": [
                        {
                            "actor": r.actor_slug, "date": r.date.edtf, "by": r.by, "lag_days": r.lag.days,
                            "refused": r.refusal.date.edtf if r.refusal else None,
                            "refusal_to_reach_days": r.refusal_to_reach.days if r.refusal_to_reach else None,
                            "approximate": r.approximate,
                        }  # fmt: skip
                        for r in q.reached
                    ],
                    "not_reached": [{"actor": n.actor_slug, "latest": n.latest.key, "since": n.since.edtf} for n in q.not_reached],
                }
                for q in self.questions
            ],
            "summary": {
                "lag_days": self.lag.as_dict(),
                "refusal_to_reach_days": self.refusal_to_reach.as_dict(),
                "sentence": self.sentence,
            },
        }


_NEVER = (date.max, date.max, "")  # sorts after every date


def default_level(scale: Scale) -> Level:
    """``committed`` where the scale has it, else its first level at or above the middle."""
    ranked = sorted(scale.levels, key=attrgetter("rank"))
    if not ranked:  # only another program can leave a scale without levels
        raise OutOfShape(
            f"the scale {quoted(scale.key)} has no levels: the file was changed by another program:"
            " run `tracker check` for what to do"
        )
    for level in ranked:
        if level.key == "committed":
            return level
    return ranked[len(ranked) // 2]


def level_to_show(scale: Scale, positions: Iterable[Position]) -> Level:
    """The level a question's own movers are shown at: the default level (see
    :func:`default_level`) when an actor has reached it, else the highest level an actor has
    reached above the lowest (Macron alone on "not excluded" ground troops), else the default."""
    default = default_level(scale)
    top = max((p.level.rank for p in positions), default=-1)
    if top >= default.rank:
        return default
    lowest = min(lv.rank for lv in scale.levels)
    reached = [lv for lv in scale.levels if lowest < lv.rank <= top]
    return max(reached, key=attrgetter("rank")) if reached else default


def movers_report(
    questions: Sequence[tuple[Question, Sequence[Position]]],
    level: Level,
    refusal_level: Level,
    *,
    levels: Mapping[int, tuple[Level, Level]] | None = None,
    tops: Mapping[int, Actor] | None = None,
    chronological: bool = False,
    in_order: bool = False,
) -> MoversReport:
    """Movers on each question, and what they add up to. ``level`` and ``refusal_level`` are
    the levels asked for; ``levels`` gives, per question id, the same two on that question's
    scale where it differs. ``tops`` (see :func:`top_parents`) rolls every actor up.
    ``chronological`` orders the questions by when their first movers reached the level
    (those nobody reached last), instead of as given. ``in_order``: each question's
    positions come in timeline order (as :mod:`tracker.store.reads` reads them)."""
    results = []
    for question, positions in questions:
        reach_level, refuse_level = (levels or {}).get(question.id, (level, refusal_level))
        if tops is not None:
            positions = roll_up(positions, tops)  # an actor's and its members' positions, mixed
        results.append(question_movers(question, positions, reach_level, refuse_level, in_order=in_order and tops is None))
    if chronological:
        results.sort(key=lambda q: (q.reached[0].date.sort_key,) if q.reached else (_NEVER,))
    reached = [r for q in results for r in q.reached]
    return MoversReport(
        questions=tuple(results),
        level=level,
        refusal_level=refusal_level,
        roll_up=tops is not None,
        lag=Stats.of([r.lag.days for r in reached if not r.is_first]),
        refusal_to_reach=Stats.of([r.refusal_to_reach.days for r in reached if r.refusal_to_reach is not None]),
    )


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _range(spans: Sequence[Span]) -> str:
    """" (range 3 days to 1 year 2 months)": the shortest and the longest, in the words the
    tables show them; "" when they are the same."""
    low, high = min(spans, key=attrgetter("days")), max(spans, key=attrgetter("days"))
    if low.days == high.days:
        return ""
    low_words, high_words = str(low), str(high)
    count, unit = low_words.partition(" ")[::2]
    if unit == high_words.partition(" ")[2] and count.isdigit():  # "4 to 16 months", not "4 months to 16 months"
        return f" (range {count} to {high_words})"
    return f" (range {low_words} to {high_words})"


def summary_sentence(report: MoversReport) -> str:
    """What the tables show, in one sentence: "Across 3 questions, 7 actors reached Committed a
    median 5 months after the first mover (range 3 days to 1 year 2 months); the 4 that had
    said “Ruled out” took a median 11 months from their last refusal (range 4 to 16 months)."
    """
    if len(report.questions) == 1:
        scope = f"On “{report.questions[0].question.title}”"
    else:
        scope = f"Across {_count(len(report.questions), 'question')}"
    label = report.level.label
    firsts = sum(len(q.first) for q in report.questions)
    if not firsts:
        return f"{scope}, no actor has reached {label} yet."
    reached = [r for q in report.questions for r in q.reached]
    lags = [r.lag for r in reached if not r.is_first]
    refusals = [r.refusal_to_reach for r in reached if r.refusal_to_reach is not None]
    if not lags:
        text = f"{scope}, only the first {'mover' if firsts == 1 else 'movers'} reached {label}"
    elif len(lags) == 1:
        text = f"{scope}, 1 actor reached {label} {lags[0]} after the first mover"
    else:
        median = days_words(report.lag.median or 0)
        text = f"{scope}, {len(lags)} actors reached {label} a median {median} after the first mover{_range(lags)}"
    if report.refusal_level.rank == 0:
        had = f"said “{report.refusal_level.label}”"
    else:
        had = f"been at “{report.refusal_level.label}” or below"
    if len(refusals) == 1:
        text += f"; the 1 that had {had} took {refusals[0]} from its last refusal"
    elif refusals:
        median = days_words(report.refusal_to_reach.median or 0)
        text += f"; the {len(refusals)} that had {had} took a median {median} from their last refusal{_range(refusals)}"
    else:
        text += f"; none had {had} before"
    return text + "."


def as_of(positions: Iterable[Position], when: date | FuzzyDate, *, in_order: bool = False) -> dict[int, Position]:
    """Per actor id, the latest position whose date starts on or before ``when``.

    Ties on the start are broken by date end, then id. Callers pass the end of
    the user's date (``FuzzyDate.end``); a ``FuzzyDate`` is accepted and read
    that way.

    ``in_order``: ``positions`` is a list in timeline order (as a report reads them), each
    actor's in position order: the latest are then each actor's last before the first
    position that starts after ``when`` (found by bisection), with no comparison of two.
    """
    if isinstance(when, FuzzyDate):
        when = when.end
    elif isinstance(when, datetime):
        when = when.date()
    if in_order:
        kept = positions[: bisect_right(positions, when, key=_START)]
        return dict(zip(map(_ACTOR_ID, kept), kept))
    latest: dict[int, Position] = {}
    for position in positions:
        if position.date.start > when:
            continue
        current = latest.get(position.actor_id)
        if current is None or POSITION_ORDER(position) > POSITION_ORDER(current):
            latest[position.actor_id] = position
    return latest

