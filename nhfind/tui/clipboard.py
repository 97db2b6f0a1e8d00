"""Copying a service's phone number to the clipboard, shared by the details and card screens."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from nhfind.core.models import Resource
from nhfind.tui.resource_text import clean


def copy_phone(screen: Screen[Any], resource: Resource) -> None:
    """Put the main phone number on the clipboard and say so (or say there is none)."""
    phone = resource.main_phone
    if phone is None:
        screen.notify("This service lists no phone number.", severity="warning")
        return
    screen.app.copy_to_clipboard(phone.number)
    screen.notify(f"Copied {clean(phone.number)}", title="Clipboard", markup=False)
