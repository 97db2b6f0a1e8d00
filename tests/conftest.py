"""Shared fixtures: a tiny database built from tests/fixtures/data, and one built from the real data/."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from nhfind.core.db.store import Store
from nhfind.core.db.write import build

# Stable help and table output in CI (Typer's own test setup does the same).
os.environ["TERMINAL_WIDTH"] = "100"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ["NO_COLOR"] = "1"
os.environ.pop("NHFIND_DB", None)
# imported records live in the user's data folder: tests never read or write the real one
os.environ["NHFIND_DATA_DIR"] = tempfile.mkdtemp(prefix="nhfind-test-user-data-")
atexit.register(shutil.rmtree, os.environ["NHFIND_DATA_DIR"], True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
REAL_DATA = ROOT / "data"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fixture") / "fixture.db"
    build(FIXTURE_DATA, path)
    return path


@pytest.fixture(scope="session")
def fixture_store(fixture_db: Path) -> Store:
    return Store(fixture_db)


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("real") / "nhfind.db"
    build(REAL_DATA, path)
    return path


@pytest.fixture(scope="session")
def real_store(real_db: Path) -> Store:
    return Store(real_db)


# Hypothesis: derandomized in CI so a run is repeatable; the same number of examples everywhere.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("ci", derandomize=True, print_blob=True)
_hsettings.register_profile("dev")
_hsettings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The whole suite (`pytest`, `pytest -m "not slow"`) runs on every core; a named file or test runs in one process.

    Plain `pytest` is the README's command and .ci/run's, so the default lives here rather than in `make`. Left alone:
    an explicit `-n N` (`-n 0` for one process), `-p no:xdist`, `--pdb`, `--collect-only`, and the xdist workers.
    """
    if (
        config.pluginmanager.hasplugin("xdist")
        and config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and config.getoption("numprocesses", None) is None
        and not hasattr(config, "workerinput")
        and not config.getoption("usepdb", False)
        and not config.getoption("collectonly", False)
    ):
        config.option.numprocesses = "auto"


# -- the relevance numbers in the summary (tests/relevance): a worker process scores them, the main process prints them


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.relevance.metrics import REPORT

    output = getattr(session.config, "workeroutput", None)  # an xdist worker: hand the lines to the main process
    if output is not None and REPORT:
        output["relevance"] = list(REPORT)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    from tests.relevance.metrics import REPORT

    lines = getattr(node, "workeroutput", {}).get("relevance")
    if lines:
        REPORT[:] = lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.relevance.metrics import REPORT

    if REPORT:
        terminalreporter.write_sep("=", "search relevance (tests/relevance/queries.toml)")
        for line in REPORT:
            terminalreporter.write_line(line)
