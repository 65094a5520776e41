"""Helpers written once in the domain and used by every face: the characters that never reach
a terminal as they are, folding, quoting a value in a message, and the collector pause."""

from __future__ import annotations

import gc
import re

import pytest

from tracker.domain import dates, validation
from tracker.domain.text import BIDI_CONTROLS, HIDDEN, QUOTE_LIMIT, fold, printable, quoted
from tracker.errors import DateError, TrackerError
from tracker.formats.markdown.escape import inline
from tracker.gc_pause import no_cycle_collection
from tracker.tui.forms.display import STAND_INS, visible
from tracker.tui.screens.search import SearchScreen

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_the_bidi_controls_are_the_embeddings_overrides_and_isolates():
    assert BIDI_CONTROLS == set(map(ord, BIDI))
    assert BIDI_CONTROLS < HIDDEN


@pytest.mark.parametrize("code", sorted(HIDDEN))
def test_every_hidden_character_is_hidden_by_every_face(code):
    ch = chr(code)
    assert ch not in printable(f"a{ch}b", one_line=True)  # command line, lists
    assert ch not in inline(f"a{ch}b")  # markdown
    assert ch not in visible(f"a{ch}b")  # a form's input
    if ch != "\n":
        assert ch in STAND_INS  # a form's text area


def test_the_search_box_refuses_what_is_hidden_and_takes_the_rest():
    [query] = [w for w in SearchScreen().compose() if getattr(w, "id", None) == "query"]
    allowed = re.compile(query.restrict)
    for code in HIDDEN:
        assert allowed.fullmatch(f"a{chr(code)}b") is None, hex(code)
    assert allowed.fullmatch("Élysée [bold] “x” ‎")


def test_one_fold_for_names_and_month_words():
    assert fold("Élysée") == fold("elysee") == "elysee"
    assert dates.parse_date("26 FÉVR. 2024").edtf == "2024-02-26"  # months folded as names are


def test_one_quoting_for_every_message():
    long = "x" * 5000
    with pytest.raises(DateError) as date_error:
        dates.parse_date(long)
    with pytest.raises(TrackerError) as slug_error:
        validation.check_slug(long + "!")
    shown = quoted(long)
    assert len(shown) == QUOTE_LIMIT + 2 and shown.endswith("…'")
    assert shown in str(date_error.value) and shown in str(slug_error.value)
    assert quoted("a\x1bb") == "'a\\x1bb'"  # never a raw escape in a message


def test_the_collector_is_paused_and_comes_back_as_it_was():
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
