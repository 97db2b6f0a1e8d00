"""Placeholder until the TUI issue lands: says so instead of failing."""

from __future__ import annotations

import sys

from nhfind.core.store import Store


def run(store: Store, color: bool = True) -> None:
    sys.stderr.write("nhfind: the interactive finder is not built yet; use `nhfind search` (see --help)\n")
    raise SystemExit(2)
