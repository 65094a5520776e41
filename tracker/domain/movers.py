"""Movers: who reached a level on a question first, and how late the others followed.

An actor reaches a threshold level with its first position (by date start,
date end, then id) whose level ranks at or above the threshold. Lags are
measured from the earliest first mover.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter, itemgetter

from tracker.domain.changes import POSITION_ORDER
from tracker.domain.dates import FuzzyDate, elapsed_words
from tracker.domain.models import Level, Position, Scale

_ACTOR_ID = attrgetter("actor_id")
_QUESTION_ID = attrgetter("question_id")
_START = attrgetter("date.start")


@dataclass(frozen=True)
class Mover:
    actor_id: int
    actor_slug: str
    actor_name: str
    reached: FuzzyDate | None  # date of the first position at or above the threshold
    position: Position | None  # that position
    lag: str  # "" for the first mover and for actors that never reached it; "same day" for ties
    lag_days: int | None  # days from the first mover's start to this one's start; None if never reached
    is_first: bool
    current: Level | None  # the actor's latest level on the question

    @property
    def has_reached(self) -> bool:
        return self.reached is not None


def _in_order(positions: Iterable[Position]) -> list[Position]:
    """``positions`` in position order (date start, date end, id), all on one question."""
    ordered = sorted(positions, key=POSITION_ORDER)
    question_ids = set(map(_QUESTION_ID, ordered))
    if len(question_ids) > 1:
        raise ValueError(f"movers are computed on one question, got positions on {len(question_ids)}")
    return ordered


# An actor's first position at or above a threshold, and its latest position.
Reached = tuple[Position, Position]


def _reach(positions: list[Position], ranks: Iterable[int] | None = None) -> dict[int, tuple[list[Reached], list[Position]]]:
    """Per threshold rank in ``ranks`` (default: 1 to the highest rank any actor reached):
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
    if ranks is None:
        ranks = range(1, max(top.values(), default=-1) + 1)
    result: dict[int, tuple[list[Reached], list[Position]]] = {}
    for rank in ranks:
        rank_ = max(rank, 0)  # every position is at or above rank 0
        reached = [pair for _, pair, low, high in steps if low <= rank_ <= high]
        never = [p for _, _, best, p in by_name if best < rank_]
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
    reach = _reach(list(positions) if in_order else _in_order(positions))  # ranks 1 to the highest reached
    return {level.key: reach[level.rank] for level in sorted(scale.levels, key=lambda lv: lv.rank) if level.rank in reach}


def lag_days(leader: Position, hit: Position) -> int:
    """Days from the first mover's start to ``hit``'s start."""
    return (hit.date.start - leader.date.start).days


def _movers_of(reached: list[Reached], never: list[Position]) -> list[Mover]:
    result: list[Mover] = []
    if reached:
        leader = reached[0][0]
        for hit, latest in reached:
            days = lag_days(leader, hit)
            result.append(
                Mover(
                    actor_id=hit.actor_id,
                    actor_slug=hit.actor_slug,
                    actor_name=hit.actor_name,
                    reached=hit.date,
                    position=hit,
                    lag="" if hit is leader else elapsed_words(leader.date, hit.date),
                    lag_days=days,
                    is_first=days == 0,
                    current=latest.level,
                )
            )
    for latest in never:
        result.append(
            Mover(
                actor_id=latest.actor_id,
                actor_slug=latest.actor_slug,
                actor_name=latest.actor_name,
                reached=None,
                position=None,
                lag="",
                lag_days=None,
                is_first=False,
                current=latest.level,
            )
        )
    return result


def movers(positions: Iterable[Position], threshold_rank: int) -> list[Mover]:
    """Actors on one question, by when they first reached ``threshold_rank`` or above.

    Those that reached it come first, in order of that date (ties by actor
    name); all actors tied at the earliest start date are first movers. Then
    come the actors that never reached it, by name.
    """
    return _movers_of(*_reach(_in_order(positions), [threshold_rank])[threshold_rank])


def movers_by_level(positions: Iterable[Position], scale: Scale) -> dict[str, list[Mover]]:
    """Movers for every level above rank 0 that at least one actor reached, in rank order."""
    return {key: _movers_of(reached, never) for key, (reached, never) in reach_by_level(positions, scale).items()}


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

