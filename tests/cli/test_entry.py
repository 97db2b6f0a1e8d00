"""The `nhfind` process (nhfind/entry.py): exit codes pass through, and the collector works while a command runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import ENTRY_POINT


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_the_collector_runs_while_a_command_works_and_its_exit_code_comes_out() -> None:
    # a stand-in command reports whether garbage collection is on, then exits 3 as a command would
    code = (
        "import gc, sys\n"
        "import nhfind.cli\n"
        "def command():\n"
        "    print(gc.isenabled())\n"
        "    sys.exit(3)\n"
        "nhfind.cli.main = command\n"
        "from nhfind.entry import main\n"
        "main()\n"
    )
    proc = _run(code)
    assert (proc.stdout, proc.returncode) == ("True\n", 3)


def test_the_entry_imports_nothing_before_it_pauses_the_collector() -> None:
    proc = _run("import sys, nhfind.entry; print([m for m in ('typer', 'click', 'nhfind.cli') if m in sys.modules])")
    assert proc.stdout == "[]\n"


def test_installed_command_and_python_m_give_the_same_answer(fixture_db: Path) -> None:
    args = ["--db", str(fixture_db), "search", "std", "--format", "csv"]
    installed = subprocess.run([str(ENTRY_POINT), *args], capture_output=True, text=True, timeout=60)
    module = subprocess.run([sys.executable, "-m", "nhfind", *args], capture_output=True, text=True, timeout=60)
    assert installed.returncode == module.returncode == 0
    assert installed.stdout == module.stdout and installed.stdout.startswith("id,name,")
