"""`nhfind card ID...` and `nhfind card --crisis`: referral slips to hand or read to a client.

Text, Markdown, a printable HTML page (QR codes, tel:/sms: links) or vCard contacts; in English or Spanish.
"""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from nhfind.cli import options as opt
from nhfind.cli import prose
from nhfind.cli.complete import services
from nhfind.cli.context import state

if TYPE_CHECKING:
    from nhfind.core.crisis import CrisisLines
    from nhfind.core.models import Resource

CARD_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind card weave-support-line\n\n"
    "  nhfind card 988 weave\n\n"
    "  nhfind card human-trafficking-hotline lifeline-988 | lpr\n\n"
    "  nhfind card emergency-shelter --format html > card.html\n\n"
    "  nhfind card crisis-text-line --format vcard > crisis-text-line.vcf\n\n"
    "  nhfind card weave-support-line --lang es\n\n"
    "  nhfind card --crisis --format html > crisis-lines.html\n\n"
    "Nothing about the client is asked for or stored."
)


def register(app: typer.Typer) -> None:
    app.command("card", epilog=CARD_EXAMPLES)(card)


def card(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID|NAME...",
            autocompletion=services,
            help="One or more service ids or names, or the start of one (`988`).",
        ),
    ] = None,
    fmt: Annotated[
        prose.CardFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="text (or table; 80 columns, prints well), md, html (printable, QR codes) or vcard (contacts).",
        ),
    ] = prose.CardFormat.text,
    lang: prose.Lang = None,
    crisis: Annotated[
        bool, typer.Option("--crisis", help="One card with every crisis and emergency line in the data.")
    ] = False,
) -> None:
    """A referral card per service: what it is, how to call or text, where, hours, cost, privacy, what to bring.

    Every id or name is checked first: an unknown one stops the command with "did you mean", an ambiguous one with
    the services it could mean, and nothing is printed.
    """
    from nhfind.cli.lookup import resolve as resolve_id
    from nhfind.cli.render import text_width
    from nhfind.core import search as core_search
    from nhfind.core.card import crisis_card, render_cards
    from nhfind.core.errors import UsageError
    from nhfind.locale import resolve

    try:
        chosen = resolve(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    kind = "text" if fmt.value in opt.PEOPLE else fmt.value
    store = state(ctx).store()
    if crisis:
        if ids:
            raise UsageError("--crisis makes its own card: give it no ids")
        from nhfind.core.crisis import crisis_lines

        sys.stdout.write(crisis_card(_crisis_services(crisis_lines(store)), kind, chosen, text_width(80)))
        return
    if not ids:
        raise UsageError("name one or more service ids (`nhfind search` shows them), or use --crisis")
    resources = core_search.get_many(store, list(dict.fromkeys(resolve_id(store, text) for text in ids)))
    sys.stdout.write(render_cards(resources, kind, chosen, text_width(80)))


def _crisis_services(selected: "CrisisLines") -> "list[Resource]":
    """The crisis selector's services in its order, each once."""
    return list({r.id: r for r in selected.lines}.values())
