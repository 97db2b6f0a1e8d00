"""Where nhfind looks for the user's data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from nhfind.core.db import locate


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shortcut is for Linux only")
@pytest.mark.parametrize("xdg", [None, "/tmp/somewhere-xdg"])
def test_linux_data_folder_is_what_platformdirs_says(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    monkeypatch.delenv(locate.DATA_ENV_VAR, raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert locate.user_data_dir() == Path(platformdirs.user_data_dir("nhfind", appauthor=False))


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(locate.DATA_ENV_VAR, str(tmp_path))
    assert locate.user_data_dir() == tmp_path
