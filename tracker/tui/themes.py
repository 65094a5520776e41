"""A dark and a light theme. Stance colours come from the data; ``render`` brings
them up to a readable contrast against the theme's background."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="tracker-dark",
    primary="#5DADE2",
    secondary="#48C9B0",
    accent="#F5B041",
    foreground="#E5E8E8",
    background="#111418",
    surface="#1A1F24",
    panel="#232A31",
    success="#58D68D",
    warning="#F5B041",
    error="#EC7063",
    dark=True,
)

LIGHT = Theme(
    name="tracker-light",
    primary="#1F618D",
    secondary="#117864",
    accent="#B9770E",
    foreground="#1B2631",
    background="#FBFCFC",
    surface="#F2F4F4",
    panel="#E5E8E8",
    success="#1E8449",
    warning="#B9770E",
    error="#B03A2E",
    dark=False,
)

THEMES = (DARK, LIGHT)

