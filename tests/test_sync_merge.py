"""The merge of a dataset file by uid and field (tracker/sync/merge.py), without git."""

from __future__ import annotations

import pytest

from tracker.sync.layout import LayoutError, line
from tracker.sync.merge import merge


def pos(uid: str, date: str = "2024-01-01", at: str = "2024-01-01T00:00:00Z", **fields) -> dict:
    return {
        "type": "position", "uid": uid, "actor": "macron", "question": "q", "stance": "open", "date": date,
        "quote": "", "quote_lang": "", "paraphrase": "", "context": "", "source": None, "confidence": "confirmed",
        "notes": "", "tags": [], "updated_at": at,
    } | fields  # fmt: skip


def text(*records: dict) -> str:
    return "".join(line(r) for r in records)


U1, U2, U3 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"


def test_records_added_on_each_side_are_all_kept_sorted_by_date_then_uid():
    base = text(pos(U2, "2024-05-01"))
    ours = text(pos(U2, "2024-05-01"), pos(U3, "2023-01-01"))
    theirs = text(pos(U1, "2024-05-01"), pos(U2, "2024-05-01"))
    merged, conflicts = merge(base, ours, theirs)
    assert merged == text(pos(U3, "2023-01-01"), pos(U1, "2024-05-01"), pos(U2, "2024-05-01"))
    assert conflicts == []


def test_a_change_on_one_side_is_taken():
    base = text(pos(U1))
    theirs = text(pos(U1, quote="new", at="2024-02-01T00:00:00Z"))
    assert merge(base, base, theirs) == (theirs, [])
    assert merge(base, theirs, base) == (theirs, [])


def test_different_fields_changed_on_each_side_are_both_taken():
    base = text(pos(U1))
    ours = text(pos(U1, quote="mine", at="2024-02-01T00:00:00Z"))
    theirs = text(pos(U1, notes="theirs", at="2024-03-01T00:00:00Z"))
    merged, conflicts = merge(base, ours, theirs)
    assert merged == text(pos(U1, quote="mine", notes="theirs", at="2024-03-01T00:00:00Z"))
    assert conflicts == []


def test_the_same_field_changed_on_both_sides_takes_the_later_change():
    base = text(pos(U1))
    ours = text(pos(U1, quote="earlier", at="2024-02-01T00:00:00Z"))
    theirs = text(pos(U1, quote="later", at="2024-03-01T00:00:00Z"))
    for a, b in ((ours, theirs), (theirs, ours)):  # whichever side merges
        merged, conflicts = merge(base, a, b, name="tracker-data/positions/q.jsonl")
        assert merged == text(pos(U1, quote="later", at="2024-03-01T00:00:00Z"))
        [c] = conflicts
        assert (c["kind"], c["uid"], c["field"], c["kept"], c["set_aside"]) == ("both-edited", U1, "quote", "later", "earlier")
        assert (c["kept_at"], c["set_aside_at"]) == ("2024-03-01T00:00:00Z", "2024-02-01T00:00:00Z")


def test_a_tie_in_time_is_decided_alike_on_every_machine():
    base = text(pos(U1))
    ours, theirs = text(pos(U1, quote="aaa")), text(pos(U1, quote="bbb"))
    assert merge(base, ours, theirs)[0] == merge(base, theirs, ours)[0] == text(pos(U1, quote="bbb"))


def test_the_same_uid_added_on_both_sides_merges_with_an_empty_base():
    ours = text(pos(U1, quote="one", at="2024-02-01T00:00:00Z"))
    theirs = text(pos(U1, quote="two", notes="n", at="2024-01-01T00:00:00Z"))
    merged, conflicts = merge("", ours, theirs)
    assert merged == text(pos(U1, quote="one", at="2024-02-01T00:00:00Z"))  # the later side, field by field
    assert {c["field"] for c in conflicts} == {"quote", "notes"}


def test_a_deletion_of_an_unchanged_record_is_taken():
    base = text(pos(U1), pos(U2))
    assert merge(base, text(pos(U2)), base) == (text(pos(U2)), [])
    assert merge(base, base, text(pos(U2))) == (text(pos(U2)), [])


def test_a_deletion_against_an_edit_keeps_the_edit_and_says_so():
    base = text(pos(U1))
    edited = text(pos(U1, notes="still", at="2024-02-01T00:00:00Z"))
    for ours, theirs in (("", edited), (edited, "")):
        merged, conflicts = merge(base, ours, theirs)
        assert merged == edited
        assert [(c["kind"], c["uid"]) for c in conflicts] == [("deleted-vs-edited", U1)]


def test_tombstones_are_merged_by_uid_keeping_the_first_time():
    def tomb(uid, at):
        return {"type": "deleted", "uid": uid, "kind": "position", "at": at}

    ours = text(tomb(U1, "2024-01-02T00:00:00Z"), tomb(U2, "2024-01-01T00:00:00Z"))
    theirs = text(tomb(U1, "2024-01-01T00:00:00Z"), tomb(U3, "2024-01-01T00:00:00Z"))
    merged, conflicts = merge("", ours, theirs)
    assert merged == text(tomb(U1, "2024-01-01T00:00:00Z"), tomb(U2, "2024-01-01T00:00:00Z"), tomb(U3, "2024-01-01T00:00:00Z"))
    assert conflicts == []


def test_the_merge_never_writes_conflict_markers():
    base = text(pos(U1), pos(U2))
    ours = text(pos(U1, quote="x\n<<<<<<< a"), pos(U2))
    theirs = text(pos(U1, quote="y"), pos(U3))
    merged, _ = merge(base, ours, theirs)
    assert not any(t.startswith(("<<<<<<<", "=======", ">>>>>>>")) for t in merged.splitlines())


@pytest.mark.parametrize("bad", ["<<<<<<< HEAD\n", "[1, 2]\n", '{"type": "nope", "uid": "x"}\n', '{"type": "position"}\n'])
def test_a_side_that_is_not_a_dataset_file_is_refused_with_its_line(bad):
    with pytest.raises(LayoutError, match=r"positions/q.jsonl \(theirs\) line 2"):
        merge(text(pos(U1)), text(pos(U1)), text(pos(U1)) + bad, name="positions/q.jsonl")
