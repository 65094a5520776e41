"""Swimlanes: each actor's stance over time, sampled into columns, for a chart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.models import Level, Position
from tracker.domain.movers import as_of


@dataclass(frozen=True)
class Lane:
    actor_name: str
    cells: tuple[Level | None, ...]  # the stance as of each column's last day; None before the first position


def lanes(positions: Iterable[Position], start: date, end: date, columns: int) -> list[Lane]:
    """One lane per actor (ordered by first position, then name), ``columns`` cells from ``start`` to ``end``."""
    positions = list(positions)
    columns = max(1, columns)
    span = max(0, (end - start).days)
    bounds = [start + timedelta(days=round(span * (i + 1) / columns)) for i in range(columns)]
    by_actor: dict[int, list[Position]] = {}
    for p in positions:
        by_actor.setdefault(p.actor_id, []).append(p)
    order = sorted(by_actor.values(), key=lambda ps: (min(p.date.start for p in ps), ps[0].actor_name.casefold()))
    result = []
    for ps in order:
        cells = []
        for bound in bounds:
            latest = as_of(ps, bound).get(ps[0].actor_id)
            cells.append(latest.level if latest else None)
        result.append(Lane(ps[0].actor_name, tuple(cells)))
    return result
