"""Badges and flags: the words that warn about a service or a fact, written once for every front end.

Core module: pure data and small functions, no imports beyond models' types. The CLI (tables, `show`, `crisis`),
the referral card and the TUI (lists, details, crisis screen, filter panel) all take their warning words from here:
a police service is called the same thing everywhere, and so is a fact from a weak source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nhfind.core.models import Resource

LAW_ENFORCEMENT = "POLICE / LAW ENFORCEMENT"
"""The badge of a police or prosecution service (confidentiality `law-enforcement`): always in capitals."""
SIGN = "⚠"
"""Put before the badge where the screen draws it reliably (the TUI); plain-text output leaves it out."""
LAW_ENFORCEMENT_RISK = "what is said here may be used in an investigation."
"""Why the badge matters, in the client's terms."""
LAW_ENFORCEMENT_WARNING = f"Law enforcement: {LAW_ENFORCEMENT_RISK}"
"""The sentence on a law-enforcement service's referral card."""
POLICE_MAY_COME = "police may come"
"""The flag of a crisis line run by law enforcement (911)."""
CHECK = "check before relying"
"""Beside every fact whose source is weak (low grade, imported) or not listed."""
UNKNOWN = "unknown"
"""A fact no source gives: shown as this word, never guessed."""

PRIVACY: dict[str, str] = {
    "law-enforcement": f"{SIGN} {LAW_ENFORCEMENT}",
    "confidential": "confidential",
    "anonymous-ok": "anonymous ok",
    "standard": "standard records",
    "unknown": "privacy unknown",
}
"""Confidentiality value -> the badge in the TUI's lists and filter panel."""


def privacy_badge(value: str, *, words: bool = True) -> str:
    """The badge of a confidentiality value. With `words` false (the CLI table, scripts' eyes), values other than
    law enforcement stay as stored ("anonymous-ok"), and law enforcement has no sign."""
    if value == "law-enforcement":
        return PRIVACY[value] if words else LAW_ENFORCEMENT
    return PRIVACY.get(value, value) if words else value


def check_flag(resource: Resource, source_key: str) -> str:
    """CHECK when the fact sourced by `source_key` rests on a weak or missing source, else ""."""
    return CHECK if resource.is_weak(source_key) else ""
