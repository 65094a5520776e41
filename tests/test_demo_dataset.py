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
