"""Data text on the forms drawn safely: one visible character for each character.

Everything the user typed or the data holds is drawn as plain text, never read as
markup, and a control character, a line separator or a bidi override never reaches
the terminal as it is: :func:`visible` gives a one-line input's text with a symbol for
each, :data:`STAND_INS` the symbols a multi-line text area holds in their place, and
:func:`one_line` cuts data text to one line of a note or a dropdown.
"""

from __future__ import annotations

from tracker.domain.text import BIDI_CONTROLS, printable

_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x0A: "↵", 0x7F: "␡"}


def visible(text: str) -> str:
    """``text`` with one visible character for each character: control characters as
    their symbols (ESC as ␛, a newline as ↵), C1 controls and bidi overrides as �.
    The same length as ``text``, so the cursor of an input stays where it belongs."""
    out = []
    for ch in text:
        code = ord(ch)
        if code in _PICTURES:
            out.append(_PICTURES[code])
        elif 0x80 <= code <= 0x9F or code in BIDI_CONTROLS:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str, limit: int = 0) -> str:
    """Data text for a single line of the screen, cut to ``limit`` characters when given."""
    shown = printable(text, one_line=True)
    if limit and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


# Characters a text area would draw as they are (a control character goes to the terminal
# raw) or read as a line break: each gets a visible stand-in, one character for one, so the
# cursor stays where it belongs. Control characters get their picture (ESC as ␛, a tab as ␉),
# C1 controls, line separators and bidi overrides a letter in a circle.
STAND_INS = (
    {chr(i): chr(0x2400 + i) for i in range(0x20) if i != 0x0A}
    | {"\x7f": "␡"}
    | {chr(0x80 + i): chr(0x2460 + i) for i in range(0x20)}
    | {ch: chr(0x24B6 + i) for i, ch in enumerate("\u2028\u2029" + "".join(map(chr, sorted(BIDI_CONTROLS))))}
)

