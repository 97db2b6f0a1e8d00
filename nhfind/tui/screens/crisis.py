"""CrisisScreen: every emergency and crisis line in the data, one key away, in `nhfind crisis`'s groups and order."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from nhfind.core import badges
from nhfind.core.crisis import GROUP_TITLES, CrisisLines, crisis_lines, lines_of
from nhfind.core.db.store import Store
from nhfind.tui.keys import HIDE
from nhfind.tui.resource_text import clean

NUMBER_WIDTH = 15
HOW_WIDTH = 5


def crisis_text(lines: CrisisLines, width: int = 75) -> Text:
    """One row per number, grouped as nhfind.core.crisis orders them: number, how (call, text, tty), then the name
    with its flags on a service's first number and the number's instructions; services without a number last."""
    out = Text()
    rows = lines_of(lines)
    if not rows:
        out.append("No crisis lines in this database. In danger now: call 911.\n", style="bold")
    indent = " " * (NUMBER_WIDTH + 1 + HOW_WIDTH + 1)
    room = max(20, width - len(indent))
    group = ""
    for row in rows:
        if row.group != group:
            out.append("\n" if group else "")
            group = row.group
            out.append(GROUP_TITLES[group].upper() + "\n", style="bold underline")
        number = clean(row.phone.number)
        out.append(f"{number:<{NUMBER_WIDTH}} ", style="bold")
        out.append(f"{row.how:<{HOW_WIDTH}} ")
        head, extra = clean(row.head), clean(row.extra)
        check = f"[number: {row.check}]" if row.check else ""
        text = " - ".join(x for x in (head, extra) if x) + (f" {check}" if check and (head or extra) else check)
        for i, part in enumerate(textwrap.wrap(text, width=room, break_on_hyphens=False) or [""]):
            out.append(indent if i else "")
            start = len(out)
            out.append(part + "\n", style="bold" if i == 0 and head else "")
            if row.resource.is_law_enforcement and badges.POLICE_MAY_COME in part:
                at = start + part.index(badges.POLICE_MAY_COME)
                out.stylize("bold reverse", at, at + len(badges.POLICE_MAY_COME))
    if lines.without_phone:
        names = ", ".join(clean(r.name) for r in lines.without_phone)
        out.append("\n")
        out.append("\n".join(textwrap.wrap(f"No phone line listed: {names}", width=width)) + "\n", style="dim")
    return out


class CrisisScreen(ModalScreen[None]):
    """Crisis and emergency lines from the data: the lines to call or text first, every number on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q", "dismiss", "Back", id="crisis.back", tooltip="Close the crisis lines."),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.lines = crisis_lines(store)
        """What the screen shows, in order (nhfind.core.crisis)."""

    def compose(self) -> ComposeResult:
        width = min(self.app.size.width, 110) - 5  # the frame, its padding and the scrollbar
        with VerticalScroll(id="crisis-body") as body:
            body.border_title = "Crisis and emergency lines"
            body.border_subtitle = "escape: back"
            yield Static(crisis_text(self.lines, width), id="crisis-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#crisis-body").focus()
