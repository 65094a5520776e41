"""The commands that answer questions about changes: `diff` (what changed between two
positions) and `movers` (who reached a level first, and how late the others followed)."""

from __future__ import annotations

import click

from tracker.cli.group import console, open_store


@click.command()
@click.argument("first")
@click.argument("second", required=False)
@click.pass_context
def diff(ctx, first, second) -> None:
    """What changed between two positions (by id or uid).

    With one position, compares it with the same actor's previous position on that question.
    """
    from tracker import render
    from tracker.compare import diff_positions

    change = diff_positions(open_store(ctx), first, second)
    out = console()
    out.print(render.diff_view(change, marks=out.color_system is None))


@click.command("movers")
@click.option("--question", "questions", multiple=True, help="A question (slug, id or title); repeat for several.")
@click.option("--tag", help="Every question with this tag.")
@click.option("--level", help="The level to reach (key, label or rank); default: committed.")
@click.option("--from", "refusal", help="The refusal level: a position at or below it is a refusal; default: the lowest.")
@click.option("--roll-up", is_flag=True, help="Count every actor's positions for its top-level parent (Macron for France).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of tables.")
@click.pass_context
def movers_cmd(ctx, questions, tag, level, refusal, roll_up, as_json) -> None:
    """Who reached a level first, how late the others followed, and how long each took from
    its last refusal, on one question or across several (--question repeated, or --tag)."""
    from tracker import answers
    from tracker.gc_pause import no_cycle_collection

    if bool(questions) == (tag is not None):
        raise click.UsageError("give --question (one or more) or --tag, not both")
    store = open_store(ctx)
    # What the answer is made of (a record per position, a row per actor: a hundred thousand
    # objects for a tag's questions) lives until it is written: the collector would walk it
    # again and again for nothing to free, a tenth of the time.
    with no_cycle_collection():
        chosen = answers.choose_questions(store, questions, tag)
        report = answers.movers(store, chosen, level=level, refusal=refusal, roll_up=roll_up, chronological=tag is not None)
        if as_json:
            from tracker.formats.movers_json import movers_json

            click.echo(movers_json(report))  # echo_json's text, made faster
            return
        out = console()
        if out.color_system is None:  # into a pipe or a file: the same text, written at once
            from tracker.formats.movers_text import movers_text

            text = movers_text(report, out)
            if text is not None:
                out.file.write(text)
                return
        from tracker import render

        # Not cropped: printed without colour, a table whose whole columns do not fit runs wider
        # than the page (render.QuickTable) rather than crop its cells or lose its actors' names.
        out.print(render.movers_view(report), crop=False)
