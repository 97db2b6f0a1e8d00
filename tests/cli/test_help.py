"""Every command's --help: clean (no warning of any kind), each section once, examples included."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
import typer

from nhfind.cli import COMMANDS, app


def every_command() -> list[list[str]]:
    """Each command path, sub-commands of groups (`db info`) included."""
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    ctx = click.Context(root)
    paths: list[list[str]] = [[]]
    for name in COMMANDS:
        command = root.get_command(ctx, name)
        paths.append([name])
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.list_commands(ctx)]
    return paths


@pytest.mark.parametrize("path", every_command(), ids=lambda p: " ".join(p) or "nhfind")
def test_help_is_clean_with_warnings_as_errors(path: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "80", "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-m", "nhfind", *path, "--help"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-500:]
    assert proc.stdout.count("Arguments:") <= 1 and "Positional arguments" not in proc.stdout
    assert "Usage:" in proc.stdout
    if path and path != ["db"]:
        assert "Examples:" in proc.stdout, "every command shows how it is used"
