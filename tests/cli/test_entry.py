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


def _quick(command_body: str) -> subprocess.CompletedProcess[str]:
    """Run a stand-in read-only command (it sets the flag a QUICK_EXIT command sets) through nhfind.entry."""
    code = (
        "import atexit, sys, threading, time\n"
        "import nhfind.cli\n"
        "def command():\n"
        "    nhfind.cli.quick_exit = True\n"
        + "".join(f"    {line}\n" for line in command_body.splitlines())
        + "nhfind.cli.main = command\n"
        "from nhfind.entry import main\n"
        "main()\n"
    )
    return _run(code)


def test_a_lookup_that_ends_early_still_flushes_its_output_runs_atexit_and_keeps_its_exit_code() -> None:
    proc = _quick(
        "atexit.register(lambda: print('atexit ran'))\n"
        "sys.stdout.write('x' * 100000)\n"
        "sys.stderr.write('said on stderr')\n"
        "sys.exit(1)"
    )
    assert (proc.stdout, proc.stderr, proc.returncode) == ("x" * 100000 + "atexit ran\n", "said on stderr", 1)


def test_an_unusual_exit_after_a_lookup_ends_the_normal_way() -> None:
    # a message as the exit code is printed by the interpreter; a thread still working is waited for
    message = _quick("sys.exit('bad news')")
    assert (message.stderr, message.returncode) == ("bad news\n", 1)
    waited = _quick("threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\nsys.exit(0)")
    assert (waited.stdout, waited.returncode) == ("thread done\n", 0)
