"""Exchange records: checking what a file says before anything is written.

Each ``check_*`` takes the raw object of one line (JSONL) or row (CSV) and
returns a clean dict, or raises TrackerError naming the field. Records
without a ``uid`` get a stable one derived from what identifies them, so that
importing the same file twice finds the same rows.
"""

from __future__ import annotations

import re
import uuid

from tracker.domain import validation as check
from tracker.domain.dates import parse_date
from tracker.domain.models import CONFIDENCES
from tracker.domain.scales import DEFAULT_SCALE
from tracker.domain.text import is_utf8, quoted
from tracker.errors import TrackerError

NAMESPACE = uuid.UUID("8a3f9f52-6d0e-4d6b-9a2c-4f1c2b7e5d10")

FIELDS = {
    "scale": ("type", "uid", "key", "name", "description", "levels"),
    "actor": ("type", "uid", "slug", "name", "kind", "country", "parent", "aliases"),
    "question": ("type", "uid", "slug", "title", "description", "scale", "tags"),
    "source": ("type", "uid", "url", "title", "outlet", "published", "language"),
    "position": (
        "type", "uid", "actor", "question", "stance", "date", "quote", "quote_lang", "paraphrase",
        "context", "source", "confidence", "notes", "tags",
    ),
}  # fmt: skip
TYPES = tuple(FIELDS)
_KNOWN = {kind: frozenset(names) for kind, names in FIELDS.items()}


def check_decoded(text: str, line: int) -> None:
    """Refuse a line that was not UTF-8: files are read with ``errors="surrogateescape"``,
    so undecodable bytes arrive as lone surrogates and the line they are on can be named."""
    if not is_utf8(text):
        raise TrackerError(f"line {line}: the file is not UTF-8 text")


def derived_uid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join("" if p is None else str(p) for p in parts)))


def _uid(raw: dict, *identity: object) -> tuple[str, bool]:
    value = raw.get("uid")
    if value in (None, ""):
        return derived_uid(*identity), False
    text = check.check_text("uid", value, one_line=True)
    try:
        return str(uuid.UUID(text)), True
    except ValueError:
        raise TrackerError(f"uid {quoted(text)} is not a UUID") from None


def _list(raw: dict, field: str) -> list:
    value = raw.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TrackerError(f"{field} must be a list, not {quoted(value)}")
    return value


def _or_default(value: object, default: str) -> object:
    """The default for a missing or empty value; any other value, even false or 0, to be checked."""
    return default if value is None or value == "" else value


def check_record(raw: object, *, plain: bool = False) -> dict:
    """The checked record. ``plain``: ``raw`` was decoded from a JSON line that holds no
    backslash, so none of its strings can hold a control character (JSON refuses them
    raw) or a lone surrogate (the line was checked to be UTF-8): positions then take a
    fast path that checks only what such strings can still get wrong."""
    if not isinstance(raw, dict):
        raise TrackerError("each line must be a JSON object")
    kind = raw.get("type")
    if type(kind) is not str or kind not in FIELDS:  # a list or an object cannot be looked up
        shown = "None" if kind is None else quoted(kind)
        raise TrackerError(f"type {shown} is not one of: {', '.join(TYPES)}")
    if not raw.keys() <= _KNOWN[kind]:
        unknown = [k for k in raw if k not in FIELDS[kind]]
        fields = "fields" if len(unknown) > 1 else "field"
        raise TrackerError(f"unknown {fields} for a {kind}: {check.quoted_names(unknown)}")
    if plain and kind == "position":
        try:
            checked = _plain_position(raw)
        except TrackerError:
            checked = None  # the general path names the first problem, as it always does
        if checked is not None:
            return checked
    return CHECKS[kind](raw)


def check_scale(raw: dict) -> dict:
    key = check.check_slug(raw.get("key"), "scale key")
    levels = []
    for item in _list(raw, "levels"):
        if not isinstance(item, dict):
            raise TrackerError("each level must be an object with key and label")
        levels.append(
            {
                "key": check.check_slug(item.get("key"), "level key"),
                "label": check.check_text("level label", item.get("label"), required=True, one_line=True),
                "description": check.check_text("level description", item.get("description")),
                "colour": check.check_text("level colour", item.get("colour"), one_line=True),
            }
        )
    if not levels:
        raise TrackerError(f"scale {quoted(key)} needs at least one level")
    if len({lv["key"] for lv in levels}) != len(levels):
        raise TrackerError(f"scale {quoted(key)} has a level key twice")
    uid, _ = _uid(raw, "scale", key)
    return {
        "type": "scale",
        "uid": uid,
        "key": key,
        "name": check.check_text("name", raw.get("name"), required=True, one_line=True),
        "description": check.check_text("description", raw.get("description")),
        "levels": levels,
    }


def check_actor(raw: dict) -> dict:
    slug = check.check_slug(raw.get("slug"))
    uid, given = _uid(raw, "actor", slug)
    parent = raw.get("parent")
    aliases = []
    for a in _list(raw, "aliases"):
        a = check.check_text("alias", a, required=True, one_line=True)
        if a not in aliases:
            aliases.append(a)
    return {
        "type": "actor",
        "uid": uid,
        "uid_given": given,
        "slug": slug,
        "name": check.check_text("name", raw.get("name"), required=True, one_line=True),
        "kind": check.check_kind(raw.get("kind")),
        "country": check.check_country(raw.get("country")),
        "parent": check.check_slug(parent, "parent") if parent not in (None, "") else None,
        "aliases": aliases,
    }


def check_question(raw: dict) -> dict:
    slug = check.check_slug(raw.get("slug"))
    uid, given = _uid(raw, "question", slug)
    return {
        "type": "question",
        "uid": uid,
        "uid_given": given,
        "slug": slug,
        "title": check.check_text("title", raw.get("title"), required=True, one_line=True),
        "description": check.check_text("description", raw.get("description")),
        "scale": check.check_slug(_or_default(raw.get("scale"), DEFAULT_SCALE), "scale"),
        "tags": list(check.check_tags(_list(raw, "tags"))),
    }


def check_source(raw: dict) -> dict:
    url = check.check_url(raw.get("url"))
    title = check.check_text("title", raw.get("title"), one_line=True)
    outlet = check.check_text("outlet", raw.get("outlet"), one_line=True)
    published = raw.get("published")
    if published not in (None, ""):
        text = check.check_text("published", published)
        try:
            published = parse_date(text).edtf
        except TrackerError as e:
            raise TrackerError(f"published: {e}") from None
    else:
        published = None
    if not (url or title):
        raise TrackerError("a source needs a url or a title")
    uid, _ = _uid(raw, "source", url or "", title, outlet, published)
    return {
        "type": "source",
        "uid": uid,
        "url": url,
        "title": title,
        "outlet": outlet,
        "published": published,
        "language": check.check_language(raw.get("language")),
    }


def check_position(raw: dict) -> dict:
    actor = check.check_slug(raw.get("actor"), "actor")
    question = check.check_slug(raw.get("question"), "question")
    stance = check.check_text("stance", raw.get("stance"), required=True, one_line=True)
    when = parse_date(check.check_text("date", raw.get("date"), required=True))
    quote = check.check_text("quote", raw.get("quote"))
    source = raw.get("source")
    source = check.check_text("source", source, one_line=True) if source not in (None, "") else None
    uid, _ = _uid(raw, "position", actor, question, when.edtf, stance, quote)
    return {
        "type": "position",
        "uid": uid,
        "actor": actor,
        "question": question,
        "stance": stance,
        "date": when,
        "quote": quote,
        "quote_lang": check.check_language(raw.get("quote_lang"), "quote_lang"),
        "paraphrase": check.check_text("paraphrase", raw.get("paraphrase")),
        "context": check.check_text("context", raw.get("context")),
        "source": source,
        "confidence": check.check_confidence(raw.get("confidence")),
        "notes": check.check_text("notes", raw.get("notes")),
        "tags": list(check.check_tags(_list(raw, "tags"))),
    }


# What the general checks accept unchanged, matched whole (no strip needed, no newline possible).
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*").fullmatch
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*").fullmatch
# A uid as str(UUID) writes it.
_CANONICAL_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
_MAX = check.MAX_TEXT
# Slugs and language codes already matched: a large file names the same few thousand again and again.
_SLUGS: set[str] = set()
_LANGUAGES: set[str] = set()
_REMEMBERED = 100_000  # of each, at most


def _is_slug(text: str) -> bool:
    if text in _SLUGS:
        return True
    if len(text) <= 80 and _SLUG(text):
        if len(_SLUGS) < _REMEMBERED:
            _SLUGS.add(text)
        return True
    return False


def _is_language(text: str) -> bool:
    if text in _LANGUAGES:
        return True
    if len(text) <= _MAX and _LANGUAGE(text):
        if len(text) <= 80 and len(_LANGUAGES) < _REMEMBERED:
            _LANGUAGES.add(text)
        return True
    return False


def _plain_position(raw: dict) -> dict | None:
    """``check_position(raw)`` for a record whose strings hold no control character and no
    lone surrogate (see ``check_record``), or None when a value is not of the ordinary
    kind an export writes: the general path then decides. Whatever this returns,
    ``check_position`` returns too."""
    get = raw.get
    actor, question, stance, date = get("actor"), get("question"), get("stance"), get("date")
    quote, paraphrase, context, notes = get("quote", ""), get("paraphrase", ""), get("context", ""), get("notes", "")
    if not (
        type(actor) is str and type(question) is str and type(stance) is str and type(date) is str
        and type(quote) is str and type(paraphrase) is str and type(context) is str and type(notes) is str
        and _is_slug(actor) and _is_slug(question)
        and max(len(stance), len(date), len(quote), len(paraphrase), len(context), len(notes)) <= _MAX
    ):  # fmt: skip
        return None
    stance = stance.strip()
    if not stance or not date.strip():
        return None
    when = parse_date(date)
    source = get("source")
    if source == "":
        source = None
    elif source is not None:
        if type(source) is not str or len(source) > _MAX:
            return None
        source = source.strip()
    uid = get("uid")
    if uid is None or uid == "":
        uid = derived_uid("position", actor, question, when.edtf, stance, quote)
    elif type(uid) is not str or not _CANONICAL_UID(uid):
        return None
    lang = get("quote_lang")
    if lang is None:
        lang = ""
    elif type(lang) is not str or (lang and not _is_language(lang)):
        return None
    confidence = _or_default(get("confidence"), "confirmed")  # as check_confidence reads it
    if type(confidence) is not str or confidence not in CONFIDENCES:
        return None
    tags = get("tags")
    if tags is None or tags == []:
        tags = []
    elif type(tags) is list:
        kept = []
        for tag in tags:
            if tag is None:
                continue
            if type(tag) is not str or len(tag) > _MAX:
                return None
            tag = tag.strip()
            if tag and tag not in kept:
                kept.append(tag)
        tags = kept
    else:
        return None
    return {
        "type": "position",
        "uid": uid,
        "actor": actor,
        "question": question,
        "stance": stance,
        "date": when,
        "quote": quote,
        "quote_lang": lang,
        "paraphrase": paraphrase,
        "context": context,
        "source": source,
        "confidence": confidence,
        "notes": notes,
        "tags": tags,
    }


CHECKS = {
    "scale": check_scale,
    "actor": check_actor,
    "question": check_question,
    "source": check_source,
    "position": check_position,
}
