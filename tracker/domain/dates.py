"""Dates that keep their precision.

A ``FuzzyDate`` is a day, a month or a year, possibly approximate, stored as
EDTF-style text (``2024-02-26``, ``2024-02``, ``2022~``) with the sortable
interval ``[start, end]`` it covers.

* :func:`from_edtf` reads a stored canonical value (the fast path, called once
  per row when loading);
* :func:`parse_date` reads what a person typed: ISO, English or French month
  names, ``today``/``yesterday`` (``aujourd'hui``/``hier``) and a trailing
  ``~`` for approximate. Anything else, including impossible calendar dates
  and ambiguous numeric forms such as ``26/02/2024``, is refused with a
  :class:`~tracker.errors.DateError` whose one-line message quotes the text;
  nothing is guessed or clamped;
* :func:`as_of_bound` is the last day an "as of D" query includes.

How long between two dates, in words (``elapsed_words``, ``days_words``), is
:mod:`tracker.domain.durations`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from tracker.domain.durations import month_days
from tracker.domain.text import fold, quoted
from tracker.errors import DateError

Precision = Literal["day", "month", "year"]

__all__ = [
    "FuzzyDate",
    "Precision",
    "as_of_bound",
    "from_edtf",
    "parse_date",
]

# English abbreviations used for display, index 1..12.
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAME = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_EXAMPLES = "try 2024-02-26, 2024-02, 2024, 26 Feb 2024 or 26 février 2024"


@dataclass(frozen=True, order=False)
class FuzzyDate:
    edtf: str  # canonical text: "2024-02-26", "2024-02", "2024", with a trailing "~" when approximate
    precision: Precision
    approximate: bool
    start: date  # first day of the interval
    end: date  # last day of the interval
    # "26 Feb 2024", "Feb 2024" or "2024"; "c. 2022" when approximate. Worked out when the
    # date is made (a report shows the same few thousand dates over and over) and no part of
    # equality or hashing: it follows from the fields above.
    display: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "display", self._display())

    # -- construction -----------------------------------------------------

    @classmethod
    def from_date(cls, d: date, approximate: bool = False) -> FuzzyDate:
        """The day ``d`` (a ``datetime`` is cut to its date)."""
        d = date(d.year, d.month, d.day)
        edtf = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        if approximate:
            edtf += "~"
        return cls(edtf, "day", approximate, d, d)

    # -- reading ----------------------------------------------------------

    def __str__(self) -> str:
        return self.edtf

    def _display(self) -> str:
        """``26 Feb 2024``, ``Feb 2024`` or ``2024``; ``c. 2022`` when approximate."""
        s = self.start
        if self.precision == "day":
            text = f"{s.day} {_MONTH_ABBR[s.month]} {s.year:04d}"
        elif self.precision == "month":
            text = f"{_MONTH_ABBR[s.month]} {s.year:04d}"
        else:
            text = f"{s.year:04d}"
        return "c. " + text if self.approximate else text

    @property
    def sort_key(self) -> tuple[date, date, str]:
        """Orders by start, then end (a day before its month), then the text."""
        return (self.start, self.end, self.edtf)

    def describe(self) -> str:
        """The live preview: ``1 Mar 2024, day`` or ``c. 2022, year, approximate``."""
        text = f"{self.display}, {self.precision}"
        return text + ", approximate" if self.approximate else text

    def contains(self, d: date) -> bool:
        """Whether the day ``d`` falls inside the interval this date covers."""
        if isinstance(d, datetime):
            d = d.date()
        return self.start <= d <= self.end


# -- the fast path: stored canonical values ----------------------------------


class _Refused(Exception):
    """Internal: the reason a text is not a date (becomes a DateError)."""


def _iso(core: str, approximate: bool, edtf: str) -> FuzzyDate | None:
    """``core`` as strict ISO (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``).

    Returns None when ``core`` does not have an ISO shape at all, raises
    _Refused when it has the shape but is not a date of the calendar.
    """
    n = len(core)
    if not core.isascii():
        return None
    if n == 10:
        if core[4] != "-" or core[7] != "-":
            return None
        y, m, d = core[:4], core[5:7], core[8:]
        if not (y.isdigit() and m.isdigit() and d.isdigit()):
            return None
        year, month, day = int(y), int(m), int(d)
        if year == 0:
            raise _Refused("years run from 1 to 9999")
        if not 1 <= month <= 12:
            raise _Refused("months run from 01 to 12")
        if day == 0:
            raise _Refused("days start at 01")
        if day > 28 and day > month_days(year, month):
            raise _Refused(f"{_MONTH_NAME[month]} {y} has {month_days(year, month)} days")
        start = date(year, month, day)
        return FuzzyDate(edtf, "day", approximate, start, start)
    if n == 7:
        if core[4] != "-":
            return None
        y, m = core[:4], core[5:]
        if not (y.isdigit() and m.isdigit()):
            return None
        year, month = int(y), int(m)
        if year == 0:
            raise _Refused("years run from 1 to 9999")
        if not 1 <= month <= 12:
            raise _Refused("months run from 01 to 12")
        return FuzzyDate(
            edtf,
            "month",
            approximate,
            date(year, month, 1),
            date(year, month, month_days(year, month)),
        )
    if n == 4:
        if not core.isdigit():
            return None
        year = int(core)
        if year == 0:
            raise _Refused("years run from 1 to 9999")
        return FuzzyDate(edtf, "year", approximate, date(year, 1, 1), date(year, 12, 31))
    return None


def _error(text: str, reason: str | None = None) -> DateError:
    if reason is None:
        return DateError(f"cannot understand the date {quoted(text)}; {_EXAMPLES}")
    return DateError(f"cannot understand the date {quoted(text)}: {reason}")


# Loading a store reads the same few thousand dates over and over: FuzzyDate is
# immutable, so each distinct stored text is built once (up to a bound).
_EDTF_CACHE: dict[str, FuzzyDate] = {}
_EDTF_CACHE_SIZE = 1 << 16


def from_edtf(text: str) -> FuzzyDate:
    """Read a stored canonical value: ``2024-02-26``, ``2024-02`` or ``2024``, each
    optionally followed by ``~``. Nothing else is accepted (no spaces, no names).
    """
    if not isinstance(text, str):
        raise DateError(f"cannot understand the date {text!r}: not text")
    fd = _EDTF_CACHE.get(text)
    if fd is not None:
        return fd
    try:
        if text[-1:] == "~":
            fd = _iso(text[:-1], True, text)
        else:
            fd = _iso(text, False, text)
    except _Refused as refused:
        raise _error(text, str(refused)) from None
    if fd is None:
        raise _error(text, "a stored date must be YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ~")
    if len(_EDTF_CACHE) < _EDTF_CACHE_SIZE:
        _EDTF_CACHE[text] = fd
    return fd


# -- what people type -----------------------------------------------------------

# Month words after lower-casing, dropping accents and any trailing dot.
_MONTH_WORDS: dict[str, int] = {}
for _number, _words in enumerate(
    (
        "january jan janvier janv",
        "february feb fevrier fevr fev",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug aout",
        "september sep sept septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec decembre",
    ),
    start=1,
):
    for _word in _words.split():
        _MONTH_WORDS[_word] = _number
del _number, _words, _word

_TODAY_WORDS = {"today": 0, "aujourd'hui": 0, "aujourd\u2019hui": 0, "aujourdhui": 0, "yesterday": 1, "hier": 1}

_SEP = r"(?:\s*,\s*|\s+)"  # before the year: spaces, or a comma
_DAY = r"(?P<day>[0-9]{1,2})(?P<suffix>[^\W\d_]+)?"
_MONTH = r"(?P<month>[^\W\d_]+)(?P<dot>\.)?"
_YEAR = r"(?P<year>[0-9]+)"
_WORD_FORMS = (
    re.compile(rf"{_DAY}\s+{_MONTH}{_SEP}{_YEAR}"),  # 26 Feb 2024, 1er mars 2024
    re.compile(rf"{_MONTH}\s+{_DAY}{_SEP}{_YEAR}"),  # Feb 26, 2024
    re.compile(rf"{_MONTH}{_SEP}{_YEAR}"),  # February 2024, fév. 2024
)
# Numbers only, with separators other than ISO's: 26/02/2024, 2024/02/26, 2024-2-6, 02/2024.
_NUMERIC = re.compile(r"([0-9]+)([-/.])([0-9]+)(?:\2([0-9]+))?")
_CIRCA = re.compile(r"(?:c\.|ca\.|circa)\s*")


def _suffix_ok(day: int, suffix: str) -> str | None:
    """None when ``suffix`` is right after ``day``, else the reason it is not."""
    if suffix == "er":
        return None if day == 1 else f'"er" only follows 1 (1er), not {day}'
    if suffix in ("st", "nd", "rd", "th"):
        right = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return None if suffix == right else f"write {day}{right} or {day}, not {day}{suffix}"
    return f'"{suffix}" is not an ordinal ending'


def _check_year(year_text: str) -> int:
    if len(year_text) != 4:
        if len(year_text) > 4 and year_text.lstrip("0") and len(year_text.lstrip("0")) > 4:
            raise _Refused("years run from 1 to 9999")
        raise _Refused("write the year with four digits, e.g. 2024")
    year = int(year_text)
    if year == 0:
        raise _Refused("years run from 1 to 9999")
    return year


def _words(core: str, approximate: bool) -> FuzzyDate | None:
    """English or French month-name forms; None when the shape is not one of them."""
    for form in _WORD_FORMS:
        match = form.fullmatch(core)
        if match is not None:
            break
    else:
        return None
    month_text = match["month"]
    month = _MONTH_WORDS.get(fold(month_text))
    if month is None:
        raise _Refused(f'"{month_text}" is not a month name')
    year = _check_year(match["year"])
    suffix = "~" if approximate else ""
    if "day" not in match.re.groupindex:
        return FuzzyDate(
            f"{year:04d}-{month:02d}{suffix}",
            "month",
            approximate,
            date(year, month, 1),
            date(year, month, month_days(year, month)),
        )
    day = int(match["day"])
    if match["suffix"]:
        problem = _suffix_ok(day, fold(match["suffix"]))
        if problem:
            raise _Refused(problem)
    if day == 0:
        raise _Refused("days start at 1")
    if day > month_days(year, month):
        raise _Refused(f"{_MONTH_NAME[month]} {year:04d} has {month_days(year, month)} days")
    start = date(year, month, day)
    return FuzzyDate(f"{year:04d}-{month:02d}-{day:02d}{suffix}", "day", approximate, start, start)


_NUMBERS_ONLY = "numbers alone are read only as YYYY-MM-DD, YYYY-MM or YYYY; write e.g. 2024-02-26"


def _numeric_hint(match: re.Match[str]) -> str:
    """Why a numbers-only form other than ISO is refused, with the ISO to write instead."""
    a, sep, b, c = match.groups()
    if max(len(a), len(b), len(c or "")) > 4:  # no part of a date has more digits (and int() refuses 4,300)
        return _NUMBERS_ONLY
    if c is None:  # 02/2024 or 2024/02
        month_text, year_text = (a, b) if len(b) == 4 else (b, a)
        if len(year_text) == 4 and year_text != "0000" and month_text.isdigit() and 1 <= int(month_text) <= 12:
            return f"write it as {year_text}-{int(month_text):02d}"
        return "write a month as YYYY-MM, e.g. 2024-02"
    if len(a) == 4:  # 2024/02/26 or 2024-2-6: year first, so the order is known
        year, month, day = int(a), int(b), int(c)
        if year and 1 <= month <= 12 and 1 <= day <= month_days(year, month):
            return f"write it as {a}-{month:02d}-{day:02d}"
        return "write a day as YYYY-MM-DD, e.g. 2024-02-26"
    if len(c) == 4 and int(c):  # 26/02/2024: day first or month first?
        year = int(c)
        candidates = []
        for day, month in ((int(a), int(b)), (int(b), int(a))):
            if 1 <= month <= 12 and 1 <= day <= month_days(year, month):
                iso = f"{c}-{month:02d}-{day:02d}"
                if iso not in candidates:
                    candidates.append(iso)
        if candidates:
            return "the order of day and month is ambiguous; write " + " or ".join(candidates)
    return _NUMBERS_ONLY


def parse_date(text: str, today: date | None = None) -> FuzzyDate:
    """Read a date as a person types it.

    ``today`` anchors ``today``/``yesterday`` (default: the real today).
    Raises DateError, quoting ``text``, for anything that is not exactly a
    day, a month or a year of the calendar.
    """
    if not isinstance(text, str):
        raise DateError(f"cannot understand the date {text!r}: not text")
    fd = _EDTF_CACHE.get(text)
    if fd is not None:  # the fast path: a canonical value read before (an import reads thousands)
        return fd
    shown = text.strip()  # messages quote what was typed
    # Composed, as typed on most keyboards: text pasted from a PDF or a macOS file name
    # often spells "é" as "e" and a combining accent, which the month words would not match.
    core = unicodedata.normalize("NFC", shown)
    approximate = False
    if core.endswith("~"):
        approximate = True
        core = core[:-1].rstrip()
    circa = _CIRCA.match(core.casefold())
    if circa is not None and len(core) > circa.end():
        approximate = True
        core = core[circa.end() :]
    if not core:
        raise _error(shown)
    try:
        # The fast path first: a canonical value (as stored, or typed as ISO).
        fd = _iso(core, approximate, core + "~" if approximate else core)
        if fd is not None:
            if fd.edtf == text and len(_EDTF_CACHE) < _EDTF_CACHE_SIZE:
                _EDTF_CACHE[text] = fd  # canonical as typed: what from_edtf(text) gives
            return fd
        lowered = core.casefold()
        if lowered in _TODAY_WORDS:
            anchor = date.today() if today is None else today
            try:
                return FuzzyDate.from_date(anchor - timedelta(days=_TODAY_WORDS[lowered]), approximate)
            except OverflowError:
                raise _Refused("that day is before the year 1") from None
        fd = _words(core, approximate)
        if fd is not None:
            return fd
        numeric = _NUMERIC.fullmatch(core)
        if numeric is not None:
            raise _Refused(_numeric_hint(numeric))
        if core.isascii() and core.isdigit():
            too_big = len(core.lstrip("0")) > 4
            raise _Refused("years run from 1 to 9999" if too_big else "write the year with four digits, e.g. 2024")
    except _Refused as refused:
        raise _error(shown, str(refused)) from None
    raise _error(shown)


def as_of_bound(d: FuzzyDate) -> date:
    """The last day an "as of ``d``" query includes: as of Feb 2024 includes all of February."""
    return d.end
