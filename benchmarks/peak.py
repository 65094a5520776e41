"""Run a command and write its peak memory: the floor of a measure of peak RSS.

    python -I -S benchmarks/peak.py OUT COMMAND [ARG ...]

Runs COMMAND with this process's standard streams, waits for it, writes its peak RSS (in
kB, as Linux's wait4 gives it) and the moment it was started (``time.monotonic()``, the
system's monotonic clock, so that the runner can leave this process's own start-up out of a
time) to the file OUT, and exits with its exit code. The runner
measures memory through this small process rather than directly: Linux keeps a process's
peak RSS across exec, so a command forked from the runner (a Python process of 50 MB and
more) would start with the runner's own peak and a figure below it could not be seen.
Only the standard library, no site packages (``-S``): this process stays at about 10 MB.
"""

import os
import sys
import time


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    started = time.monotonic()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as f:
        f.write(f"{usage.ru_maxrss} {started!r}")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
