"""The built-in stance scales. Rank 0 is the lowest level."""

from __future__ import annotations

from tracker.domain.models import Level, Scale
from tracker.domain.text import fold
from tracker.domain.validation import quoted
from tracker.errors import Ambiguous, NotFound, TrackerError

DEFAULT_SCALE = "commitment"

COMMITMENT = Scale(
    key="commitment",
    name="Commitment",
    description="How far an actor has gone towards doing something.",
    uid="5b0f6f2e-3c5d-4b6e-9a59-2f3c1d0a0001",
    levels=(
        Level("ruled-out", "Ruled out", 0, '"never"', "#c0392b"),
        Level("reluctant", "Reluctant", 1, '"not on the agenda"', "#e67e22"),
        Level("not-excluded", "Not excluded", 2, "strategic ambiguity", "#f1c40f"),
        Level("open", "Open", 3, "considering", "#7fb3d5"),
        Level("committed", "Committed", 4, "decided, announced", "#2e86c1"),
        Level("implemented", "Implemented", 5, "delivered, deployed", "#1e8449"),
    ),
)

AGREEMENT = Scale(
    key="agreement",
    name="Agreement",
    description="How strongly an actor supports a proposition.",
    uid="5b0f6f2e-3c5d-4b6e-9a59-2f3c1d0a0002",
    levels=(
        Level("strongly-opposes", "Strongly opposes", 0, "", "#c0392b"),
        Level("opposes", "Opposes", 1, "", "#e67e22"),
        Level("ambiguous", "Ambiguous", 2, "", "#f1c40f"),
        Level("supports", "Supports", 3, "", "#5dade2"),
        Level("strongly-supports", "Strongly supports", 4, "", "#1e8449"),
    ),
)

BUILTIN_SCALES: dict[str, Scale] = {s.key: s for s in (COMMITMENT, AGREEMENT)}


def resolve_level(scale: Scale, text: str | int, *, exact: bool = False) -> Level:
    """A level of ``scale`` named by ``text``, in one of two modes.

    Forgiving (the default; people typing at the command line or in a form): the level's
    key or label (case and accents ignored), its rank number, or a prefix of a key or
    label that only one level has.

    Exact (``exact=True``; files: JSONL and CSV import): the level's key or label, case
    and accents ignored, and nothing else: never a rank number, never a prefix.

    A name that is no level raises NotFound; one that fits several raises Ambiguous
    naming them."""
    raw = str(text).strip()
    if not raw:
        raise TrackerError("stance is required")
    keys = ", ".join(lv.key for lv in scale.levels)
    if not exact and raw.isascii() and raw.isdigit():
        rank = raw.lstrip("0") or "0"  # as text: int() refuses more than 4,300 digits
        for lv in scale.levels:
            if str(lv.rank) == rank:
                return lv
        raise NotFound(f"stance {quoted(raw)}: the scale {quoted(scale.key)} has ranks 0 to {scale.size - 1}")
    for lv in scale.levels:
        if lv.key == raw:
            return lv
    wanted = fold(raw)
    matches = [lv for lv in scale.levels if wanted in (fold(lv.key), fold(lv.label))]
    if not matches and not exact:
        matches = [lv for lv in scale.levels if fold(lv.key).startswith(wanted) or fold(lv.label).startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise Ambiguous(f"stance {quoted(raw)} is ambiguous: {', '.join(lv.key for lv in matches)}")
    hint = "; a file names a stance by its key or label" if exact else ""
    raise NotFound(f"stance {quoted(raw)} is not a level of the scale {quoted(scale.key)} ({keys}){hint}")
