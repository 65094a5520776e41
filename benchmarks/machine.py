"""What a run measured on: the machine, the software and a digest of the code measured."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from pathlib import Path

from benchmarks import ROOT


def machine() -> dict[str, str]:
    def cpu_model() -> str:
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()

    def ram() -> str:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        except OSError:
            pass
        return "unknown"

    from importlib.metadata import version

    def cli_version(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.split()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "not found"

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "cpu": f"{cpu_model()}, {os.cpu_count()} CPUs (nproc)",
        "ram": ram(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": f"{sqlite3.sqlite_version} (Python's sqlite3), sqlite3 CLI {cli_version(['sqlite3', '--version'])}",
        "textual": version("textual"),
        "rich": version("rich"),
        "sqlite-utils": version("sqlite-utils"),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


def code_files() -> dict[str, str]:
    """A digest of each file of the code measured (tracker/ and the migrations)."""
    import hashlib

    files = [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("tracker/**/*.tcss"), *ROOT.glob("db/migrations/*.sql")]
    return {str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(files)}


def code_digest(files: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
