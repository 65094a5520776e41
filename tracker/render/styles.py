"""How things look: the styles of change classes and stance levels (their colours made
readable on the screen's background), and the small pieces of text every view is made of
(user text shown literally, a level, a change's marker, a source, a statement).

User text always goes in as ``Text`` made from ``printable()``, never as a markup
string, so "[bold]" in a quote is shown as typed and an escape sequence is shown as ␛
instead of reaching the terminal.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text

from tracker.domain.text import printable

if TYPE_CHECKING:  # the interface's first screen imports this module: only what it runs
    from tracker.domain.changes import Change
    from tracker.domain.models import Level, Position, Source

CLASS_STYLES = {"reversal": "bold red", "shift": "yellow", "unchanged": "dim", "first": "dim"}


def plain(text: str | None, *, one_line: bool = True, limit: int | None = None) -> Text:
    value = printable(text or "", one_line=one_line)
    if limit and cell_len(value) > limit:
        value = set_cell_size(value, limit - 1) + "…"
    return Text(value)


# The background the text is drawn on, when known: the interface sets its theme's,
# so that level colours chosen for a dark screen stay readable on a light one (and
# the reverse). The command line leaves it unset and prints the colours as given.
_background: tuple[int, int, int] | None = None
MIN_CONTRAST = 4.0  # WCAG contrast ratio a level colour is brought up to


def set_background(colour: str | None) -> None:
    global _background
    _background = Color.parse(colour).get_truecolor()[:3] if colour else None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(rgb: tuple[int, int, int], background: tuple[int, int, int]) -> tuple[int, int, int]:
    """``rgb``, mixed towards black on a light background (white on a dark one) just
    enough to reach MIN_CONTRAST; the hue stays recognisable."""
    towards = (0, 0, 0) if _luminance(background) > 0.18 else (255, 255, 255)
    for step in range(21):
        t = step / 20
        red, green, blue = (round(c + (o - c) * t) for c, o in zip(rgb, towards))
        if contrast((red, green, blue), background) >= MIN_CONTRAST:
            return red, green, blue
    return towards


def colour_style(colour: str) -> Style:
    """A level's colour as a style. The colour is data (a scale in an imported file can
    say anything), so only a colour is taken: "link …", "blink" or "[bold]" give no style."""
    return _colour_style(colour, _background)


@lru_cache(maxsize=512)
def _colour_style(colour: str, background: tuple[int, int, int] | None) -> Style:
    try:
        color = Color.parse(colour.strip()) if colour.strip() else None
    except ColorParseError:
        color = None
    if color is None:
        return Style()
    if background is not None:
        color = Color.from_rgb(*readable(color.get_truecolor()[:3], background))
    return Style(color=color)


def level_style(level: Level, *, bold: bool = True) -> Style:
    return colour_style(level.colour) + Style(bold=True) if bold else colour_style(level.colour)


def level_text(level: Level) -> Text:
    return Text(*level_piece(level))


def level_piece(level: Level) -> tuple[str, Style]:
    return printable_line(level.label), level_style(level)


@lru_cache(maxsize=4096)
def printable_line(text: str) -> str:
    """``printable(text, one_line=True)``, kept for names shown again and again (an actor on
    each of a tag's questions)."""
    return printable(text, one_line=True)


def marker_text(change: Change) -> Text:
    # Styles go on spans, never on the Text itself: a Text's own style spans everything appended to it.
    text = Text.assemble((change.marker, CLASS_STYLES.get(change.change_class, "")))
    if change.elapsed:
        # The space on its own: a styled run that starts with a space loses it in an SVG
        # screenshot (Textual writes it as a no-break space, which rsvg drops at the start
        # of a run), and "= unchanged" would read "unchangedafter".
        text.append(" ")
        text.append(f"after {change.elapsed}", style="dim")
    return text


def source_text(source: Source | None) -> Text:
    if source is None:
        return Text("no source", style="dim italic")
    parts = [p for p in (source.outlet, source.title) if p]
    text = plain(", ".join(parts) or source.url or "")
    # Each space in a run of its own: an SVG screenshot drops a space that opens a styled run.
    if source.published:
        text.append(" ").append(f"({source.published.display})", style="dim")
    if source.url and parts:
        text.append(" ").append(printable(source.url, one_line=True), style="dim underline")
    return text


def statement(position: Position, *, limit: int | None = 160) -> Text:
    """The quote if there is one (with its language), else the paraphrase in italics."""
    if position.quote:
        text = plain(f"“{position.quote}”", limit=limit)
        if position.quote_lang:
            text.append(f" ({position.quote_lang})", style="dim")
        return text
    text = plain(position.paraphrase, limit=limit)
    text.stylize("italic")
    return text

