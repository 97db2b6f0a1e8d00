"""Referral cards: one service as a slip to hand or read to a client, as plain text (80 columns), Markdown or HTML.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
A card carries only what the data says about the service, unknowns spelled out as unknown, and the date it was last
verified; nothing about the client is asked for, printed or kept. Every value is made inert (no escape sequences or
control characters), and escaped for Markdown or HTML in those formats.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence

from nhfind.core.models import CONFIDENTIALITY, COSTS, Fact, Resource
from nhfind.core.writers import inert, markdown_cell

WIDTH = 80
"""Plain-text cards fit 80 columns: a terminal, a receipt-style print, a text message pasted in parts."""
LABEL_WIDTH = 15
CHECK = " (check before relying)"

_PHONE_LABELS = {"voice": "Call", "hotline": "Call", "text": "Text", "tty": "TTY"}
"""Fax numbers are for offices, not clients: a card leaves them out."""

_REMOTE_ACCESS = {"call", "text", "online", "via-211"}
"""Access modes that need no visit."""

FORMATS = ("text", "md", "html")


def _flag(resource: Resource, source: str) -> str:
    return CHECK if resource.is_weak(source) else ""


def _fact(resource: Resource, fact: Fact | None, unknown: str) -> str:
    if fact is None:
        return unknown
    value = "; ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    note = f". {fact.note}" if fact.note else ""
    return f"{value}{note}{_flag(resource, fact.source)}"


def card_fields(resource: Resource) -> list[tuple[str, str]]:
    """The card's (label, value) lines in order, values inert; shared by every format and by the TUI.

    Args:
        resource: the service.

    Returns:
        Pairs such as ("Call", "916-920-2952 (24/7)") and ("Where", "Call for location").
    """
    rows: list[tuple[str, str]] = []
    if resource.is_law_enforcement:
        rows.append(("WARNING", "Law enforcement: what is said here may be used in an investigation."))
    rows.append(("What it is", resource.description))
    phones = [p for p in resource.phones if p.kind in _PHONE_LABELS]
    for phone in phones:
        extra = [x for x in (phone.label, phone.hours, phone.instructions) if x]
        detail = f" ({'; '.join(extra)})" if extra else ""
        rows.append((_PHONE_LABELS[phone.kind], f"{phone.number}{detail}{_flag(resource, phone.source)}"))
    if not phones:
        rows.append(("Phone", "No number found in our sources"))
    if resource.address is None and resource.access and set(resource.access) <= _REMOTE_ACCESS:
        rows.append(("Where", f"No address in our sources; reached by {', '.join(resource.access)}"))
    elif resource.address is None:
        rows.append(("Where", "Unknown: call before going"))
    else:
        note = f". {resource.address.note}" if resource.address.note else ""
        rows.append(("Where", f"{resource.address.one_line()}{note}{_flag(resource, resource.address.source)}"))
    if resource.hours is None:
        rows.append(("Hours", "Unknown: call before going"))
    else:
        note = f". {resource.hours.note}" if resource.hours.note else ""
        rows.append(("Hours", f"{resource.hours.summary()}{note}{_flag(resource, resource.hours.source)}"))
    if resource.cost is None:
        rows.append(("Cost", "Unknown: ask"))
    else:
        costs = ", ".join(f"{v} ({COSTS[v].rstrip('.').lower()})" if v in COSTS else v for v in resource.cost_values)
        note = f". {resource.cost.note}" if resource.cost.note else ""
        rows.append(("Cost", f"{costs}{note}{_flag(resource, resource.cost.source)}"))
    conf = resource.confidentiality_value
    privacy = f"{conf}: {CONFIDENTIALITY.get(conf, '')}"
    if resource.confidentiality:
        note = f" {resource.confidentiality.note}" if resource.confidentiality.note else ""
        privacy += note + _flag(resource, resource.confidentiality.source)
    rows.append(("Privacy", privacy))
    rows.append(("What to bring", _fact(resource, resource.what_to_bring, "Not stated: ask when you call")))
    if resource.website:
        rows.append(("Website", _fact(resource, resource.website, "")))
    rows.append(("Verified", f"{resource.last_verified}. Details change: call ahead."))
    return [(label, inert(value)) for label, value in rows]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def card_text(resource: Resource, width: int = WIDTH) -> str:
    """One card as plain text; no line is longer than `width`."""
    rule = "=" * width
    lines = [rule]
    lines += _wrap(inert(resource.name).upper(), width)
    lines += _wrap(inert(resource.organization), width)
    lines.append("-" * width)
    value_width = width - LABEL_WIDTH
    for label, value in card_fields(resource):
        for i, part in enumerate(_wrap(value, value_width)):
            lines.append(f"{label if i == 0 else '':<{LABEL_WIDTH}}{part}".rstrip())
    lines.append(rule)
    return "\n".join(lines) + "\n"


def card_markdown(resource: Resource) -> str:
    """One card as Markdown; data escaped so it cannot add links, emphasis or HTML."""
    lines = [f"## {markdown_cell(resource.name)}", "", f"*{markdown_cell(resource.organization)}*", ""]
    lines += [f"- **{label}:** {markdown_cell(value)}" for label, value in card_fields(resource)]
    return "\n".join(lines) + "\n"


_HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Referral cards</title>
<style>
body { font-family: sans-serif; max-width: 40em; margin: 1em auto; }
article { border: 1px solid #000; padding: 0.5em 1em; margin-bottom: 1em; break-inside: avoid; }
h2 { margin: 0.2em 0; }
.org { margin: 0 0 0.5em; font-style: italic; }
dl { display: grid; grid-template-columns: 9em 1fr; gap: 0.2em 0.5em; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.warning { color: #a00; }
</style>
</head>
<body>
"""


def card_html(resource: Resource) -> str:
    """One card as an HTML <article>; every value escaped."""
    esc = html.escape
    parts = [
        "<article>",
        f"<h2>{esc(inert(resource.name))}</h2>",
        f'<p class="org">{esc(inert(resource.organization))}</p>',
        "<dl>",
    ]
    for label, value in card_fields(resource):
        cls = ' class="warning"' if label == "WARNING" else ""
        parts.append(f"<dt{cls}>{esc(label)}</dt><dd{cls}>{esc(value)}</dd>")
    parts += ["</dl>", "</article>"]
    return "\n".join(parts) + "\n"


def render_cards(resources: Sequence[Resource] | Iterable[Resource], fmt: str = "text") -> str:
    """Cards for several services in one document: text (one after another), md, or a standalone HTML page.

    Args:
        resources: the services, in the order wanted.
        fmt: "text", "md" or "html".

    Returns:
        The whole document.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "text":
        return "\n".join(card_text(r) for r in resources)
    if fmt == "md":
        return "\n".join(card_markdown(r) for r in resources)
    if fmt == "html":
        return _HTML_HEAD + "".join(card_html(r) for r in resources) + "</body>\n</html>\n"
    raise ValueError(f"unknown card format {fmt!r}: use one of {', '.join(FORMATS)}")
