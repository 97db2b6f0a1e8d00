"""Which database to open: --db > NHFIND_DB > the user's layered database > an updated base > the packaged file.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Pure: it names files and never writes or compiles one. When the answer is the layered database (merged.db), the
caller asks nhfind.core.db.layers to make it fresh first (see nhfind.core.search.open_store).

The layers (see docs/data.md, "Where imported and local data live"):
- the packaged database, built from data/ and shipped in the wheel;
- an optional *base* in the user's data folder, put there by `nhfind db update` (a coordinator's newer database);
- the *overlay*: records the user imported (overlay.json), compiled with the base into merged.db.
`--db` / NHFIND_DB name one file exactly and skip all layering; `--no-overlay` skips the overlay only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from nhfind.core.errors import UsageError

ENV_VAR = "NHFIND_DB"
DATA_ENV_VAR = "NHFIND_DATA_DIR"
"""Overrides the user data folder (tests, portable installs on a USB stick)."""
PACKAGED_DB = Path(__file__).resolve().parent.parent.parent / "_data" / "nhfind.db"
"""Built from data/ by the wheel build hook (hatch_build.py) or `nhfind db build`; gitignored."""


def expand(path: str | os.PathLike[str], what: str = "path") -> Path:
    """`path` with a leading ~ or ~user expanded.

    Raises:
        UsageError: ~user names no user on this computer.
    """
    text = os.fspath(path)
    try:
        return Path(text).expanduser()
    except RuntimeError:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise UsageError(
            f"{what} {shown!r} starts with a ~user that does not exist here: write the full path"
        ) from None


def user_data_dir() -> Path:
    """The user's nhfind data folder (platformdirs; NHFIND_DATA_DIR overrides). It may not exist yet."""
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return expand(env, DATA_ENV_VAR)
    if sys.platform.startswith("linux"):
        # what platformdirs answers on Linux, without importing it on every lookup
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "nhfind"
    import platformdirs  # deferred: other systems

    return Path(platformdirs.user_data_dir("nhfind", appauthor=False))


def overlay_file() -> Path:
    """The user's imported and local records (JSON), layered over the base."""
    return user_data_dir() / "overlay.json"


def merged_database() -> Path:
    """The compiled base + overlay database."""
    return user_data_dir() / "merged.db"


def updated_database() -> Path:
    """Where `nhfind db update` puts a coordinator's database."""
    return user_data_dir() / "base.db"


def previous_database() -> Path:
    """The database `nhfind db update` replaced, kept for `nhfind db rollback`."""
    return user_data_dir() / "base.previous.db"


def base_database() -> Path:
    """The database the overlay is layered over: an updated one when present, else the packaged one."""
    updated = updated_database()
    return updated if updated.is_file() else PACKAGED_DB


class Choice(NamedTuple):
    """The database to read, and whether it is the layered one (merged.db: base + the user's imported records)."""

    path: Path
    """It may not exist (the store reports that clearly)."""
    layered: bool = False
    """True: nhfind.core.db.layers.fresh_merged() must bring merged.db up to date before it is read."""


def choose(explicit: str | os.PathLike[str] | None = None, *, no_overlay: bool = False) -> Choice:
    """The database to read.

    Args:
        explicit: a path given on the command line (--db), which wins over everything and is read as is.
        no_overlay: ignore the user's imported records (read the base alone).
    """
    if explicit:
        return Choice(expand(explicit, "--db"))
    env = os.environ.get(ENV_VAR)
    if env:
        return Choice(expand(env, ENV_VAR))
    if not no_overlay and overlay_file().is_file():
        return Choice(merged_database(), layered=True)
    return Choice(base_database())
