"""`tracker serve`: the file in Datasette, on this computer only, read-only.

Datasette is an optional extra (``pip install 'position-tracker[web]'``) and is imported
only when the command runs, so the interface's start-up never pays for it.

The file is opened in Datasette's normal ("mutable") mode, not ``-i`` (immutable):
Datasette then reads through ``file:...?mode=ro`` connections, which SQLite never lets
write to the file, and it sees what the interface or another command writes meanwhile.
Immutable mode would tell SQLite the file cannot change: it skips locking and the
write-ahead log, so the interface's latest changes (in the ``-wal`` file) would be
missing and a write during a read could show a damaged page.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

INSTALL = "Datasette is not installed; to serve the file: pip install 'position-tracker[web]'"
HOST = "127.0.0.1"  # never another interface: the page is for this computer's user
DEFAULT_PORT = 8001  # Datasette's own default


def datasette_available() -> bool:
    try:
        import datasette.app  # noqa: F401
    except ImportError:
        return False
    return True


def database_name(path: Path) -> str:
    """The name Datasette gives the file's database (its URL path): the file name without
    its extension."""
    return Path(path).stem


def build(path: Path, meta: dict):
    """The Datasette instance `tracker serve` runs: one database, read through read-only
    connections, with ``meta``. Tests use it with Datasette's own test client."""
    from datasette.app import Datasette

    return Datasette(files=[str(path)], metadata=meta, settings={"allow_download": False})


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 to serve on.")  # fmt: skip
@click.option("--metadata", "print_metadata", is_flag=True,
              help="Print Datasette's metadata JSON (for `datasette publish -m`) and exit.")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, port: int, print_metadata: bool) -> None:
    """Browse and search the file in Datasette at http://127.0.0.1:PORT/ (read-only)."""
    from tracker.cli.group import UserError, open_store
    from tracker.domain.text import json_dumps
    from tracker.web import metadata

    if not print_metadata and not datasette_available():
        raise UserError(INSTALL)
    store = open_store(ctx)  # a missing or foreign file is refused in one line, never created
    path = store.path
    meta = metadata(store, database_name(path))
    if print_metadata:
        click.echo(json_dumps(meta, indent=2))
        return
    store.close()
    ctx.find_root().obj["store"] = None
    if not _port_free(port):
        raise UserError(f"port {port} is in use on {HOST}; choose another with --port")
    _run(path, meta, port)


def _run(path: Path, meta: dict, port: int) -> None:  # pragma: no cover - a real server, tried by hand
    import asyncio

    import uvicorn

    ds = build(path, meta)
    asyncio.run(ds.invoke_startup())
    from tracker.domain.text import printable

    name = database_name(path)
    click.echo(f"serving {printable(str(path), one_line=True)} read-only at http://{HOST}:{port}/{printable(name, one_line=True)} (Ctrl+C stops)", err=True)
    sys.stdout.flush()
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning", lifespan="on", workers=1)
