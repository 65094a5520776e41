"""Helpers for the tests of `tracker sync`: a team's bare repository on disk, clones of
it, each with its own SQLite file, and git run with a test identity and no global or
system configuration (the user's own is never read nor touched)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.store import Store

from conftest import SAMPLE_RECORDS, jsonl_text


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """git with a test identity, no global or system configuration."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    return tmp_path


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


@dataclass
class Side:
    """One member of the team: a clone and a SQLite file."""

    clone: Path
    db: Path

    def run(self, *args: str):
        return CliRunner().invoke(cli, ["--db", str(self.db), *args])

    def sync(self):
        result = self.run("sync", str(self.clone))
        assert result.exit_code == 0, result.output
        return result.output

    def store(self) -> Store:
        return Store.open(self.db)

    def sql(self, query: str, *args):
        conn = sqlite3.connect(self.db)
        try:
            with conn:
                return conn.execute(query, args).fetchall()
        finally:
            conn.close()

    def position(self, uid: str) -> dict:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return dict(conn.execute("SELECT * FROM positions WHERE uid = ?", (uid,)).fetchone() or {})
        finally:
            conn.close()

    def export(self) -> str:
        result = self.run("export", "jsonl")
        assert result.exit_code == 0, result.output
        return result.output

    def sha(self) -> str:
        return hashlib.sha256(self.db.read_bytes()).hexdigest()

    def files(self) -> dict[str, str]:
        data = self.clone / "tracker-data"
        return {str(p.relative_to(data)): p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.jsonl"))}


def team(root: Path, *, data: bool = True) -> tuple[Path, Side, Side]:
    """A bare repository and two clones; A's file has the sample dataset, synced and
    pulled by B when ``data``."""
    remote = root / "team.git"
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", "--bare", str(remote)], check=True)
    sides = []
    for name in ("a", "b"):
        subprocess.run(["git", "clone", "-q", str(remote), str(root / name)], check=True, capture_output=True)
        sides.append(Side(root / name, root / f"{name}.db"))
    a, b = sides
    if data:
        sample = root / "sample.jsonl"
        sample.write_text(jsonl_text(SAMPLE_RECORDS), encoding="utf-8")
        assert a.run("import", str(sample)).exit_code == 0
        a.sync()
        b.sync()
    return remote, a, b


def layout_lines(side: Side, name: str) -> list[dict]:
    return [json.loads(t) for t in (side.clone / "tracker-data" / name).read_text(encoding="utf-8").splitlines()]


SEED = "00000000-0000-4000-8000-000000000002"  # Macron, 26 February 2024 (see conftest)
BRATISLAVA = "00000000-0000-4000-8000-000000000001"  # Macron, June 2023
