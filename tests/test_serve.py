"""`tracker serve`: the demo file in Datasette, through Datasette's own test client."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.cli import serve as serve_module
from tracker.store import Store
from tracker.web import metadata
from tui_helpers import load_demo

pytest.importorskip("datasette")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(db, *args):
    from tracker.cli import cli

    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo file, its Datasette (as `tracker serve` builds it) and the database name."""
    path = load_demo(tmp_path_factory.mktemp("serve") / "demo.db")
    with Store.open(path, create=False) as store:
        meta = metadata(store, path.stem)
    ds = serve_module.build(path, meta)
    return path, ds, path.stem


def get(ds, url: str):
    return asyncio.run(ds.client.get(url))


def get_json(ds, url: str):
    response = get(ds, url)
    assert response.status_code == 200, (url, response.text[:500])
    return response.json()


def test_the_index_lists_the_views_and_tables_with_their_descriptions(served):
    _, ds, name = served
    assert "Position Tracker" in get(ds, "/").text
    page = get(ds, f"/{name}").text
    assert "nothing on these pages can change it" in page
    for table in ("statements", "latest_positions", "positions", "actors", "questions", "levels"):
        assert f'href="/{name}/{table}"' in page, table
    statements = get(ds, f"/{name}/statements").text
    assert "One row a position" in statements
    assert "Each actor&#39;s latest position" in get(ds, f"/{name}/latest_positions").text


def test_search_finds_the_french_quote_in_the_view_and_the_table(served):
    _, ds, name = served
    for table in ("statements", "positions"):
        data = get_json(ds, f"/{name}/{table}.json?_search=troupes&_shape=objects")
        assert len(data["rows"]) == 1, table
        assert "troupes" in data["rows"][0]["quote"]
    # Accents are folded, as in the program's own search.
    rows = get_json(ds, f"/{name}/statements.json?_search=maniere&_shape=objects")["rows"]
    assert any("manière" in row["quote"] for row in rows)


def test_statements_have_facets_by_question_actor_stance_and_confidence(served):
    _, ds, name = served
    data = get_json(ds, f"/{name}/statements.json?_shape=objects&_size=1")
    facets = data["facet_results"]
    assert set(facets) == {"question_title", "actor_name", "stance_label", "confidence"}
    stances = {value["value"] for value in facets["stance_label"]["results"]}
    assert {"Ruled out", "Committed"} <= stances
    # The newest first.
    dates = [row["date_start"] for row in get_json(ds, f"/{name}/statements.json?_shape=objects")["rows"]]
    assert dates == sorted(dates, reverse=True)


def test_stances_show_their_labels_not_ids_in_the_positions_table(served):
    _, ds, name = served
    data = get_json(ds, f"/{name}/positions.json?_shape=objects&_labels=on&_size=5")
    labels = {row["level_id"]["label"] for row in data["rows"]}
    assert labels and all(not label.isdigit() for label in labels), labels
    assert get_json(ds, f"/{name}/positions.json?_size=0")["facet_results"]["level_id"]["results"][0]["label"] in {
        "Ruled out", "Reluctant", "Not excluded", "Open", "Committed", "Implemented"}  # fmt: skip
    page = get(ds, f"/{name}/positions").text
    assert "Ruled out" in page or "Committed" in page


def test_the_as_of_query_gives_each_actor_its_stance_then(served):
    _, ds, name = served
    rows = get_json(ds, f"/{name}/as_of.json?question=ground-troops&date=2024-03-01&_shape=objects")["rows"]
    by_actor = {row["actor"]: row for row in rows}
    assert len(by_actor) == len(rows) and "macron" in by_actor
    assert by_actor["macron"]["date"] <= "2024-03-01"
    # Nothing said yet: no rows.
    assert get_json(ds, f"/{name}/as_of.json?question=ground-troops&date=2000-01-01&_shape=objects")["rows"] == []


def test_the_movers_query_lists_who_reached_a_level_first(served):
    _, ds, name = served
    rows = get_json(ds, f"/{name}/movers.json?question=tanks&level=committed&_shape=objects")["rows"]
    assert rows, "someone committed tanks in the demo"
    assert rows[0]["lag_days"] == 0
    assert [row["lag_days"] for row in rows] == sorted(row["lag_days"] for row in rows)
    assert {row["reached_by"] for row in rows} <= {"move", "entry"}
    assert len({row["actor"] for row in rows}) == len(rows)
    # A level's label works too.
    same = get_json(ds, f"/{name}/movers.json?question=tanks&level=Committed&_shape=objects")["rows"]
    assert same == rows


def test_nothing_on_the_site_writes_to_the_file(served):
    path, ds, name = served
    before = digest(path)
    for url in (f"/{name}/statements", f"/{name}/positions", f"/{name}/-/create", f"/{name}/positions/1/-/delete",
                f"/{name}/positions/-/insert"):  # fmt: skip
        try:
            status = asyncio.run(ds.client.post(url, json={"row": {"quote": "x"}})).status_code
        except ValueError:  # Datasette 0.65 refuses a POST to a table with an error its test client cannot render
            status = 500
        assert status >= 400, (url, status)
    sql = "delete from positions"
    response = get(ds, f"/{name}.json?sql={sql}")
    assert response.status_code in (400, 403), response.text[:300]
    response = get(ds, f"/{name}.json?sql=" + "insert into actors_fts(rowid, name, aliases) values (999, 'x', '')")
    assert response.status_code in (400, 403)
    assert get_json(ds, f"/{name}.json?sql=select+count(*)+as+n+from+positions&_shape=objects")["rows"][0]["n"] > 0
    assert digest(path) == before


def test_the_connections_are_read_only(served):
    _, ds, name = served
    database = ds.get_database(name)
    assert database.is_mutable  # sees the interface's writes (the -wal file), unlike immutable mode
    conn = database.connect()
    try:
        with pytest.raises(Exception, match="readonly"):
            conn.execute("DELETE FROM positions")
    finally:
        conn.close()


def test_metadata_prints_the_json_and_leaves_the_file_alone(tmp_path):
    path = load_demo(tmp_path / "demo.db")
    before = digest(path)
    result = run(path, "serve", "--metadata")
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)
    tables = meta["databases"]["demo"]["tables"]
    assert tables["statements"]["fts_table"] == "positions_fts"
    assert tables["levels"]["label_column"] == "label"
    assert set(meta["databases"]["demo"]["queries"]) == {"as_of", "movers"}
    assert digest(path) == before


def test_without_datasette_one_line_says_how_to_install_it(tmp_path, monkeypatch):
    path = load_demo(tmp_path / "demo.db")
    for module in [m for m in sys.modules if m == "datasette" or m.startswith("datasette.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "datasette", None)  # `import datasette` now raises ImportError
    result = run(path, "serve")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "tracker: Datasette is not installed; to serve the file: pip install 'position-tracker[web]'"]
    # --metadata needs no Datasette.
    assert run(path, "serve", "--metadata").exit_code == 0


def test_a_port_in_use_is_refused_in_one_line(tmp_path, monkeypatch):
    import socket

    path = load_demo(tmp_path / "demo.db")
    monkeypatch.setattr(serve_module, "_run", lambda *a: pytest.fail("the server started"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = run(path, "serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"port {port} is in use on 127.0.0.1" in result.stderr


def test_a_missing_file_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "none.db"
    result = run(missing, "serve")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not missing.exists()


def test_the_server_binds_to_localhost_only(tmp_path, monkeypatch):
    path = load_demo(tmp_path / "demo.db")
    seen = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr(serve_module, "_port_free", lambda port: True)
    result = run(path, "serve", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert "read-only at http://127.0.0.1:8123/demo" in result.stderr
    assert main  # the console script's entry point imports with the command registered
