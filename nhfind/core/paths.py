"""Which database to open: --db > NHFIND_DB > the file shipped inside the package.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NHFIND_DB"
PACKAGED_DB = Path(__file__).resolve().parent.parent / "_data" / "nhfind.db"
"""Built from data/ by the wheel build hook (hatch_build.py) or `nhfind db build`; gitignored."""


def repo_data_dir() -> Path | None:
    """data/ of a source checkout, when nhfind runs from one (editable install); None when installed."""
    candidate = Path(__file__).resolve().parent.parent.parent / "data"
    return candidate if (candidate / "vocabulary.toml").is_file() else None


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to read.

    Args:
        explicit: a path given on the command line (--db), which wins over everything.

    Returns:
        The path; it may not exist (the store reports that clearly).
    """
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return PACKAGED_DB
