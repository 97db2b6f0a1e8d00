"""The manual page, nhfind.1, written from the app itself: every command, option, example and exit code.

Run at build time by hatch_build.py (the wheel installs it as share/man/man1/nhfind.1); also by hand:
`python -m nhfind.cli.manpage > nhfind.1`. Sub-commands are loaded lazily, so it asks the root group for each one
by name (which is why click-man, walking only what is already loaded, sees none of them).
"""

from __future__ import annotations

import re
import sys

import click
import typer

ENVIRONMENT = (
    ("NHFIND_DB", "Database file to read instead of the bundled one (the same as --db)."),
    ("NHFIND_LANG", "Language of what a client reads on cards and in show: en or es (the same as --lang)."),
    ("NO_COLOR", "Any value turns colour off (the same as --no-color)."),
    ("COLUMNS", "Terminal width for tables and wrapped text (80 when output is piped)."),
    ("NHFIND_DEBUG", "Show the Python traceback of an error instead of its one-line message."),
)
EXIT_STATUS = (
    ("0", "Results were found (or the command did what it was asked)."),
    ("1", "No results."),
    ("2", "Usage or data error: one line on standard error says what to do."),
    ("130", "Interrupted (Ctrl+C)."),
)


def roff(text: str) -> str:
    """`text` safe in a roff paragraph: backslashes escaped, hyphens kept literal, no line starts a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in text.splitlines())


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _help_body(text: str) -> list[str]:
    """Help text as roff: prose paragraphs, and indented lines (examples) kept as they are."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        if not block.strip():
            continue
        if block.startswith("  "):  # an example line
            out += [".RS 4", ".nf", roff(block.strip()), ".fi", ".RE"]
        else:
            out += [".PP", roff(" ".join(block.split()))]
    return out


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    out: list[str] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        out += [".TP", f"\\fB{roff(names)}\\fR", roff(" ".join(help_text.split())) or "\\&"]
    return out


def _section(path: str, command: click.Command, parent: click.Context) -> list[str]:
    ctx = click.Context(command, info_name=path.split()[-1], parent=parent)
    usage = " ".join(command.collect_usage_pieces(ctx))
    out = [f'.SS "{roff(path)}"', f".B {roff(path)}", roff(usage)]
    out += _help_body(command.help or "")
    options = _options(command, ctx)
    if options:
        out += [".PP", "Options:", *options]
    out += _help_body(command.epilog or "")
    return out


def manpage(version: str = "") -> str:
    """The whole page, in man(7) roff."""
    from nhfind import __version__
    from nhfind.cli import COMMANDS, app

    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)  # the app has sub-commands
    ctx = click.Context(root, info_name="nhfind")
    head = _paragraphs(root.help or "")
    out = [
        f'.TH NHFIND 1 "" "nhfind {version or __version__}" "User Commands"',
        ".SH NAME",
        f"nhfind \\- {roff(head[0].rstrip('.'))}",
        ".SH SYNOPSIS",
        ".B nhfind",
        "[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        *_help_body("\n\n".join(head[1:])),
        ".SH OPTIONS",
        *_options(root, ctx),
        ".SH COMMANDS",
    ]
    for name in COMMANDS:
        command = root.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        out += _section(f"nhfind {name}", command, ctx)
        if isinstance(command, click.Group):
            group_ctx = click.Context(command, info_name=name, parent=ctx)
            for sub in command.list_commands(group_ctx):
                child = command.get_command(group_ctx, sub)
                if child is not None and not child.hidden:
                    out += _section(f"nhfind {name} {sub}", child, group_ctx)
    out += [".SH EXAMPLES", *_help_body(root.epilog or "")]
    out.append(".SH ENVIRONMENT")
    for name, meaning in ENVIRONMENT:
        out += [".TP", f"\\fB{name}\\fR", roff(meaning)]
    out.append('.SH "EXIT STATUS"')
    for code, meaning in EXIT_STATUS:
        out += [".TP", f"\\fB{code}\\fR", roff(meaning)]
    out += [".SH PRIVACY", roff("nhfind never goes online and keeps nothing about searches or clients on disk.")]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(manpage())
