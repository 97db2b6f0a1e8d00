"""ExportScreen: save the current results as CSV or Markdown, atomically, never overwriting without a second yes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from nhfind.core.files import replace_atomically
from nhfind.core.models import Resource
from nhfind.core.writers import inert, render

FORMATS = {"csv": "CSV (spreadsheets)", "md": "Markdown (documents)"}
"""writer name -> what the dialog calls it."""


def default_path(fmt: str, stem: str = "nhfind-results") -> Path:
    """Where an export goes unless the user says otherwise: the home folder."""
    return Path.home() / f"{stem}.{fmt}"


class Choice(RadioButton):
    """A radio button that shows its state in characters, `(•)` or `( )`, not by colour alone (NO_COLOR, mono)."""

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", "bold" if self.value else "")


class ExportScreen(ModalScreen[Path | None]):
    """Choose a format and a path; dismisses with the written path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="export.cancel", tooltip="Close without saving."),
    ]

    def __init__(
        self,
        resources: tuple[Resource, ...],
        formats: dict[str, str] | None = None,
        writer: Callable[[str, tuple[Resource, ...]], str] = render,
        stem: str = "nhfind-results",
        noun: str = "result",
    ) -> None:
        super().__init__()
        self.resources = resources
        self.formats = formats or FORMATS
        """format -> label; the shortlist exports cards (text, HTML, vCard) through the same dialog."""
        self.writer = writer
        self.stem = stem
        self.noun = noun
        self.fmt = next(iter(self.formats))
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            count = len(self.resources)
            dialog.border_title = f"Export {count} {self.noun}{'s' if count != 1 else ''}"
            with RadioSet(id="export-format"):
                for fmt, label in self.formats.items():
                    yield Choice(label, value=fmt == self.fmt, id=f"format-{fmt}")
            yield Label("Save to:")
            yield Input(str(default_path(self.fmt, self.stem)), id="export-path")
            yield Static("", id="export-message", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Save", variant="primary", id="export-save")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed, "#export-format")
    def _format(self, event: RadioSet.Changed) -> None:
        fmt = (event.pressed.id or "format-csv").removeprefix("format-")
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.lstrip(".") in self.formats:
            path_input.value = str(path.with_suffix(f".{fmt}"))
        self.fmt = fmt
        self._confirmed = None

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirmed = None
        self.query_one("#export-message", Static).update("")

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def save(self) -> None:
        """Write the file; ask again before replacing an existing one; one clear line on failure."""
        box = self.query_one("#export-message", Static)

        def message(line: str) -> None:  # never markup: the line quotes what was typed ("[/]" included)
            box.update(Text(inert(line)))

        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            message("Type a file name to save to.")
            return
        try:
            path = Path(raw).expanduser()
        except RuntimeError:
            message(f"{raw[:60]}: no such user for ~. Type the full path.")
            return
        try:
            if path.is_dir():
                message(f"{path} is a folder: add a file name, such as {path / f'{self.stem}.{self.fmt}'}")
                return
            if not path.parent.is_dir():
                message(f"The folder {path.parent} does not exist (is the drive plugged in?). Check the path.")
                return
            if os.path.lexists(path) and self._confirmed != path:
                if not path.is_file():
                    message(f"{path} is not a plain file. Choose another name.")
                    return
                self._confirmed = path
                message(f"{path} already exists. Press Save again to replace it, or change the name.")
                return
            text = self.writer(self.fmt, self.resources)
            replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except OSError as exc:
            message(f"Could not save to {str(path)[:80]}: {exc.strerror or exc}. Pick another name or folder.")
            return
        self.dismiss(path)
