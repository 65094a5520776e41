"""Movers: who reached a level on a question first, and how late the others followed.

An actor reaches a threshold level with its first position (by date start,
date end, then id) whose level ranks at or above the threshold. Lags are
measured from the earliest first mover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tracker.domain.changes import position_order
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
    actors: dict[int, list[Position]] = defaultdict(list)
    question_ids: set[int] = set()
    for position in positions:
        actors[position.actor_id].append(position)
        question_ids.add(position.question_id)
    if len(question_ids) > 1:
        raise ValueError(f"movers are computed on one question, got positions on {len(question_ids)}")
    for group in actors.values():
        group.sort(key=position_order)
    return actors


def _movers(actors: dict[int, list[Position]], threshold_rank: int) -> list[Mover]:
    reached: list[tuple[Position, Position]] = []  # (first position at threshold, latest position)
    never: list[Position] = []  # latest position of actors that never reached it
    for group in actors.values():
        latest = group[-1]
        hit = next((p for p in group if p.level.rank >= threshold_rank), None)
        if hit is None:
            never.append(latest)
        else:
            reached.append((hit, latest))

    reached.sort(key=lambda pair: (pair[0].date.start, pair[0].date.end, pair[0].actor_name, pair[0].actor_id))
    never.sort(key=lambda p: (p.actor_name, p.actor_id))

    result: list[Mover] = []
    if reached:
        leader = reached[0][0]
        for hit, latest in reached:
            lag_days = (hit.date.start - leader.date.start).days
            result.append(
                Mover(
                    actor_id=hit.actor_id,
                    actor_slug=hit.actor_slug,
                    actor_name=hit.actor_name,
                    reached=hit.date,
                    position=hit,
                    lag="" if hit is leader else elapsed_words(leader.date, hit.date),
                    lag_days=lag_days,
                    is_first=lag_days == 0,
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
    return _movers(_by_actor(positions), threshold_rank)


def movers_by_level(positions: Iterable[Position], scale: Scale) -> dict[str, list[Mover]]:
    """Movers for every level above rank 0 that at least one actor reached, in rank order."""
    actors = _by_actor(positions)
    top = max((p.level.rank for group in actors.values() for p in group), default=-1)
    result: dict[str, list[Mover]] = {}
    for level in sorted(scale.levels, key=lambda lv: lv.rank):
        if level.rank > 0 and level.rank <= top:
            result[level.key] = _movers(actors, level.rank)
    return result


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
        if current is None or position_order(position) > position_order(current):
            latest[position.actor_id] = position
    return latest
