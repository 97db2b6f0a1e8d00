"""No network, no history: the CLI opens no socket and leaves no file behind but an export asked for."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

AUDITED = textwrap.dedent(
    """
    import sys
    def hook(event, args):
        if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
            sys.stderr.write(f"NETWORK: {event}\\n")
            sys.stderr.flush()
            import os; os._exit(99)
    sys.addaudithook(hook)
    from nhfind.cli import main
    sys.argv = ["nhfind", *sys.argv[1:]]
    main()
    """
)

COMMANDS = [
    ["search", "shelter", "--format", "json"],
    ["search", "", "--cost", "free", "--format", "csv"],
    ["show", "test-shelter-beds"],
    ["export", "--format", "md"],
    ["db", "info"],
    ["search", "zzz-no-such"],
    ["--help"],
]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NHFIND"))}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local/state")}  # fmt: skip
    return env


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:30])
def test_cli_opens_no_socket(fixture_db: Path, tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", AUDITED, "--db", str(fixture_db), *args],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60,
    )  # fmt: skip
    assert "NETWORK" not in result.stderr
    assert result.returncode in (0, 1), result.stderr


def test_cli_session_leaves_nothing_in_home(fixture_db: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    export = home / "wanted.csv"
    for args in [*COMMANDS, ["export", "--format", "csv", "--output", str(export)]]:
        subprocess.run(
            [sys.executable, "-m", "nhfind", "--db", str(fixture_db), *args],
            capture_output=True, text=True, env=_env(home), cwd=home, timeout=60,
        )  # fmt: skip
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert left == ["wanted.csv"], f"files written under HOME: {left}"


def test_nothing_logs_queries(fixture_db: Path, tmp_path: Path) -> None:
    secret = "zebra-unique-query-7781"
    before = {p: p.stat().st_mtime_ns for p in fixture_db.parent.rglob("*")}
    subprocess.run(
        [sys.executable, "-m", "nhfind", "--db", str(fixture_db), "search", secret],
        capture_output=True, env=_env(tmp_path), cwd=tmp_path, timeout=60,
    )  # fmt: skip
    after = {p: p.stat().st_mtime_ns for p in fixture_db.parent.rglob("*")}
    assert after == before, "the database folder changed after a search"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
