"""A run at one size (``Bench``): its settings, its datasets and the databases imported from them.

The datasets are made by benchmarks/generate.py and kept in the work folder with their databases,
so that a second run skips both; the search queries are drawn from the generator's vocabulary.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import HERE, generate
from benchmarks.processes import run

BIG = 1_000_000  # above this many positions, the measures run fewer times (see Bench)


@dataclass
class Bench:
    """One size of a run: its settings (``args``, ``positions`` that size's), the programs it starts,
    how many times each measure runs, and the datasets it measures (made once, kept in ``work``)."""

    args: argparse.Namespace
    work: Path
    python: list[str]
    tracker: list[str]
    sqlite_utils: list[str]
    sqlite3: str | None
    size: tuple[int, int] = (160, 48)
    cache: dict = field(default_factory=dict)  # shared by the sizes of one run

    @property
    def positions(self) -> int:
        return self.args.positions

    @property
    def big(self) -> bool:
        """Above a million positions (5,000,000): fewer runs, so that the growth run stays affordable."""
        return self.positions > BIG

    @property
    def runs(self) -> int:
        return min(self.args.runs, 3) if self.big else self.args.runs

    @property
    def import_runs(self) -> int:
        if self.args.import_runs is not None:
            return max(1, min(self.args.runs, self.args.import_runs))
        return min(self.args.runs, 3) if self.positions <= 100_000 else 1

    @property
    def key_runs(self) -> int:
        """One run (``--presses`` keys a list) at each size of a --sizes run, or above 1,000,000."""
        return 1 if self.big or len(self.args.sizes) > 1 else self.runs

    @property
    def opens(self) -> int:
        """Questions opened in each session of the interface."""
        return min(self.args.opens, 3) if self.big else self.args.opens

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # Datasets: generated once, imported once, kept in the work folder.

    def jsonl_path(self, positions: int, short_quotes: bool = False) -> Path:
        a = self.args
        shape = "-short" if short_quotes else ""
        return self.work / f"synthetic-p{positions}-a{a.actors}-q{a.questions}-s{self.sources}-seed{a.seed}{shape}.jsonl"

    def jsonl(self, positions: int, short_quotes: bool = False) -> Path:
        """The dataset, made by the generator if it is not in the work folder yet."""
        a = self.args
        path = self.jsonl_path(positions, short_quotes)
        if not path.exists():
            self.log(f"generating {path.name}")
            partial = path.with_name(path.name + ".partial")
            run([*self.python, str(HERE / "generate.py"), "--positions", str(positions), "--actors", str(a.actors),
                 "--questions", str(a.questions), "--sources", str(self.sources), "--seed", str(a.seed),
                 *(["--short-quotes"] if short_quotes else []), "-o", str(partial)])  # fmt: skip
            partial.replace(path)
        return path

    @property
    def sources(self) -> int:
        return self.args.sources if self.args.sources is not None else min(20_000, max(10, self.args.positions // 50))

    @property
    def short_quotes(self) -> bool:
        """Whether benchmarks/generate.py can make the short-quote shape (``--short-quotes``)."""
        if "short_quotes" not in self.cache:
            self.cache["short_quotes"] = "--short-quotes" in run([*self.python, str(HERE / "generate.py"), "--help"]).stdout
        return self.cache["short_quotes"]

    def database(self, jsonl: Path) -> Path:
        db, ok = jsonl.with_suffix(".db"), jsonl.with_suffix(".db.ok")
        if ok.exists() and db.exists() and not self.cache.get(("fresh", db)):
            return db
        self.log(f"importing {jsonl.name}")
        remove_db(db)
        ok.unlink(missing_ok=True)
        run([*self.tracker, "--db", str(db), "import", str(jsonl)])
        ok.touch()
        self.cache[("fresh", db)] = False
        return db

    def adopt(self, imported: Path, jsonl: Path) -> None:
        """Keep a database the import measure made as the dataset's database."""
        db, ok = jsonl.with_suffix(".db"), jsonl.with_suffix(".db.ok")
        conn = sqlite3.connect(imported)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file before it moves
        conn.close()
        remove_db(db)
        ok.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if Path(str(imported) + suffix).exists():
                Path(str(imported) + suffix).replace(str(db) + suffix)
        ok.touch()
        self.cache[("fresh", db)] = False

    @property
    def main_jsonl(self) -> Path:
        return self.jsonl(self.args.positions)

    @property
    def main_db(self) -> Path:
        return self.database(self.main_jsonl)

    def positions_only(self, jsonl: Path) -> Path:
        """The position lines of ``jsonl``, without their ``type``: what sqlite-utils inserts."""
        path = jsonl.with_suffix(".positions.jsonl")
        if not path.exists():
            partial = path.with_name(path.name + ".partial")
            with jsonl.open(encoding="utf-8") as src, partial.open("w", encoding="utf-8") as out:
                for line in src:
                    if line.startswith('{"type": "position"'):
                        record = json.loads(line)
                        del record["type"]
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            partial.replace(path)
        return path


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def count_rows(db: Path, table: str = "positions") -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def search_queries() -> tuple[list[str], list[str]]:
    """Queries from the generator's vocabulary: whole words, from most positions to none,
    and prefixes (an unfinished last word)."""
    words = generate.WORDS  # most common first (Zipf's law)
    common = [w for w in words if len(w) >= 4][:4]
    whole = [
        *common,  # one common word: in many quotes
        "pas",  # a short, common word
        words[300], words[3_000], words[29_000],  # less and less common words
        f"{words[0]} {words[1]}", f"{common[1]} {common[2]}", "troupes sol", "send tanks",  # two words
        f"{words[0]} {words[3_000]}",  # a common word and a rare one
        "we will not send",  # four words
        "geandert", "Bundnis",  # accents left out
        "zeppelin",  # no match
        "Actor 00042",  # an actor's name (no position matches)
        "Question 0007",  # a question's title
    ]  # fmt: skip
    prefixes = ["Verant", "Bü", "mis", "g", "pou", "sch", f"{words[0]} p", words[20_000][:4]]
    return whole, prefixes
