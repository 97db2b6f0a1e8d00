"""Bindings shared by several screens, so the footer names the quick-hide key on every screen."""

from __future__ import annotations

from textual.binding import Binding

HIDE = Binding(
    "ctrl+g,f12",
    "app.quick_hide",
    "Hide",
    id="hide",
    priority=True,
    tooltip="Blank the screen at once and forget the query, filters and results. Escape comes back.",
)
"""Quick-hide, also bound on the app; repeated on modal screens, whose footer shows only their own keys."""
