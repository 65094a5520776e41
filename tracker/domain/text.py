"""Text helpers written once for every layer: folding names the way people type them,
the characters that must never reach a terminal as they are (:data:`BIDI_CONTROLS`,
:data:`HIDDEN`), :func:`printable`, :func:`quoted` for messages, and JSON that is safe to show."""

from __future__ import annotations

import json
import re
import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Élysée" and "elysee" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def is_utf8(text: str) -> bool:
    """False when ``text`` holds lone surrogates: what undecodable bytes become in a
    command-line argument or a file read with ``surrogateescape``, or a "\\udcff"
    escape in JSON. SQLite cannot store them."""
    if text.isascii():  # the common case, checked in C without building bytes
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Explicit embeddings, overrides and isolates can reorder the rest of a terminal line.
BIDI_CONTROLS = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A)})
# Everything drawn as something else on a terminal: the C0 controls, DEL, the C1 controls
# and the bidi controls.
HIDDEN = frozenset({*range(0x20), 0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS})

_CONTROL_PICTURES = {i: 0x2400 + i for i in range(0x20)} | {0x7F: 0x2421}


def _shown_as(code: int, *, one_line: bool) -> str | None:
    """What ``printable`` puts for the character ``code`` (None: the character itself)."""
    if one_line and chr(code) in "\n\r\t\u2028\u2029":
        return " "
    if chr(code) in "\n\t":
        return None
    if code in _CONTROL_PICTURES:
        return chr(_CONTROL_PICTURES[code])
    if 0x80 <= code <= 0x9F or code in BIDI_CONTROLS:
        return f"<U+{code:04X}>"
    return None


# What each character to replace becomes, found by one regular expression (in C) where a loop
# in Python took a character at a time (0.1 ms a quote: 16 ms of a question view's first frame).
_SHOWN = {one_line: {code: shown for code in (*HIDDEN, 0x2028, 0x2029) if (shown := _shown_as(code, one_line=one_line)) is not None}
          for one_line in (False, True)}  # fmt: skip
_TO_SHOW = {one_line: re.compile("[" + re.escape("".join(map(chr, table))) + "]") for one_line, table in _SHOWN.items()}


def printable(text: str, *, one_line: bool = False) -> str:
    """Text safe to put on a terminal: control characters (escape sequences
    included) become their visible symbols (ESC -> ␛), so data can never move
    the cursor or change colours. Newlines and tabs are kept unless ``one_line``,
    which turns them, and the line and paragraph separators U+2028 and U+2029
    (some terminals and viewers break lines at them), into spaces. C1 controls
    and bidi overrides are shown as code points for the same reason."""
    table = _SHOWN[one_line]
    return _TO_SHOW[one_line].sub(lambda found: table[ord(found.group())], text)


QUOTE_LIMIT = 80


def quoted(value: object) -> str:
    """A value a user gave, quoted for a one-line message as Python writes a string (what
    is not printable escaped: ``'a\\x1bb'``), cut to ``QUOTE_LIMIT`` characters: a
    5,000-character field must not make a 5,000-character message."""
    text = str(value)
    return repr(text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…")


# What JSON output writes as \u escapes although json.dumps(ensure_ascii=False) leaves it
# as is: DEL and the C1 controls, the bidi marks, embeddings, overrides and isolates, and
# the line and paragraph separators. json.dumps escapes the other C0 controls itself.
# None of them can appear outside a string in JSON text, so replacing them there is safe.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029" + "".join(map(chr, sorted(BIDI_CONTROLS))) + "]")


def json_dumps(value, **kwargs) -> str:
    """``json.dumps(value, ensure_ascii=False, ...)`` with every control, bidi control and
    U+2028/U+2029 written as a ``\\uXXXX`` escape, so that the text can reach a terminal or a
    JavaScript parser unharmed; json reads it back to the same value."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    if text.isascii():  # the common case, checked in C
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


class TerminalText:
    """A text stream for a terminal: what is written goes through ``printable`` (newlines
    and tabs kept, a CRLF line end shown as a newline), so exported data can never move
    the cursor, clear the screen or retitle the window."""

    def __init__(self, out):
        self._out = out
        self._cr = False  # a "\r" held back: the next write may start with its "\n"

    def write(self, text: str) -> int:
        size = len(text)
        if self._cr:
            text = "\r" + text
            self._cr = False
        if text.endswith("\r"):
            text, self._cr = text[:-1], True
        self._out.write(printable(text.replace("\r\n", "\n")))
        return size

    def flush(self) -> None:
        if self._cr:
            self._out.write(printable("\r"))
            self._cr = False
        self._out.flush()
