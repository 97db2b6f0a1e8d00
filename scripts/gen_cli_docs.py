"""Write docs/cli.md, the CLI reference, from the app itself (`make docs`).

The same Markdown as `typer nhfind.cli utils docs --name nhfind`, built from the full app: the root group loads its
sub-commands lazily (nhfind.cli.COMMANDS), so every one of them, and every sub-command of a group such as `db`, is
loaded first, and the page is refused if any of them is missing from it. tests/test_docs.py regenerates the page in
memory and fails when docs/cli.md is out of step with the code.

Usage: python scripts/gen_cli_docs.py [--check] [--output PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click
import typer
from typer.cli import get_docs_for_click

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "cli.md"
HEADER = "<!-- Generated from the app by scripts/gen_cli_docs.py: run `make docs` after changing a command. -->\n\n"


def _load_every_command(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> list[str]:
    """Build every sub-command of `group`, depth first; returns their full names ("nhfind db build", ...)."""
    names = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None:
            raise SystemExit(f"gen_cli_docs: `{' '.join(('nhfind', *path, name))}` is listed but cannot be loaded")
        names.append(" ".join(("nhfind", *path, name)))
        if isinstance(command, click.Group):
            names += _load_every_command(command, ctx, (*path, name))
    return names


def render() -> str:
    """The Markdown of docs/cli.md for the app as it is now."""
    from nhfind.cli import app

    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="nhfind")
    assert isinstance(root, click.Group)
    names = _load_every_command(root, ctx)
    page = get_docs_for_click(obj=root, ctx=ctx, name="nhfind")
    missing = [name for name in names if f"# `{name}`\n" not in page]
    if missing:
        raise SystemExit(f"gen_cli_docs: not in the generated page: {', '.join(missing)}")
    return HEADER + page.strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/cli.md from the nhfind app.")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: docs/cli.md)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is out of step")
    args = parser.parse_args(argv)
    page = render()
    current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
    if args.check:
        if current != page:
            print(f"{args.output} is out of step with the CLI: run `make docs`", file=sys.stderr)
            return 1
        return 0
    if current != page:
        args.output.write_text(page, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
