"""CardScreen: a calm referral card to show a client, with a QR code their phone can scan offline."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from nhfind.core.card import card_fields
from nhfind.core.models import Resource
from nhfind.tui.clipboard import copy_phone
from nhfind.tui.resource_text import BADGES, clean, qr_payload
from nhfind.tui.widgets.qr_code import QRCode

_DIGITS = re.compile(r"^[0-9 ()+-]{3,}$")
"""Numbers the large Digits font can draw; others are shown as bold text."""


class CardScreen(Screen[None]):
    """Name, number in large figures, where and when, and a QR code with the number (or web address)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="card.back", tooltip="Close the card."),
        Binding("p", "copy_phone", "Copy phone", id="card.copy-phone",
                tooltip="Copy the main phone number to the clipboard."),
    ]  # fmt: skip

    def __init__(self, resource: Resource) -> None:
        super().__init__()
        self.resource = resource

    def compose(self) -> ComposeResult:
        resource = self.resource
        payload = qr_payload(resource)
        with Horizontal(id="card"):
            with VerticalScroll(id="card-text"):
                yield Static(Text(clean(resource.name), style="bold"), id="card-name")
                if clean(resource.organization) != clean(resource.name):
                    yield Static(Text(clean(resource.organization)), id="card-organization")
                phone = resource.main_phone
                if phone and _DIGITS.match(phone.number) and len(phone.number) <= 16:
                    yield Digits(clean(phone.number), id="card-phone")
                elif phone:
                    yield Static(Text(clean(phone.number), style="bold"), id="card-phone-text")
                lines = Text()
                for label, value in card_fields(resource):  # the same lines as `nhfind card`
                    if label == "WARNING":
                        lines.append(f" {BADGES['law-enforcement']} ", style="bold reverse")
                        lines.append(f" {clean(value)}\n\n", style="bold")
                        continue
                    lines.append(f"{label}: ", style="bold")
                    lines.append(clean(value) + "\n")
                yield Static(lines, id="card-lines")
            with Vertical(id="card-qr"):
                yield QRCode(payload, id="qr")
                caption = "Scan to call" if payload.startswith("tel:") else "Scan to open" if payload else ""
                yield Static(Text(caption), id="qr-caption")
        yield Footer(compact=True, show_command_palette=False)

    def action_copy_phone(self) -> None:
        copy_phone(self, self.resource)
