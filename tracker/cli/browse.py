"""The commands that read: `list actors|questions|positions`, `timeline` and `search`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli.group import console, echo_json, open_store
from tracker.domain.dates import as_of_bound, parse_date
from tracker.domain.models import Position

if TYPE_CHECKING:
    from tracker.store import Store


@click.group("list")
def list_() -> None:
    """List actors, questions or positions."""


@list_.command("actors")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_actors(ctx, as_json) -> None:
    from tracker import render

    actors = open_store(ctx).actors()
    if as_json:
        echo_json(
            [{"id": a.id, "slug": a.slug, "name": a.name, "kind": a.kind, "country": a.country,
              "parent": a.parent_slug, "aliases": list(a.aliases)} for a in actors]  # fmt: skip
        )
        return
    console().print(render.listing_table(("id", "slug", "name", "kind", "country", "parent", "aliases"), (
        (str(a.id), render.plain(a.slug), render.plain(a.name), a.kind, a.country or "",
         render.plain(a.parent_slug or ""), render.plain(", ".join(a.aliases)))
        for a in actors
    )))  # fmt: skip


@list_.command("questions")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_questions(ctx, as_json) -> None:
    from tracker import render

    questions = open_store(ctx).questions()
    if as_json:
        echo_json(
            [{"id": q.id, "slug": q.slug, "title": q.title, "description": q.description, "scale": q.scale_key,
              "tags": list(q.tags)} for q in questions]  # fmt: skip
        )
        return
    console().print(render.listing_table(("id", "slug", "title", "scale", "tags"), (
        (str(q.id), render.plain(q.slug), render.plain(q.title), q.scale_key, render.plain(", ".join(q.tags)))
        for q in questions
    )))  # fmt: skip


@list_.command("positions")
@click.option("--actor", help="Only this actor (slug, id or name).")
@click.option("--question", help="Only this question (slug, id or title).")
@click.option("--as-of", "as_of", help="Each actor's latest position on each question by this date.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_positions(ctx, actor, question, as_of, as_json) -> None:
    store = open_store(ctx)
    positions = _positions(store, actor, question, as_of)
    if as_json:
        echo_json([position_json(p) for p in positions])
        return
    from tracker import render

    console().print(render.positions_table(positions))


def position_json(p: Position) -> dict:
    return {
        "id": p.id, "uid": p.uid, "actor": p.actor_slug, "question": p.question_slug, "stance": p.level.key,
        "rank": p.level.rank, "date": p.date.edtf, "date_display": p.date.display, "quote": p.quote,
        "quote_lang": p.quote_lang, "paraphrase": p.paraphrase, "context": p.context,
        "source": None if p.source is None else {"uid": p.source.uid, "url": p.source.url, "title": p.source.title,
                                                 "outlet": p.source.outlet},
        "confidence": p.confidence, "notes": p.notes, "tags": list(p.tags),
    }  # fmt: skip


def _positions(store: Store, actor: str | None, question: str | None, as_of: str | None) -> list[Position]:
    actor_id = store.resolve_actor(actor).id if actor else None
    question_id = store.resolve_question(question).id if question else None
    bound = as_of_bound(parse_date(as_of)) if as_of else None
    return store.positions(actor_id=actor_id, question_id=question_id, as_of=bound)



def _scale_sizes(store: Store) -> dict[int, int]:
    sizes = {s.key: s.size for s in store.scales()}
    return {q.id: sizes[q.scale_key] for q in store.questions()}


@click.command()
@click.option("--question", help="Only this question (slug, id or title).")
@click.option("--actor", help="Only this actor (slug, id or name).")
@click.pass_context
def timeline(ctx, question, actor) -> None:
    """Positions in date order, with a change marker against each actor's previous one."""
    from tracker import render
    from tracker.domain.changes import changes_for

    store = open_store(ctx)
    positions = _positions(store, actor, question, None)
    if not positions:
        click.echo("no positions", err=True)
        return
    changes = changes_for(positions, _scale_sizes(store))
    console().print(render.timeline_table(changes, show_question=not question, show_actor=not actor))


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.pass_context
def search(ctx, text, limit) -> None:
    """Full-text search over quotes, paraphrases, context, notes, actor names and question titles."""
    hits = open_store(ctx).search(" ".join(text), limit=limit)
    if not hits:
        click.echo("no matches", err=True)
        return
    from tracker import render

    console().print(render.search_table(hits))
