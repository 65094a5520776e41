"""The figures of a measure's samples: their median and their 95th percentile."""

from __future__ import annotations

import statistics


def median(values) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def p95(values) -> float | None:
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
