"""The layers: the core (model, parsing, rules, scaffolding, the cache, reports as
data, diff and approval) never imports Typer, Click or Rich, nor the modules that
make output, anywhere in a module (imports inside functions included). The CLI
layer translates options to core calls and core results to output."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lgs_cli"
# The presentation layer: commands, output formats, rendering, the console entry point.
PRESENTATION = {"cli", "cmd_check", "cmd_new_meeting", "cmd_registry", "cmd_reports", "entry", "output", "views", "diffview",
                "plaintable", "shellrc"}
FRAMEWORKS = {"typer", "click", "rich"}
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in PRESENTATION and p.stem != "__init__")


def imported(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it: top-level names of absolute
    imports, ``.name`` for the package's own."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names = [node.module] if node.module else [alias.name for alias in node.names]
                found.update("." + name.split(".")[0] for name in names)
            elif node.module:
                found.add(node.module.split(".")[0])
    return found


def test_the_core_is_most_of_the_package() -> None:
    assert {"model", "parse", "rules", "scaffold", "archive", "cache", "reports", "review", "approval",
            "status", "roster"} <= set(CORE)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_framework_and_no_output(module: str) -> None:
    uses = imported(PACKAGE / f"{module}.py")
    assert not uses & FRAMEWORKS, f"{module} imports {sorted(uses & FRAMEWORKS)}"
    output = {name for name in uses if name.startswith(".") and name[1:] in PRESENTATION}
    assert not output, f"{module} imports the presentation layer: {sorted(output)}"


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from rich.table import Table\n    from .output import emit\n    from . import views\n",
                      encoding="utf-8")
    assert imported(sample) == {"rich", ".output", ".views"}
