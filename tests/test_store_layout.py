"""The store's modules show its design (issue 21): each says what it is for, none grows past
about 450 lines without saying why, and things are found from the file names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import tracker.store

STORE = Path(tracker.store.__file__).parent
MODULES = sorted(STORE.glob("*.py"))
MOST_LINES = 450
# A long module says why at the top: "Longer than 450 lines because ..." and a real reason.
REASON = re.compile(r"Longer than 450 lines because\s+(.{60,})", re.S)


def docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_store_module_says_what_it_is_for(path):
    assert len(docstring(path).split()) >= 5, f"{path.name} has no docstring saying what it is for"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_store_module_is_over_450_lines_without_a_reason(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES or REASON.search(docstring(path)), (
        f"{path.name} has {lines} lines: split it along its concerns, or say at its top"
        " 'Longer than 450 lines because ...'"
    )


def test_one_statements_function():
    """Two ``statements`` with different signatures read alike; the one that builds records
    from rows already read says so."""
    defined = [
        (path.name, node.name)
        for path in MODULES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "statements"
    ]
    assert defined == [("reads.py", "statements")]


def test_names_are_looked_up_in_one_module():
    """One resolver serves every face: the folding of names for a look-up lives in lookup.py."""
    folding = [path.name for path in MODULES if re.search(r"\bfold\(", path.read_text(encoding="utf-8"))]
    assert folding == ["lookup.py"]


def test_the_facade_hands_each_concern_to_its_module():
    from tracker.store import Store, backup, exports, lookup, revisions, search, spool

    assert Store.resolve_actor.__doc__ and "lookup" in Store.resolve_actor.__doc__
    for module, name in ((backup, "backup"), (exports, "export_rows"), (lookup, "resolve"), (revisions, "labels"),
                         (search, "search"), (spool, "Spool")):  # fmt: skip
        assert hasattr(module, name), (module.__name__, name)
