"""The README and docs/ stay true: the CLI reference matches the app, the guarantees name real tests, the README
stays short and keeps the two fresh-machine commands that .ci/run runs."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from tests.conftest import ROOT

DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_in_step_with_the_app() -> None:
    expected = _generator().render()
    current = (DOCS / "cli.md").read_text(encoding="utf-8") if (DOCS / "cli.md").is_file() else ""
    assert current == expected, "docs/cli.md is out of step with the CLI: run `make docs` and commit docs/cli.md"


def test_cli_reference_lists_every_command() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in ("search", "export", "show", "card", "crisis", "categories", "facets", "import", "db", "db build",
                 "db info", "db layers", "db update", "db rollback", "db reset-overlay", "tui"):  # fmt: skip
        assert f"# `nhfind {name}`\n" in page, f"docs/cli.md has no section for `nhfind {name}`"


def test_guarantees_name_tests_that_exist() -> None:
    page = (DOCS / "guarantees.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", page)
    assert len(named) >= 10, "docs/guarantees.md should name the tests that hold each promise"
    for path, test in named:
        source = ROOT / path
        assert source.is_file(), f"docs/guarantees.md names {path}, which does not exist"
        if test:
            assert re.search(rf"^(async )?def {test}\(", source.read_text(encoding="utf-8"), re.MULTILINE), (
                f"docs/guarantees.md names {path}::{test}, which does not exist"
            )


def test_readme_is_short_and_keeps_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_bytes()
    assert len(readme) <= 15 * 1024, f"README.md is {len(readme)} bytes; details belong in docs/"
    text = readme.decode("utf-8")
    assert "pip install . && nhfind search shelter" in text
    assert "pip install -e '.[test]' && pytest\n" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "\npytest\n" in ci, ".ci/run must run the README's test command"


def test_links_between_the_pages_resolve() -> None:
    """Every relative link in README.md and docs/*.md names a file that exists (and, with #anchor, a heading in it)."""
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), f"{page.relative_to(ROOT)} links to {target}, which does not exist"
            if anchor and linked.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
                slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
                assert anchor in slugs, f"{page.relative_to(ROOT)} links to {target}: no such heading"
