"""The command line's group: ``tracker`` and its options, what every command shares
(opening the database, one-line errors, file-name arguments, the console) and the table
of commands, each loaded from its own module only when it runs.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 a usage error.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

import click

from tracker import __version__
from tracker.domain.text import is_utf8, json_dumps, printable, quoted
from tracker.errors import TrackerError

# The interface starts with `tracker` alone: it loads this module and tracker.cli.interface
# only. The other commands' modules, and what only they use (Rich, the formats, diffs,
# movers), are imported when they run, so they never delay the first paint
# (tests/test_imports.py).
if TYPE_CHECKING:
    from rich.console import Console

    from tracker.store import Store

# Every command: its name, and where it is defined ("module:attribute").
COMMANDS = {
    "add": "tracker.cli.edit:add",
    "backup": "tracker.cli.admin:backup",
    "capture": "tracker.cli.interface:capture_cmd",
    "check": "tracker.cli.admin:check",
    "delete": "tracker.cli.edit:delete",
    "demo": "tracker.cli.interface:demo",
    "diff": "tracker.cli.answers:diff",
    "edit": "tracker.cli.edit:edit",
    "export": "tracker.cli.exchange:export",
    "import": "tracker.cli.exchange:import_cmd",
    "list": "tracker.cli.browse:list_",
    "movers": "tracker.cli.answers:movers_cmd",
    "search": "tracker.cli.browse:search",
    "serve": "tracker.cli.serve:serve",
    "sync": "tracker.cli.sync:sync",
    "timeline": "tracker.cli.browse:timeline",
    "tui": "tracker.cli.interface:tui",
}


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


class LazyCommands(MutableMapping):
    """A group's commands by name, from a table of ``"module:attribute"``: a command's
    module is imported the first time the command is looked up (click's lazy-loading
    pattern). As the group's ``commands``, it is what click's ``get_command`` and
    ``list_commands`` read, and the names a mistyped command is matched against ("Did you
    mean 'list'?"): listing names loads nothing; ``tracker --help`` loads every command for
    its one-line help."""

    def __init__(self, table: dict[str, str]):
        self._table = dict(table)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute = self._table[name].split(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:  # click's add_command: already loaded
        self._table.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._table[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


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
    from tracker.store import Store

    obj = ctx.find_root().obj
    if obj.get("store") is None:
        said = lambda text: click.echo(printable(text, one_line=True) + "…", err=True)  # noqa: E731
        obj["store"] = store = Store.open(obj["db"], create=create, on_upgrade=said)
        store.on_wait = lambda: click.echo(f"waiting for another program to finish writing to {printable(str(store.path), one_line=True)}…", err=True)
        ctx.call_on_close(store.close)
    return obj["store"]


def echo_json(value) -> None:
    click.echo(json_dumps(value, indent=2))


@click.group(cls=TrackerGroup, commands=LazyCommands(COMMANDS), invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=FileName(readable=False), metavar="PATH", help="Database file (default: $TRACKER_DB, else ~/.local/share/tracker/tracker.db).")
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Position Tracker: follow how actors change their stated positions over time."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        ctx.invoke(ctx.command.get_command(ctx, "tui"))


def _closed_pipe() -> None:
    """Standard output's reader has gone: send what is left (Python flushes it at exit)
    to /dev/null, so that no "Exception ignored ... BrokenPipeError" is printed."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout
        pass


def ends_the_process(ctx: click.Context) -> list[object] | None:
    """Said by a command that builds many records and writes them out (an export): when
    it runs as the program (``main``), the process ends the moment it returns, with its
    output flushed and its files closed, without Python's clean-up, and the cyclic
    garbage collector stays off until then. That clean-up frees every record one by one
    and walks them all once more for cycles, memory the system takes back at once: 40-80
    ms of a 0.9 s report of 100,000 statements. Returns a list whose contents are held
    until then, never freed (what a command would otherwise free on its way out), or None
    when run any other way (tests, a program of one's own), where nothing changes."""
    state = ctx.find_root().obj
    if not state.get("process"):
        return None
    import gc

    gc.disable()
    state["end_at_once"] = True
    return state.setdefault("kept", [])


def main(argv: list[str] | None = None) -> None:
    state = {"process": True}  # this call is the program: see ends_the_process
    try:
        cli.main(args=argv, prog_name="tracker", obj=state)
    except BrokenPipeError:  # raised outside a command (a usage message, --help | head)
        _closed_pipe()
        sys.exit(0)
    except SystemExit as exit_:
        try:
            sys.stdout.flush()  # the last of the output, while a closed pipe can still be caught
        except BrokenPipeError:
            _closed_pipe()
            sys.exit(0)
        if state.get("end_at_once") and (exit_.code is None or type(exit_.code) is int):
            import os

            try:
                sys.stderr.flush()
            except OSError:  # nowhere to say anything more
                pass
            os._exit(exit_.code or 0)
        raise
