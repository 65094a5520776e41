"""The bundled demo dataset: it imports cleanly, is sourced, and quotes the seed report verbatim."""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store

DEMO = resources.files("tracker.data").joinpath("demo.jsonl")
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_895ec00cc8f7060a.txt"
SEED_SOURCE = "e98dacfd-0d8a-5a7d-b7e0-8640547be93e"


def records() -> list[dict]:
    return [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_imports_cleanly_twice_and_passes_check(tmp_path):
    with Store.open(tmp_path / "demo.db") as store:
        with DEMO.open(encoding="utf-8") as f:
            first = import_records(store, jsonl.read_records(f))
        assert first.counts[("position", "created")] == sum(r["type"] == "position" for r in records())
        with DEMO.open(encoding="utf-8") as f:
            second = import_records(store, jsonl.read_records(f))
        assert not any(outcome != "unchanged" for (_, outcome), n in second.counts.items() if n)
        assert store.check() == []
        # The seed's case: Macron does not exclude ground troops on 26 Feb 2024.
        macron = store.resolve_actor("macron")
        first_move = store.positions(actor_id=macron.id, question_id=store.resolve_question("ground-troops").id)[0]
        assert (first_move.date.display, first_move.level.key) == ("26 Feb 2024", "not-excluded")


def test_round_trip_is_byte_identical(tmp_path):
    outputs = []
    for name in ("a.db", "b.db"):
        with Store.open(tmp_path / name) as store:
            source = outputs[-1] if outputs else DEMO.read_text(encoding="utf-8")
            import_records(store, jsonl.read_records(io.StringIO(source)))
            out = io.StringIO()
            jsonl.write(store.conn, out)
            outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_every_position_names_a_real_source():
    sources = {r["uid"]: r for r in records() if r["type"] == "source"}
    for r in records():
        if r["type"] != "position":
            continue
        source = sources[r["source"]]
        assert source["title"] and source["outlet"] and source["published"], r
        assert r["quote"] or r["paraphrase"], r
        if not r["quote"]:
            assert r["confidence"] in ("reported", "inferred"), r
    for s in sources.values():
        assert s["url"] is None or re.match(r"^https?://", s["url"])


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the checkout")
def test_quotes_from_the_seed_are_verbatim():
    seed = SEED.read_text(encoding="utf-8")
    quoted = [r for r in records() if r["type"] == "position" and r["source"] == SEED_SOURCE and r["quote"]]
    assert quoted, "the seed report backs at least one quoted position"
    for r in quoted:
        assert r["quote"] in seed, r["quote"]


# --- The story the data must keep (issue 14). Each fact below is sourced in db/SOURCES.md. ---

RANK = {"ruled-out": 0, "reluctant": 1, "not-excluded": 2, "open": 3, "committed": 4, "implemented": 5}
WEAPONS = ("tanks", "fighter-jets", "long-range-missiles")


def positions(question: str | None = None, actor: str | None = None) -> list[dict]:
    return sorted(
        (r for r in records() if r["type"] == "position"
         and (question is None or r["question"] == question) and (actor is None or r["actor"] == actor)),
        key=lambda r: r["date"],
    )


def first_reach(question: str, level: str) -> list[dict]:
    """The position(s) with the earliest date at `level` or above (dates compared as ISO text, day precision here)."""
    reached = [r for r in positions(question) if RANK[r["stance"]] >= RANK[level]]
    earliest = min(r["date"].rstrip("~") for r in reached)
    return [r for r in reached if r["date"].rstrip("~") == earliest]


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the checkout")
def test_every_seed_quote_is_verbatim_also_in_notes():
    """Quotes in the notes of seed-backed positions (between double quotes) are verbatim from the seed too."""
    seed = SEED.read_text(encoding="utf-8")
    backed = [r for r in records() if r["type"] == "position" and r["source"] == SEED_SOURCE]
    assert len(backed) >= 3
    for r in backed:
        for quoted in re.findall(r'"([^"]+)"', r["notes"]):
            assert quoted in seed, quoted


def test_seed_source_is_franceinfo_with_its_url():
    seed = next(r for r in records() if r["type"] == "source" and r["uid"] == SEED_SOURCE)
    assert seed["outlet"] == "franceinfo"
    assert seed["published"] == "2024-02-26" and seed["language"] == "fr"
    assert seed["url"].startswith("https://www.francetvinfo.fr/")


def test_every_source_has_a_url():
    without_url: set[str] = set()  # none left: every source in the demo data has a real, found address
    missing = {r["uid"] for r in records() if r["type"] == "source" and not r["url"]}
    assert missing == without_url


def test_every_source_is_cited_by_a_position():
    cited = {r["source"] for r in records() if r["type"] == "position"}
    assert {r["uid"] for r in records() if r["type"] == "source"} <= cited


def test_every_person_speaks_for_a_government():
    actors = {r["slug"]: r for r in records() if r["type"] == "actor"}
    persons = [a for a in actors.values() if a["kind"] == "person"]
    assert {a["slug"] for a in persons} >= {"macron", "scholz", "rutte"}
    for a in persons:
        assert a["parent"] in actors and actors[a["parent"]]["kind"] == "government", a["slug"]


def test_weapons_positions_are_taken_by_governments():
    kinds = {r["slug"]: r["kind"] for r in records() if r["type"] == "actor"}
    for q in WEAPONS:
        for r in positions(q):
            assert kinds[r["actor"]] == "government", r


def test_every_weapons_question_states_its_scope():
    questions = {r["slug"]: r for r in records() if r["type"] == "question"}
    for q in WEAPONS:
        description = questions[q]["description"]
        assert "Scope:" in description and "Not in scope:" in description, q
    assert "Western-made main battle tanks only" in questions["tanks"]["description"]
    assert "MiG-29" in questions["fighter-jets"]["description"]


def test_tanks_stay_in_scope():
    """Western-made main battle tanks only: no T-72s, no AMX-10 RC as a delivery."""
    for r in positions("tanks"):
        assert not {"t-72", "amx-10"} & set(r["tags"]), r
        assert "T-72" not in r["paraphrase"], r


def test_us_never_committed_fighter_jets():
    """The US authorised others' F-16 transfers (17 Aug 2023) but never committed or delivered jets of its own."""
    us = positions("fighter-jets", "united-states")
    assert us and all(RANK[r["stance"]] < RANK["committed"] for r in us)
    authorised = next(r for r in us if r["date"] == "2023-08-17")
    assert authorised["stance"] == "open"
    # the original 'never planes': the Pentagon on Poland's MiG-29 offer, 8 Mar 2022
    assert any(r["date"] == "2022-03-08" and r["stance"] in ("ruled-out", "reluctant") for r in us)
    assert all(r["actor"] != "united-states" for r in first_reach("fighter-jets", "committed"))


def test_first_long_range_missiles_delivered_are_the_uks_storm_shadows():
    [first] = first_reach("long-range-missiles", "implemented")
    assert (first["actor"], first["date"][:7]) == ("united-kingdom", "2023-05")
    assert "storm-shadow" in first["tags"]
    france = [r for r in positions("long-range-missiles", "france") if r["stance"] == "implemented"]
    assert france and france[0]["date"] == "2023-07-11"
    # the UK promised at Munich to be first with longer-range weapons
    assert any(r["date"] == "2023-02-18" and r["stance"] == "committed" for r in positions("long-range-missiles", "united-kingdom"))


def test_first_f16_deliveries_are_dated_to_the_first_batches():
    for actor in ("denmark", "netherlands"):
        delivered = [r for r in positions("fighter-jets", actor) if r["stance"] == "implemented"]
        assert len(delivered) == 1, actor
        assert delivered[0]["date"][:7] in ("2024-07", "2024-08"), delivered[0]


def test_poland_tank_pledge_was_conditional_until_germany_consented():
    poland = positions("tanks", "poland")
    assert [(r["date"], r["stance"]) for r in poland] == [
        ("2023-01-11", "open"), ("2023-01-25", "committed"), ("2023-02-24", "implemented")]
    uk = next(r for r in positions("tanks", "united-kingdom") if r["stance"] == "committed")
    assert uk["date"] == "2023-01-14" and "first Western main battle tank pledge" in uk["notes"]
    [first] = first_reach("tanks", "committed")
    assert first["actor"] == "united-kingdom"


def test_germany_said_not_now_rather_than_never():
    """'Not about jets' (25 Jan 2023) and Taurus 'at this time' (26 Feb 2024) are reluctance, not refusals."""
    germany = {(r["question"], r["date"]): r["stance"] for r in positions(actor="germany")}
    assert germany[("fighter-jets", "2023-01-25")] == "reluctant"
    assert germany[("long-range-missiles", "2024-02-26")] == "reluctant"


def test_macron_left_leclercs_open():
    france = positions("tanks", "france")
    assert [(r["date"], r["stance"]) for r in france] == [("2023-01-22", "not-excluded")]
    assert "Rien n'est exclu" in france[0]["quote"]


def test_mig29_deliveries_are_in_scope():
    [first] = first_reach("fighter-jets", "implemented")
    assert (first["actor"], first["date"]) == ("slovakia", "2023-03-23")
    assert any(r["stance"] == "implemented" for r in positions("fighter-jets", "poland"))
