"""Text helpers for matching names the way people type them."""

from __future__ import annotations

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


_CONTROL_PICTURES = {i: 0x2400 + i for i in range(0x20)} | {0x7F: 0x2421}


def printable(text: str, *, one_line: bool = False) -> str:
    """Text safe to put on a terminal: control characters (escape sequences
    included) become their visible symbols (ESC -> ␛), so data can never move
    the cursor or change colours. Newlines and tabs are kept unless ``one_line``,
    which turns them, and the line and paragraph separators U+2028 and U+2029
    (some terminals and viewers break lines at them), into spaces. C1 controls
    and bidi overrides are shown as code points for the same reason."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t" and not one_line:
            out.append(ch)
        elif ch in "\n\r\t\u2028\u2029" and one_line:
            out.append(" ")
        elif code in _CONTROL_PICTURES:
            out.append(chr(_CONTROL_PICTURES[code]))
        elif 0x80 <= code <= 0x9F or code in _BIDI_CONTROLS:
            out.append(f"<U+{code:04X}>")
        else:
            out.append(ch)
    return "".join(out)


# Explicit embeddings and overrides can reorder the rest of a terminal line.
_BIDI_CONTROLS = frozenset({0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})
