"""The files of every schema version kept in tests/fixtures/ (see make_fixtures.py there): a
copy to open, never the fixture itself."""

from __future__ import annotations

import gzip
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MAKE = "run `.venv/bin/python tests/fixtures/make_fixtures.py` and commit what it writes"


def fixture_files(version: int) -> tuple[Path, Path]:
    """The fixture file of ``version`` (gzipped) and the JSON of every row it holds."""
    return FIXTURES / f"schema-{version:04d}.db.gz", FIXTURES / f"schema-{version:04d}.json"


def unpack(version: int, folder: Path) -> Path:
    """A copy of the fixture file of ``version`` in ``folder``."""
    packed, _ = fixture_files(version)
    assert packed.exists(), f"no fixture for schema version {version}: {MAKE}"
    path = folder / f"schema-{version}.db"
    path.write_bytes(gzip.decompress(packed.read_bytes()))
    return path
