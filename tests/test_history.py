"""The revision history in words: what changed (old → new, with labels, dates and
outlets), when (local time), what made it (interface, command line, import, unknown),
and undos shown as undos; the schema-2 migration that records the origin."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
from datetime import timedelta, timezone

import pytest
from click.testing import CliRunner
from rich.console import Console
from fixture_helpers import fixture_files, unpack
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    MARKUP,
    TODO,
    async_test,
    content_text,
    demo_db,
    press,
    running,
    settle,
)

from tracker import render
from tracker.cli import cli
from tracker.domain.history import (
    HistoryEntry,
    HistoryLabels,
    describe,
    describe_all,
    field_changes,
    local_time,
    text_change,
)
from tracker.errors import TrackerError
from tracker.store import LATEST_VERSION, Store
from tracker.store.undo import Run
from tracker.tui.pool import StorePool
from tracker.tui.screens.position import PositionScreen

PARIS_WINTER = timezone(timedelta(hours=1))  # what Europe/Paris is on 6 December
LABELS = HistoryLabels(
    levels={1: "Ruled out", 2: "Reluctant", 3: "Not excluded"},
    sources={7: "Le Monde", 8: "franceinfo"},
    actors={4: "Emmanuel Macron", 5: "France"},
    questions={9: "Western ground troops in Ukraine"},
)


def row(**values) -> dict:
    """A position row as the revision log stores it (JSON values), with the bookkeeping."""
    base = {
        "id": 12, "uid": "u-12", "actor_id": 4, "question_id": 9, "level_id": 2, "date": "2024-02",
        "date_start": "2024-02-01", "date_end": "2024-02-29", "precision": "month", "quote": "pas à l'ordre du jour",
        "quote_lang": "fr", "paraphrase": "", "context": "", "source_id": 7, "confidence": "confirmed", "notes": "",
        "tags": "[]", "created_at": "2026-12-06T18:00:00Z", "updated_at": "2026-12-06T18:00:00Z",
    }  # fmt: skip
    return base | values


def revision(id: int, action: str, before: dict | None, after: dict | None, *, at: str, reverts=None, origin=None) -> dict:
    return {
        "id": id, "at": at, "action": action, "reverts": reverts, "origin": origin,
        "before": None if before is None else json.dumps(before), "after": None if after is None else json.dumps(after),
    }  # fmt: skip


# ---------------------------------------------------------------------- the wording, on plain data


def test_each_changed_field_in_words_old_then_new():
    before = row()
    after = row(level_id=1, date="2024-02-26", date_start="2024-02-26", date_end="2024-02-26", precision="day",
                source_id=8, updated_at="2026-12-06T18:11:40Z")  # fmt: skip
    assert field_changes(before, after, LABELS) == [
        "stance: Reluctant → Ruled out",
        "date: Feb 2024 → 26 Feb 2024",
        "source: Le Monde → franceinfo",
    ]


def test_unchanged_rows_and_bookkeeping_say_nothing():
    assert field_changes(row(), row(), LABELS) == []
    assert field_changes(row(), row(updated_at="2027-01-01T00:00:00Z", created_at="x"), LABELS) == []


def test_short_texts_are_shown_whole_and_empty_ones_as_none():
    changes = field_changes(row(notes="", quote="jamais"), row(notes="checked against the video", quote="rien ne doit être exclu"), LABELS)
    assert changes == ["quote: “jamais” → “rien ne doit être exclu”", "notes: none → “checked against the video”"]
    assert field_changes(row(paraphrase="Troops ruled out"), row(paraphrase=""), LABELS) == ["paraphrase: “Troops ruled out” → none"]


def test_a_long_quote_shows_the_words_that_changed_with_a_few_either_side():
    old = "Il n'y a pas de consensus aujourd'hui pour envoyer de manière officielle des troupes au sol. Mais en dynamique, rien ne doit être exclu."
    new = old.replace("de manière officielle", "de manière officielle et assumée")
    assert field_changes(row(quote=old), row(quote=new), LABELS) == [
        "quote: “…de manière officielle des troupes au…” → “…de manière officielle et assumée des troupes au…”"
    ]
    # Cut short, however long the texts: never the whole of a 5,000-character quote.
    long_old, long_new = "mot " * 1000 + "fin", "mot " * 1000 + "début " + "mot " * 500
    a, b = text_change(long_old, long_new)
    assert len(a) <= 62 and len(b) <= 62 and "début" in b and a.startswith("“…")


def test_texts_that_differ_only_in_spacing_say_changed():
    assert field_changes(row(notes="a  b"), row(notes="a b"), LABELS) == ["notes: changed"]


def test_other_fields_by_their_names_and_labels():
    changes = field_changes(
        row(), row(actor_id=5, quote_lang="en", confidence="reported", tags='["seed", "élysée"]'), LABELS
    )
    assert changes == ["actor: Emmanuel Macron → France", "quote language: fr → en", "confidence: confirmed → reported",
                       "tags: none → seed, élysée"]  # fmt: skip


def test_an_id_whose_row_is_gone_is_shown_by_its_number_and_none_as_none():
    assert field_changes(row(), row(level_id=99, source_id=None), LABELS) == ["stance: Reluctant → level #99", "source: Le Monde → none"]


def test_values_another_program_wrote_are_shown_as_they_are():
    """A date the parser refuses, tags that are not a list, an interval changed without
    its date: shown, never a crash."""
    odd = row(date="someday", tags='{"a": 1}', date_end="2024-03-31")
    assert field_changes(row(), odd, LABELS) == ["date: Feb 2024 → someday", "tags: none → {\"a\": 1}"]
    assert field_changes(row(), row(date_end="2024-03-31"), LABELS) == ["date_end: 2024-02-29 → 2024-03-31"]


def test_times_in_local_time_in_words():
    assert local_time("2026-12-06T18:11:40Z", tz=PARIS_WINTER) == "6 Dec 2026 19:11"
    assert local_time("2026-12-06T18:11:40Z", tz=timezone.utc) == "6 Dec 2026 18:11"
    assert local_time("2026-12-31T23:30:00Z", tz=PARIS_WINTER) == "1 Jan 2027 00:30"  # the local day, not UTC's
    assert local_time("2026-12-06T18:11:40Z", tz=PARIS_WINTER, year=False) == "6 Dec 19:11"
    assert local_time("not a time", tz=PARIS_WINTER) == "not a time"


def test_the_local_time_zone_is_the_machines(monkeypatch):
    old = os.environ.get("TZ")
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert local_time("2026-12-06T18:11:40Z") == "6 Dec 2026 19:11"
        assert local_time("2026-07-06T18:11:40Z") == "6 Jul 2026 20:11"  # summer time
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") == old


def history_of_an_edit_undone() -> list[dict]:
    created = row()
    edited = row(level_id=1, updated_at="2026-12-06T18:11:40Z")
    return [
        revision(1, "insert", None, created, at="2026-12-06T18:00:00Z", origin="command line"),
        revision(2, "update", created, edited, at="2026-12-06T18:11:40Z", origin="interface"),
        revision(3, "update", edited, created, at="2026-12-06T18:12:05Z", reverts=2, origin="interface"),
        revision(4, "delete", created, None, at="2026-12-07T09:00:00Z", origin="import"),
        revision(5, "insert", None, created, at="2026-12-07T09:01:00Z", reverts=4),
    ]


def test_each_revision_in_words_with_what_made_it_and_undos_as_undos():
    entries = describe_all(history_of_an_edit_undone(), LABELS, tz=PARIS_WINTER)
    assert [(e.when, e.origin, e.headline, e.changes) for e in entries] == [
        ("6 Dec 2026 19:00", "command line", "created", ()),
        ("6 Dec 2026 19:11", "interface", "edited (undone 6 Dec 19:12)", ("stance: Reluctant → Ruled out",)),
        ("6 Dec 2026 19:12", "interface", "undo of the change of 6 Dec 19:11", ("stance: Ruled out → Reluctant",)),
        ("7 Dec 2026 10:00", "import", "deleted (undone 7 Dec 10:01)", ()),
        ("7 Dec 2026 10:01", "unknown", "undo of the deletion of 7 Dec 10:00: restored", ()),
    ]
    assert [e.undo for e in entries] == [False, False, True, False, True]


def test_an_undo_of_another_year_names_the_year():
    created, edited = row(), row(level_id=1)
    revisions = [
        revision(1, "update", created, edited, at="2025-12-06T18:11:40Z"),
        revision(2, "update", edited, created, at="2026-01-02T10:00:00Z", reverts=1),
    ]
    assert describe(revisions[1], LABELS, others=revisions, tz=PARIS_WINTER).headline == "undo of the change of 6 Dec 2025 19:11"


def test_rows_another_program_mangled_are_described_not_crashed_on():
    odd = {"id": 9, "at": None, "action": "update", "before": "not json", "after": "[1, 2]", "reverts": 77, "origin": "cron"}
    entry = describe(odd, LABELS, others=[odd])
    assert entry.origin == "unknown" and entry.headline == "undo of an earlier change"
    assert entry.changes == ("no field a person edits changed",)


# ---------------------------------------------------------------------- shown in the position detail


def rendered(renderable, width: int = 120) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.export_text(styles=False)


def test_the_detail_shows_the_history_in_words_and_user_text_literally(tmp_path):
    with Store.open(tmp_path / "d.db") as store:
        store.add_actor("Emmanuel Macron", slug="macron")
        store.add_question("Western ground troops in Ukraine", slug="ground-troops")
        p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024-02", quote=f"{MARKUP} a")
        store.update_position(p.id, quote=f"{TODO} b", stance="ruled-out")
        revisions = store.revisions("positions", p.uid)
        text = rendered(render.position_detail(store.position(p.id), describe_all(revisions, store.revision_labels(revisions))))
        # Raw rows are worded too (without labels: the ids by number).
        raw = rendered(render.position_detail(store.position(p.id), revisions))
    assert "created" in text and "command line" in text
    assert "stance: Reluctant → Ruled out" in text
    assert f"quote: “{MARKUP} a” → “{TODO} b”" in text
    assert "level_id" not in text and "T" not in text.split("History")[1].split("created")[0]  # no raw UTC time
    assert "stance: level #" in raw


def test_a_detail_without_revisions_says_so():
    entry = HistoryEntry(1, "6 Dec 2026 19:11", "interface", "edited", ("stance: a → b",))
    assert "stance: a → b" in rendered(render.history_table([entry]))


# ---------------------------------------------------------------------- the store: labels, origin, undo


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "h.db") as store:
        store.add_actor("Emmanuel Macron", slug="macron")
        store.add_question("Western ground troops in Ukraine", slug="ground-troops")
        store.add_source(url="https://lemonde.fr/a", title="Macron n'exclut pas", outlet="Le Monde")
        store.add_source(url="https://francetvinfo.fr/b", title="Troupes au sol")
        yield store


def origins(store: Store, uid: str) -> list[tuple[str, str | None, int | None]]:
    return [(r["action"], r["origin"], r["reverts"]) for r in store.revisions("positions", uid)]


def test_labels_name_levels_sources_actors_and_questions(store):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024-02",
                           source="https://lemonde.fr/a")  # fmt: skip
    store.update_position(p.id, stance="ruled-out", date="26 Feb 2024", source="https://francetvinfo.fr/b")
    revisions = store.revisions("positions", p.uid)
    entry = describe_all(revisions, store.revision_labels(revisions))[-1]
    # A source without an outlet is named by its title.
    assert entry.changes == ("stance: Reluctant → Ruled out", "date: Feb 2024 → 26 Feb 2024", "source: Le Monde → Troupes au sol")


def test_writes_of_the_command_line_and_of_the_interface_say_so(store, tmp_path):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    store.update_position(p.id, notes="by a script")
    with Store.open(tmp_path / "h.db", origin="interface", run=Run()) as ui:
        ui.update_position(p.id, notes="by hand")
        ui.delete_position(p.id)
        ui.undo()
    deletion = store.revisions("positions", p.uid)[3]["id"]
    assert origins(store, p.uid) == [
        ("insert", "command line", None), ("update", "command line", None), ("update", "interface", None),
        ("delete", "interface", None), ("insert", "interface", deletion),
    ]  # fmt: skip


def test_the_interfaces_stores_write_as_the_interface(tmp_path, store):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    pool = StorePool(tmp_path / "h.db")
    try:
        pool.get().update_position(p.id, stance="open")
    finally:
        pool.close()
    assert origins(store, p.uid)[-1] == ("update", "interface", None)


def test_the_tracker_command_writes_as_the_command_line(tmp_path, store):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    done = CliRunner().invoke(cli, ["--db", str(tmp_path / "h.db"), "edit", str(p.id), "--stance", "open"])
    assert done.exit_code == 0, done.output
    assert origins(store, p.uid)[-1] == ("update", "command line", None)


def test_a_transaction_can_say_it_is_an_import_and_nested_ones_join_the_outer(store):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    with store.transaction(origin="import"):
        store.update_position(p.id, notes="imported")  # its own transaction joins this one
    assert origins(store, p.uid)[-1] == ("update", "import", None)
    with pytest.raises(ValueError, match="unknown origin"):
        with store.transaction(origin="cron"):
            pass
    with pytest.raises(ValueError, match="unknown origin"):
        Store(store.conn, origin="cron")


def test_an_import_that_changes_a_position_writes_as_the_import(store):
    from tracker.formats import jsonl
    from tracker.formats.importer import import_records

    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    record = {"type": "position", "uid": p.uid, "actor": "macron", "question": "ground-troops", "stance": "open", "date": "2024"}
    import_records(store, jsonl.read_records(io.StringIO(json.dumps(record) + "\n")))
    assert origins(store, p.uid)[-1] == ("update", "import", None)


def test_a_failed_write_marks_nothing_and_another_programs_rows_stay_unknown(store, tmp_path):
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024")
    conn = sqlite3.connect(tmp_path / "h.db")
    with conn:
        conn.execute("UPDATE positions SET notes = 'by sqlite3' WHERE id = ?", (p.id,))
    conn.close()
    with pytest.raises(TrackerError):
        store.update_position(p.id, stance="maybe")
    assert origins(store, p.uid) == [("insert", "command line", None), ("update", None, None)]
    revisions = store.revisions("positions", p.uid)
    assert describe_all(revisions, store.revision_labels(revisions))[-1].origin == "unknown"


def test_undo_rows_name_the_revision_they_reverse_and_are_worded_as_undos(store):
    store.run = Run()  # undo reverses the changes of its own run
    p = store.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024-02")
    store.update_position(p.id, stance="ruled-out")
    message = store.undo()
    assert "(made " in message and "T" not in message.split("(made ")[1]  # local time in words, not raw UTC
    revisions = store.revisions("positions", p.uid)
    edit, undo = revisions[-2], revisions[-1]
    assert (undo["action"], undo["reverts"], undo["origin"]) == ("update", edit["id"], "command line")
    worded = describe_all(revisions, store.revision_labels(revisions))
    assert worded[-1].headline.startswith("undo of the change of ")
    assert worded[-1].changes == ("stance: Ruled out → Reluctant",)
    assert worded[-2].headline.startswith("edited (undone ")


# ---------------------------------------------------------------------- the migration


def test_a_version_1_file_gains_the_origin_column_and_its_rows_are_unknown(tmp_path):
    path = unpack(1, tmp_path)
    old = json.loads(fixture_files(1)[1].read_text(encoding="utf-8"))["tables"]["revisions"]
    with Store.open(path) as store:
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(revisions)")]
        assert columns[columns.index("reverts") + 1 :] == ["origin", "session"]
        assert tuple(store.conn.execute("SELECT count(*), count(origin) FROM revisions").fetchone()) == (len(old), 0)
        assert store.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == LATEST_VERSION
        # The old rows read as unknown, the new ones say what made them.
        uid = next(r["row_uid"] for r in old if r["table_name"] == "positions" and r["reverts"] is not None)
        revisions = store.revisions("positions", uid)
        assert {e.origin for e in describe_all(revisions)} == {"unknown"}
        position = store.position(uid)
        store.update_position(position.id, notes="after the upgrade")
        assert store.revisions("positions", uid)[-1]["origin"] == "command line"
        assert store.check() == []


# ---------------------------------------------------------------------- in the interface


@async_test
async def test_the_detail_shows_edits_and_undos_made_in_the_interface(demo_db):
    with Store.open(demo_db) as store:
        macron = store.resolve_actor("macron").id
        position_id = next(p.id for p in store.positions(actor_id=macron) if p.date.display == "26 Feb 2024")
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        app.push_screen(PositionScreen(position_id))  # as enter on a position in any list
        await settle(pilot)
        assert "no edits recorded" in content_text(app.screen.query_one("#detail"))
        await press(pilot, "x", "y")
        await press(pilot, "u")
        await settle(pilot)
        detail = content_text(app.screen.query_one("#detail"))
        assert "deleted (undone " in detail
        assert "undo of the deletion of " in detail and ": restored" in detail
        assert detail.count("interface") == 2
        assert "Z " not in detail and "delete " not in detail  # no raw UTC times, no raw actions
