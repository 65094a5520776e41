"""The markdown package: modules that each say what they are for and stay small, public
names that the rest of the program uses, and the copy of a second core's half."""

from __future__ import annotations

import ast
import io
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker.formats.markdown as markdown
from tracker.cli import cli
from tracker.formats.markdown import report
from tracker.formats.markdown.second_core import copy_text

from tui_helpers import demo_copy

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tracker" / "formats" / "markdown"
MODULES = sorted(PACKAGE.glob("*.py"))


def test_the_package_has_the_three_concerns_apart():
    names = {path.stem for path in MODULES}
    assert {"__init__", "escape", "mermaid", "report"} <= names
    assert not (ROOT / "tracker" / "formats" / "markdown.py").exists()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_module_says_what_it_is_for_and_stays_small(path):
    source = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring and len(docstring.split()) >= 8, f"{path.name} needs a docstring saying what it is for"
    assert source.count("\n") <= 450, f"{path.name} has {source.count(chr(10))} lines"


def test_the_public_names_are_exported():
    for name in markdown.__all__:
        assert not name.startswith("_")
        assert callable(getattr(markdown, name)), name
    assert {"write_markdown", "render_markdown", "default_filename", "inline", "cell", "lines", "mermaid_text"} <= set(
        markdown.__all__
    )


def outside_imports():
    """(file, module, name) of each ``from tracker.formats.markdown... import name`` outside the package."""
    for path in [*(ROOT / "tracker").rglob("*.py"), *(ROOT / "tests").glob("*.py")]:
        if PACKAGE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tracker.formats.markdown"):
                for alias in node.names:
                    yield path.relative_to(ROOT), node.module, alias.name


def test_no_one_outside_the_package_imports_a_private_name():
    found = list(outside_imports())
    assert found, "the program imports the package somewhere"
    for path, module, name in found:
        assert not name.startswith("_"), f"{path} imports {module}.{name}"
        if module == "tracker.formats.markdown" and not path.parts[0] == "tests":
            assert name in markdown.__all__, f"{path} imports {name}, which the package does not export"


def test_the_program_imports_the_package_not_its_modules():
    for path, module, name in outside_imports():
        if path.parts[0] == "tracker":
            assert module == "tracker.formats.markdown", f"{path} imports from {module}"


# ---------------------------------------------------------------------- a second core's half


def child_file(text: str):
    """A temporary file as the child leaves it: written, its offset at the end."""
    file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
    file.write(text)
    file.flush()
    return file


HALF = "## Zoë — “quoted” ▲ +2 shift\n\n| Actor | ⟨x⟩ |\n" * 1000


class CountingWrapper(io.TextIOWrapper):
    """A text file that counts the texts written to it."""

    texts = 0

    def write(self, text):
        self.texts += 1
        return super().write(text)


def test_the_half_goes_after_what_is_written_as_the_same_bytes():
    raw = io.BytesIO()
    out = CountingWrapper(raw, encoding="utf-8", newline="")
    out.write("# First half — é\n")  # still in the wrapper's buffer
    with child_file(HALF) as text:
        copy_text(text, out)
    out.flush()
    assert raw.getvalue() == ("# First half — é\n" + HALF).encode("utf-8")
    assert out.texts == 1  # the half went as bytes: not decoded and written as text again


def test_the_half_is_written_as_text_to_a_file_of_another_encoding():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-16", newline="")
    out.write("# First\n")
    with child_file(HALF) as text:
        copy_text(text, out)
    out.flush()
    assert raw.getvalue().decode("utf-16") == "# First\n" + HALF


def test_the_half_is_written_to_a_string():
    out = io.StringIO()
    out.write("# First\n")
    with child_file(HALF) as text:
        copy_text(text, out)
    assert out.getvalue() == "# First\n" + HALF


@pytest.mark.skipif(not hasattr(os, "fork"), reason="two cores need os.fork")
def test_the_report_to_the_standard_output_on_two_cores_is_the_report_on_one(tmp_path, monkeypatch, forks):
    db = demo_copy(tmp_path / "demo.db")
    args = ["--db", str(db), "export", "markdown", "--as-of", "2025-06-01"]
    one = CliRunner().invoke(cli, args)
    monkeypatch.setattr(report, "TWO_CORES_FROM", 1)
    two = CliRunner().invoke(cli, args)
    assert one.exit_code == two.exit_code == 0, two.output
    assert len(forks) == 1
    assert two.stdout_bytes == one.stdout_bytes
    assert two.output.startswith("# Stated positions\n")
