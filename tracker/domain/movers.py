"""Movers: who reached a level on a question first, and how late the others followed.

An actor reaches a threshold level with its first position (by date start,
date end, then id) whose level ranks at or above the threshold. Lags are
measured from the earliest first mover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from datetime import date, datetime

from tracker.domain.changes import POSITION_ORDER
from tracker.domain.dates import FuzzyDate, elapsed_words
from tracker.domain.models import Level, Position, Scale


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


def _by_actor(positions: Iterable[Position]) -> dict[int, list[Position]]:
    positions = list(positions)
    question_ids = {position.question_id for position in positions}
    actors: dict[int, list[Position]] = defaultdict(list)
    for position in positions:
        actors[position.actor_id].append(position)
    if len(question_ids) > 1:
        raise ValueError(f"movers are computed on one question, got positions on {len(question_ids)}")
    for group in actors.values():
        if len(group) > 1:
            group.sort(key=POSITION_ORDER)
    return actors


# An actor's first position at or above a threshold, and its latest position.
Reached = tuple[Position, Position]


def _reach(actors: dict[int, list[Position]], ranks: list[int] | None = None) -> dict[int, tuple[list[Reached], list[Position]]]:
    """Per threshold rank in ``ranks`` (default: 1 to the highest rank any actor reached):
    (first position at or above it and latest position, by when the threshold was reached,
    ties by actor name then id; the latest positions of the actors that never reached it,
    by name then id).

    One pass over each actor's positions finds its steps: the positions that beat its best
    rank so far, each the first to reach every rank above that best up to its own. The
    steps are sorted once; each threshold's movers are then the steps that cover it, in
    that order (an actor has one step per threshold), without a sort per threshold.
    """
    steps: list[tuple[tuple, Position, int, int, Position]] = []  # (order, step, lowest rank, highest, latest)
    best: list[tuple[tuple, int, Position]] = []  # (name order, best rank, latest)
    for actor_id, group in actors.items():
        latest = group[-1]
        top = -1
        for position in group:
            rank = position.level.rank
            if rank > top:
                date = position.date
                steps.append(((date.start, date.end, position.actor_name, actor_id), position, top + 1, rank, latest))
                top = rank
        best.append(((latest.actor_name, latest.actor_id), top, latest))
    steps.sort(key=itemgetter(0))  # stable: an actor's steps on one date stay in position order
    best.sort(key=itemgetter(0))
    if ranks is None:
        ranks = list(range(1, max((top for _, top, _ in best), default=-1) + 1))
    result: dict[int, tuple[list[Reached], list[Position]]] = {}
    for rank in ranks:
        rank_ = max(rank, 0)  # every position is at or above rank 0
        reached = [(step, latest) for _, step, low, high, latest in steps if low <= rank_ <= high]
        never = [latest for _, top, latest in best if top < rank_]
        result[rank] = (reached, never)
    return result


def reach_by_level(positions: Iterable[Position], scale: Scale) -> dict[str, tuple[list[Reached], list[Position]]]:
    """What :func:`movers_by_level` is made of, without the :class:`Mover` records (a report
    of thousands of actors renders straight from it): per level key, the pairs (first
    position at or above the level, latest position) of the actors that reached it, in
    mover order, then the latest positions of the others, by name."""
    reach = _reach(_by_actor(positions))  # ranks 1 to the highest reached
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
    return _movers_of(*_reach(_by_actor(positions), [threshold_rank])[threshold_rank])


def movers_by_level(positions: Iterable[Position], scale: Scale) -> dict[str, list[Mover]]:
    """Movers for every level above rank 0 that at least one actor reached, in rank order."""
    return {key: _movers_of(reached, never) for key, (reached, never) in reach_by_level(positions, scale).items()}


def as_of(positions: Iterable[Position], when: date | FuzzyDate) -> dict[int, Position]:
    """Per actor id, the latest position whose date starts on or before ``when``.

    Ties on the start are broken by date end, then id. Callers pass the end of
    the user's date (``FuzzyDate.end``); a ``FuzzyDate`` is accepted and read
    that way.
    """
    if isinstance(when, FuzzyDate):
        when = when.end
    elif isinstance(when, datetime):
        when = when.date()
    latest: dict[int, Position] = {}
    for position in positions:
        if position.date.start > when:
            continue
        current = latest.get(position.actor_id)
        if current is None or POSITION_ORDER(position) > POSITION_ORDER(current):
            latest[position.actor_id] = position
    return latest
