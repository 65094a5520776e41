"""The benchmarks are a package that shows its design: a module a concern, each saying what it is for.

benchmarks/run.py is the command line and nothing more; the runner's parts (statistics, datasets,
the terminal driver, the measures, the query plans, the results) are modules of the package
``benchmarks`` that tests import by name. The scripts the runner starts still run alone.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
MODULES = sorted(BENCHMARKS.rglob("*.py"))
MAX_LINES = 450


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_says_what_it_is_for_and_stays_small():
    assert len(MODULES) > 10, MODULES  # the runner is split, not one file
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), f"{module_name(path)} has no docstring"
        assert len(text.splitlines()) <= MAX_LINES, f"{module_name(path)}: {len(text.splitlines())} lines"


@pytest.mark.parametrize("name", [module_name(p) for p in MODULES])
def test_each_module_imports_on_its_own(name, tmp_path):
    """In a fresh interpreter, first of all: no module depends on another having been imported before it."""
    done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_runner_is_a_thin_command_line_over_the_package():
    from benchmarks import run
    from benchmarks.measures import FUNCTIONS, MEASURES, ORDER
    from benchmarks.results import Result

    assert set(FUNCTIONS) == set(MEASURES) == set(ORDER)
    assert run.Result is Result  # one class, not a copy loaded from a file path
    tree = ast.parse((BENCHMARKS / "run.py").read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert defined == {"schedule", "tool", "parse_args", "main"}


@pytest.mark.parametrize("script", ["run.py", "generate.py", "keys.py", "bare_app.py"])
def test_the_scripts_still_run_as_scripts_from_anywhere(script, tmp_path):
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), "--help"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage: ")
    if script == "run.py":  # its docstring, the documented commands, is its help
        assert "--only" in done.stdout and "benchmarks/run.py --sizes 2000,5000" in done.stdout
