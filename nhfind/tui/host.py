"""What the screens ask of the app that runs them (FinderApp), typed without importing it: the app imports them."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from nhfind.core.models import Resource


@runtime_checkable
class Host(Protocol):
    """The finder app's methods that screens call: `isinstance(self.app, Host)` narrows `self.app` to them."""

    def load_css(self) -> None:
        """Read the app's stylesheet (once), after the first frame is painted."""

    def toggle_in_shortlist(self, resource: Resource) -> None:
        """Add `resource` to the shortlist, or take it off when it is there."""
