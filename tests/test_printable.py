"""printable(): what every character becomes on a terminal, in both modes, written out here
from the rules (not from the code), for every code point of the Basic Multilingual Plane and
in text around it."""

from __future__ import annotations

import pytest

from tracker.domain.text import printable


def expected(ch: str, one_line: bool) -> str:
    code = ord(ch)
    if one_line and ch in "\n\r\t\u2028\u2029":
        return " "
    if ch in "\n\t":
        return ch
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC shows as ␛)
    if code == 0x7F:
        return "␡"
    if 0x80 <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"<U+{code:04X}>"
    return ch


@pytest.mark.parametrize("one_line", [False, True], ids=["lines", "one line"])
def test_every_character_shows_as_the_rules_say(one_line):
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are no characters of a str SQLite gives back
        ch = chr(code)
        assert printable(f"a{ch}b", one_line=one_line) == f"a{expected(ch, one_line)}b", hex(code)


def test_text_with_nothing_to_replace_comes_back_as_it_is():
    text = "Rien ne doit être exclu — 🇫🇷 [bold]x[/]"
    assert printable(text) is text and printable(text, one_line=True) is text


def test_escape_sequences_and_overrides_are_shown_not_obeyed():
    assert printable("a\x1b[2Jb\x07\u202eevil\r\n", one_line=False) == "a␛[2Jb␇<U+202E>evil␍\n"
    assert printable("a\x1b[2Jb\x07\u202eevil\r\n", one_line=True) == "a␛[2Jb␇<U+202E>evil  "
