"""The command line's layout: one module per concern, each command loaded only when it runs.

`tracker` alone (the interface) and the commands that do not need them never import the
other commands' modules; what a user sees (`tracker --help`, "Did you mean", each
command) is the same as when every command was loaded up front.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import tracker.cli
from tracker.cli.group import COMMANDS, cli

CLI_FOLDER = Path(tracker.cli.__file__).parent
COMMAND_MODULES = sorted({where.split(":")[0] for where in COMMANDS.values()})

# Runs `tracker ARGS...` as the entry point does and prints the command modules imported by the end.
PROBE = """
import json, sys
from tracker.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("tracker.cli."))), file=sys.stderr)
"""


def loaded_modules(*args: str) -> tuple[str, list[str]]:
    """What `tracker ARGS` wrote (stdout and stderr), and the tracker.cli modules it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    *said, modules = done.stderr.splitlines()
    return done.stdout + "\n".join(said), json.loads(modules)


def test_every_module_says_what_it_is_for_and_stays_small():
    for path in CLI_FOLDER.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no docstring"
        assert text.count("\n") <= 450, f"{path.name} has {text.count(chr(10))} lines"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_is_found_under_its_name(name):
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.name == name


def test_a_mistyped_command_is_still_told_the_closest_name_and_loads_nothing():
    said, modules = loaded_modules("lsit")
    assert "No such command 'lsit'. Did you mean 'list'?" in said
    assert modules == ["tracker.cli.group"]


def test_the_version_loads_no_command():
    said, modules = loaded_modules("--version")
    assert said.startswith("tracker, version ")
    assert modules == ["tracker.cli.group"]


def test_a_command_loads_its_own_module_only(tmp_path):
    db = tmp_path / "t.db"
    said, modules = loaded_modules("--db", str(db), "add", "actor", "Emmanuel Macron")
    assert said.strip() == "emmanuel-macron"
    assert modules == ["tracker.cli.edit", "tracker.cli.group"]
    said, modules = loaded_modules("--db", str(db), "list", "actors", "--json")
    assert json.loads(said)[0]["slug"] == "emmanuel-macron"
    assert modules == ["tracker.cli.browse", "tracker.cli.group"]


def test_help_lists_every_command_with_its_summary():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  tui       The interface (also what `tracker` alone runs)." in listed
    assert "  list      List actors, questions or positions." in listed


def test_help_loads_the_commands_but_none_of_what_they_run():
    said, modules = loaded_modules("--help")
    assert "Commands:" in said
    assert set(modules) >= set(COMMAND_MODULES)
    # The heavy parts are imported when a command runs, never for its help.
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from tracker.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
         "print(sorted(m for m in ('rich', 'textual', 'tracker.formats', 'tracker.answers') if m in sys.modules))"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.splitlines()[-1] == "[]"
