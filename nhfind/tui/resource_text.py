"""How a Resource reads in the TUI: badges, one-line summaries, the full entry and the referral card as text.

Every value from the data passes through `clean` (control characters and escapes removed) and goes into
`rich.text.Text` objects, never into markup strings, so a name like "[bold]x[/bold]" shows as typed.
"""

from __future__ import annotations

from rich.text import Text

from nhfind.core import badges, freshness
from nhfind.core.models import CONFIDENTIALITY, COSTS, GRADES, Resource, Source, Vocabulary
from nhfind.core.writers import inert


def clean(value: object) -> str:
    """A data value as display text: escapes and control characters removed."""
    return inert(str(value))


def badge(resource: Resource) -> str:
    """The confidentiality badge text."""
    return clean(badges.privacy_badge(resource.confidentiality_value))


def category_labels(resource: Resource, vocabulary: Vocabulary | None) -> str:
    """Category labels joined by commas ("Food, Benefits")."""
    known = vocabulary.categories if vocabulary else {}
    return ", ".join(clean(known[c][0]) if c in known else clean(c) for c in resource.categories) or "uncategorised"


def cost_text(resource: Resource) -> str:
    """ "free", "sliding-scale, medi-cal" or "cost unknown"."""
    values = resource.cost_values
    return "cost unknown" if values == ("unknown",) else ", ".join(clean(v) for v in values)


def main_phone_text(resource: Resource) -> str:
    """The main number as published, or "no phone listed"."""
    phone = resource.main_phone
    return clean(phone.number) if phone else "no phone listed"


def source_line(resource: Resource, key: str) -> str:
    """ "source: <url> · grade high · 2025-01-02", with the weak-source warning when it applies."""
    source: Source | None = resource.source_of(key)
    if source is None:
        return f"source: {clean(key)} (not listed) · {badges.CHECK}"
    parts = [f"source: {clean(source.url)}", f"grade {clean(source.grade)}", clean(source.page_date) or "undated"]
    line = " · ".join(parts)
    return f"{line} · {badges.CHECK}" if source.weak else line


def qr_payload(resource: Resource) -> str:
    """What the card's QR code holds first: the main call line, else a text line, else the website (core rule)."""
    from nhfind.core.card import qr_choices

    choices = qr_choices(resource)
    return choices[0].uri if choices else ""


def _fact_rows(resource: Resource, vocabulary: Vocabulary | None) -> list[tuple[str, str, str, str]]:
    """(label, value, source key, note) for every sourced single fact, in reading order."""
    rows: list[tuple[str, str, str, str]] = []
    if resource.cost:
        # each value with its meaning: "free (no charge), low-cost (a small fee)"
        said = ", ".join(
            f"{clean(v)} ({COSTS[v].rstrip('.').lower()})" if COSTS.get(v) else clean(v) for v in resource.cost_values
        )
        rows.append(("Cost", said, resource.cost.source, resource.cost.note))
    if resource.confidentiality:
        value = resource.confidentiality_value
        meaning = CONFIDENTIALITY.get(value, "")
        rows.append(("Privacy", f"{badge(resource)}: {meaning}", resource.confidentiality.source,
                     resource.confidentiality.note))  # fmt: skip
    if resource.address:
        address = resource.address
        rows.append(("Address", clean(address.one_line()), address.source, address.note))
        rows += [("Also at", clean(a.one_line()), a.source, a.note) for a in resource.other_addresses]
    if resource.hours:
        rows.append(("Hours", clean(resource.hours.summary()), resource.hours.source, resource.hours.note))
    if resource.languages:
        names = vocabulary.languages if vocabulary else {}
        langs = ", ".join(clean(names.get(v, v)) for v in resource.language_values)
        rows.append(("Languages", langs, resource.languages.source, resource.languages.note))
    for label, fact in (
        ("Eligibility", resource.eligibility),
        ("Website", resource.website),
        ("Email", resource.email),
        ("What to bring", resource.what_to_bring),
    ):
        if fact:
            value = ", ".join(map(str, fact.value)) if isinstance(fact.value, tuple) else str(fact.value)
            rows.append((label, clean(value), fact.source, fact.note))
    return rows


def _unknowns(resource: Resource) -> list[str]:
    """Labels of the facts no source gives: shown as "unknown", never guessed."""
    missing = []
    for label, fact in (
        ("Cost", resource.cost),
        ("Privacy", resource.confidentiality),
        ("Address", resource.address),
        ("Hours", resource.hours),
        ("Languages", resource.languages),
        ("Eligibility", resource.eligibility),
    ):
        if fact is None:
            missing.append(label)
    return missing


def details(resource: Resource, vocabulary: Vocabulary | None = None) -> Text:
    """The whole entry, every field with its source, grade and date, as styled Text."""
    out = Text()
    out.append(clean(resource.name) + "\n", style="bold")
    if clean(resource.organization) != clean(resource.name):
        out.append(clean(resource.organization) + "\n", style="italic")
    if resource.is_law_enforcement:
        out.append(f" {badges.PRIVACY['law-enforcement']} ", style="bold reverse")
        out.append(f" {CONFIDENTIALITY['law-enforcement']}\n", style="bold")
    out.append("\n" + clean(resource.description) + "\n\n")

    out.append("Phones\n", style="bold underline")
    if not resource.phones:
        out.append("  none listed\n")
    if freshness.unreachable(resource):
        out.append(f"  {freshness.ASK_211}\n", style="bold")
    for phone in resource.phones:
        out.append(f"  {clean(phone.number)}", style="bold")
        extras = [clean(phone.kind)] + [clean(x) for x in (phone.label, phone.hours) if x]
        out.append(f"  ({', '.join(extras)})\n")
        for extra in (phone.instructions, phone.note):
            if extra:
                out.append(f"    {clean(extra)}\n")
        weak = resource.is_weak(phone.source)
        out.append(f"    {source_line(resource, phone.source)}\n", style="bold" if weak else "dim")
    out.append("\n")

    for label, value, key, note in _fact_rows(resource, vocabulary):
        out.append(f"{label}: ", style="bold")
        out.append(value + "\n")
        if note:
            out.append(f"    {clean(note)}\n")
        weak = resource.is_weak(key)
        out.append(f"    {source_line(resource, key)}\n", style="bold" if weak else "dim")
    for label in _unknowns(resource):
        out.append(f"{label}: ", style="bold")
        out.append("unknown (no source gives it: ask)\n")

    out.append("\n")
    for label, values in (
        ("Categories", category_labels(resource, vocabulary)),
        ("Who it is for", ", ".join(clean(p) for p in resource.populations) or "not stated"),
        ("How to reach it", ", ".join(clean(a) for a in resource.access) or "not stated"),
        ("Service area", clean(resource.service_area) or "not stated"),
    ):
        out.append(f"{label}: ", style="bold")
        out.append(values + "\n")

    if resource.conflicts:
        out.append("\nSources disagree\n", style="bold underline")
        for conflict in resource.conflicts:
            out.append(f"  {clean(conflict.field)}: ", style="bold")
            out.append(clean(conflict.text) + "\n")
            if conflict.sources:
                names = ", ".join(clean(resource.sources[k].url) if k in resource.sources else clean(k)
                                  for k in conflict.sources)  # fmt: skip
                out.append(f"    between: {names}\n", style="dim")

    out.append("\n" + freshness.sentence(freshness.age_line(resource)) + "\n", style="bold")
    out.append("Last checked: ", style="bold")
    out.append(clean(freshness.checked_line(resource)) + "\n")
    out.append("Sources\n", style="bold underline")
    for _key, source in sorted(resource.sources.items()):
        out.append(f"  {clean(source.title or source.url)}\n")
        if source.title:
            out.append(f"    {clean(source.url)}\n", style="dim")
        flag = f" · {badges.CHECK}" if source.weak else ""
        out.append(f"    grade {clean(source.grade)} ({GRADES.get(source.grade, '')}) · "
                   f"{clean(source.page_date) or 'undated'}{flag}\n", style="dim")  # fmt: skip
    out.append(f"\nid: {clean(resource.id)}\n", style="dim")
    return out


def entry_plain(resource: Resource, vocabulary: Vocabulary | None = None) -> str:
    """The whole entry as plain text, for the clipboard."""
    return details(resource, vocabulary).plain
