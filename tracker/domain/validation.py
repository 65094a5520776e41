"""Checks shared by the command line, the forms and the importers.

Each returns the cleaned value or raises TrackerError with a one-line message
that names the field and quotes what was wrong.
"""

from __future__ import annotations

import re

from tracker.domain.models import ACTOR_KINDS, CONFIDENCES
from tracker.domain.text import fold, is_utf8, quoted
from tracker.errors import TrackerError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
MAX_TEXT = 100_000


def slugify(text: str) -> str:
    """"Emmanuel Macron" -> "emmanuel-macron"; accents folded, punctuation dropped."""
    folded = fold(text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80].strip("-")


def quoted_names(names: list) -> str:
    """Names for a message, each quoted short, and at most five of them."""
    shown = ", ".join(map(quoted, names[:5]))
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def check_text(field: str, value: object, *, required: bool = False, one_line: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise TrackerError(f"{field} is required")
        return ""
    if not isinstance(value, str):
        raise TrackerError(f"{field} must be text, not {quoted(value)}")
    if "\x00" in value:
        raise TrackerError(f"{field} contains a NUL character")
    if len(value) > MAX_TEXT:
        raise TrackerError(f"{field} is too long ({len(value):,} characters; the limit is {MAX_TEXT:,})")
    if not is_utf8(value):
        raise TrackerError(f"{field} is not valid text: it holds bytes or escapes that are not UTF-8")
    if one_line:
        value = value.strip()
        if "\n" in value or "\r" in value:
            raise TrackerError(f"{field} must be on one line")
    if required and not value.strip():
        raise TrackerError(f"{field} is required")
    return value


def check_slug(value: object, field: str = "slug") -> str:
    text = check_text(field, value, required=True, one_line=True)
    if not SLUG_RE.match(text) or len(text) > 80:
        raise TrackerError(
            f"{field} {quoted(text)} is not valid: use lowercase letters, digits and single hyphens, like \"emmanuel-macron\""
        )
    return text


def _one_of(field: str, value: object, choices: tuple[str, ...], default: str) -> str:
    """``value`` in lower case when it is one of ``choices``; ``default`` when not given."""
    text = check_text(field, default if value is None or value == "" else value, one_line=True).lower()
    if text not in choices:
        raise TrackerError(f"{field} {quoted(text)} is not one of: {', '.join(choices)}")
    return text


def check_kind(value: object) -> str:
    return _one_of("kind", value, ACTOR_KINDS, "other")


def check_country(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = check_text("country", value, one_line=True).upper()
    if not COUNTRY_RE.match(text):
        raise TrackerError(f"country {quoted(value)} is not a two-letter ISO 3166 code, like FR or DE")
    return text


def check_confidence(value: object) -> str:
    return _one_of("confidence", value, CONFIDENCES, "confirmed")


def check_language(value: object, field: str = "language") -> str:
    text = check_text(field, value, one_line=True)
    if text and not LANG_RE.match(text):
        raise TrackerError(f"{field} {quoted(text)} is not a language code, like fr, en or pt-BR")
    return text


def check_url(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = check_text("url", value, one_line=True)
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", text, re.IGNORECASE):
        raise TrackerError(f"url {quoted(text)} is not an http(s) address")
    return text


def check_tags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [t for t in value.split(",")]
    if not isinstance(value, (list, tuple)):
        raise TrackerError(f"tags must be a list of words, not {quoted(value)}")
    tags = []
    for tag in value:
        tag = check_text("tag", tag, one_line=True)
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)
