"""Referral cards: services as a slip to hand or read to a client: plain text, Markdown, printable HTML or vCard.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
A card speaks to the client, in English or Spanish (gettext, nhfind.locale), and carries only what the data says
about the service, unknowns spelled out as unknown, and the date it was last verified; nothing about the client is
asked for, printed or kept. Every number a phone dials (QR code, link, vCard) comes from nhfind.core.phone.dial.
Every value is made inert (no escape sequences or control characters), and escaped for Markdown, HTML or vCard.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from nhfind.core import freshness
from nhfind.core import hours as _hours
from nhfind.core.models import CONFIDENTIALITY, COSTS, Fact, Phone, Resource
from nhfind.core.phone import CALL, TEXT, TTY, Dial, dial
from nhfind.core.writers import inert, markdown_cell
from nhfind.locale import translation

WIDTH = 80
"""Plain-text cards fit 80 columns: a terminal, a receipt-style print, a text message pasted in parts."""
LABEL_WIDTH = 15

_REMOTE_ACCESS = {"call", "text", "online", "via-211"}
"""Access modes that need no visit."""

FORMATS = ("text", "md", "html", "vcard")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for translation, translate later"
    return message


CHECK = N_(" (check before relying)")
_KIND_LABELS = {CALL: N_("Call"), TEXT: N_("Text"), TTY: N_("TTY")}
_COST_WORDS = {
    "free": N_("free"), "low-cost": N_("low cost"), "sliding-scale": N_("sliding scale"), "medi-cal": N_("Medi-Cal"),
    "insurance": N_("insurance"), "unknown": N_("unknown"),
}  # fmt: skip
_PRIVACY_WORDS = {
    "confidential": N_("confidential"), "anonymous-ok": N_("anonymous ok"), "standard": N_("standard records"),
    "law-enforcement": N_("law enforcement"), "unknown": N_("unknown"),
}  # fmt: skip
for _meaning in (*COSTS.values(), *CONFIDENTIALITY.values()):
    N_(_meaning)  # the meanings in nhfind.core.models are msgids too (see nhfind/locale/es/.../nhfind.po)

_DAY_MSGIDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def gettext_for(lang: str) -> Callable[[str], str]:
    """The translate function for `lang` ("en" returns every message as it is)."""
    return translation(lang).gettext


def _clock_24(minute: int) -> str:
    minute %= 24 * 60
    return f"{minute // 60}:{minute % 60:02d}"


def hours_text(resource: Resource, lang: str = "en") -> str:
    """The week in the card's language: "Mon-Fri 8 am-4 pm; closed Sat-Sun" or "lun-vie 8:00-16:00; cerrado sáb-dom".

    A language whose day names are not all translated gets the English text whole.
    """
    _ = gettext_for(lang)
    days = tuple(_(d) for d in _DAY_MSGIDS)
    words = (_("closed"), _("24/7"), _("Hours unknown: call"))
    if lang == "en" or days == _hours.DAY_NAMES or words[0] == "closed":
        return _hours.weekly_text(resource.hours)
    return _hours.weekly_text(resource.hours, day_names=days, clock=_clock_24, words=words)


# -- the numbers a phone dials ------------------------------------------------------------------------------------


class Line(NamedTuple):
    """A published number beside what a phone makes of it."""

    phone: Phone
    dial: Dial | None
    """None when the number cannot be dialled safely (its shape is unknown): shown, never linked or encoded."""


def lines(resource: Resource) -> list[Line]:
    """Every number a client can use (fax left out), in the record's order, each with its Dial."""
    return [Line(p, dial(p.number, p.kind, p.instructions)) for p in resource.phones if p.kind != "fax"]


class QRChoice(NamedTuple):
    """One thing the card's QR code can hold."""

    uri: str
    caption: str
    """ "Scan to call", "Scan to text", "Scan to call (TTY)", "Scan to open the website", "Scan to save the contact"."""
    kind: str
    """call, text, tty, web or vcard."""


_CAPTIONS = {
    CALL: N_("Scan to call"), TEXT: N_("Scan to text"), TTY: N_("Scan to call (TTY)"),
    "web": N_("Scan to open the website"), "vcard": N_("Scan to save the contact"),
}  # fmt: skip


def web_uri(resource: Resource) -> str:
    """The website as a URL a phone opens (https:// added to a bare address), or "" when there is none."""
    if not resource.website:
        return ""
    url = inert(str(resource.website.value)).strip()
    if not url or " " in url:
        return ""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if scheme:
        return url if scheme in ("http", "https") else ""
    return f"https://{url}"


def qr_choices(resource: Resource, lang: str = "en") -> list[QRChoice]:
    """What the card's QR code can hold, best first: the main call line, the first text line, else the website.

    A card whose service has both a call and a text line offers both (the TUI switches between them).
    """
    _ = gettext_for(lang)
    usable = [line for line in lines(resource) if line.dial]
    choices: list[QRChoice] = []
    main = resource.main_phone
    calls = sorted((ln for ln in usable if ln.dial and ln.dial.action == CALL), key=lambda ln: ln.phone != main)
    for group in (calls, [ln for ln in usable if ln.dial and ln.dial.action == TEXT]):
        if group and group[0].dial:
            choice = group[0].dial
            choices.append(QRChoice(choice.uri, _(_CAPTIONS[choice.action]), choice.action))
    if not choices:
        tty = next((ln.dial for ln in usable if ln.dial and ln.dial.action == TTY), None)
        if tty:
            choices.append(QRChoice(tty.uri, _(_CAPTIONS[TTY]), TTY))
    web = web_uri(resource)
    if not choices and web:
        choices.append(QRChoice(web, _(_CAPTIONS["web"]), "web"))
    return choices


def _shown_number(line: Line) -> str:
    """The number as published, with the digits beside it when it has letters (916-SUPPORT (916-787-7678))."""
    number = line.phone.number
    if line.dial and any(c.isalpha() for c in number.replace("ext", "").replace("x", "")):
        return f"{number} ({line.dial.display})"
    return number


def _phone_row(resource: Resource, line: Line, lang: str, english: list[str] | None = None) -> tuple[str, str]:
    """(label, value) for one number; in another language the source's English words go to `english`, whole."""
    _ = gettext_for(lang)
    phone, found = line.phone, line.dial
    action = found.action if found else (TEXT if phone.kind == "text" else TTY if phone.kind == "tty" else CALL)
    label = _("Relay (711)") if found and found.relay else _(_KIND_LABELS[action])
    value = _shown_number(line)
    instructions = phone.instructions
    if found and found.body:
        value = _("Text {keyword} to {number}").format(keyword=found.body, number=value)
        instructions = ""  # said in the card's language just above
    if found and found.relay:
        value = _("{number}: the relay service for Deaf, hard-of-hearing or speech-disabled callers").format(
            number=value
        )
    hours = _("24/7") if phone.hours == "24/7" else phone.hours
    extra = [x for x in (phone.label, hours, instructions) if x]
    if extra and english is not None and lang != "en":
        english.append(f"{phone.number}: {'; '.join(x for x in (phone.label, phone.hours, instructions) if x)}.")
    elif extra:
        value += f" ({'; '.join(extra)})"
    if found is None:
        value += _(" (we could not check this number: dial it as written)")
    dated = freshness.fact_date_phrase(resource, phone.source, "number")
    if lang == "en":
        return label, f"{value}{_flag(resource, phone.source, lang)} ({dated})"
    if english is not None and english and english[-1].startswith(f"{phone.number}: "):
        english[-1] = f"{english[-1].rstrip('.')}; {dated}."  # the same number's label, hours and page year together
    elif english is not None:
        english.append(f"{phone.number}: {dated}.")
    return label, value + _flag(resource, phone.source, lang)


def _dates(resource: Resource, lang: str) -> str:
    """How old the information is (the pages behind its phones, address and hours) and when we last checked it."""
    _ = gettext_for(lang)
    span, some_undated = freshness.age_parts(resource)
    if not span:
        text = _("Information undated — call ahead. Last checked {date}.")
    elif some_undated:
        text = _("Information dated {span}, some undated — call ahead. Last checked {date}.")
    else:
        text = _("Information dated {span} — call ahead. Last checked {date}.")
    return text.format(span=span, date=resource.last_verified or "-")


def _flag(resource: Resource, source: str, lang: str = "en") -> str:
    return gettext_for(lang)(CHECK) if resource.is_weak(source) else ""


def _fact(resource: Resource, fact: Fact | None, unknown: str, lang: str = "en") -> str:
    if fact is None:
        return unknown
    value = "; ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    note = f". {fact.note}" if fact.note else ""
    return f"{value}{note}{_flag(resource, fact.source, lang)}"


def summary(resource: Resource, lang: str = "en") -> str:
    """What the service does, said to the client: the summary in `lang`, else the English one, else the description."""
    if lang == "es" and resource.client_summary_es:
        return resource.client_summary_es
    return resource.client_summary or resource.description


def card_fields(resource: Resource, lang: str = "en") -> list[tuple[str, str]]:
    """The card's (label, value) lines in order, values inert; shared by every format and by the TUI.

    Args:
        resource: the service.
        lang: "en" or "es": labels and our own sentences in that language; facts from the sources as published.

    Returns:
        Pairs such as ("Call", "916-920-2952 (24/7)") and ("Where", "Call for location").
    """
    _ = gettext_for(lang)
    english: list[str] = []
    """The sources' own words (notes, labels), which have no translation: on a card in another language they are
    gathered in one row marked as English, never glued to a translated sentence."""

    def note(label: str, text: str, sep: str = ". ") -> str:
        if not text:
            return ""
        if lang == "en":
            return f"{sep}{text}"
        english.append(f"{label}: {text}")
        return ""

    rows: list[tuple[str, str]] = []
    if resource.is_law_enforcement:
        rows.append((_("WARNING"), _("Law enforcement: what is said here may be used in an investigation.")))
    rows.append((_("What it is"), summary(resource, lang)))
    found = lines(resource)
    rows += [_phone_row(resource, line, lang, english) for line in found]
    unreachable = freshness.unreachable(resource)
    if unreachable:
        rows.append((_("Reach"), _("No phone or address in our sources: ask 211.")))
    elif not found:
        rows.append((_("Phone"), _("No number found in our sources")))
    if resource.address is None and resource.access and set(resource.access) <= _REMOTE_ACCESS:
        rows.append((_("Where"), _("No address in our sources: reach them by phone or online")))
    elif resource.address is None:
        rows.append((_("Where"), _("Unknown: ask 211") if unreachable else _("Unknown: call before going")))
    else:
        place = _("Call for location") if resource.address.confidential else resource.address.one_line()
        extra = note("Where", resource.address.note)
        rows.append((_("Where"), f"{place}{extra}{_flag(resource, resource.address.source, lang)}"))
        if resource.other_addresses:
            rows.append((_("Also at"), "; ".join(a.one_line() for a in resource.other_addresses)))
    if resource.hours is None:
        rows.append((_("Hours"), _("Unknown: ask 211") if unreachable else _("Unknown: call before going")))
    else:
        extra = note("Hours", resource.hours.note)
        rows.append((_("Hours"), f"{hours_text(resource, lang)}{extra}{_flag(resource, resource.hours.source, lang)}"))
    if resource.cost is None:
        rows.append((_("Cost"), _("Unknown: ask")))
    else:
        costs = ", ".join(
            f"{_(_COST_WORDS[v])} ({_(COSTS[v]).rstrip('.').lower()})" if v in COSTS else v
            for v in resource.cost_values
        )
        extra = note("Cost", resource.cost.note)
        rows.append((_("Cost"), f"{costs}{extra}{_flag(resource, resource.cost.source, lang)}"))
    conf = resource.confidentiality_value
    privacy = f"{_(_PRIVACY_WORDS.get(conf, conf))}: {_(CONFIDENTIALITY.get(conf, ''))}"
    if resource.confidentiality:
        privacy += note("Privacy", resource.confidentiality.note, " ")
        privacy += _flag(resource, resource.confidentiality.source, lang)
    rows.append((_("Privacy"), privacy))
    bring = resource.what_to_bring
    if bring is not None and lang != "en":
        english.append(f"What to bring: {_fact(resource, bring, '')}")
        rows.append((_("What to bring"), _("See the details in English below")))
    else:
        rows.append((_("What to bring"), _fact(resource, bring, _("Not stated: ask when you call"), lang)))
    if resource.website:
        site = resource.website
        url = "; ".join(site.value) if isinstance(site.value, tuple) else str(site.value)
        rows.append((_("Website"), f"{url}{note('Website', site.note)}{_flag(resource, site.source, lang)}"))
    if english:
        rows.append(_in_english(english, lang))
    rows.append((_("Dates"), _dates(resource, lang)))
    return [(label, inert(_said_once(value, _(CHECK)))) for label, value in rows]


def _in_english(english: list[str], lang: str) -> tuple[str, str]:
    """The row that holds, whole, the sources' words a card in another language has no translation for."""
    return gettext_for(lang)("In English"), " ".join(e if e.endswith(".") else e + "." for e in english)


def _said_once(value: str, flag: str) -> str:
    """`value` without a trailing `flag` when its note already says so ("Check before relying. (check before...)")."""
    head = value.removesuffix(flag)
    words = flag.strip(" ()").casefold()
    return head if head != value and words and words in head.casefold() else value


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def _head(resource: Resource) -> tuple[str, str]:
    """The card's title and, when it differs, the organization."""
    name, org = inert(resource.name), inert(resource.organization)
    return name, org


def card_text(resource: Resource, width: int = WIDTH, lang: str = "en") -> str:
    """One card as plain text; no line is longer than `width`."""
    rule = "=" * width
    out = [rule]
    name, org = _head(resource)
    out += _wrap(name.upper(), width)
    out += _wrap(org, width)
    out.append("-" * width)
    value_width = width - LABEL_WIDTH
    for label, value in card_fields(resource, lang):
        for i, part in enumerate(_wrap(value, value_width)):
            out.append(f"{label if i == 0 else '':<{LABEL_WIDTH}}{part}".rstrip())
    out.append(rule)
    return "\n".join(out) + "\n"


def card_markdown(resource: Resource, lang: str = "en") -> str:
    """One card as Markdown; data escaped so it cannot add links, emphasis or HTML."""
    out = [f"## {markdown_cell(resource.name)}", "", f"*{markdown_cell(resource.organization)}*", ""]
    out += [f"- **{markdown_cell(label)}:** {markdown_cell(value)}" for label, value in card_fields(resource, lang)]
    return "\n".join(out) + "\n"


# -- printable HTML -------------------------------------------------------------------------------------------

_HTML_HEAD = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 16pt; line-height: 1.35; max-width: 46em;
  margin: 1em auto; color: #000; background: #fff; }}
article {{ border: 2px solid #000; padding: 0.4em 0.8em; margin-bottom: 1em; break-inside: avoid;
  page-break-inside: avoid; display: grid; grid-template-columns: 1fr auto; gap: 0 1em; }}
.text {{ grid-column: 1; }}
figure {{ grid-column: 2; margin: 0.3em 0; text-align: center; font-size: 12pt; }}
figure svg {{ width: 1.6in; height: 1.6in; display: block; margin: 0 auto; }}
h2 {{ margin: 0.1em 0; font-size: 1.5em; }}
.org {{ margin: 0 0 0.4em; font-style: italic; }}
dl {{ display: grid; grid-template-columns: 7.5em 1fr; gap: 0.15em 0.5em; margin: 0; }}
dt {{ font-weight: bold; }}
dd {{ margin: 0; }}
a {{ color: #000; font-weight: bold; }}
.warning {{ color: #a00; }}
@page {{ size: letter; margin: 0.4in; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 13pt; }}
  article {{ height: 4.7in; overflow: hidden; margin: 0 0 0.2in; box-sizing: border-box; }}
  article:nth-of-type(2n) {{ break-after: page; page-break-after: always; }}
}}
</style>
</head>
<body>
"""


def _qr_svg(uri: str) -> str:
    """An inline SVG QR code for `uri` (segno, offline; no XML declaration, no external references)."""
    import segno  # deferred: only HTML cards and the TUI need it

    code = segno.make(uri, error="m", micro=False)
    return str(code.svg_inline(scale=4, border=4, title="", svgclass=None, lineclass=None, omitsize=False))


def card_html(resource: Resource, lang: str = "en") -> str:
    """One card as an HTML <article>: every value escaped, numbers as tel:/sms: links, a QR code of the main line."""
    _ = gettext_for(lang)
    esc = html.escape
    links = {ln.phone: ln.dial for ln in lines(resource) if ln.dial}
    name, org = _head(resource)
    parts = ["<article>", '<div class="text">', f"<h2>{esc(name)}</h2>", f'<p class="org">{esc(org)}</p>', "<dl>"]
    found = lines(resource)
    linked = {(label, inert(value)): ln for ln in found for label, value in [_phone_row(resource, ln, lang, [])]}
    for label, value in card_fields(resource, lang):
        cls = ' class="warning"' if label == _("WARNING") else ""
        shown = esc(value)
        line = linked.get((label, value))
        if line and line.dial and line.phone in links:
            number = esc(inert(_shown_number(line)))
            link = f'<a href="{esc(line.dial.uri, quote=True)}">{number}</a>'
            shown = shown.replace(number, link, 1)
        web = web_uri(resource)
        if label == _("Website") and web:
            shown = f'<a href="{esc(web, quote=True)}">{shown}</a>'
        parts.append(f"<dt{cls}>{esc(label)}</dt><dd{cls}>{shown}</dd>")
    parts += ["</dl>", "</div>"]
    choices = qr_choices(resource, lang)
    if choices:
        choice = choices[0]
        parts += ["<figure>", _qr_svg(choice.uri), f"<figcaption>{esc(choice.caption)}</figcaption>", "</figure>"]
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def cards_html(resources: Iterable[Resource], lang: str = "en") -> str:
    """A standalone printable page: large type, two cards per letter page, nothing fetched from anywhere."""
    _ = gettext_for(lang)
    head = _HTML_HEAD.format(lang=lang, title=html.escape(_("Referral cards")))
    return head + "".join(card_html(r, lang) for r in resources) + "</body>\n</html>\n"


# -- vCard (RFC 6350) -----------------------------------------------------------------------------------------

_VCARD_TYPES = {CALL: "voice", TEXT: "text", TTY: "textphone"}


def _vc_escape(value: str) -> str:
    return inert(value).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """RFC 6350 line folding: at most 75 octets a line, continuation lines start with a space."""
    out, current, size = [], "", 0
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += n
    out.append(current)
    return "\r\n".join(out)


def vcard(resource: Resource, lang: str = "en", full: bool = True) -> str:
    """One VCARD 4.0 for a service: organization, name, TEL per number (voice/text/textphone), URL, a note.

    Args:
        resource: the service.
        lang: the note's language.
        full: False keeps only the name and numbers, small enough for a QR code on an 80x24 screen.

    Returns:
        The vCard with CRLF line ends.
    """
    _ = gettext_for(lang)
    props = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_vc_escape(resource.name)}"]
    if full:
        props.append(f"ORG:{_vc_escape(resource.organization)}")
        props.append("KIND:org")
    seen = set()
    for line in lines(resource):
        if not line.dial or line.dial.uri in seen:
            continue
        seen.add(line.dial.uri)
        tel = line.dial.uri if line.dial.uri.startswith("tel:") else "tel:" + line.dial.uri[4:].split("?")[0]
        props.append(f"TEL;VALUE=uri;TYPE={_VCARD_TYPES[line.dial.action]}:{tel}")
    if full:
        web = web_uri(resource)
        if web:
            props.append(f"URL:{_vc_escape(web)}")
        address = resource.address
        if address and not address.confidential and (address.street or address.city):
            fields = ["", "", address.street, address.city, address.state, address.postal_code, ""]
            props.append("ADR:" + ";".join(_vc_escape(f) for f in fields))
        note = f"{summary(resource, lang)} {_dates(resource, lang)}"  # the card's own dates (nhfind.core.freshness)
        props.append(f"NOTE:{_vc_escape(note)}")
        props.append(f"REV:{resource.last_verified.replace('-', '')}")
    props.append("END:VCARD")
    return "".join(_fold(p) + "\r\n" for p in props)


def vcard_qr(resource: Resource) -> str:
    """The smallest vCard a phone's camera saves as a contact: the name and the QR-able numbers (vCard 3.0).

    For a QR code on an 80x24 screen: no organization, note or address (the full card is `card --format vcard`).
    """
    props = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vc_escape(resource.name)}"]
    for choice in qr_choices(resource):
        if choice.kind in (CALL, TEXT, TTY):
            number = choice.uri.split(":", 1)[1].split("?")[0].replace(";ext=", "x")
            kind = {CALL: "VOICE", TEXT: "TEXT", TTY: "TEXTPHONE"}[choice.kind]
            props.append(f"TEL;TYPE={kind}:{number}")
    props.append("END:VCARD")
    return "\n".join(props)


def crisis_fields(resources: Iterable[Resource], lang: str = "en") -> list[tuple[str, list[tuple[str, str]]]]:
    """The crisis card's content: per line (name, its phone rows and hours), in the order given."""
    _ = gettext_for(lang)
    out = []
    for resource in resources:
        english: list[str] = []
        rows = [_phone_row(resource, line, lang, english) for line in lines(resource)]
        if resource.hours is not None:
            rows.append((_("Hours"), hours_text(resource, lang)))
        if english:  # the same rule as a single card: the sources' English words whole, in one row
            rows.append(_in_english(english, lang))
        if resource.is_law_enforcement:
            rows.insert(0, (_("WARNING"), _("Law enforcement: what is said here may be used in an investigation.")))
        out.append((inert(resource.name), [(label, inert(value)) for label, value in rows]))
    return out


def crisis_card(resources: Sequence[Resource], fmt: str = "text", lang: str = "en", width: int = WIDTH) -> str:
    """One card with every crisis line (from nhfind.core.crisis), to keep in a pocket or by a phone.

    Args:
        resources: the lines, in the order the crisis selector gives.
        fmt: "text", "md", "html" or "vcard" (vCard: one contact per line).
        lang: "en" or "es".

    Returns:
        The whole document.
    """
    _ = gettext_for(lang)
    title = _("Crisis and emergency lines")
    if fmt == "vcard":
        return "".join(vcard(r, lang) for r in resources)
    fields = crisis_fields(resources, lang)
    if fmt == "text":
        out = ["=" * width, *_wrap(title.upper(), width), "-" * width]
        for name, rows in fields:
            out += _wrap(name, width)
            for label, value in rows:
                for i, part in enumerate(_wrap(value, width - LABEL_WIDTH - 2)):
                    out.append(f"  {label if i == 0 else '':<{LABEL_WIDTH}}{part}".rstrip())
            out.append("")
        out[-1] = "=" * width
        return "\n".join(out) + "\n"
    if fmt == "md":
        out = [f"## {markdown_cell(title)}", ""]
        for name, rows in fields:
            out.append(f"### {markdown_cell(name)}")
            out += [f"- **{markdown_cell(label)}:** {markdown_cell(value)}" for label, value in rows]
            out.append("")
        return "\n".join(out)
    if fmt == "html":
        esc = html.escape
        parts = ["<article>", '<div class="text">', f"<h2>{esc(title)}</h2>", "<dl>"]
        for resource, (name, rows) in zip(resources, fields, strict=True):
            parts.append(f'<dt class="line">{esc(name)}</dt><dd></dd>')
            linked = {inert(_phone_row(resource, ln, lang, [])[1]): ln for ln in lines(resource)}
            for label, value in rows:
                shown = esc(value)
                line = linked.get(value)
                if line and line.dial:
                    number = esc(inert(_shown_number(line)))
                    shown = shown.replace(number, f'<a href="{esc(line.dial.uri, quote=True)}">{number}</a>', 1)
                parts.append(f"<dt>{esc(label)}</dt><dd>{shown}</dd>")
        parts += ["</dl>", "</div>", "</article>"]
        head = _HTML_HEAD.format(lang=lang, title=esc(title))
        return head + "\n".join(parts) + "\n</body>\n</html>\n"
    raise ValueError(f"unknown card format {fmt!r}: use one of {', '.join(FORMATS)}")


def render_cards(
    resources: Sequence[Resource] | Iterable[Resource], fmt: str = "text", lang: str = "en", width: int = WIDTH
) -> str:
    """Cards for several services in one document: text (one after another), md, a printable HTML page, or vCards.

    Args:
        resources: the services, in the order wanted.
        fmt: "text", "md", "html" or "vcard".
        lang: "en" or "es".
        width: the text format's line length (the terminal's, at most 80).

    Returns:
        The whole document.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "text":
        return "\n".join(card_text(r, width, lang) for r in resources)
    if fmt == "md":
        return "\n".join(card_markdown(r, lang) for r in resources)
    if fmt == "html":
        return cards_html(resources, lang)
    if fmt == "vcard":
        return "".join(vcard(r, lang) for r in resources)
    raise ValueError(f"unknown card format {fmt!r}: use one of {', '.join(FORMATS)}")
