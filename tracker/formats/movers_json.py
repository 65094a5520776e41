"""The movers answer as JSON (``tracker movers --json``): the text of
``json_dumps(report.as_dict(), indent=2)``, made with the C encoder.

Python's encoder writes indented JSON in pure Python (``indent`` turns the C one off): a
tag's movers, tens of thousands of small objects, took a sixth of a second there. Here the
C encoder writes each list of flat objects (objects of texts, numbers, true, false and null:
the actors of a question) in one call, and each other container holding no container,
separated by the comma, the newline and the indentation ``indent`` puts between items;
what ``indent`` puts around them is added here. The text is the same, byte for byte
(tests/test_movers_speed.py).
"""

from __future__ import annotations

from itertools import repeat

from tracker.domain.movers import MoversReport
from tracker.domain.text import json_dumps

INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def movers_json(report: MoversReport) -> str:
    """``json_dumps(report.as_dict(), indent=2)``."""
    out: list[str] = []
    _encode(report.as_dict(), 0, out)
    return "".join(out)


def _flat_objects(items: list | tuple) -> bool:
    """Whether ``items`` are all objects of texts, numbers, true, false and null, none of them
    empty: checked without a loop in Python (a tag's movers are tens of thousands)."""
    return (
        set(map(type, items)) == {dict} and all(items)
        and all(map(_SCALARS.issuperset, map(set, map(map, repeat(type), map(dict.values, items)))))
    )  # fmt: skip


def _encode(value: object, depth: int, out: list[str]) -> None:
    """``value`` as ``json_dumps(value, indent=2)`` writes it at ``depth`` (its keys are texts)."""
    is_dict = isinstance(value, dict)
    if not value or not isinstance(value, _CONTAINERS):
        out.append(json_dumps(value))  # a number, a text, true, false, null, {} or []
        return
    items = value.values() if is_dict else value
    inner = "\n" + INDENT * (depth + 1)
    close = "\n" + INDENT * depth + ("}" if is_dict else "]")
    if not any(isinstance(item, _CONTAINERS) for item in items):
        flat = json_dumps(value, separators=("," + inner, ": "))  # "{" or "[", the items, "}" or "]"
        out += (flat[0], inner, flat[1:-1], close)
        return
    if not is_dict and _flat_objects(value):
        # A newline stands only between two items (a text holds it as "\n"), and "},"
        # before one only between two objects (an item never ends with "}").
        deeper = inner + INDENT
        flat = json_dumps(value, separators=("," + deeper, ": "))  # [{"a": 1,<deeper>"b": 2},<deeper>{...}]
        objects = flat[2:-2].replace("}," + deeper + "{", inner + "}," + inner + "{" + deeper)
        out += ("[", inner, "{", deeper, objects, inner, "}", close)
        return
    out += ("{" if is_dict else "[", inner)
    for i, (key, item) in enumerate(value.items() if is_dict else ((None, item) for item in value)):
        if i:
            out.append("," + inner)
        if is_dict:
            out += (json_dumps(key), ": ")
        _encode(item, depth + 1, out)
    out.append(close)
