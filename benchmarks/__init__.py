"""The benchmarks of Position Tracker: its speed and memory, each measured beside a reference.

``benchmarks/run.py`` is the command line (see its docstring for the commands); the rest is laid out as:

  stats.py       the median and 95th percentile of samples
  results.py     ``Result``: one line of the results, its goal and its verdict
  processes.py   running a command: timed, with its own peak memory (through peak.py), written for the results
  datasets.py    ``Bench``: a run at one size, its datasets (made by generate.py, imported once, kept) and
                 the search queries drawn from the generator's vocabulary
  terminal.py    a program in a pseudo-terminal, and what it draws
  measures/      one module a measure (imports, sessions: paint, question and memory, keys, search, movers,
                 markdown, plans), and the table of them in ``measures/__init__.py``
  plans.py       the query plans of the interface's and the export's reads, recorded as they run
  machine.py     the machine, the software and the code measured
  report.py      the table on the terminal and the block of RESULTS.md
  growth.py      the growth table and chart of a run at several sizes

and the scripts that the runner starts (each also runs alone): generate.py (the datasets), keys.py (keypresses
under Pilot), bare_app.py (the reference app) and peak.py (a command's own peak memory, its processes together).
import_floor.py, run by hand, times the least any import in Python takes over a file of position lines.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent  # benchmarks/: the scripts the runner starts
ROOT = HERE.parent  # the checkout: tracker/ and db/migrations/, the code measured
