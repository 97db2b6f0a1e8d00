"""Guards for the layout: imports point one way, SQL lives only in core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nhfind"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("core"), ids=lambda p: p.name)
def test_core_imports_no_front_end(path: Path) -> None:
    for name in _imports(path):
        root = name.split(".")[0]
        assert root not in {"typer", "rich", "textual", "click"}, f"{path.name} imports {name}"
        assert not name.startswith(("nhfind.cli", "nhfind.tui")), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules("cli") + _modules("tui"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sql_only_in_core(path: Path) -> None:
    for name in _imports(path):
        assert name.split(".")[0] not in {"sqlite3", "sqlite_utils"}, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules("tui"), ids=lambda p: p.name)
def test_tui_does_not_import_cli(path: Path) -> None:
    assert not any(n.startswith("nhfind.cli") for n in _imports(path))
