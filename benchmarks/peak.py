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

A command that starts processes of its own (an import builds its search index in a second
one) uses the memory of all of them at once, where wait4 gives the largest of them alone.
On Linux the sum of their RSS is also read from /proc every 20 ms while the command runs
(pages two of them share count twice: never an underestimate, short of a peak between two
readings), and the larger of the two figures is written.
"""

import os
import sys
import threading
import time

SAMPLE = 0.02  # seconds between two readings of the processes' memory


def rss_kib(pid: int) -> int:
    """The resident memory of ``pid`` and of every process under it, in kB (0 once gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total = int(line.split()[1])
                    break
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return total + sum(rss_kib(int(child)) for child in children.read().split())
    except (OSError, ValueError):  # gone meanwhile, or no /proc
        return total


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    started = time.monotonic()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    together = [0]
    ended = threading.Event()

    def sample() -> None:  # in a thread: the wait below returns the moment the command ends
        while not ended.wait(SAMPLE):
            together[0] = max(together[0], rss_kib(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(pid, 0)
    ended.set()
    sampler.join()
    with open(out, "w") as f:
        f.write(f"{max(usage.ru_maxrss, together[0])} {started!r}")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
