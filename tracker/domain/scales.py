"""The built-in stance scales. Rank 0 is the lowest level."""

from __future__ import annotations

from tracker.domain.models import Level, Scale
from tracker.domain.text import fold, quoted
from tracker.errors import Ambiguous, NotFound, TrackerError

DEFAULT_SCALE = "commitment"


def _builtin(key: str, description: str, number: int, levels: tuple[str, ...], colours: tuple[str, ...], hints: tuple[str, ...] = ()) -> Scale:
    """A built-in scale: its levels' keys lowest first, each labelled by its key, with their
    colours and hints in the same order."""
    return Scale(
        key=key,
        name=key.capitalize(),
        description=description,
        uid=f"5b0f6f2e-3c5d-4b6e-9a59-2f3c1d0a{number:04d}",
        levels=tuple(
            Level(level, level.replace("-", " ").capitalize(), rank, hints[rank] if hints else "", colours[rank])
            for rank, level in enumerate(levels)
        ),
    )


COMMITMENT = _builtin(
    "commitment", "How far an actor has gone towards doing something.", 1,
    ("ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented"),
    ("#c0392b", "#e67e22", "#f1c40f", "#7fb3d5", "#2e86c1", "#1e8449"),
    hints=('"never"', '"not on the agenda"', "strategic ambiguity", "considering", "decided, announced", "delivered, deployed"),
)  # fmt: skip
AGREEMENT = _builtin(
    "agreement", "How strongly an actor supports a proposition.", 2,
    ("strongly-opposes", "opposes", "ambiguous", "supports", "strongly-supports"),
    ("#c0392b", "#e67e22", "#f1c40f", "#5dade2", "#1e8449"),
)  # fmt: skip

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
