"""A line of the results: a measure's figures, its reference's, its goal and whether it is met."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.growth import fmt


@dataclass
class Result:
    """One line of the table: the medians of ours and of the reference, and the goal.

    ``goal`` is ``"ratio"`` (ours / reference at most ``target``), ``"under"`` (ours
    below ``target``, in ``unit``, whatever the reference), ``"p95-under"`` (ours' 95th
    percentile below ``target``), ``"zero"`` (a count that must be 0) or ``"none"`` (for
    context). ``size`` is the positions of the file measured; ``skipped`` says why a line
    has no figure though nothing failed.
    """

    measure: str
    label: str
    ours: float | None
    reference: float | None
    unit: str
    goal: str
    target: float
    samples: int = 0
    ours_p95: float | None = None
    reference_p95: float | None = None
    ours_command: str = ""
    reference_command: str = ""
    note: str = ""
    error: str = ""
    plans: list = field(default_factory=list)  # the query plans, for the measure "plans"
    size: int = 0
    skipped: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.reference:
            return None
        return self.ours / self.reference

    @property
    def met(self) -> bool | None:
        if self.ours is None:
            return None
        if self.goal == "under":
            return self.ours < self.target
        if self.goal == "p95-under":
            return None if self.ours_p95 is None else self.ours_p95 < self.target
        if self.goal == "zero":
            return self.ours == 0
        if self.goal == "none":
            return None
        ratio = self.ratio
        return None if ratio is None else ratio <= self.target

    @property
    def goal_text(self) -> str:
        if self.error or self.skipped:
            return "—"
        if self.goal == "under":
            return f"< {self.target:g} {self.unit}"
        if self.goal == "p95-under":
            return f"p95 < {self.target:g} {self.unit}"
        if self.goal == "none":
            return "none (context)"
        if self.goal == "zero":
            return "0 (none)"
        return "≤ 1.0x (no slower)" if self.target == 1 else f"≤ {self.target:g}x"

    def show(self, value: float | None) -> str:
        """A figure of this line: a count as a whole number, anything else with its unit."""
        if self.goal == "zero" and value is not None:
            return f"{value:,.0f}"
        return fmt(value, self.unit)

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        if self.skipped:
            return "skipped"
        if self.goal == "none":
            return "context"
        return {True: "met", False: "MISSED", None: "n/a"}[self.met]
