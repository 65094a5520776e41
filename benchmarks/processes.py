"""Commands the runner starts: run, timed, with their own peak memory (through benchmarks/peak.py),
and written for the results."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import HERE, ROOT


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, stdout=kwargs.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {done.returncode}: {(done.stderr or '')[-2000:]}")
    return done


def timed(argv: list[str]) -> float:
    """Seconds a command takes, its output thrown away."""
    return measured(argv)[0]


def measured(argv: list[str]) -> tuple[float, float]:
    """Seconds a command takes, its output thrown away, and its peak RSS in MB (through benchmarks/peak.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        run(with_peak(argv, peak), stdout=subprocess.DEVNULL)
        end = time.monotonic()
        rss, started = peak_of(peak)
        return end - started, rss


def with_peak(argv: list[str], out: Path) -> list[str]:
    """``argv`` run by benchmarks/peak.py, which writes to ``out`` its peak RSS and when it started it."""
    return [sys.executable, "-I", "-S", str(HERE / "peak.py"), str(out), *argv]


def peak_of(out: Path) -> tuple[float, float]:
    """What benchmarks/peak.py wrote: the peak RSS in MB (``ru_maxrss``: kB on Linux, bytes on
    macOS) and the ``time.monotonic()`` at which the command started."""
    rss, started = out.read_text().split()
    return int(rss) / (1024 * 1024 if sys.platform == "darwin" else 1024), float(started)



def shell(argv: list[str], work: Path) -> str:
    """A command for the results: the work folder as $WORK, paths in the checkout relative to it."""
    out = []
    for arg in argv:
        text = str(arg).replace(str(work), "$WORK").replace(str(ROOT) + "/", "")
        if text.startswith("/") and shutil.which(Path(text).name) == text:
            text = Path(text).name  # /usr/bin/sqlite3
        out.append(text if re.fullmatch(r"[\w@%+=:,./$-]+", text) else "'" + text.replace("'", "'\\''") + "'")
    return " ".join(out)
