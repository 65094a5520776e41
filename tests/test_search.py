"""Search order: whole-word matches first (by relevance when few enough), then prefix matches."""

from __future__ import annotations

from tracker.store import Store
from tracker.store import search as search_module


def fill(store: Store, quotes: list[str]) -> list[int]:
    store.add_actor("Emmanuel Macron", slug="macron")
    store.add_question("Ground troops", slug="troops")
    return [
        store.add_position(actor="macron", question="troops", stance="open", date=f"20{10 + i}", quote=q).id
        for i, q in enumerate(quotes)
    ]


def position_ids(store: Store, text: str, limit: int = 50) -> list[int]:
    return [h.id for h in store.search(text, limit=limit) if h.kind == "position"]


def test_whole_words_come_before_prefix_matches(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        ids = fill(store, ["nothing is excluded", "rien ne doit être exclu", "exclure les troupes", "exclu, exclu, exclu"])
        found = position_ids(store, "exclu")
        assert set(found[:2]) == {ids[1], ids[3]}  # the word itself
        assert found[0] == ids[3]  # ranked: the one that says it three times
        assert found[2:] == [ids[2], ids[0]]  # then "exclure" and "excluded" by prefix, newest first
        assert position_ids(store, "exclu", limit=1) == [ids[3]]


def test_beyond_the_ranking_window_the_newest_come_first(tmp_path, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_AT_MOST", 3)
    with Store.open(tmp_path / "s.db") as store:
        ids = fill(store, ["guerre guerre guerre", "guerre", "la guerre", "une guerre", "guerre ici"])
        assert position_ids(store, "guerre", limit=2) == [ids[4], ids[3]]


def test_without_prefix_positions_match_whole_words_only(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        ids = fill(store, ["rien ne doit être exclu", "exclure les troupes"])
        hits = store.search("exclu", prefix=False)
        assert [h.id for h in hits if h.kind == "position"] == [ids[0]]  # not "exclure"
        assert [h.kind for h in store.search("Macr", prefix=False)] == ["actor"]  # names still match by prefix
        assert [h.kind for h in store.search("Groun", prefix=False)] == ["question"]
        assert [h.id for h in store.search("exclur", prefix=False)] == []
        assert [h.id for h in store.search("exclur")] == [ids[1]]
