"""Escaping user text for markdown: whatever a user typed renders as that text, never as markup.

Every piece of user text in a report goes through one of these functions (:func:`inline`,
:func:`cell`, :func:`lines`, :func:`blockquote`, :func:`link`): HTML-significant characters
become entities, markdown punctuation is backslash-escaped, pipes are escaped, newlines
cannot start a block or leave a table cell, control characters become visible symbols, and
text that a GitHub-style parser would turn into a link (``https://``, ``www.``, ``a@b``) is
broken up with escapes. Only a source's own URL becomes a link (:func:`safe_url`), and only
when it is a plain ``http(s)`` address.

The tables and patterns that say what is escaped (``ONE_LINE``, ``MULTI_LINE``,
``AUTOLINK``, ``LINE_START``, the ``URL_`` patterns) are public: the functions take fast
paths around them, which must say exactly what the tables and patterns say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tracker.domain.text import HIDDEN, printable

__all__ = ["blockquote", "cell", "inline", "lines", "link", "safe_url"]

# One translation table does the character-level work in C: control characters
# become the visible symbols ``printable`` uses (ESC -> ␛; C1 controls and bidi
# overrides -> <U+XXXX>, itself entity-escaped), HTML-significant characters
# become entities, and the punctuation that markdown (or GitHub: ``$`` for math,
# ``@`` for e-mail autolinks) gives a meaning is backslash-escaped.
_PUNCTUATION = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "#": "\\#",
    "$": "\\$",
    "@": "\\@",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}


def _escape_chars(text: str) -> str:
    return "".join(_PUNCTUATION.get(ch, ch) for ch in text)


def _control_table(one_line: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in sorted(HIDDEN):
        shown = printable(chr(code), one_line=one_line)
        if shown != chr(code):
            table[code] = _escape_chars(shown)
    table.update({ord(ch): escaped for ch, escaped in _PUNCTUATION.items()})
    # Unicode line and paragraph separators: line ends to some renderers and editors, so
    # treated as a newline (a space on one line), never left to chance.
    table.update({0x2028: " " if one_line else "\n", 0x2029: " " if one_line else "\n"})
    return table


ONE_LINE = str.maketrans(_control_table(one_line=True))  # newlines and tabs become spaces
MULTI_LINE = str.maketrans(_control_table(one_line=False))  # newlines and tabs kept


def finder(codes: Iterable[int]) -> Callable[[str], bool]:
    """A test of whether a text holds any of some characters (the codes a translation
    table changes, and so on).

    Most text has nothing to escape, and finding that out must cost little. A regular
    expression looks at each character in turn, at some cost each. Text made of Latin-1
    characters alone (most text in Western languages) is its own Latin-1 encoding, a copy
    of its bytes: ``bytes.translate`` with a table that changes the codes sought, and only
    those, says in one pass (a table look-up a byte, in C) whether any is there. Other
    text goes to the regular expression.
    """
    codes = sorted(set(codes))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    search = re.compile("[" + "".join(parts) + "]").search
    marks = bytes(b ^ 1 if b in codes else b for b in range(256))  # changes the codes sought

    def finds(text: str) -> bool:
        encoded = text.encode("latin-1", "ignore")  # drops what is not Latin-1 (no exception)
        if len(encoded) == len(text):  # all Latin-1: each byte is a character's code
            return encoded.translate(marks) != encoded
        return search(text) is not None

    return finds


_ONE_LINE_ANY = finder(ONE_LINE)
_MULTI_LINE_ANY = finder(MULTI_LINE)
# Plain text: nothing to escape, and no ":" or "/" (which a link needs, see _autolinks); on
# several lines, no newline either. Such text needs only a strip and a look for "www.".
_ONE_LINE_NOT_PLAIN = finder([*ONE_LINE, ord(":"), ord("/")])
_MULTI_LINE_NOT_PLAIN = finder([*MULTI_LINE, ord(":"), ord("/"), ord("\n")])


def _one_line(text: str) -> str:
    """``text.translate(ONE_LINE)``, without the work when nothing in it changes."""
    return text.translate(ONE_LINE) if _ONE_LINE_ANY(text) else text


def _multi_line(text: str) -> str:
    """``text.translate(MULTI_LINE)``, without the work when nothing in it changes."""
    return text.translate(MULTI_LINE) if _MULTI_LINE_ANY(text) else text


# Text that a GFM parser would turn into a link on its own: a scheme followed by
# ":", "www." and protocol-relative "//". A backslash after the scheme, after
# "www" or between the slashes breaks the match; the rendered text is unchanged.
AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)|/(?=/)")

# What would open a block at the start of a line: a list or thematic-break
# marker ("-", "+"), a setext underline ("="), an ordered-list number ("1." or
# "1)"). "#", ">", "*", "_", "`", "~", "|" and "<" are escaped everywhere.
LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))", re.MULTILINE)
NEWLINES = re.compile(r"\r\n?")


def line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _autolinks(escaped: str) -> str:
    # A match needs a ":" (after a scheme), "//", or "www." in any case (only "w" and "W"
    # are a "w" to a case-insensitive match): cheap tests that skip the pattern on most text.
    if ":" in escaped or "//" in escaped or ("." in escaped and ("ww" in escaped or "W" in escaped)):
        return AUTOLINK.sub(r"\g<0>\\", escaped)
    return escaped


def inline(text: str | None) -> str:
    """User text on one line, safe anywhere inline: a paragraph, a heading, link text.

    Newlines and tabs become spaces, control characters visible symbols; the
    result renders as the text itself, with no markup, HTML or link.
    """
    if not text:
        return ""
    if not _ONE_LINE_NOT_PLAIN(text):
        text = text.strip()
        return AUTOLINK.sub(r"\g<0>\\", text) if "." in text and ("ww" in text or "W" in text) else text
    return _autolinks(_one_line(text).strip())


def cell(text: str | None) -> str:
    """User text for a table cell or another short field that repeats (a name, a
    label, an outlet): the same as :func:`inline`, which already escapes ``|``.
    A report remembers each (``Doc.cell``), since it names the same actors again
    and again."""
    return inline(text)


def link(text: str, url: str | None) -> str:
    """``[text](url)`` when ``url`` is a safe http(s) address, else the text alone (escaped)."""
    label = inline(text)
    target = safe_url(url)
    if target is None:
        return label
    return f"[{label or inline(url)}]({target})"


def lines(text: str | None) -> list[str]:
    """User text that may span lines, as markdown lines for a paragraph.

    Each line is escaped like :func:`inline`, loses its leading whitespace (which
    could make it code), gets its block-opening first character escaped, and ends
    with a hard break so that the line structure survives; a blank line starts a
    new paragraph and is returned as ``""``.
    """
    if not text:
        return []
    if not _MULTI_LINE_NOT_PLAIN(text):  # one line with nothing to escape (the usual case)
        escaped = text.strip()
        if "." in escaped and ("ww" in escaped or "W" in escaped):
            escaped = AUTOLINK.sub(r"\g<0>\\", escaped)
    else:
        if "\r" in text:
            text = NEWLINES.sub("\n", text)
        # Translated before stripping: str.strip() would drop control characters such as \x1f.
        escaped = _autolinks(_multi_line(text)).strip()
    if "\n" not in escaped:  # one line (the usual case): no splitting, no blank lines
        if not escaped:
            return []
        first = escaped[0]
        if first in "-+=" or first.isdecimal():  # what LINE_START can match
            escaped = LINE_START.sub(line_start, escaped)
        return [escaped]
    result: list[str] = []
    for raw in escaped.split("\n"):
        line = raw.strip(" \t")
        if not line:
            if result and result[-1] != "":
                result.append("")
            continue
        line = LINE_START.sub(line_start, line)
        if result and result[-1] != "":
            result[-1] += "\\"  # a hard break after the previous line of the same paragraph
        result.append(line)
    return result


def blockquote(text: str | None) -> list[str]:
    """User text as the lines of a blockquote (``> ``), nested blocks impossible."""
    return ["> " + line if line else ">" for line in lines(text)]


# A URL becomes a link only when it is a plain http(s) address: a scheme, a host,
# nothing invisible. The characters that could end the destination or be read as
# markdown or HTML are percent-encoded; "&" before something entity-like is
# backslash-escaped so that "&amp;" in a URL stays "&amp;".
# The host (and port) may not hold "@": "https://trusted.example@evil.example" goes to evil.example.
URL_OK = re.compile(r"^https?://(?=[^/?#]*[^\W_])[\w.\-\[\]:]+(?:[/?#]\S*)?$", re.IGNORECASE)
# Invisible or direction-changing characters: a URL holding one is refused, not hidden in a link.
URL_BAD = re.compile(r"[\s\u00ad\u2000-\u206f\ufeff]")
URL_ENCODE = str.maketrans({ch: f"%{ord(ch):02X}" for ch in ' "<>\\^`{|}()[]*_'})
_URL_ENCODE_ANY = re.compile("[" + re.escape(' "<>\\^`{|}()[]*_') + "]")
ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Most addresses are plain: a lower-case scheme, a host (and port) of ASCII letters, digits,
# dots and hyphens, then only characters that none of the above refuses or changes. Such an
# address is its own destination, found so with one look instead of four.
_URL_PLAIN = re.compile(r"https?://(?=[^/?#]*[A-Za-z0-9])[A-Za-z0-9.:-]+(?:[/?#][A-Za-z0-9\-.~:/?#@!$'+,;=%]*)?")


def safe_url(url: str | None) -> str | None:
    """``url`` ready for a link destination, or ``None`` when it must not become a link."""
    if not url:
        return None
    if _URL_PLAIN.fullmatch(url):
        return url
    if not URL_OK.match(url) or not url.isprintable() or URL_BAD.search(url):
        return None
    if _URL_ENCODE_ANY.search(url):  # most addresses have nothing to encode
        url = url.translate(URL_ENCODE)
    return ENTITY_LIKE.sub("\\&", url) if "&" in url else url

