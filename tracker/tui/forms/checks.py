"""The checks of the form fields: what the typed text of a field means.

A check (a :data:`Checker`: ``text_check``, ``date_check``…, or a form's own) is a
function from the text of a field to a :class:`Verdict`: the value to save and a preview
of it ("→ 1 Mar 2024, day"), or why the text is refused. Checks run on every keystroke:
they never raise (:func:`guarded` turns an error into a refusal) and never touch the
database. The rules are those of :mod:`tracker.domain.validation` and
:mod:`tracker.domain.dates`, which the CLI and the import apply too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker.domain import validation
from tracker.domain.dates import parse_date
from tracker.domain.text import fold
from tracker.errors import TrackerError


@dataclass(frozen=True)
class Verdict:
    """What a field's text means: the value to save, a preview of it, or an error."""

    value: object = None
    preview: str = ""  # shown beside the field when the text is valid ("→ 1 Mar 2024, day")
    error: str = ""  # why the text is refused, one line
    empty: bool = False  # nothing typed: a required field's error waits for a save attempt

    @property
    def ok(self) -> bool:
        return not self.error


Checker = Callable[[str], Verdict]


def guarded(checker: Checker, field: str) -> Checker:
    """``checker`` with any TrackerError turned into a refused Verdict (a check never raises)."""

    def run(text: str) -> Verdict:
        try:
            return checker(text)
        except TrackerError as e:
            return Verdict(error=str(e), empty=not text.strip())
        except Exception as e:  # a bug must not take the app down with a keystroke
            return Verdict(error=f"{field}: cannot check this ({type(e).__name__})", empty=not text.strip())

    return run


def text_check(field: str, *, required: bool = False, single_line: bool = True) -> Checker:
    def run(text: str) -> Verdict:
        if required and not text.strip():
            return Verdict(error=f"{field} is required", empty=True)
        value = validation.check_text(field, text, required=required, one_line=single_line)
        return Verdict(value, empty=not text.strip())

    return guarded(run, field)


def date_check(field: str, today: Callable[[], object], *, required: bool = True) -> Checker:
    def run(text: str) -> Verdict:
        if not text.strip():
            return Verdict(error=f"{field} is required", empty=True) if required else Verdict(None, empty=True)
        when = parse_date(text, today=today())
        return Verdict(when, preview=f"{text.strip()} → {when.describe()}")

    return guarded(run, field)


def choice_check(
    field: str, choices: Callable[[], Sequence[str]] | Sequence[str], default: str | None = None
) -> Checker:
    """A typed prefix of one of ``choices`` (case and accents aside); empty is ``default``."""

    def run(text: str) -> Verdict:
        options = list(choices() if callable(choices) else choices)
        typed = text.strip()
        if not typed:
            if default is None:
                return Verdict(error=f"{field} is required", empty=True)
            return Verdict(default, preview=f"→ {default} (the default)", empty=True)
        wanted = fold(typed)
        exact = [c for c in options if fold(c) == wanted]
        found = exact or [c for c in options if fold(c).startswith(wanted)]
        if len(found) == 1:
            return Verdict(found[0], preview=f"→ {found[0]}")
        if found:
            return Verdict(error=f"{field} {typed!r} is ambiguous: {', '.join(found)}")
        return Verdict(error=f"{field} {typed!r} is not one of: {', '.join(options)}")

    return guarded(run, field)


def language_check(field: str) -> Checker:
    def run(text: str) -> Verdict:
        code = validation.check_language(text.strip(), field)
        return Verdict(code, preview=f"→ {code}" if code else "", empty=not code)

    return guarded(run, field)


def list_check(field: str, item: str) -> Checker:
    """Comma-separated words (aliases, tags): each on one line, empty ones dropped."""

    def run(text: str) -> Verdict:
        items = []
        for part in text.split(","):
            part = validation.check_text(item, part, one_line=True)
            if part and part not in items:
                items.append(part)
        if not items:
            return Verdict((), empty=True)
        return Verdict(tuple(items), preview=f"→ {len(items)} {item}{'s' if len(items) != 1 else ''}")

    return guarded(run, field)
