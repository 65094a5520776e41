"""The house's layers hold: no module imports from a layer above its own, and every module
says what it is for.

The layer map (also in README.md, "Layout"), lowest first. A module may import its own
layer and any layer below; "faces" never import each other, except that the command line
starts the others: tracker/cli may import tracker.tui and tracker.web inside a function
(the command that starts the interface or the server), never at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tracker

# layer: (its rank, the packages and modules of tracker in it)
LAYERS = {
    "base": (0, {"tracker", "errors", "gc_pause", "files", "crash"}),  # process plumbing: imports nothing of tracker
    "domain": (1, {"domain"}),  # plain Python
    "store": (2, {"store"}),  # all the SQL
    "middle": (3, {"formats", "answers", "compare", "capture", "sync", "render"}),  # on the store
    "faces": (4, {"cli", "tui", "web"}),  # what a person uses
    "entry": (5, {"__main__"}),  # python -m tracker: runs the command line
}
FACES = {"cli", "tui", "web"}
STARTED_BY_THE_CLI = {"tui", "web"}  # only inside a function of tracker/cli
# The domain is plain Python: of tracker, it imports the domain and tracker.errors alone.
DOMAIN_MAY_IMPORT = {"domain", "errors"}

ROOT = Path(tracker.__file__).parent
RANK = {part: rank for rank, parts in LAYERS.values() for part in parts}


def part_of(module: str) -> str:
    """``tracker.store.reads`` -> ``store``; ``tracker`` (its ``__init__``) -> ``tracker``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "tracker"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def tracker_imports(path: Path, root: Path = ROOT) -> list[tuple[str, int, bool]]:
    """Each import of tracker in the file, anywhere (inside functions and ``if
    TYPE_CHECKING`` too): (module imported, line, whether it is inside a function).
    ``from tracker import __version__`` imports tracker itself; ``from tracker import
    render`` the module tracker.render."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: from . import x, from ..store import y
                    base = ".".join([*package[: len(package) - child.level + 1], *([base] if base else [])])
                if base == "tracker":
                    found.extend(
                        (f"tracker.{alias.name}" if _is_module(root, alias.name) else "tracker", child.lineno, in_function)
                        for alias in child.names
                    )
                else:
                    found.append((base, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return [(name, line, inner) for name, line, inner in found if name == "tracker" or name.startswith("tracker.")]


def _is_module(root: Path, name: str) -> bool:
    return (root / name).is_dir() or (root / f"{name}.py").is_file()


def violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        here = part_of(module_name(path, root))
        for name, line, in_function in tracker_imports(path, root):
            there = part_of(name)
            where = f"{path.relative_to(root.parent)}:{line} imports {name}"
            if there == here:
                continue
            if here == "domain" and there not in DOMAIN_MAY_IMPORT:
                problems.append(f"{where}: the domain imports only the domain and tracker.errors")
            elif here in FACES and there in FACES:
                if not (here == "cli" and there in STARTED_BY_THE_CLI and in_function):
                    problems.append(f"{where}: faces do not import each other (the CLI starts the TUI or the web inside a function)")
            elif RANK.get(there, 99) > RANK.get(here, -1):
                problems.append(f"{where}: {there} is above {here}")
    return problems


def test_every_part_of_tracker_is_in_a_layer():
    parts = {part_of(module_name(path)) for path in ROOT.rglob("*.py")}
    assert parts - RANK.keys() == set()


def test_no_module_imports_from_a_layer_above_its_own():
    assert violations() == []


@pytest.mark.parametrize(
    ("path", "source", "complaint"),
    [
        ("domain/bad.py", "from tracker.store import Store\n", "the domain imports only"),
        ("domain/bad.py", "def f():\n    from tracker.formats import jsonl\n", "the domain imports only"),
        ("store/bad.py", "import tracker.formats.jsonl\n", "formats is above store"),
        ("formats/bad.py", "from tracker.tui.app import TrackerApp\n", "tui is above formats"),
        ("tui/bad.py", "from tracker.cli import main\n", "faces do not import each other"),
        ("web/bad.py", "def f():\n    import tracker.tui.app\n", "faces do not import each other"),
        ("cli/bad.py", "from tracker.tui.app import TrackerApp\n", "faces do not import each other"),
        ("files.py", "from tracker.store import Store\n", "store is above files"),
        ("store/sub/bad.py", "from ...formats import jsonl\n", "formats is above store"),
    ],
)
def test_a_deliberate_violation_is_caught(tmp_path, path, source, complaint):
    fake = tmp_path / "tracker"
    (fake / path).parent.mkdir(parents=True)
    (fake / path).write_text(source)
    [problem] = violations(fake)
    assert complaint in problem and path in problem


def test_the_cli_may_start_the_interface_inside_a_function(tmp_path):
    fake = tmp_path / "tracker" / "cli"
    fake.mkdir(parents=True)
    (fake / "start.py").write_text("def run():\n    from tracker.tui.app import TrackerApp\n")
    assert violations(tmp_path / "tracker") == []


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_says_what_it_is_for(path):
    if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
        pytest.skip("an empty package marker")
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and len(docstring.split()) >= 4, f"{path} has no docstring saying what it is for"
