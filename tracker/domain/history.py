"""A position's revision history in words.

The revision log (table ``revisions``) keeps each insert, edit and deletion as
rows of JSON: ids, EDTF dates, UTC times. This module turns them into what a
person reads: "stance: Reluctant → Ruled out", "date: Feb 2024 → 26 Feb 2024",
"source: Le Monde → franceinfo", at "6 Dec 2026 19:11" local time, made by the
"interface", the "command line", an "import" or "unknown" (rows from before
the log recorded it, or written by another program), undos named as such.

Plain functions over plain data: the store supplies the rows and the labels of
the ids they hold (:class:`HistoryLabels`); nothing here reads the database. The
strings returned are plain text, not markup: whoever shows them makes them
printable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

from tracker.domain.dates import _MONTH_ABBR, from_edtf
from tracker.domain.quote_diff import word_diff

ARROW = "→"
NONE = "none"

# Column -> the name a person knows the field by, in the order the form shows them.
FIELD_NAMES = {
    "actor_id": "actor",
    "question_id": "question",
    "level_id": "stance",
    "date": "date",
    "quote": "quote",
    "quote_lang": "quote language",
    "paraphrase": "paraphrase",
    "context": "context",
    "source_id": "source",
    "confidence": "confidence",
    "notes": "notes",
    "tags": "tags",
}
# Bookkeeping, never a change a person made.
_IGNORED = frozenset({"id", "uid", "created_at", "updated_at"})
# Follow from ``date``: shown only when they change without it (another program's edit).
_DATE_PARTS = ("date_start", "date_end", "precision")
# Free text: quoted, and cut down to the words that changed when long.
TEXT_FIELDS = frozenset({"quote", "paraphrase", "context", "notes"})
SHORT = 40  # characters of a value shown whole
CONTEXT_WORDS = 3  # unchanged words kept either side of a changed passage
EXCERPT = 60  # characters of an excerpt at most

ORIGIN_WORDS = {"interface": "interface", "command line": "command line", "import": "import", "sync": "team sync"}
UNKNOWN_ORIGIN = "unknown"


@dataclass(frozen=True)
class HistoryLabels:
    """What the ids of a revision's values stand for: level id -> label, source id ->
    outlet (else title, else address), actor id -> name, question id -> title."""

    levels: Mapping[int, str] = field(default_factory=dict)
    sources: Mapping[int, str] = field(default_factory=dict)
    actors: Mapping[int, str] = field(default_factory=dict)
    questions: Mapping[int, str] = field(default_factory=dict)


class FieldChange(str):
    """"field: old → new" (or "field: changed"), a plain string that also keeps its
    parts, so a screen can lay a long one out on two lines."""

    name: str
    old: str | None
    new: str | None

    def __new__(cls, name: str, old: str | None = None, new: str | None = None) -> FieldChange:
        text = f"{name}: changed" if old is None or new is None else f"{name}: {old} {ARROW} {new}"
        change = super().__new__(cls, text)
        change.name, change.old, change.new = name, old, new
        return change


@dataclass(frozen=True)
class HistoryEntry:
    """One revision in words: when (local time), by what, what happened, and the changes."""

    id: int
    when: str
    origin: str
    headline: str  # "created", "edited", "deleted", "undo of the change of 6 Dec 19:11", ...
    changes: tuple[str, ...] = ()  # "field: old → new", one a field
    undo: bool = False


# ---------------------------------------------------------------------- times


def parse_time(at: str) -> datetime | None:
    """A revision's ``at`` (UTC, ``2026-12-06T18:11:40Z``) as an aware datetime; None when
    it is not one (a file written by another program may hold anything)."""
    if not isinstance(at, str):
        return None
    try:
        when = datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def local_time(at: str, *, tz: tzinfo | None = None, year: bool = True) -> str:
    """"6 Dec 2026 19:11" in the local time zone (or ``tz``); without the year when
    ``year`` is false; the stored text itself when it is not a time."""
    when = parse_time(at)
    if when is None:
        return str(at)
    when = when.astimezone(tz)
    day = f"{when.day} {_MONTH_ABBR[when.month]}"
    return f"{day} {when.year} {when:%H:%M}" if year else f"{day} {when:%H:%M}"


# ---------------------------------------------------------------------- values


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(text: str) -> str:
    return f"“{text}”"


def value_words(column: str, value, labels: HistoryLabels) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return NONE
    looked_up = {"level_id": (labels.levels, "level"), "source_id": (labels.sources, "source"),
                 "actor_id": (labels.actors, "actor"), "question_id": (labels.questions, "question")}  # fmt: skip
    if column in looked_up:
        table, name = looked_up[column]
        label = table.get(value) if isinstance(value, int) else None
        return _one_line(label) if label else f"{name} #{value}"
    if column == "date":
        try:
            return from_edtf(value).display
        except Exception:  # noqa: BLE001 - another program's value: shown as stored
            return _one_line(str(value))
    if column == "tags":
        tags = value
        if isinstance(value, str):
            try:
                tags = json.loads(value)
            except ValueError:
                return _one_line(value)
        if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
            return ", ".join(_one_line(t) for t in tags) if tags else NONE
        return _one_line(str(value))
    if column in TEXT_FIELDS:
        return _quoted(_cut(_one_line(str(value)), SHORT))
    return _one_line(str(value))


def text_change(old, new) -> tuple[str, str]:
    """Two versions of a free-text field, short enough for one line each: whole when
    short, else the passage that changed with a few words either side, cut with "…"."""
    old = "" if old is None else str(old)
    new = "" if new is None else str(new)
    if not old or not new or (len(_one_line(old)) <= SHORT and len(_one_line(new)) <= SHORT):
        return (
            _quoted(_cut(_one_line(old), EXCERPT)) if old else NONE,
            _quoted(_cut(_one_line(new), EXCERPT)) if new else NONE,
        )
    chunks = word_diff(old, new)
    changed = [i for i, (op, _) in enumerate(chunks) if op != "equal"]
    if not changed:
        return _quoted(_cut(_one_line(old), EXCERPT)), _quoted(_cut(_one_line(new), EXCERPT))
    first, last = changed[0], changed[-1]
    lead = trail = ""
    cut_before = cut_after = False
    if first > 0:
        words = re.findall(r"\S+\s*", chunks[first - 1][1])
        cut_before = len(words) > CONTEXT_WORDS
        lead = "".join(words[-CONTEXT_WORDS:])
    if last < len(chunks) - 1:
        following = chunks[last + 1][1]
        words = re.findall(r"\s*\S+", following)
        cut_after = len(words) > CONTEXT_WORDS
        trail = "".join(words[:CONTEXT_WORDS])
    middle = chunks[first : last + 1]
    before = lead + "".join(t for op, t in middle if op != "insert") + trail
    after = lead + "".join(t for op, t in middle if op != "delete") + trail

    def excerpt(text: str) -> str:
        text = _one_line(text)
        room = EXCERPT - cut_before - cut_after
        text = text if len(text) <= room else text[: room - 1].rstrip() + "…"
        return _quoted(("…" if cut_before else "") + text + ("…" if cut_after and not text.endswith("…") else ""))

    return excerpt(before), excerpt(after)


# ---------------------------------------------------------------------- changes


def field_changes(before: Mapping, after: Mapping, labels: HistoryLabels | None = None) -> list[FieldChange]:
    """"field: old → new" for each field that differs between two versions of a
    position row (as the revision log stores them), in the order of the form."""
    labels = labels or HistoryLabels()
    keys = [k for k in FIELD_NAMES if k in before or k in after]
    keys += [k for k in dict.fromkeys((*before, *after)) if k not in FIELD_NAMES and k not in _IGNORED]
    date_changed = before.get("date") != after.get("date")
    out = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new or (key in _DATE_PARTS and date_changed):
            continue
        name = FIELD_NAMES.get(key, key)
        if key in TEXT_FIELDS:
            old_words, new_words = text_change(old, new)
        else:
            old_words, new_words = value_words(key, old, labels), value_words(key, new, labels)
        if old_words == new_words:  # differ only in what is not shown (spacing, cut text): say so
            out.append(FieldChange(name))
        else:
            out.append(FieldChange(name, old_words, new_words))
    return out


def _values(text) -> dict:
    if not text:
        return {}
    try:
        values = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return values if isinstance(values, dict) else {}


def origin_words(origin) -> str:
    return ORIGIN_WORDS.get(origin, UNKNOWN_ORIGIN) if origin else UNKNOWN_ORIGIN


def describe(
    revision: Mapping,
    labels: HistoryLabels | None = None,
    *,
    others: Sequence[Mapping] = (),
    tz: tzinfo | None = None,
) -> HistoryEntry:
    """One revision row (``id, at, action, before, after, reverts, origin``) in words.
    ``others`` are the other revisions of the same row, to name the change an undo
    reverses and to say when an edit was undone."""
    labels = labels or HistoryLabels()
    by_id = {r.get("id"): r for r in others}
    action = revision.get("action")
    before, after = _values(revision.get("before")), _values(revision.get("after"))
    when = parse_time(revision.get("at"))
    reverts = revision.get("reverts")
    changes: tuple[str, ...] = ()
    if reverts is not None:
        target = by_id.get(reverts)
        if target is None:
            of = "an earlier change"
        else:
            target_when = parse_time(target.get("at"))
            same_year = when is not None and target_when is not None and target_when.astimezone(tz).year == when.astimezone(tz).year
            what = "deletion" if target.get("action") == "delete" else "change"
            of = f"the {what} of {local_time(target.get('at'), tz=tz, year=not same_year)}"
        headline = f"undo of {of}"
        if action == "insert":
            headline += ": restored"
        elif action == "delete":
            headline += ": deleted"
        else:
            changes = tuple(field_changes(before, after, labels))
    elif action == "insert":
        headline = "created"
    elif action == "delete":
        headline = "deleted"
    else:
        headline = "edited"
        changes = tuple(field_changes(before, after, labels))
    if action == "update" and not changes:
        changes = ("no field a person edits changed",)
    undone = [r for r in others if r.get("reverts") == revision.get("id") and revision.get("id") is not None]
    if undone:
        headline += f" (undone {local_time(undone[0].get('at'), tz=tz, year=False)})"
    return HistoryEntry(
        id=revision.get("id") or 0,
        when=local_time(revision.get("at"), tz=tz),
        origin=origin_words(revision.get("origin")),
        headline=headline,
        changes=changes,
        undo=reverts is not None,
    )


def describe_all(revisions: Sequence[Mapping], labels: HistoryLabels | None = None, *, tz: tzinfo | None = None) -> list[HistoryEntry]:
    """Every revision of one row in words, oldest first."""
    return [describe(r, labels, others=revisions, tz=tz) for r in revisions]
