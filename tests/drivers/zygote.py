"""Forks writers on demand, so that a test can kill many of them without paying
Python's and Textual's start-up each time.

    zygote.py MODULE        (MODULE: add_loop or tui_saver, a driver in this folder)

Imports the driver once (never opening a database), prints ``ready``, then reads
commands on stdin, one a line:

    run ARGS...   fork a child that runs the driver's ``main(ARGS)``; the child prints
                  ``pid N`` and then whatever the driver prints
    kill          SIGKILL the running child (if it has not ended yet)

and prints ``exit N CODE`` when the child has ended (CODE negative: killed by that
signal). One child at a time. The zygote is the child's parent and reaps it only
after it has ended, so ``kill`` can never reach another process. End of input
kills a running child and ends the zygote.
"""

from __future__ import annotations

import importlib
import os
import select
import signal
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(driver, args: list[str]) -> None:
    """In the forked child: never returns."""
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # the zygote's commands are not for the driver
        os.close(devnull)
        sys.stdin = open(0, closefd=False)
        say(f"pid {os.getpid()}")
        code = driver.main(args)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)


def serve(driver) -> int:
    say("ready")
    running: int | None = None
    buffer = b""
    stdin_open = True
    while stdin_open or running is not None:
        if running is not None:
            pid, status = os.waitpid(running, os.WNOHANG)
            if pid:
                say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")
                running = None
                continue
        if not stdin_open:  # end of input: do not leave a writer behind
            os.kill(running, signal.SIGKILL)  # type: ignore[arg-type]
            os.waitpid(running, 0)  # type: ignore[arg-type]
            running = None
            break
        ready, _, _ = select.select([0], [], [], 0.005 if running is not None else 1.0)
        if not ready:
            continue
        data = os.read(0, 4096)
        if not data:
            stdin_open = False
            continue
        buffer += data
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            words = line.decode("utf-8").split()
            if not words:
                continue
            if words[0] == "run":
                if running is not None:
                    say("error a child is running")
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    child(driver, words[1:])
                running = pid
            elif words[0] == "kill":
                if running is not None:
                    os.kill(running, signal.SIGKILL)  # not reaped yet: still our child
            else:
                say(f"error unknown command {words[0]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(serve(importlib.import_module(sys.argv[1])))
