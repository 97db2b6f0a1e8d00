"""What every import shares: the problem it reports and the source its records cite (the cell parsers are in
nhfind.core.parse, shared with hours and the export).

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Both readers use these, HSDS packages (nhfind.core.hsds_import) and the spreadsheet template
(nhfind.core.template); the HSDS reader hands spreadsheets to the template reader, so they live here, below both.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from nhfind.core.errors import NhfindError
from nhfind.core.models import IMPORTED_GRADE, Source

SOURCE_KEY = "import"


class ImportProblem(NhfindError):
    """A value that cannot be read: names the file, the row (or item) and the column (or field)."""

    def __init__(self, file: str, where: str, column: str, problem: str, fixable: bool = True) -> None:
        self.file, self.where, self.column, self.problem = file, where, column, problem
        place = ", ".join(p for p in (f"{file} {where}".strip(), column) if p)
        advice = "Fix the file and import again; nothing was imported." if fixable else "Nothing was imported."
        super().__init__(f"{place}: {problem}. {advice}")


def imported_source(path: Path | str, fmt: str, org_url: str = "", page_date: str = "") -> Source:
    """The one source every imported fact cites: the file it came from, graded "imported".

    `path` as text is taken as already resolved (a reader converting thousands of records resolves it once)."""
    title = f"{fmt} import" + (f"; the organization's site: {org_url}" if org_url else "")
    return Source(SOURCE_KEY, path if isinstance(path, str) else str(path.resolve()), IMPORTED_GRADE, page_date, title)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while an import reads or writes: it makes about a million small objects and
    no cycles, and the collector kept walking all of them (about a tenth of an import of 5,000 services)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
