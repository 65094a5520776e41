"""A dark and a light theme. Stance colours come from the data; ``render`` brings
them up to a readable contrast against the theme's background."""

from __future__ import annotations

from textual.theme import Theme

# Each colour of the two themes side by side: (dark, light).
_COLOURS = {
    "primary": ("#5DADE2", "#1F618D"),
    "secondary": ("#48C9B0", "#117864"),
    "accent": ("#F5B041", "#B9770E"),
    "foreground": ("#E5E8E8", "#1B2631"),
    "background": ("#111418", "#FBFCFC"),
    "surface": ("#1A1F24", "#F2F4F4"),
    "panel": ("#232A31", "#E5E8E8"),
    "success": ("#58D68D", "#1E8449"),
    "warning": ("#F5B041", "#B9770E"),
    "error": ("#EC7063", "#B03A2E"),
}

DARK, LIGHT = (
    Theme(name=f"tracker-{name}", dark=name == "dark", **{key: pair[i] for key, pair in _COLOURS.items()})
    for i, name in enumerate(("dark", "light"))
)

THEMES = (DARK, LIGHT)

