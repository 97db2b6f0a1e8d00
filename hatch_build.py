"""Wheel build hook: compile data/ into nhfind/_data/nhfind.db, and the gettext catalogs (nhfind/locale/*/LC_MESSAGES/
*.po) into their .mo files, so every install ships a fresh database and its translations; write the manual page from
the app (nhfind.cli.manpage) into build/man/nhfind.1, installed as share/man/man1/nhfind.1.

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
            from nhfind.cli.manpage import manpage
            from nhfind.core.db.write import build
            from nhfind.locale import compile_catalogs

            report = build(root / "data", root / "nhfind" / "_data" / "nhfind.db")
            catalogs = compile_catalogs(root / "nhfind" / "locale")
            page = root / "build" / "man" / "nhfind.1"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(manpage(), encoding="utf-8")
        finally:
            sys.path.remove(str(root))
        if self.target_name == "wheel":
            build_data.setdefault("shared_data", {})[str(page.relative_to(root))] = "share/man/man1/nhfind.1"
        self.app.display_info(f"nhfind: built {report.path.name} with {report.services} services")
        self.app.display_info(f"nhfind: compiled {len(catalogs)} translation catalog(s)")
