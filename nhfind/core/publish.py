"""`nhfind db publish`: the database a team can browse read-only with Datasette, and its metadata.json.

Core module: pure Python; its SQL is in nhfind.core.db.publish. Never imports typer, rich, textual, nhfind.cli or
nhfind.tui.

The folder holds a copy of the database searches read (bundled or updated, with the user's imported records) plus
one view, `directory`: a service per row with its categories, costs and populations as JSON arrays (so Datasette
facets them value by value), without the `record` JSON; and `metadata.json`: title, licence and source notes, table and
column descriptions from the vocabulary, the full-text index wired to the directory's search box, facets on
category, cost and confidentiality. nhfind itself still reads the copy (`nhfind --db DIR/nhfind.db`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nhfind.core.db.publish import VIEW, copy_with_directory
from nhfind.core.models import CONFIDENTIALITY, COSTS, GRADES, Vocabulary

DB_NAME = "nhfind.db"
METADATA_NAME = "metadata.json"

_HIDDEN = ("services", "openings", "search_synonyms", "search_stop_words", "search_terms", "meta")
"""Tables of nhfind's own machinery (and `services`, whose `record` JSON the directory view leaves out)."""


@dataclass(frozen=True)
class PublishReport:
    folder: Path
    database: Path
    metadata: Path
    services: int


def _meanings(values: dict[str, str]) -> str:
    return "; ".join(f"{key} = {meaning.rstrip('.')}" for key, meaning in values.items())


def metadata(vocab: Vocabulary, services: int, build_date: str) -> dict[str, Any]:
    """Datasette metadata for the published folder (the database is named after its file: nhfind)."""
    # the database keeps a category's meaning as "label: meaning" already (Vocabulary.meanings)
    categories = {
        k: f"{label}: {meaning.removeprefix(f'{label}: ')}" for k, (label, meaning, _oe) in vocab.categories.items()
    }
    directory = {
        "description": (
            "One row per service. Search finds words in names, organizations, categories, keywords and descriptions;"
            " facets narrow by category, cost and confidentiality. Before handing on a number, open the full record"
            " (`nhfind show ID`, or the sources table) to see each fact's source, grade and page date."
        ),
        "fts_table": "services_fts",
        "fts_pk": "rowid",
        "facets": [{"array": "category"}, {"array": "cost"}, "confidentiality"],
        "sort": "name",
        "label_column": "name",
        "columns": {
            "rowid": "Row number (links the search index).",
            "id": "The service id: `nhfind show ID` gives everything about it.",
            "name": "The service.",
            "organization": "Who runs it.",
            "category": f"What kind of help: {_meanings(categories)}.",
            "cost": f"What it costs: {_meanings(COSTS)}.",
            "confidentiality": f"How information is handled: {_meanings(CONFIDENTIALITY)}.",
            "phone": "The main number as published (see the phones table for all, with their sources).",
            "address": "Where it is, as published ('Call for location' when it is kept confidential).",
            "population": f"Who it is for: {_meanings(vocab.populations)}.",
            "description": "What it is and when to use it, in our own words.",
            "last_verified": "When we last checked the record against its sources (not how old the sources are).",
        },
    }
    tables: dict[str, Any] = {VIEW: directory}
    tables["phones"] = {
        "description": "Every number of every service as published, with the source it came from and its grade.",
        "facets": ["kind", "grade"],
        "columns": {"grade": f"How much to trust the source: {_meanings(GRADES)}."},
    }
    tables["sources"] = {
        "description": (
            "Every source a service cites: its address, grade and the page's own date (blank: undated)."
            " Low and imported grades mean: check before relying."
        ),
        "facets": ["grade"],
        "columns": {"grade": f"{_meanings(GRADES)}.", "page_date": "The page's own date as found; blank: undated."},
    }
    tables["facets"] = {"description": "Filter values per service (category, cost, confidentiality, ...)."}
    tables["vocabulary"] = {"description": "What every filter value means."}
    tables["organizations"] = {"description": "The organizations that run the services."}
    for name in _HIDDEN:
        tables[name] = {"hidden": True}
    tables["services"]["description"] = "Full records (the record column is nhfind's JSON); browse the directory view."
    return {
        "title": "nhfind: support resources in North Highlands and Sacramento County",
        "description": (
            f"{services} services, built {build_date}. A read-only copy of nhfind's directory: sexual health, harm"
            " reduction, treatment, shelter and housing, leaving sex work, trafficking support, legal aid, benefits,"
            " jobs, hotlines. Every contact fact cites a published source with its grade and page date; unknown"
            " means no source gives it. Call ahead: details change."
        ),
        "license": "MIT (nhfind and its descriptions); contact facts belong to the pages they cite",
        "source": "A seed article and published pages, each cited per fact (see the sources table)",
        "databases": {"nhfind": {"tables": tables}},
    }


def publish(database: Path, folder: Path, vocab: Vocabulary, force: bool = False) -> PublishReport:
    """Write DIR/nhfind.db (a copy of `database` with the directory view) and DIR/metadata.json.

    Each file is written beside its final name and moved into place, so a reader never sees half a file.

    Raises:
        FileExistsError: the folder holds other files and `force` is not set.
        OSError: the folder cannot be written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(str(folder))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise FileExistsError(str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    target, meta_path = folder / DB_NAME, folder / METADATA_NAME
    tmp = folder / f".{DB_NAME}.tmp"
    tmp_meta = folder / f".{METADATA_NAME}.tmp"
    try:
        services, build_date = copy_with_directory(database, tmp)
        text = json.dumps(metadata(vocab, services, build_date), indent=2, ensure_ascii=False) + "\n"
        tmp_meta.write_text(text, encoding="utf-8")
        tmp.replace(target)
        tmp_meta.replace(meta_path)
    finally:
        tmp.unlink(missing_ok=True)
        tmp_meta.unlink(missing_ok=True)
    return PublishReport(folder, target, meta_path, services)
