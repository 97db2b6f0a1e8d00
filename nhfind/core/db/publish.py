"""The published copy's one addition to the schema: the `directory` view that Datasette shows (nhfind.core.publish).

Core module: stdlib sqlite3. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

VIEW = "directory"

_ARRAY = (
    "(SELECT json_group_array(value) FROM"
    " (SELECT value FROM facets WHERE service_id = s.id AND facet = '{}' ORDER BY value))"
)
_VIEW_SQL = f"""CREATE VIEW {VIEW} AS SELECT
  s.rowid AS rowid, s.id AS id, s.name AS name, s.organization AS organization,
  {_ARRAY.format("category")} AS category,
  {_ARRAY.format("cost")} AS cost,
  s.confidentiality AS confidentiality, s.phone AS phone, s.address AS address,
  {_ARRAY.format("population")} AS population,
  s.description AS description, s.last_verified AS last_verified
FROM services s"""
"""One service per row, without the `record` JSON; categories, costs and populations as JSON arrays (Datasette facets
them value by value); `rowid` kept so the full-text index (services_fts) can narrow the view."""


def copy_with_directory(database: Path, target: Path) -> tuple[int, str]:
    """Copy `database` to `target` (a new file) and add the directory view to the copy.

    Returns:
        (services in the copy, its build date).
    """
    shutil.copyfile(database, target)
    conn = sqlite3.connect(target)
    try:
        conn.execute(f"DROP VIEW IF EXISTS {VIEW}")
        conn.execute(_VIEW_SQL)
        conn.commit()
        services = conn.execute("SELECT count(*) FROM services").fetchone()[0]
        row = conn.execute("SELECT value FROM meta WHERE key = 'build_date'").fetchone()
    finally:
        conn.close()
    return int(services), row[0] if row else ""
