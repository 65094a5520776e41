"""Snapshots of the position form (issue 17): empty, and prefilled from a capture with
a long quote on several lines and a speaker not yet in the file, at 120x40 and 80x24.

Regenerate with ``.venv/bin/python -m pytest tests/test_tui_snapshots_forms.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import load_demo, make_app, settle

from tracker.store import Store
from tracker.tui.forms.position_form import CapturePrefill, PositionForm

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])

LONG_QUOTE = (
    "Il n'y a pas de consensus aujourd'hui pour envoyer de manière officielle, assumée et endossée "
    "des troupes au sol. Mais en dynamique, rien ne doit être exclu. [TODO] Nous ferons tout ce qu'il "
    "faut pour que la Russie ne puisse pas gagner cette guerre.\n"
    "« La défaite de la Russie est indispensable à la sécurité et à la stabilité en Europe », "
    "a-t-il ajouté. [/b]"
)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return load_demo(tmp_path / "demo.db")


def opened(form_factory):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        pilot.app.push_screen(form_factory(pilot.app))
        await settle(pilot)
        await pilot.pause()

    return run_before


@SIZES
def test_position_form_empty(snap_compare, demo_path, size):
    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=opened(lambda app: PositionForm()))


@SIZES
def test_position_form_capture_prefill(snap_compare, demo_path, size):
    with Store.open(demo_path) as store:
        question_id = store.resolve_question("ground-troops").id
    prefill = CapturePrefill(
        actor_slug=None,
        actor_name="Petr Fiala",
        date="2024-02-26",
        quote=LONG_QUOTE,
        quote_lang="fr",
        source_url="https://example.org/2024/02/26/conference-ukraine",
        source_title="Conférence de soutien à l'Ukraine : « rien ne doit être exclu »",
        source_outlet="Example Presse",
        source_published="2024-02-26",
        source_language="fr",
    )

    def form(app):
        app.last_question_id = question_id
        return PositionForm(prefill=prefill)

    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=opened(form))


@SIZES
def test_position_form_reopened_from_a_draft(snap_compare, demo_path, size):
    """The next start after the interface closed with typed text (tracker.tui.drafts)."""
    import json

    from tracker.tui.drafts import database_key, drafts_folder

    folder = drafts_folder()
    folder.mkdir(parents=True)
    draft = {"format": 1, "kept_at": "2026-12-07T11:20:00", "forms": [{
        "kind": "position", "args": {"position_id": None, "actor_id": None, "question_id": None, "prefill": None},
        "fields": {"actor": "Emmanuel Macron", "stance": "not ex", "quote": LONG_QUOTE, "quote_lang": "fr"},
        "chosen": {}, "opened_for": None,
    }]}  # fmt: skip
    (folder / f"{database_key(demo_path)}-1-0000abcd.json").write_text(json.dumps(draft), encoding="utf-8")

    async def run_before(pilot) -> None:
        pilot.app.sub_title = "demo.db"
        for _ in range(20):
            await settle(pilot)
            if isinstance(pilot.app.screen, PositionForm) and pilot.app.screen.loaded:
                break
        await pilot.pause()

    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=run_before)
