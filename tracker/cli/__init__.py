"""The command line: a thin face over the store, the domain and the formats.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 a usage error.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click

from tracker import __version__
from tracker.domain.dates import as_of_bound, parse_date
from tracker.domain.models import ACTOR_KINDS, CONFIDENCES, Position
from tracker.domain.text import TerminalText, is_utf8, json_dumps, printable
from tracker.domain.validation import quoted
from tracker.errors import TrackerError
from tracker.store import Store

# The interface starts with `tracker` alone: what only other commands use (Rich, the
# formats, diffs, movers) is imported inside them, so it never delays the first paint
# (tests/test_imports.py).
if TYPE_CHECKING:
    from rich.console import Console


class UserError(click.ClickException):
    exit_code = 1

    def show(self, file=None) -> None:
        # One line, and text from the data (names, titles) can never reach the terminal as control codes.
        click.echo(f"tracker: {printable(self.format_message(), one_line=True)}", err=True)


def _safe_usage_error(e: click.ClickException) -> None:
    """Click quotes what was typed in its errors ("Got unexpected extra argument (…)",
    "No such option …"): make that one line that cannot reach the terminal as control codes."""
    e.message = printable(e.message, one_line=True)
    if isinstance(e, click.FileError):
        e.ui_filename = printable(e.ui_filename, one_line=True)


class FileName(click.Path):
    """A click.Path that refuses, with a usage error, an empty name (``--db ""`` would
    otherwise mean the default file) and a NUL (only main(argv) can pass one; os.stat
    would raise ValueError)."""

    def convert(self, value, param, ctx):
        if value == "":
            self.fail("the file name is empty", param, ctx)
        if isinstance(value, str) and "\x00" in value:
            self.fail("a file name cannot hold a NUL character", param, ctx)
        return super().convert(value, param, ctx)


class TrackerGroup(click.Group):
    """Turns TrackerError (and unexpected database errors) into one line and exit code 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite cannot store.
        for arg in args:
            if not is_utf8(arg):
                raise UserError(f"the argument {quoted(arg)} is not valid UTF-8 text")
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as e:
            _safe_usage_error(e)
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as e:  # subcommands' usage errors, raised as they are parsed
            _safe_usage_error(e)
            raise
        except TrackerError as e:
            raise UserError(str(e)) from None
        except sqlite3.Error as e:
            from tracker.store.database import describe_error

            store = (ctx.obj or {}).get("store")
            raise UserError(describe_error(e, store.path if store else None, doing="use")) from None
        except BrokenPipeError:  # the reader has gone (`| head`): end quietly
            _closed_pipe()
            raise click.exceptions.Exit(0) from None
        except OSError as e:
            raise UserError(f"{e.strerror or e}: {e.filename}" if e.filename else str(e)) from None


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def open_store(ctx: click.Context, *, create: bool = False) -> Store:
    """The database, opened once per command. Only commands that write pass ``create=True``:
    the others refuse a missing file in one line and never create one."""
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        said = lambda text: click.echo(printable(text, one_line=True) + "…", err=True)  # noqa: E731
        obj["store"] = store = Store.open(obj["db"], create=create, on_upgrade=said)
        store.on_wait = lambda: click.echo(f"waiting for another program to finish writing to {printable(str(store.path), one_line=True)}…", err=True)
        ctx.call_on_close(store.close)
    return obj["store"]


@click.group(cls=TrackerGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=FileName(readable=False), metavar="PATH", help="Database file (default: $TRACKER_DB, else ~/.local/share/tracker/tracker.db).")
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Position Tracker: follow how actors change their stated positions over time."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@click.pass_context
def tui(ctx) -> None:
    """The interface (also what `tracker` alone runs)."""
    store = open_store(ctx, create=True)  # refuses a bad file with a clear message before the screen changes
    path = store.path
    store.close()
    ctx.find_root().obj["store"] = None
    _run_app(path)


@cli.command()
def demo() -> None:
    """The interface on a fresh copy of the bundled demo dataset (your own file is never touched)."""
    import tempfile
    from importlib import resources

    from tracker.formats import jsonl
    from tracker.formats.importer import import_records

    with tempfile.TemporaryDirectory(prefix="tracker-demo-") as folder:
        path = Path(folder) / "demo.db"
        with Store.open(path) as store, resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
            import_records(store, jsonl.read_records(f))
        _run_app(path)


def _run_app(path: Path, *, first: Callable[[], object] | None = None) -> None:
    """Run the interface on ``path``. If it stops on an unexpected error (a bug), Textual
    has restored the terminal: write the traceback to a crash log, say where in one line,
    and exit with :data:`tracker.crash.CRASH_EXIT`."""
    import gc

    from tracker.tui.app import TrackerApp  # Textual loads only when the interface runs

    # What is imported by now lives as long as the process: out of the collector's sight, the
    # full collection the start would otherwise run (20-60 ms, before the first paint) walks
    # none of it. The app freezes what it makes in turn once it has painted.
    gc.freeze()
    app = TrackerApp(path, first=first)
    app.reports_crashes = True
    try:
        app.run()
    except Exception as e:  # noqa: BLE001 - Textual itself failed (the terminal, the driver)
        _crashed(e, path)
    if app.return_code:
        _crashed(app.crash_error, path)


def _crashed(error: BaseException | None, path: Path) -> None:
    from tracker import crash

    if error is None:  # a non-zero return code with no exception: nothing more to tell
        where = "no traceback was kept"
    else:
        try:
            where = f"the traceback is in {crash.report(error, about=f'Database: {path}')}"
        except OSError as e:
            import traceback

            traceback.print_exception(error)
            where = f"no crash log could be written ({e}); the traceback is above"
    what = "" if error is None else f" ({type(error).__name__}: {error})"
    what = what if len(what) <= 100 else what[:98] + "…)"
    click.echo(printable(f"tracker: the interface stopped on an unexpected error{what}; {where}", one_line=True), err=True)
    raise click.exceptions.Exit(crash.CRASH_EXIT)


# ---------------------------------------------------------------------- add


@cli.group()
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


@cli.command()
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


@cli.command()
@click.argument("position")
@click.pass_context
def delete(ctx, position) -> None:
    """Delete a position (by id or uid); the revision log keeps it, so it can be brought back."""
    store = open_store(ctx, create=True)
    gone = store.delete_position(position)
    said = f"{gone.actor_name} on {gone.question_title}, {gone.date.display}, {gone.level.label}"
    click.echo(printable(f"deleted position {gone.id}: {said}.", one_line=True) + " The revision log keeps every field of it.")


# ---------------------------------------------------------------------- list


@cli.group("list")
def list_() -> None:
    """List actors, questions or positions."""


@list_.command("actors")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_actors(ctx, as_json) -> None:
    from tracker import render

    actors = open_store(ctx).actors()
    if as_json:
        _echo_json(
            [{"id": a.id, "slug": a.slug, "name": a.name, "kind": a.kind, "country": a.country,
              "parent": a.parent_slug, "aliases": list(a.aliases)} for a in actors]  # fmt: skip
        )
        return
    table = render.Table(header_style="bold")
    for name in ("id", "slug", "name", "kind", "country", "parent", "aliases"):
        table.add_column(name)
    for a in actors:
        table.add_row(
            str(a.id), render.plain(a.slug), render.plain(a.name), a.kind, a.country or "",
            render.plain(a.parent_slug or ""), render.plain(", ".join(a.aliases)),
        )  # fmt: skip
    console().print(table)


@list_.command("questions")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def list_questions(ctx, as_json) -> None:
    from tracker import render

    questions = open_store(ctx).questions()
    if as_json:
        _echo_json(
            [{"id": q.id, "slug": q.slug, "title": q.title, "description": q.description, "scale": q.scale_key,
              "tags": list(q.tags)} for q in questions]  # fmt: skip
        )
        return
    table = render.Table(header_style="bold")
    for name in ("id", "slug", "title", "scale", "tags"):
        table.add_column(name)
    for q in questions:
        table.add_row(str(q.id), render.plain(q.slug), render.plain(q.title), q.scale_key, render.plain(", ".join(q.tags)))
    console().print(table)


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
        _echo_json([position_json(p) for p in positions])
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


def _echo_json(value) -> None:
    click.echo(json_dumps(value, indent=2))


# ---------------------------------------------------------------------- reading


def _scale_sizes(store: Store) -> dict[int, int]:
    sizes = {s.key: s.size for s in store.scales()}
    return {q.id: sizes[q.scale_key] for q in store.questions()}


@cli.command()
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


@cli.command()
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


@cli.command("movers")
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
    import gc

    from tracker import answers

    if bool(questions) == (tag is not None):
        raise click.UsageError("give --question (one or more) or --tag, not both")
    store = open_store(ctx)
    # What the answer is made of (a record per position, a row per actor: a hundred thousand
    # objects for a tag's questions) lives until it is written: the collector would walk it
    # again and again for nothing to free, a tenth of the time.
    gc.disable()
    try:
        chosen = answers.choose_questions(store, questions, tag)
        report = answers.movers(store, chosen, level=level, refusal=refusal, roll_up=roll_up, chronological=tag is not None)
        if as_json:
            from tracker.formats.movers_json import movers_json

            click.echo(movers_json(report))  # _echo_json's text, made faster
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
    finally:
        gc.enable()


@cli.command()
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


# ---------------------------------------------------------------------- exchange


@cli.command("import")
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
    stream = _open_input(file, fmt)  # before the store, so a wrong name creates no database file
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


def _open_input(file: str, fmt: str):
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


@cli.command("capture")
@click.argument("file", type=FileName(allow_dash=True), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the quotes found as JSON and write nothing.")
@click.pass_context
def capture_cmd(ctx, file, as_json) -> None:
    """Find the quotes of an article (a text or HTML file, or - for stdin) and capture them.
    Without FILE the interface asks for one (or for pasted text)."""
    from tracker.formats.article import read_article
    from tracker.store.database import resolve_path

    if file is None and as_json:
        raise click.UsageError("--json needs the article: a FILE, or - for standard input")
    if file == "-" and not as_json:
        raise TrackerError("the article on standard input leaves the keyboard to no one: use --json, or save it to a file (or paste it after `c` in the interface)")
    article = None if file is None else read_article(file)  # bad input: one line, before any database is opened
    path = resolve_path(ctx.find_root().obj["db"])[0]
    if as_json:
        from tracker.capture import capture

        # Reading only: a missing database is no error (no actors: every speaker is null).
        store = open_store(ctx, create=False) if os.path.lexists(path) else None
        _echo_json(capture(store, article))
        return
    store = open_store(ctx, create=True)  # refuses a bad file before the screen changes
    path = store.path
    store.close()
    ctx.find_root().obj["store"] = None
    _run_app(path, first=lambda: _capture_screen(article))


def _capture_screen(article):
    """The capture screen for ``article``, or the prompt for one (as `c` opens) when None."""
    if article is None:
        from tracker.tui.screens.capture_prompt import CapturePrompt

        return CapturePrompt()
    from tracker.tui.screens.capture import CaptureScreen

    return CaptureScreen(article)


@cli.command()
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
    from tracker.formats import csvfile, jsonl, markdown

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
        def writer(_conn, out, *, actor_id, question_id):
            return markdown.write_markdown(
                store, out, question_id=question_id, actor_id=actor_id, as_of=when, mermaid=mermaid, two_cores=True
            )
    elif fmt == "csv":
        def writer(conn, out, *, actor_id, question_id):
            return csvfile.write(conn, out, actor_id=actor_id, question_id=question_id, raw=raw, excel=excel)
    else:
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


@cli.command()
@click.argument("file", type=FileName(dir_okay=False))
@click.pass_context
def backup(ctx, file) -> None:
    """A consistent copy of the database, safe while others write to it."""
    dest = open_store(ctx).backup(file)
    click.echo(f"backed up to {printable(str(dest), one_line=True)}")


@cli.command()
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


from tracker.cli import serve as _serve  # noqa: E402 - tracker serve, in its own module (it imports helpers above)

cli.add_command(_serve.serve)
from tracker.cli import sync as _sync  # noqa: E402 - tracker sync, in its own module

cli.add_command(_sync.sync)


def _closed_pipe() -> None:
    """Standard output's reader has gone: send what is left (Python flushes it at exit)
    to /dev/null, so that no "Exception ignored ... BrokenPipeError" is printed."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout
        pass


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="tracker")
    except BrokenPipeError:  # raised outside a command (a usage message, --help | head)
        _closed_pipe()
        sys.exit(0)
    except SystemExit:
        try:
            sys.stdout.flush()  # the last of the output, while a closed pipe can still be caught
        except BrokenPipeError:
            _closed_pipe()
            sys.exit(0)
        raise
