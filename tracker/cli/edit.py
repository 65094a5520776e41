"""The commands that write: `add actor|question|source|position`, `edit` and `delete`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import click

from tracker.cli.group import open_store
from tracker.domain.models import ACTOR_KINDS, CONFIDENCES, Position
from tracker.domain.text import printable
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store import Store


@click.group()
def add() -> None:
    """Add an actor, a question, a source or a position."""


@add.command("actor")
@click.argument("name")
@click.option("--slug", help="Short name used to refer to the actor (default: made from NAME).")
@click.option("--kind", type=click.Choice(ACTOR_KINDS), default="other", show_default=True)
@click.option("--country", help="ISO 3166 two-letter code, like FR.")
@click.option("--parent", help="The actor this one belongs to (slug, id or name).")
@click.option("--alias", "aliases", multiple=True, help="Another name to find the actor by (repeatable).")
@click.pass_context
def add_actor(ctx, name, slug, kind, country, parent, aliases) -> None:
    """Add an actor; prints its slug."""
    actor = open_store(ctx, create=True).add_actor(name, slug=slug, kind=kind, country=country, parent=parent, aliases=aliases)
    click.echo(actor.slug)


@add.command("question")
@click.argument("title")
@click.option("--slug", help="Short name used to refer to the question (default: made from TITLE).")
@click.option("--scale", default="commitment", show_default=True, help="Stance scale of its positions.")
@click.option("--description", default="")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.pass_context
def add_question(ctx, title, slug, scale, description, tags) -> None:
    """Add a question; prints its slug."""
    question = open_store(ctx, create=True).add_question(title, slug=slug, scale=scale, description=description, tags=tags)
    click.echo(question.slug)


@add.command("source")
@click.option("--url")
@click.option("--title", default="")
@click.option("--outlet", default="")
@click.option("--published", help="Publication date, like 2024-02-26.")
@click.option("--language", default="")
@click.pass_context
def add_source(ctx, url, title, outlet, published, language) -> None:
    """Add a source; prints its uid."""
    source = open_store(ctx, create=True).add_source(url=url, title=title, outlet=outlet, published=published, language=language)
    click.echo(source.uid)


# The options of `add position` and `edit`, declared once so that both take the same values
# the same way: (option declarations, help or type, required by `add position`, its default there).
# `edit` takes each as optional, with None meaning "not given, leave it as it is".
_POSITION_OPTIONS: list[tuple[tuple[str, ...], dict, bool, object]] = [
    (("--actor",), {"help": "Slug, id, or name."}, True, None),
    (("--question",), {"help": "Slug, id, or title."}, True, None),
    (("--stance",), {"help": "Level key, label, or rank number on the question's scale."}, True, None),
    (("--date", "when"), {"help": "2024-02-26, 2024-02, 2024, 26 Feb 2024, 26 février 2024, today..."}, True, None),
    (("--quote",), {}, False, ""),
    (("--quote-lang",), {}, False, ""),
    (("--paraphrase",), {}, False, ""),
    (("--context", "context_"), {}, False, ""),
    (("--source",), {"help": "Source id, uid or URL; a new URL creates the source."}, False, None),
    (("--confidence",), {"type": click.Choice(CONFIDENCES)}, False, "confirmed"),
    (("--notes",), {}, False, ""),
]
# Parameter name -> the field name of Store.add_position / update_position.
_POSITION_FIELDS = {"when": "date", "context_": "context"}


def position_options(*, new: bool):
    """The position options, for `add position` (``new``) or `edit`."""

    def decorate(f):
        for decls, extra, required, default in reversed(_POSITION_OPTIONS):
            if not new:
                kwargs = {"default": None}
            elif required:
                kwargs = {"required": True}
            else:
                kwargs = {"default": default, "show_default": default not in ("", None)}
            f = click.option(*decls, **extra, **kwargs)(f)
        return f

    return decorate


def _position_fields(options: dict) -> dict:
    """Click's parameters (those given: not None) as the store's field names."""
    return {_POSITION_FIELDS.get(name, name): value for name, value in options.items() if value is not None}


def _source_ref(store: Store, source: str | None) -> str | None:
    """A --source as the store takes it: a URL not yet known becomes a new source (in the
    caller's transaction, so a position refused afterwards leaves no source behind)."""
    if source and source.lower().startswith(("http://", "https://")):
        try:
            return store.source(source).uid
        except TrackerError:
            return store.add_source(url=source).uid
    return source


@add.command("position")
@position_options(new=True)
@click.pass_context
def add_position(ctx, **options) -> None:
    """Add a position; prints its id."""
    store = open_store(ctx, create=True)
    fields = _position_fields(options)
    with store.transaction():
        fields["source"] = _source_ref(store, fields.get("source"))
        position = store.add_position(**fields)
    click.echo(position.id)


# ---------------------------------------------------------------------- edit, delete


class _Unchanged(Exception):
    """Rolls back an edit that changed nothing: no revision, no new modification time."""


def _value_text(value: str) -> str:
    """A field's value for a one-line message: shortened, and "none" when empty."""
    if not value:
        return "none"
    value = " ".join(value.split())
    return f"“{value if len(value) <= 60 else value[:59] + '…'}”"


def _source_text(position: Position) -> str:
    source = position.source
    if source is None:
        return "none"
    return _value_text(source.url or source.title)


# What `edit` reports, in the order of the form: (the word for it, its value as shown).
_SHOWN: list[tuple[str, Callable[[Position], str]]] = [
    ("actor", lambda p: p.actor_name),
    ("question", lambda p: p.question_title),
    ("stance", lambda p: p.level.label),
    ("date", lambda p: p.date.display),
    ("quote", lambda p: _value_text(p.quote)),
    ("quote language", lambda p: p.quote_lang or "none"),
    ("paraphrase", lambda p: _value_text(p.paraphrase)),
    ("context", lambda p: _value_text(p.context)),
    ("source", _source_text),
    ("confidence", lambda p: p.confidence),
    ("notes", lambda p: _value_text(p.notes)),
]


def position_changes(before: Position, after: Position) -> list[str]:
    """What differs between two versions of a position, each as "stance Reluctant → Ruled out"."""
    changes = []
    for word, show in _SHOWN:
        old, new = show(before), show(after)
        if old != new:
            changes.append(f"{word} {old} → {new}")
    if before.date.display == after.date.display and before.date.edtf != after.date.edtf:
        changes.append(f"date {before.date.edtf} → {after.date.edtf}")  # two texts shown alike
    return changes


@click.command()
@click.argument("position")
@position_options(new=False)
@click.pass_context
def edit(ctx, position, **options) -> None:
    """Change some fields of a position (by id or uid), checked as in `add position`.

    An empty value clears a text field or the source (--source ""). Prints what changed;
    the old values are kept in the revision log.
    """
    changes = _position_fields(options)
    if not changes:
        names = ", ".join(decls[0] for decls, *_ in _POSITION_OPTIONS)
        raise click.UsageError(f"say what to change: one or more of {names}")
    store = open_store(ctx, create=True)
    try:
        with store.transaction():
            before = store.position(position)
            if "source" in changes:
                changes["source"] = _source_ref(store, changes["source"])
            after = store.update_position(before.id, **changes)
            changed = position_changes(before, after)
            if not changed:
                raise _Unchanged
    except _Unchanged:
        click.echo(f"position {before.id}: nothing changed")
        return
    click.echo(printable(f"position {after.id}: {'; '.join(changed)}", one_line=True))


@click.command()
@click.argument("position")
@click.pass_context
def delete(ctx, position) -> None:
    """Delete a position (by id or uid); the revision log keeps it, so it can be brought back."""
    store = open_store(ctx, create=True)
    gone = store.delete_position(position)
    said = f"{gone.actor_name} on {gone.question_title}, {gone.date.display}, {gone.level.label}"
    click.echo(printable(f"deleted position {gone.id}: {said}.", one_line=True) + " The revision log keeps every field of it.")
