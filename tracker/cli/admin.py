"""The commands that look after the file itself: `backup` and `check`."""

from __future__ import annotations

import click

from tracker.cli.group import FileName, UserError, open_store
from tracker.domain.text import printable
from tracker.store import Store


@click.command()
@click.argument("file", type=FileName(dir_okay=False))
@click.pass_context
def backup(ctx, file) -> None:
    """A consistent copy of the database, safe while others write to it."""
    dest = open_store(ctx).backup(file)
    click.echo(f"backed up to {printable(str(dest), one_line=True)}")


@click.command()
@click.pass_context
def check(ctx) -> None:
    """Check the file's integrity, schema, foreign keys and search index."""
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        # Not open_store: a file the other commands refuse for its schema is opened here, read-only.
        obj["store"] = Store.open(obj["db"], create=False, for_check=True)
        ctx.call_on_close(obj["store"].close)
    store = obj["store"]
    problems = store.check()
    for note in getattr(problems, "notes", ()):
        click.echo(f"note: {note}", err=True)
    if problems:
        for p in problems:
            click.echo(f"problem: {printable(p, one_line=True)}", err=True)
        # What to do, once for each kind of problem.
        for advice in dict.fromkeys(getattr(p, "advice", "") for p in problems):
            if advice:
                click.echo(f"what to do: {printable(advice, one_line=True)}", err=True)
        raise UserError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {store.path}")
    click.echo(f"{printable(str(store.path), one_line=True)}: ok ({store.count_positions()} positions)")
