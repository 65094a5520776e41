"""The three-way merge of a dataset file, by uid and by field (plain Python: git's merge
driver, tracker/sync/driver.py, runs it on the base, ours and theirs of a file).

- A record added on one side is kept; the same uid added on both sides is merged field
  by field against an empty base.
- A record present in the base and on one side only: unchanged there, the other side
  deleted it (or moved it to another question's file): it goes; changed there, the edit
  beats the deletion, and that is a conflict of kind "deleted-vs-edited".
- A field changed on one side takes that change; changed differently on both sides, the
  side whose record was changed later (``updated_at``) wins, the tie broken by the larger
  JSON text of the value so that every machine decides alike: a "both-edited" conflict,
  which keeps the value set aside (the sync writes it into the revision history).
- Tombstones (``deleted.jsonl``) merge the same way; one given on both sides keeps the
  earlier time.

The result is sorted as the layout writes it, so a merge never leaves conflict markers
and gives the same bytes on every machine.
"""

from __future__ import annotations

import json

from tracker.sync.layout import KEYS, line, parse_file, sort_key

_MISSING = object()


def merge(base: str, ours: str, theirs: str, name: str = "") -> tuple[str, list[dict]]:
    """The merged text of a dataset file and its conflicts (dicts: kind, type, uid,
    label, field, kept, set_aside, kept_at, set_aside_at, file). LayoutError when a
    side is not a dataset file."""
    b, o, t = ({r["uid"]: r for r in parse_file(text, f"{name} ({side})")} for text, side in
               ((base, "base"), (ours, "ours"), (theirs, "theirs")))  # fmt: skip
    merged: list[dict] = []
    conflicts: list[dict] = []
    for uid in {**b, **o, **t}:
        was, mine, other = b.get(uid), o.get(uid), t.get(uid)
        if mine is None and other is None:
            continue
        if mine is not None and other is not None:
            if mine == other or other == was:
                merged.append(mine)
            elif mine == was:
                merged.append(other)
            else:
                merged.append(_fields(was or {}, mine, other, conflicts, name))
            continue
        kept = mine if mine is not None else other
        if was is None:
            merged.append(kept)  # added on one side
        elif kept != was:
            merged.append(kept)  # an edit beats a deletion
            if kept["type"] != "deleted":
                conflicts.append(_conflict("deleted-vs-edited", kept, name))
        # else: deleted (or moved) on the other side
    merged.sort(key=sort_key)
    return "".join(map(line, merged)), conflicts


def _fields(was: dict, mine: dict, other: dict, conflicts: list[dict], name: str) -> dict:
    if mine["type"] == "deleted":  # the same tombstone from both sides: the first deletion's time
        return min(mine, other, key=lambda r: (str(r.get("at")), line(r)))
    mine_at, other_at = str(mine.get("updated_at") or ""), str(other.get("updated_at") or "")
    out = {}
    for key in KEYS.get(mine["type"], ()):
        ours, theirs, base = mine.get(key), other.get(key), was.get(key, _MISSING)
        if key == "updated_at":
            out[key] = max(mine_at, other_at)
        elif ours == theirs or theirs == base:
            out[key] = ours
        elif ours == base:
            out[key] = theirs
        else:
            mine_wins = (mine_at, _text(ours)) > (other_at, _text(theirs))
            kept, aside = (ours, theirs) if mine_wins else (theirs, ours)
            out[key] = kept
            conflicts.append(
                _conflict("both-edited", mine, name) | {
                    "field": key, "kept": kept, "set_aside": aside,
                    "kept_at": mine_at if mine_wins else other_at, "set_aside_at": other_at if mine_wins else mine_at,
                }
            )  # fmt: skip
    return out


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _conflict(kind: str, record: dict, name: str) -> dict:
    return {"kind": kind, "type": record["type"], "uid": record["uid"], "label": label(record), "file": name}


def label(record: dict) -> str:
    """A record as a report names it: its slug, key or URL; a position by actor, question and date."""
    kind = record.get("type")
    if kind == "position":
        return f"position {record['uid']} ({record.get('actor')} on {record.get('question')}, {record.get('date')})"
    named = record.get("slug") or record.get("key") or record.get("url") or record.get("title") or record["uid"]
    return f"{kind} {named}"
