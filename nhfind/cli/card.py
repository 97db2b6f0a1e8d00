"""`nhfind card ID...`: referral slips to hand or read to a client (text, Markdown or HTML)."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
from typing import Annotated

import typer

from nhfind.cli import options as opt
from nhfind.cli.context import state

CARD_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind card weave-support-line\n\n"
    "  nhfind card human-trafficking-hotline lifeline-988 | lpr\n\n"
    "  nhfind card emergency-shelter --format html > card.html\n\n"
    "Nothing about the client is asked for or stored."
)


def register(app: typer.Typer) -> None:
    app.command("card", epilog=CARD_EXAMPLES)(card)


def card(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(metavar="ID...", help="One or more service ids (see `nhfind search`).")],
    fmt: Annotated[
        opt.CardFormat, typer.Option("--format", "-f", help="text (80 columns, prints well), md or html.")
    ] = opt.CardFormat.text,
) -> None:
    """A referral card per service: what it is, phone and text, where, hours, cost, privacy, what to bring, date.

    Every id is checked first: an unknown one stops the command with "did you mean" and prints nothing.
    """
    from nhfind.core import search as core_search
    from nhfind.core.card import render_cards
    from nhfind.core.errors import UsageError

    store = state(ctx).store()
    resources = core_search.get_many(store, list(dict.fromkeys(ids)))
    found = {r.id for r in resources}
    for wrong in (i for i in ids if i not in found):
        near = core_search.suggest_ids(store, wrong)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UsageError(f"no service with id {wrong!r}: {hint}`nhfind search` shows ids")
    sys.stdout.write(render_cards(resources, fmt.value))
