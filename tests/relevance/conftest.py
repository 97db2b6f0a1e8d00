"""Prints the relevance numbers (ours and the plain full-text baseline) at the end of every pytest run."""

from __future__ import annotations

import pytest

from tests.relevance.metrics import REPORT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.write_sep("=", "search relevance (tests/relevance/queries.toml)")
        for line in REPORT:
            terminalreporter.write_line(line)
