"""nhfind.1 is written from the app: every command, option and example, in roff that man can read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click
import pytest
import typer

from nhfind.cli import COMMANDS, app
from nhfind.cli.manpage import manpage, roff

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_and_option_is_in_the_page() -> None:
    page = manpage()
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    ctx = click.Context(root)
    for name in COMMANDS:
        command = root.get_command(ctx, name)
        assert command is not None and f'.SS "nhfind {name}"' in page
        commands: list[click.Command | None] = [command]
        if isinstance(command, click.Group):
            commands = [command.get_command(ctx, sub) for sub in command.list_commands(ctx)]
            for sub in command.list_commands(ctx):
                assert f'.SS "{roff(f"nhfind {name} {sub}")}"' in page
        for each in commands:
            assert each is not None, name
            for param in each.params:
                for flag in getattr(param, "opts", []):
                    if flag.startswith("-"):
                        assert roff(flag) in page, f"{name}: {flag} missing from the man page"
    for section in (".SH NAME", ".SH SYNOPSIS", ".SH EXAMPLES", ".SH ENVIRONMENT", '.SH "EXIT STATUS"'):
        assert section in page
    assert "NHFIND_DB" in page and "\\fB2\\fR" in page


def test_roff_cannot_be_tricked_by_help_text() -> None:
    assert roff(".TH x\n'y") == "\\&.TH x\n\\&'y" and roff("a\\b") == "a\\eb"


@pytest.mark.skipif(shutil.which("man") is None or shutil.which("groff") is None, reason="man/groff not installed")
def test_man_renders_it_without_warnings(tmp_path: Path) -> None:
    page = tmp_path / "nhfind.1"
    page.write_text(manpage(), encoding="utf-8")
    proc = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True, text=True,
                          env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin", "MANPAGER": "cat"}, timeout=60)  # fmt: skip
    assert proc.returncode == 0 and "nhfind search" in proc.stdout and proc.stderr == ""


def test_the_wheel_build_installs_it_under_share_man() -> None:
    hook = (ROOT / "hatch_build.py").read_text(encoding="utf-8")
    assert '"share/man/man1/nhfind.1"' in hook and "manpage()" in hook
