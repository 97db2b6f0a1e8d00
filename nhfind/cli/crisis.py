"""`nhfind crisis`: every emergency and crisis line on one screen, no arguments."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
import textwrap
from typing import TYPE_CHECKING

import typer

from nhfind.cli import prose
from nhfind.cli.context import state

if TYPE_CHECKING:
    from nhfind.core.crisis import CrisisLines

CRISIS_EXAMPLES = "Examples:\n\n  nhfind crisis\n\n  nhfind crisis --format json"
NUMBER_WIDTH = 16
KIND_WIDTH = 6


def register(app: typer.Typer) -> None:
    app.command("crisis", epilog=CRISIS_EXAMPLES)(crisis)


def crisis(
    ctx: typer.Context,
    fmt: prose.TextFormatOption = prose.TextFormat.text,
) -> None:
    """Emergency and 24/7 lines (911, 988, hotlines, county lines) on one screen, from the data.

    Lines are chosen by category (emergency, crisis-line) and ordered: danger now, open 24/7, then set or unknown
    hours. `nhfind show ID` gives each line's sources.
    """
    from nhfind.core.crisis import LINE_KINDS, crisis_lines

    lines = crisis_lines(state(ctx).store())
    if fmt is prose.TextFormat.json:
        from nhfind.core.writers import json_text

        rows = [
            {
                "group": group,
                "id": r.id,
                "name": r.name,
                "organization": r.organization,
                "hours": r.hours.summary() if r.hours else "unknown",
                "confidentiality": r.confidentiality_value,
                "phones": [
                    {
                        "number": p.number,
                        "kind": p.kind,
                        "label": p.label,
                        "hours": p.hours,
                        "instructions": p.instructions,
                    }
                    for p in r.phones
                    if p.kind in LINE_KINDS
                ],
            }  # fmt: skip
            for group, resources in lines.groups.items()
            for r in resources
        ]
        sys.stdout.write(json_text(rows, indent=2) + "\n")
    else:
        sys.stdout.write(_text(lines))
    if not any(lines.groups.values()):
        sys.stderr.write("nhfind: no crisis lines in this database; check it with `nhfind db info`\n")
        raise typer.Exit(1)


def _text(lines: "CrisisLines") -> str:
    """The crisis screen as plain text within 80 columns; data made inert."""
    from nhfind.core.crisis import GROUP_TITLES, lines_of
    from nhfind.core.writers import inert

    width = 80
    indent = " " * (2 + NUMBER_WIDTH + KIND_WIDTH)
    out = ["Emergency and crisis lines. Sources: `nhfind show ID`. A slip: `nhfind card ID`."]
    group = ""
    for line in lines_of(lines):
        if line.group != group:
            group = line.group
            out += ["", GROUP_TITLES[group].upper()]
        head = f"{line.head} ({line.resource.id})" if line.head else ""
        text = " - ".join(x for x in (head, line.extra) if x) + (f" [number: {line.check}]" if line.check else "")
        wrapped = textwrap.wrap(inert(text), width=width - len(indent), break_on_hyphens=False) or [""]
        number = inert(line.phone.number)
        out.append(f"  {number:<{NUMBER_WIDTH - 1}} {line.how:<{KIND_WIDTH}}{wrapped[0]}")
        out += [indent + part for part in wrapped[1:]]
    if lines.without_phone:
        names = ", ".join(f"{r.name} (`nhfind show {r.id}`)" for r in lines.without_phone)
        out += ["", *textwrap.wrap(inert(f"Also, with no phone line: {names}"), width=width, break_on_hyphens=False)]
    return "\n".join(out) + "\n"
