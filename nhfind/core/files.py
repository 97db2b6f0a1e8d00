"""Writing files safely: every file nhfind writes (databases, the overlay, exports) is written through here.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
A reader (another nhfind, a TUI worker) must find the old file or the new one, never half of one, and a power cut
must not leave a renamed but empty file: so the new content goes to a temp file beside the target, is flushed to
disk, and then takes the target's name in one os.replace.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def fsync_file(path: Path) -> None:
    """Flush a written file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, write: Callable[[Path], Any]) -> None:
    """Call `write(tmp_path)` for a temp file beside `path`, flush it to disk, then move it over `path` in one step.

    `write` must create the file at tmp_path (it does not exist when called). A failure at any point removes the
    temp file and leaves `path` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write(tmp)
        fsync_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
