"""CardScreen: a calm referral card to show a client, with a QR code their phone can scan offline.

One service, or the visit's shortlist one card at a time (n / b). The QR code holds what nhfind.core.card says
(the call line first; `t` switches to the text line; `v` to a contact card); the words come in English or Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from nhfind.core import badges
from nhfind.core.card import QRChoice, card_fields, gettext_for, qr_choices, vcard_qr
from nhfind.core.models import Resource
from nhfind.tui.clipboard import copy_phone
from nhfind.tui.keys import HIDE
from nhfind.tui.resource_text import clean
from nhfind.tui.widgets.qr_code import QRCode, qr_text

_DIGITS = re.compile(r"^[0-9 ()+-]{3,}$")
"""Numbers the large Digits font can draw; others are shown as bold text."""


class CardScreen(Screen[None]):
    """Name, number in large figures, what it is, where and when, and a QR code of the line to call or text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q", "app.pop_screen", "Back", id="card.back", tooltip="Close the card."),
        # t and v are named under the QR code they change, not in the footer: with the app's keys and the shortlist's
        # List count, the footer holds only Back, Shortlist and Next at 80 columns (help lists every key)
        Binding("t", "switch_line", "Call/Text", show=False, id="card.switch-line",
                tooltip="Switch the QR code between the call line and the text line."),
        Binding("v", "toggle_vcard", "Contact QR", show=False, id="card.vcard",
                tooltip="Show a QR code that saves the service as a contact (name and numbers) on the phone."),
        Binding("a", "app.toggle_shortlist", "Shortlist", id="card.shortlist",
                tooltip="Add this service to the visit's shortlist, or take it off."),
        Binding("n,right", "step(1)", "Next", id="card.next", tooltip="The next card of the shortlist."),
        Binding("b,left", "step(-1)", "Prev", show=False, id="card.previous",
                tooltip="The previous card of the shortlist."),
        Binding("p", "copy_phone", "Copy phone", show=False, id="card.copy-phone",
                tooltip="Copy the main phone number to the clipboard."),
    ]  # fmt: skip

    def __init__(self, resources: Resource | Sequence[Resource], lang: str | None = None) -> None:
        super().__init__()
        self.resources = (resources,) if isinstance(resources, Resource) else tuple(resources)
        self.index = 0
        self.choice = 0
        """Which of the service's QR choices is shown (call, then text)."""
        self.vcard = False
        self._lang = lang

    @property
    def lang(self) -> str:
        return self._lang or str(getattr(self.app, "lang", "en"))

    @property
    def resource(self) -> Resource:
        return self.resources[self.index]

    @property
    def highlighted(self) -> Resource:
        """The service on screen (the app's shortlist key acts on it)."""
        return self.resource

    def choices(self) -> list[QRChoice]:
        return qr_choices(self.resource, self.lang)

    def qr(self) -> tuple[str, str]:
        """(payload, caption) of the QR code as it should be now."""
        _ = gettext_for(self.lang)
        if self.vcard:
            return vcard_qr(self.resource), _("Scan to save the contact")
        choices = self.choices()
        if not choices:
            return "", ""
        choice = choices[self.choice % len(choices)]
        return choice.uri, choice.caption

    def qr_keys(self) -> str:
        """The keys that change the QR code, said under it: "t: text QR" (or call), "v: contact QR" (or number)."""
        keys: list[str] = []
        choices = self.choices()
        if self.check_action("switch_line", ()):
            keys.append(f"t: {choices[(self.choice + 1) % len(choices)].kind} QR")
        keys.append("v: number QR" if self.vcard else "v: contact QR")
        return "\n".join(keys)

    def compose(self) -> ComposeResult:
        resource = self.resource
        _ = gettext_for(self.lang)
        payload, caption = self.qr()
        if self.vcard and payload and len(qr_text(payload, error="l").plain.splitlines()) > self.app.size.height - 3:
            payload, caption = "", _("Too long for a QR code on this screen: use `nhfind card --format vcard`.")
        with Horizontal(id="card", classes="vcard" if self.vcard else ""):
            with VerticalScroll(id="card-text"):
                if len(self.resources) > 1:
                    where = _("Card {n} of {total}").format(n=self.index + 1, total=len(self.resources))
                    yield Static(Text(where), id="card-position")
                yield Static(Text(clean(resource.name), style="bold"), id="card-name")
                if clean(resource.organization) != clean(resource.name):
                    yield Static(Text(clean(resource.organization)), id="card-organization")
                phone = resource.main_phone
                if phone and _DIGITS.match(phone.number) and len(phone.number) <= 16:
                    yield Digits(clean(phone.number), id="card-phone")
                elif phone:
                    yield Static(Text(clean(phone.number), style="bold"), id="card-phone-text")
                lines = Text()
                for label, value in card_fields(resource, self.lang):  # the same lines as `nhfind card`
                    if label == _("WARNING"):
                        lines.append(f" {badges.PRIVACY['law-enforcement']} ", style="bold reverse")
                        lines.append(f" {clean(value)}\n\n", style="bold")
                        continue
                    lines.append(f"{label}: ", style="bold")
                    lines.append(clean(value) + "\n")
                yield Static(lines, id="card-lines")
            with Vertical(id="card-qr", classes="" if payload else "no-code"):
                if payload or not self.vcard:
                    yield QRCode(payload, id="qr")
                yield Static(Text(caption), id="qr-caption")
                yield Static(Text(self.qr_keys()), id="qr-keys")
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_line":
            return len(self.choices()) > 1 and not self.vcard
        if action == "step":
            return len(self.resources) > 1
        return True

    async def redraw(self) -> None:
        """Compose again (another service, QR choice or language)."""
        await self.recompose()
        self.refresh_bindings()

    async def action_switch_line(self) -> None:
        self.choice += 1
        await self.redraw()

    async def action_toggle_vcard(self) -> None:
        self.vcard = not self.vcard
        await self.redraw()

    async def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.resources)
        self.choice = 0
        await self.redraw()

    def action_copy_phone(self) -> None:
        copy_phone(self, self.resource)
