"""The commands that move data in and out: `import` (JSONL, CSV) and `export` (markdown,
JSONL, CSV)."""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.group import FileName, ends_the_process, open_store
from tracker.domain.dates import parse_date
from tracker.domain.text import TerminalText, printable
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store import Store


@click.command("import")
@click.argument("file", type=FileName(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), help="Default: from the file name.")
@click.option("--dry-run", is_flag=True, help="Check everything and report, but write nothing.")
@click.pass_context
def import_cmd(ctx, file, fmt, dry_run) -> None:
    """Import a JSONL or CSV file, all or nothing."""
    from tracker.cli.import_progress import import_progress
    from tracker.formats import csvfile, jsonl
    from tracker.formats.importer import import_records

    fmt = fmt or ("csv" if file.lower().endswith(".csv") else "jsonl")
    stream = open_input(file, fmt)  # before the store, so a wrong name creates no database file
    from tracker.store.database import resolve_path

    path = resolve_path(ctx.find_root().obj["db"])[0]
    made = not os.path.lexists(path)  # the import creates the file: a refused one or a dry run leaves none
    try:
        store = open_store(ctx, create=True)
        records = csvfile.read_records(store, stream) if fmt == "csv" else jsonl.read_records(stream)
        with import_progress(stream) as shown:  # a progress bar on a terminal only
            callbacks = {"progress": shown.progress, "phase": shown.phase} if shown else {}
            report = import_records(store, records, dry_run=dry_run, **callbacks)
    except BaseException:
        if made:
            _remove_made_database(ctx, path)
        raise
    finally:
        if file == "-":
            stream.detach()  # leave stdin itself open
        else:
            stream.close()
    if made and dry_run:
        _remove_made_database(ctx, path)
    for line in report.lines():
        click.echo(printable(line, one_line=True))


def _remove_made_database(ctx: click.Context, path: Path) -> None:
    """Remove the database file this command created, and SQLite's files beside it, if it is
    still empty of data (another program may have started using it meanwhile)."""
    obj = ctx.find_root().obj
    store = obj.get("store")
    if store is None:
        return
    try:
        empty = not (store.count_positions() or store.count_actors() or store.count_questions())
    except sqlite3.Error:
        empty = False
    store.close()
    obj["store"] = None
    if empty:
        for end in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{end}").unlink(missing_ok=True)


def open_input(file: str, fmt: str):
    """The file (or stdin for "-") as text. Undecodable bytes become lone surrogates
    (``surrogateescape``) so that the reader can name the line they are on."""
    newline = "" if fmt == "csv" else None
    if file == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline=newline)
    path = Path(file)
    if not path.exists():
        raise TrackerError(f"{file}: no such file")
    if path.is_dir():
        raise TrackerError(f"{file} is a directory, not a file to import")
    return path.open(encoding="utf-8", errors="surrogateescape", newline=newline)



@click.command()
@click.argument("fmt", metavar="markdown|jsonl|csv", type=click.Choice(["markdown", "jsonl", "csv"]))
@click.option("--question", "questions", multiple=True, help="Only this question (slug, id or title); with --movers, repeat for several.")
@click.option("--actor", help="Only this actor (slug, id or name).")
@click.option("--as-of", "as_of", help="markdown: the date of the stance tables (default: today).")
@click.option("--mermaid", is_flag=True, help="markdown: add a Mermaid timeline diagram per question.")
@click.option("--movers", is_flag=True, help="markdown: the movers answer of the questions given (--question ... or --tag).")
@click.option("--tag", help="--movers: every question with this tag.")
@click.option("--level", help="--movers: the level to reach (default: committed).")
@click.option("--from", "refusal", help="--movers: the refusal level (default: the lowest).")
@click.option("--roll-up", is_flag=True, help="--movers: count every actor's positions for its top-level parent.")
@click.option("--raw", is_flag=True, help="csv: write cells as they are (by default a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets do not run it as a formula).")
@click.option("--excel", is_flag=True, help="csv: start with a UTF-8 byte-order mark, so Excel reads the file as UTF-8.")
@click.option("-o", "--output", type=FileName(dir_okay=False, allow_dash=True), help="File to write (default: stdout).")
@click.pass_context
def export(ctx, fmt, questions, actor, as_of, mermaid, movers, tag, level, refusal, roll_up, raw, excel, output) -> None:
    """Export the dataset, or the part about one question and/or actor.

    markdown is a report for GitHub, a wiki or a document; jsonl and csv are data.
    markdown --movers (--question Q ... | --tag T) is who moved first and how late the others followed.
    """
    if fmt != "markdown" and (as_of or mermaid or movers):
        raise click.UsageError(f"--as-of, --mermaid and --movers apply to markdown only, not {fmt}")
    if movers:
        if actor or as_of or mermaid:
            raise click.UsageError("--movers takes --question or --tag (and --level, --from, --roll-up), not --actor, --as-of or --mermaid")
        if bool(questions) == (tag is not None):
            raise click.UsageError("--movers needs --question (one or more) or --tag, not both")
    elif tag or level or refusal or roll_up:
        raise click.UsageError("--tag, --level, --from and --roll-up apply to --movers only")
    elif len(questions) > 1:
        raise click.UsageError("give one --question (several only with --movers)")
    if fmt != "csv" and (raw or excel):
        raise click.UsageError(f"--raw and --excel apply to csv only, not {fmt}")
    when = parse_date(as_of) if as_of else None  # a bad date is refused before anything is opened
    store = open_store(ctx)
    kept = ends_the_process(ctx)
    if movers:
        from tracker import answers
        from tracker.formats.movers_markdown import write_movers

        chosen = answers.choose_questions(store, questions, tag)
        report = answers.movers(store, chosen, level=level, refusal=refusal, roll_up=roll_up, chronological=tag is not None)
        _write(store, output, lambda out: write_movers(report, out), "question")
        return
    actor_id = store.resolve_actor(actor).id if actor else None
    question_id = store.resolve_question(questions[0]).id if questions else None
    if fmt == "markdown":
        from tracker.formats import markdown

        def writer(_conn, out, *, actor_id, question_id):
            return markdown.write_markdown(
                store, out, question_id=question_id, actor_id=actor_id, as_of=when, mermaid=mermaid, two_cores=True, keep=kept
            )
    elif fmt == "csv":
        from tracker.formats import csvfile

        def writer(conn, out, *, actor_id, question_id):
            return csvfile.write(conn, out, actor_id=actor_id, question_id=question_id, raw=raw, excel=excel)
    else:
        from tracker.formats import jsonl

        writer = jsonl.write
    unit = {"csv": "row", "jsonl": "line", "markdown": "statement"}[fmt]
    _write(store, output, lambda out: writer(store.conn, out, actor_id=actor_id, question_id=question_id), unit)


def _write(store: Store, output: str | None, write, unit: str) -> None:
    """``write(out)`` to stdout, or to the file ``output`` safely, saying how many of ``unit``
    (a word such as "row") it wrote."""
    from tracker.formats.output import write_file

    if output in (None, "-"):
        # On a terminal, data can hold escape sequences: show them as placeholders
        # (to a file or a pipe the data goes as it is).
        out = TerminalText(sys.stdout) if sys.stdout.isatty() else sys.stdout
        write(out)
        out.flush()
        return
    count = write_file(output, write, database=store.path)
    click.echo(f"wrote {count} {unit}{'' if count == 1 else 's'} to {printable(output, one_line=True)}", err=True)
