"""QRCode: a QR code drawn in the terminal with half-block characters (two modules per cell), offline (segno)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

DARK = Style(color="#000000", bgcolor="#ffffff")
"""Dark modules on white whatever the theme: phones read dark-on-light codes most reliably."""

_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_text(data: str, border: int = 2, error: str = "m") -> Text:
    """`data` as a QR code: each character cell holds an upper and a lower module."""
    import segno  # deferred: only the card screen needs it

    code = segno.make(data, error=error, micro=False)
    rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = [
        Text("".join(_BLOCKS[(t, b)] for t, b in zip(top, bottom, strict=True)), DARK)
        for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
    ]
    # joined, not stripped: the all-blank bottom rows are the quiet zone scanners need
    text = Text("\n", no_wrap=True, overflow="crop").join(lines)
    text.no_wrap = True
    return text


class QRCode(Static):
    """A scannable QR code of `data`, or a note that there is nothing to encode."""

    DEFAULT_CSS = """
    QRCode { width: auto; height: auto; }
    """

    def __init__(self, data: str, *, id: str | None = None, classes: str | None = None) -> None:
        self.data = data
        super().__init__(self._drawing(data), id=id, classes=classes)

    @staticmethod
    def _drawing(data: str) -> Text:
        if not data:
            return Text("(no phone or web address to encode)")
        # long payloads (a vCard) take error level L: the smallest code that still scans from a screen
        return qr_text(data, error="m" if len(data) < 40 else "l")

    def show(self, data: str) -> None:
        """Draw another payload in place."""
        self.data = data
        self.update(self._drawing(data))
