"""A validated Dataset -> the SQLite database, written with sqlite-utils in one atomic replace.

Core module: pure Python + sqlite-utils. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Deterministic: input sorted, no clock (the build date is the newest last_verified date in the data), so the same
data/ always gives the same bytes. Used by `nhfind db build`, the wheel build hook, the overlay compiler
(nhfind.core.db.layers) and the test fixtures. `python -m nhfind.core.db.write` builds the packaged database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nhfind.core import fts
from nhfind.core.dataset import Dataset, load_dataset
from nhfind.core.db import schema
from nhfind.core.facets import FACETS, values_of
from nhfind.core.files import replace_atomically
from nhfind.core.hours import openings
from nhfind.core.models import SCHEMA_VERSION, Resource, Vocabulary, plain


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    path: Path
    services: int
    organizations: int
    sources_hash: str


def _facet_rows(resource: Resource) -> Iterable[dict[str, str]]:
    values = values_of(resource)
    for facet in FACETS:
        for value in values[facet]:
            yield {"service_id": resource.id, "facet": facet, "value": value}


def record_json(resource: Resource) -> str:
    """The stored record: json.dumps(resource.to_dict(), sort_keys=True, ensure_ascii=False), computed faster."""
    return json.dumps(plain(resource), sort_keys=True, ensure_ascii=False)


def _service_row(resource: Resource, vocab: Vocabulary) -> dict[str, Any]:
    phone = resource.main_phone
    labels = [vocab.categories[c][0] for c in resource.categories if c in vocab.categories]
    return {
        "id": resource.id,
        "name": resource.name,
        "organization": resource.organization,
        "organization_id": resource.organization_id,
        "categories": " ".join([*resource.categories, *labels]).replace("-", " "),
        "keywords": " ".join(resource.keywords),
        "description": resource.description,
        "cost": "; ".join(resource.cost_values),
        "confidentiality": resource.confidentiality_value,
        "phone": phone.number if phone else "",
        "address": resource.address.one_line() if resource.address else "",
        "last_verified": resource.last_verified,
        "record": record_json(resource),
    }


def _search_terms(dataset: Dataset) -> dict[str, int]:
    """Every word a search can be corrected to: 2 for names, keywords, categories and the search vocabulary,
    1 for words found only in descriptions."""
    terms: dict[str, int] = {}
    strong: list[str] = [label for label, _m, _oe in dataset.vocabulary.categories.values()]
    strong += [phrase for pair in dataset.search_vocabulary.synonyms for phrase in pair]
    for r in dataset.resources:
        strong += [r.name, r.organization, *r.keywords, *(c.replace("-", " ") for c in r.categories)]
        for word in fts.words(r.description):
            terms.setdefault(word, 1)
    for text in strong:
        for word in fts.words(text):
            terms[word] = 2
    return dict(sorted(terms.items()))


def _opening_rows(resources: Iterable[Resource]) -> Iterable[dict[str, Any]]:
    """One row per weekly opening (minutes from the day's midnight; 24/7 is seven whole days; a range past midnight
    closes after 1440). Services with unknown hours get no rows, so they never match an "open at" filter."""
    for r in resources:
        for o in openings(r.hours):
            yield {"service_id": r.id, "day": o.day, "opens": o.opens, "closes": o.closes}


def write_database(dataset: Dataset, path: Path) -> None:
    """Write `dataset` to a new SQLite file at `path` (which must not exist yet)."""
    import sqlite_utils  # deferred: slow to import, and only builds need it

    conn = sqlite3.connect(path)
    try:
        db = sqlite_utils.Database(conn)
        # A fresh temp file, deleted on any failure (replace_atomically): no rollback journal and no sync per
        # sqlite-utils batch; replace_atomically flushes the finished file once before it takes the target's name.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        vocab = dataset.vocabulary
        keys = schema.PRIMARY_KEYS
        for table, kinds in schema.COLUMNS.items():  # tables that may stay empty still exist
            db.table(table).create(kinds, pk=keys[table])
        services = db.table("services")
        services.insert_all((_service_row(r, vocab) for r in dataset.resources), pk=keys["services"])
        db.table("organizations").insert_all(
            ({"id": i, "name": n, "description": d} for i, n, d in dataset.organizations), pk=keys["organizations"]
        )
        db.table("facets").insert_all((row for r in dataset.resources for row in _facet_rows(r)), pk=keys["facets"])
        db.table("phones").insert_all(
            (
                {
                    "service_id": r.id,
                    "position": i,
                    "number": p.number,
                    "kind": p.kind,
                    "label": p.label,
                    "hours": p.hours,
                    "instructions": p.instructions,
                    "source_url": r.sources[p.source].url,
                    "grade": r.sources[p.source].grade,
                }  # fmt: skip
                for r in dataset.resources
                for i, p in enumerate(r.phones)
            ),
            pk=keys["phones"],
        )
        db.table("openings").insert_all(_opening_rows(dataset.resources))
        db.table("sources").insert_all(
            (
                {
                    "service_id": r.id,
                    "key": s.key,
                    "url": s.url,
                    "grade": s.grade,
                    "page_date": s.page_date,
                    "title": s.title,
                }  # fmt: skip
                for r in dataset.resources
                for s in r.sources.values()
            ),
            pk=keys["sources"],
        )
        db.table("vocabulary").insert_all(
            (
                {
                    "facet": facet,
                    "value": value,
                    "meaning": meaning,
                    "label": vocab.categories[value][0] if facet == "category" else value,
                    "open_eligibility": vocab.categories[value][2] if facet == "category" else "",
                }  # fmt: skip
                for facet in FACETS
                for value, meaning in vocab.meanings(facet).items()
            ),
            pk=keys["vocabulary"],
        )
        # the search vocabulary (data/search-vocabulary.toml) and the words typos are corrected to: read once per
        # database file by nhfind.core.search, never per query
        words = dataset.search_vocabulary
        db.table("search_synonyms").insert_all({"phrase": a, "expansion": b} for a, b in words.synonyms)
        db.table("search_stop_words").insert_all({"word": w} for w in words.stop_words)
        db.table("search_terms").insert_all({"term": t, "weight": w} for t, w in _search_terms(dataset).items())
        dates = sorted(r.last_verified for r in dataset.resources if r.last_verified)  # imported ones may lack it
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "sources_hash": dataset.sources_hash,
            "build_date": dates[-1] if dates else "",
            "oldest_verified": dates[0] if dates else "",
            "newest_verified": dates[-1] if dates else "",
            "services": str(len(dataset.resources)),
            "organizations": str(len(dataset.organizations)),
        }
        db.table("meta").insert_all(({"key": k, "value": v} for k, v in meta.items()), pk=keys["meta"])
        services.enable_fts(list(schema.FTS_WEIGHTS), tokenize=schema.FTS_TOKENIZER)
        for index, table, expression in schema.INDEXES:
            conn.execute(f"CREATE INDEX {index} ON {table}({expression})")
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()


def build(data_dir: Path, out: Path) -> BuildReport:
    """Validate data/ and compile it into the database at `out`, atomically.

    Raises:
        DataError: a record is invalid; nothing is written and `out` is untouched.
        OSError: the file could not be written; `out` is untouched.
    """
    dataset = load_dataset(Path(data_dir))
    replace_atomically(Path(out), lambda tmp: write_database(dataset, tmp))
    return BuildReport(Path(out), len(dataset.resources), len(dataset.organizations), dataset.sources_hash)


if __name__ == "__main__":  # `python -m nhfind.core.db.write`: build the packaged database without the CLI
    import sys

    from nhfind.core.dataset import repo_data_dir
    from nhfind.core.db.locate import PACKAGED_DB
    from nhfind.core.errors import DataError

    try:
        built = build(repo_data_dir() or Path("data"), PACKAGED_DB)
    except DataError as exc:
        sys.exit(str(exc))
    print(f"built {built.path}: {built.services} services")
