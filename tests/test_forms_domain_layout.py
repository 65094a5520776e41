"""The forms' and the domain's modules show their design (issue 21): each says what it is
for, none hides several concerns in one long file, a word means one thing, and there is one
fuzzy matcher for the forms, with the reason it is not Textual's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from textual.fuzzy import FuzzySearch

from tracker.tui.forms.matching import Candidate, best_matches

TRACKER = Path(__file__).resolve().parents[1] / "tracker"
DOMAIN = ("dates.py", "durations.py", "quotes.py", "quotations.py")  # the domain modules split here
MODULES = sorted((TRACKER / "tui" / "forms").glob("*.py")) + [TRACKER / "domain" / name for name in DOMAIN]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_module_says_what_it_is_for_and_stays_short(path):
    text = path.read_text(encoding="utf-8")
    if path.name != "__init__.py" or text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no docstring"
    assert len(text.splitlines()) <= 450, f"{path.name}: {len(text.splitlines())} lines"


def test_check_means_one_thing_in_the_forms():
    """A check is a function from a field's text to a Verdict; the validation rules are
    ``validation`` (no module imported as ``check``, no class named ``Check``)."""
    for path in (TRACKER / "tui" / "forms").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"import validation as check\b", text), path.name
        assert not re.search(r"\bclass Check\b|\bCheck\(", text), path.name


def test_the_forms_use_one_fuzzy_matcher():
    for path in (TRACKER / "tui" / "forms").glob("*.py"):
        assert not re.search(r"^(from|import) textual\.fuzzy", path.read_text(encoding="utf-8"), re.M), path.name
    doc = (TRACKER / "tui" / "forms" / "matching.py").read_text(encoding="utf-8").split('"""')[1]
    assert "textual.fuzzy" in doc  # the reason ours exists is written at its top


def test_the_forms_matcher_folds_accents_where_textuals_does_not():
    """The reason written at the top of matching.py: "lopez" finds "José López"."""
    lopez = Candidate.make("lopez", "José López", names=("jose-lopez",))
    assert [m.candidate.record for m in best_matches("lopez", [lopez])] == ["lopez"]
    assert [m.candidate.record for m in best_matches("ETAT", [Candidate.make("fr", "L’État français")])] == ["fr"]
    assert FuzzySearch().match("lopez", "José López")[0] == 0  # Textual's finds nothing
