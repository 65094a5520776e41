"""Rich renderables shared by the command line and the interface.

- ``styles``: the colours of change classes and stance levels, and the small pieces of
  text the views are made of (user text always as ``Text`` made from ``printable()``,
  never as markup: "[bold]" in a quote is shown as typed, an escape sequence as ␛);
- ``wrap``: line-breaking as Rich's ``Text.wrap``, a line at a time;
- ``drawing``: the one-pass drawing machinery (``Drawn``, ``QuickText``, ``QuickTable``);
- ``views``: the tables and views of the command line and the interface;
- ``chart``: the swimlane chart.

``from tracker import render`` then ``render.X`` reaches each public name of them.
"""


from tracker.render.chart import swimlane_chart
from tracker.render.drawing import Cell, Drawn, QuickTable, QuickText
from tracker.render.styles import (
    CLASS_STYLES,
    MIN_CONTRAST,
    colour_style,
    contrast,
    level_piece,
    level_style,
    level_text,
    marker_text,
    plain,
    printable_line,
    readable,
    set_background,
    source_text,
    statement,
)
from tracker.render.views import (
    ARROW,
    HISTORY_LINE,
    MOVERS_ACTOR_MIN_WIDTH,
    MOVERS_COLUMNS,
    MOVERS_GAP,
    diff_view,
    highlighted,
    history_table,
    listing_table,
    movers_table,
    movers_view,
    position_detail,
    positions_table,
    search_table,
    stances_brief,
    timeline_table,
)
from tracker.render.wrap import cells, is_plain, wrap

__all__ = [
    "ARROW", "CLASS_STYLES", "HISTORY_LINE", "MIN_CONTRAST", "MOVERS_ACTOR_MIN_WIDTH", "MOVERS_COLUMNS", "MOVERS_GAP",
    "Cell", "Drawn", "QuickTable", "QuickText", "cells", "colour_style", "contrast", "diff_view",
    "highlighted", "history_table", "is_plain", "level_piece", "level_style", "level_text", "listing_table",
    "marker_text", "movers_table", "movers_view", "plain", "position_detail", "positions_table", "printable_line",
    "readable", "search_table", "set_background", "source_text", "stances_brief", "statement", "swimlane_chart",
    "timeline_table", "wrap",
]  # fmt: skip
