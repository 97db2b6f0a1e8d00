"""Wheel build hook: compile data/ into nhfind/_data/nhfind.db so every install ships a fresh database.

Why a hook rather than a committed file: the database is derived from data/, so building it at install time means
it can never be stale in a wheel, and reviews see only the human-editable TOML.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from nhfind.core.db.write import build

            report = build(root / "data", root / "nhfind" / "_data" / "nhfind.db")
        finally:
            sys.path.remove(str(root))
        self.app.display_info(f"nhfind: built {report.path.name} with {report.services} services")
