"""The language of a text and the dates written in a sentence, for quotes found in articles.

Plain Python (no SQL, no Textual). The language is a stop-word count: the words of the text
are looked up in a short list of the most frequent function words of French, English and
German, and the language with the most hits wins; with no hit (or a tie) it is unknown.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_STOP = {
    "fr": "le la les de des du et est que qui ne pas une un en pour nous il elle dans sur au aux ce cette "
          "ces mais avec sont a ont été je vous on leur plus tout se sa son ses y",
    "en": "the and of to is that we will not a an in it this be are have has for with was were they our "
          "on at by from but he she i you their would should",
    "de": "der die das und ist nicht wir ein eine zu den dem mit auf für sich es werden wird auch von "
          "im ich sie sind hat haben kein keine aber nur noch über",
}  # fmt: skip
_WORDS_OF = {lang: frozenset(words.split()) for lang, words in _STOP.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, default: str | None = None) -> str | None:
    """"fr", "en" or "de" by a count of stop words; ``default`` when none wins."""
    counts = dict.fromkeys(_WORDS_OF, 0)
    for word in _WORD.findall(text.casefold()):
        for lang, words in _WORDS_OF.items():
            if word in words:
                counts[lang] += 1
    best = sorted(counts.items(), key=lambda kv: -kv[1])
    if best[0][1] == 0 or best[0][1] == best[1][1]:
        return default
    return best[0][0]


# ---------------------------------------------------------------------- dates in a sentence

_MONTHS = {
    1: "january jan janvier janv januar jän",
    2: "february feb février fevrier fév fev februar",
    3: "march mar mars märz maerz",
    4: "april apr avril avr",
    5: "may mai",
    6: "june jun juin juni",
    7: "july jul juillet juil juli",
    8: "august aug août aout",
    9: "september sep sept septembre",
    10: "october oct octobre oktober okt",
    11: "november nov novembre",
    12: "december dec décembre decembre dezember dez",
}
MONTH_WORDS = {w: n for n, words in _MONTHS.items() for w in words.split()}
_WEEKDAYS = {
    0: "monday lundi montag", 1: "tuesday mardi dienstag", 2: "wednesday mercredi mittwoch",
    3: "thursday jeudi donnerstag", 4: "friday vendredi freitag", 5: "saturday samedi samstag",
    6: "sunday dimanche sonntag",
}  # fmt: skip
WEEKDAY_WORDS = {w: n for n, words in _WEEKDAYS.items() for w in words.split()}

_MONTH_RE = "|".join(sorted((re.escape(w) for w in MONTH_WORDS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted((re.escape(w) for w in WEEKDAY_WORDS), key=len, reverse=True))
# "26 février 2024", "1er mars", "26. Februar 2024", "February 26, 2024", "Feb 26"
_DAY_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\.?\s+(?P<month>{_MONTH_RE})\.?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_WEEKDAY = re.compile(rf"\b(?P<weekday>{_WEEKDAY_RE})\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(?:yesterday|hier|gestern)\b", re.IGNORECASE)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _article_day(published: str | None) -> date | None:
    if published and re.fullmatch(r"\d{4}-\d\d-\d\d", published):
        return _day(int(published[:4]), int(published[5:7]), int(published[8:10]))
    return None


def sentence_date(sentence: str, published: str | None) -> str | None:
    """The EDTF day written in ``sentence`` ("le 26 février", "on Monday" before the article's
    date, "2024-02-26"), or None. A day and month without a year take the article's year
    (the year before, when that would put it after the article)."""
    year = int(published[:4]) if published and re.match(r"\d{4}", published) else None
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(sentence):
            month = m.group("month")
            month_number = int(month) if month.isdigit() else MONTH_WORDS.get(month.casefold())
            y = int(m.group("year")) if m.group("year") else year
            if month_number is None or y is None:
                continue
            found = _day(y, month_number, int(m.group("day")))
            if found is None:
                continue
            article = _article_day(published)
            if not m.group("year") and article and found > article:
                found = _day(y - 1, month_number, int(m.group("day"))) or found
            return found.isoformat()
    article = _article_day(published)
    if article is None:
        return None
    m = _WEEKDAY.search(sentence)
    if m:
        back = (article.weekday() - WEEKDAY_WORDS[m.group("weekday").casefold()]) % 7
        return (article - timedelta(days=back)).isoformat()
    if _YESTERDAY.search(sentence):
        return (article - timedelta(days=1)).isoformat()
    return None


def text_date(text: str) -> str | None:
    """A full date (day, month and year) written in ``text``, as EDTF, or None."""
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            if not m.group("year"):
                continue
            month = m.group("month")
            month_number = int(month) if month.isdigit() else MONTH_WORDS.get(month.casefold())
            found = _day(int(m.group("year")), month_number, int(m.group("day"))) if month_number else None
            if found:
                return found.isoformat()
    return None
