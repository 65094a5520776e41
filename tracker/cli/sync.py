"""`tracker sync DIR`: share the file's data with a team through a git clone (the work
is in tracker/sync; this is its face on the command line)."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.group import FileName, open_store


@click.command()
@click.argument("folder", metavar="DIR", type=FileName(file_okay=False, path_type=Path))
@click.pass_context
def sync(ctx: click.Context, folder: Path) -> None:
    """Write the file's data into the git clone DIR, commit, pull, read the merged data back, push."""
    from tracker.domain.text import printable
    from tracker.sync.git import top_level
    from tracker.sync.run import sync as run_sync

    top_level(folder)  # not a clone: said before a file is opened (or created)
    store = open_store(ctx, create=True)
    report = run_sync(store, folder)
    for text in report.lines():
        click.echo(printable(text, one_line=True))
