"""Files get exact look-ups, people typing get forgiving ones (issue 16, item 7).

In CSV and JSONL an actor or question is its slug, name or alias and a stance its key or
label (case and accents ignored): never a prefix, a row id or a rank. The command line
still takes prefixes, ids and ranks."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import Ambiguous, NotFound, TrackerError
from tracker.formats import csvfile, jsonl
from tracker.formats.importer import import_records
from tracker.store import Store

from conftest import table_dump
from tui_helpers import load_demo

HEADER = "actor,question,stance,date,quote\r\n"
WIDE = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return load_demo(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo(tmp_path, demo_template):
    path = Path(shutil.copy(demo_template, tmp_path / "demo.db"))
    store = Store.open(path)
    yield store, path
    store.close()


def import_csv(store: Store, *lines: str):
    text = HEADER + "".join(line + "\r\n" for line in lines)
    return import_records(store, csvfile.read_records(store, io.StringIO(text, newline="")))


def import_jsonl(store: Store, *records: dict):
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return import_records(store, jsonl.read_records(io.StringIO(text)))


def positions_of(store: Store, slug: str) -> list:
    return [p for p in store.positions() if p.actor_slug == slug]


def actor_count(store: Store) -> int:
    return store.count_actors()


@pytest.mark.parametrize(("name", "slug"), [("Mark", "mark"), ("Emmanuel", "emmanuel"), ("rut", "rut"), ("Mac", "mac")])
def test_csv_first_name_or_prefix_is_a_new_actor_and_the_report_says_so(demo, name, slug):
    store, _ = demo
    rutte, macron = len(positions_of(store, "rutte")), len(positions_of(store, "macron"))
    report = import_csv(store, f"{name},ground-troops,open,2024-05-01,")
    assert any(line == f"new actor {slug} was created" for line in report.lines()), report.lines()
    assert store.resolve_actor(slug, exact=True).name == name
    assert [p.date.edtf for p in positions_of(store, slug)] == ["2024-05-01"]
    assert (len(positions_of(store, "rutte")), len(positions_of(store, "macron"))) == (rutte, macron)


def test_csv_number_is_a_new_actor_not_the_actor_with_that_id(demo):
    store, _ = demo
    assert store.actor(5).slug == "netherlands"
    before = len(positions_of(store, "netherlands"))
    report = import_csv(store, "5,ground-troops,open,2024-05-01,")
    assert any(line == "new actor 5 was created" for line in report.lines()), report.lines()
    assert store.resolve_actor("5", exact=True).name == "5"
    assert len(positions_of(store, "5")) == 1
    assert len(positions_of(store, "netherlands")) == before


def test_csv_question_prefix_is_a_new_question(demo):
    store, _ = demo
    report = import_csv(store, "macron,ground,open,2024-05-01,")
    assert any(line == "new question ground was created" for line in report.lines()), report.lines()
    assert [p.question_slug for p in positions_of(store, "macron") if p.date.edtf == "2024-05-01"] == ["ground"]


@pytest.mark.parametrize(
    "name", ["macron", "MACRON", "Emmanuel Macron", "EMMANUEL MACRON", "le président français", "LE PRESIDENT FRANCAIS"]
)
def test_csv_slug_name_and_alias_attach_to_the_actor(demo, name):
    store, _ = demo
    actors, before = actor_count(store), len(positions_of(store, "macron"))
    report = import_csv(store, f"{name},WESTERN GROUND TROOPS IN UKRAINE,committed,2024-05-01,")
    assert not any(line.startswith("new ") for line in report.lines()), report.lines()
    assert actor_count(store) == actors
    assert len(positions_of(store, "macron")) == before + 1


def test_csv_name_shared_by_two_actors_is_refused_naming_both(demo):
    store, path = demo
    store.add_actor("Mark Smith", aliases=["Mark Rutte"])
    before = table_dump(path)
    with pytest.raises(TrackerError) as err:
        import_csv(store, "macron,ground-troops,open,2024-05-01,", "mark rutte,ground-troops,open,2024-05-01,")
    assert str(err.value) == "line 3: actor 'mark rutte' is ambiguous: it matches mark-smith, rutte"
    assert table_dump(path) == before


@pytest.mark.parametrize("stance", ["3", "commi", "4"])
def test_csv_stance_by_rank_or_prefix_is_refused_with_its_line(demo, stance):
    store, path = demo
    before = table_dump(path)
    with pytest.raises(TrackerError) as err:
        import_csv(store, "macron,ground-troops,open,2024-05-01,", f"macron,ground-troops,{stance},2024-05-02,")
    assert str(err.value).startswith(f"line 3: stance '{stance}' is not a level of the scale 'commitment'"), str(err.value)
    assert table_dump(path) == before


@pytest.mark.parametrize("stance", ["3", "commi"])
def test_jsonl_stance_by_rank_or_prefix_is_refused_with_its_line(demo, stance):
    store, path = demo
    before = table_dump(path)
    good = {"type": "position", "actor": "macron", "question": "ground-troops", "stance": "open", "date": "2024-05-01"}
    with pytest.raises(TrackerError) as err:
        import_jsonl(store, good, good | {"stance": stance, "date": "2024-05-02"})
    assert str(err.value).startswith(f"line 2: stance '{stance}' is not a level"), str(err.value)
    assert table_dump(path) == before


@pytest.mark.parametrize("stance", ["Committed", "committed", "COMMITTED", "committed "])
def test_csv_and_jsonl_take_a_stance_by_key_or_label(demo, stance):
    store, _ = demo
    import_csv(store, f"macron,ground-troops,{stance},2024-05-01,")
    rec = {"type": "position", "actor": "macron", "question": "ground-troops", "stance": stance, "date": "2024-05-02"}
    import_jsonl(store, rec)
    got = {p.date.edtf: p.level.key for p in positions_of(store, "macron")}
    assert (got["2024-05-01"], got["2024-05-02"]) == ("committed", "committed")


def test_jsonl_stance_label_ignores_accents(demo):
    """The importers read stances with the same resolver as the command line: accents are
    ignored in a label, as case is."""
    store, _ = demo
    scale = {"type": "scale", "key": "decision", "name": "Decision",
             "levels": [{"key": "non", "label": "Refusé"}, {"key": "oui", "label": "Décidé"}]}  # fmt: skip
    question = {"type": "question", "slug": "q-decision", "title": "A decision", "scale": "decision"}
    pos = {"type": "position", "actor": "macron", "question": "q-decision", "stance": "DECIDE", "date": "2024-05-01"}
    import_jsonl(store, scale, question, pos)
    assert [p.level.key for p in positions_of(store, "macron") if p.question_slug == "q-decision"] == ["oui"]


def test_the_resolvers_two_modes(demo):
    store, _ = demo
    assert store.resolve_actor("Mark").slug == "rutte"
    assert store.resolve_actor("5").slug == "netherlands"
    assert store.resolve_actor("le president").slug == "macron"
    for ref in ("Mark", "5", "le president", "Emmanuel Macro"):
        with pytest.raises(NotFound):
            store.resolve_actor(ref, exact=True)
    assert store.resolve_actor("Le Président Français", exact=True).slug == "macron"
    assert store.resolve_question("ground").slug == "ground-troops"
    with pytest.raises(NotFound):
        store.resolve_question("ground", exact=True)
    store.add_actor("Mark Smith", aliases=["Mark Rutte"])
    with pytest.raises(Ambiguous):
        store.resolve_actor("mark rutte", exact=True)
    assert store.resolve_actor("rutte", exact=True).slug == "rutte"  # a slug wins over a shared name


def test_command_line_still_takes_prefixes_and_ranks(demo):
    store, path = demo
    result = CliRunner().invoke(
        cli,
        ["--db", str(path), "add", "position", "--actor", "Mac", "--question", "ground", "--stance", "3", "--date", "2024-05-01"],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    got = [(p.question_slug, p.level.key) for p in positions_of(store, "macron") if p.date.edtf == "2024-05-01"]
    assert got == [("ground-troops", "open")]
