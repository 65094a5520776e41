"""The commands that open the interface: `tui` (what `tracker` alone runs), `demo` and
`capture`, and how the interface is run (its crash report included)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import click

from tracker.cli.group import FileName, echo_json, open_store
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.store import Store


@click.command()
@click.pass_context
def tui(ctx) -> None:
    """The interface (also what `tracker` alone runs)."""
    need_terminal()
    store = open_store(ctx, create=True)  # refuses a bad file with a clear message before the screen changes
    path = store.path
    store.close()
    ctx.find_root().obj["store"] = None
    run_app(path)


@click.command()
def demo() -> None:
    """The interface on a fresh copy of the bundled demo dataset (your own file is never touched)."""
    need_terminal()
    import tempfile
    from importlib import resources

    from tracker.formats import jsonl
    from tracker.formats.importer import import_records

    with tempfile.TemporaryDirectory(prefix="tracker-demo-") as folder:
        path = Path(folder) / "demo.db"
        with Store.open(path) as store, resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
            import_records(store, jsonl.read_records(f))
        run_app(path, keep_drafts=False)  # the copy goes with the session: so does what was typed


def need_terminal() -> None:
    """Refuse to start the interface, in one line, without a terminal to run in: it reads
    keys from standard input and draws on standard error (standard output stays free).
    Started from a script, a pipe or a service, it once drew into the pipe and read end of
    file for ever, one core spinning."""
    for name, stream in (("standard input", sys.stdin), ("standard error", sys.stderr)):
        if stream is None or not stream.isatty():
            raise TrackerError(
                f"the interface needs a terminal, and {name} is not one: run it in a terminal window"
                " (the other commands, such as `tracker list`, `tracker timeline` or `tracker export`, need none)"
            )


def run_app(path: Path, *, first: Callable[[], object] | None = None, keep_drafts: bool = True) -> None:
    """Run the interface on ``path``. If it stops on an unexpected error (a bug), Textual
    has restored the terminal: write the traceback to a crash log, say where in one line,
    and exit with :data:`tracker.crash.CRASH_EXIT`."""
    import gc

    from tracker.tui.app import TrackerApp  # Textual loads only when the interface runs

    # What is imported by now lives as long as the process: out of the collector's sight, the
    # full collection the start would otherwise run (20-60 ms, before the first paint) walks
    # none of it. The app freezes what it makes in turn once it has painted.
    gc.freeze()
    app = TrackerApp(path, first=first, keep_drafts=keep_drafts)
    app.reports_crashes = True
    try:
        app.run()
    except Exception as e:  # noqa: BLE001 - Textual itself failed (the terminal, the driver)
        report_crash(e, path)
    if app.return_code:
        report_crash(app.crash_error, path)


def report_crash(error: BaseException | None, path: Path) -> None:
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



@click.command("capture")
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
        echo_json(capture(store, article))
        return
    need_terminal()
    store = open_store(ctx, create=True)  # refuses a bad file before the screen changes
    path = store.path
    store.close()
    ctx.find_root().obj["store"] = None
    run_app(path, first=lambda: _capture_screen(article))


def _capture_screen(article):
    """The capture screen for ``article``, or the prompt for one (as `c` opens) when None."""
    if article is None:
        from tracker.tui.screens.capture_prompt import CapturePrompt

        return CapturePrompt()
    from tracker.tui.screens.capture import CaptureScreen

    return CaptureScreen(article)
