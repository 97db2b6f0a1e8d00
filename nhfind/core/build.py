"""data/ -> the SQLite database: validate every record, then write the file atomically with sqlite-utils.

Core module: pure Python + sqlite-utils. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Deterministic: input sorted, no clock (the build date is the newest last_verified date in the data), so the same
data/ always gives the same bytes. Used by `nhfind db build`, the wheel build hook and the test fixtures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nhfind.core import fts
from nhfind.core.errors import DataError
from nhfind.core.hours import openings, parse_range
from nhfind.core.models import (
    CONFIDENTIALITY,
    COSTS,
    FACETS,
    GRADES,
    IMPORTED_GRADE,
    PHONE_KINDS,
    SCHEMA_VERSION,
    Address,
    Conflict,
    Fact,
    Hours,
    Phone,
    Resource,
    Source,
    Vocabulary,
    plain,
)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SERVICE_KEYS = {
    "id", "name", "description", "categories", "populations", "access", "keywords", "service_area",
    "last_verified", "sources", "cost", "confidentiality", "hours", "languages", "eligibility", "website",
    "email", "what_to_bring", "address", "phones", "conflicts",
}  # fmt: skip
_TEXT_FACTS = ("eligibility", "website", "email", "what_to_bring")


@dataclass(frozen=True)
class SearchVocabulary:
    """data/search-vocabulary.toml, normalized to search tokens (lower case, no punctuation)."""

    stop_words: tuple[str, ...] = ()
    """Words of plain questions that carry no meaning ("where", "can", "i")."""
    synonyms: tuple[tuple[str, str], ...] = ()
    """(phrase as typed, phrase also searched), sorted; equivalents appear in every direction."""


@dataclass(frozen=True)
class Dataset:
    """Everything read from data/, validated."""

    vocabulary: Vocabulary
    organizations: tuple[tuple[str, str, str], ...]
    """(id, name, description) per organization."""
    resources: tuple[Resource, ...]
    sources_hash: str
    search_vocabulary: SearchVocabulary = SearchVocabulary()


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    path: Path
    services: int
    organizations: int
    sources_hash: str


# -- reading and validating -------------------------------------------------------------------------------------


def sources_hash(data_dir: Path) -> str:
    """sha256 over every TOML file in data/ (relative path and bytes): the shipped database records it."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.toml")):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load_toml(path: Path, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(shown, "", "(file)", f"not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise DataError(shown, "", "(file)", "not UTF-8 text") from None
    except OSError as exc:
        raise DataError(shown, "", "(file)", f"cannot be read ({exc.strerror})") from None


def _source(table: Any, key: str, shown: str) -> Source:
    if not isinstance(table, dict):
        raise DataError(shown, "", f"sources.{key}", "must be a table with url, grade and page_date")
    grade = table.get("grade")
    ours = [g for g in GRADES if g != IMPORTED_GRADE]  # "imported" is only for records read by `nhfind import`
    if grade not in ours:
        hint = " (a 'none' row means not found: leave the fact out)" if grade == "none" else ""
        raise DataError(shown, "", f"sources.{key}.grade", f"{grade!r} is not one of {', '.join(ours)}{hint}")
    url = table.get("url")
    if not isinstance(url, str) or not (url.startswith(("http://", "https://")) or url == "seed article"):
        raise DataError(shown, "", f"sources.{key}.url", "must be an http(s) URL or 'seed article'")
    return Source(key, url, grade, str(table.get("page_date", "")), str(table.get("title", "")))


def load_vocabulary(data_dir: Path) -> tuple[Vocabulary, Source]:
    """Read data/vocabulary.toml: the vocabularies and the built-in seed source."""
    shown = "data/vocabulary.toml"
    raw = _load_toml(data_dir / "vocabulary.toml", shown)
    categories: dict[str, tuple[str, str, str]] = {}
    for key, value in sorted(raw.get("categories", {}).items()):
        if not isinstance(value, dict) or not {"label", "meaning", "open_eligibility"} <= value.keys():
            raise DataError(shown, key, "categories", "needs label, meaning and open_eligibility")
        categories[key] = (value["label"], value["meaning"], value["open_eligibility"])
    seed = _source(raw.get("sources", {}).get("seed"), "seed", shown)
    vocab = Vocabulary(
        categories=categories,
        populations=dict(sorted(raw.get("populations", {}).items())),
        access=dict(sorted(raw.get("access", {}).items())),
        languages=dict(sorted(raw.get("languages", {}).items())),
    )
    return vocab, seed


def _phrase(value: Any, shown: str, field: str) -> str:
    words = fts.tokens(value) if isinstance(value, str) else []
    if not words:
        raise DataError(shown, "", field, f"{value!r} must be text with at least one letter or digit")
    return " ".join(words)


def load_search_vocabulary(data_dir: Path) -> SearchVocabulary:
    """Read data/search-vocabulary.toml (optional): stop words, synonyms and equivalents.

    Raises:
        DataError: naming the file and the entry that is wrong.
    """
    path = data_dir / "search-vocabulary.toml"
    if not path.exists():
        return SearchVocabulary()
    shown = "data/search-vocabulary.toml"
    raw = _load_toml(path, shown)
    extra = set(raw) - {"stop_words", "synonyms", "equivalents"}
    if extra:
        raise DataError(shown, "", sorted(extra)[0], "is not known: use stop_words, equivalents or [synonyms]")
    stop_words = raw.get("stop_words", [])
    if not isinstance(stop_words, list):
        raise DataError(shown, "", "stop_words", "must be a list of words")
    stops = set()
    for word in stop_words:
        phrase = _phrase(word, shown, "stop_words")
        if " " in phrase:
            raise DataError(shown, "", "stop_words", f"{word!r} must be one word")
        stops.add(phrase)
    pairs: set[tuple[str, str]] = set()
    synonyms = raw.get("synonyms", {})
    if not isinstance(synonyms, dict):
        raise DataError(shown, "", "synonyms", 'must be a table of "phrase" = ["other words", ...]')
    for key, values in synonyms.items():
        if not isinstance(values, list) or not values:
            raise DataError(shown, "", f"synonyms.{key}", "must be a non-empty list of phrases")
        phrase = _phrase(key, shown, "synonyms")
        pairs.update((phrase, _phrase(v, shown, f"synonyms.{key}")) for v in values)
    equivalents = raw.get("equivalents", [])
    if not isinstance(equivalents, list):
        raise DataError(shown, "", "equivalents", "must be a list of lists of phrases meaning the same")
    for i, group in enumerate(equivalents):
        if not isinstance(group, list) or len(group) < 2:
            raise DataError(shown, "", f"equivalents[{i}]", "must list at least two phrases meaning the same")
        phrases = [_phrase(v, shown, f"equivalents[{i}]") for v in group]
        pairs.update((a, b) for a in phrases for b in phrases)
    return SearchVocabulary(tuple(sorted(stops)), tuple(sorted((a, b) for a, b in pairs if a != b)))


class _RecordReader:
    """Validates one service table of one file and turns it into a Resource."""

    def __init__(self, shown: str, vocab: Vocabulary, sources: dict[str, Source], org: tuple[str, str]) -> None:
        self.shown, self.vocab, self.sources, self.org = shown, vocab, sources, org
        self.record = ""
        self.used: set[str] = set()

    def fail(self, field: str, problem: str) -> DataError:
        return DataError(self.shown, self.record, field, problem)

    def source_key(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(field, "needs a source (a key of this file's [sources] or 'seed')")
        if value not in self.sources:
            raise self.fail(field, f"source {value!r} is not defined in this file's [sources]")
        self.used.add(value)
        return value

    def text(self, raw: dict[str, Any], key: str, required: bool = False) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "must be non-empty text" if required else "must be text")
        return value.strip()

    def strings(self, raw: dict[str, Any], key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def ids(self, raw: dict[str, Any], key: str, allowed: Iterable[str], required: bool = False) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        if required and not value:
            raise self.fail(key, "needs at least one value")
        allowed = set(allowed)
        for item in value:
            if item not in allowed:
                raise self.fail(key, f"{item!r} is unknown (known: {', '.join(sorted(allowed))})")
        return tuple(value)

    def fact(
        self, raw: dict[str, Any], key: str, allowed: Iterable[str] | None = None, many: bool = False
    ) -> Fact | None:
        table = raw.get(key)
        if table is None:
            return None
        if not isinstance(table, dict) or "value" not in table:
            raise self.fail(key, 'must be a table like { value = ..., source = "key" }')
        value = table["value"]
        if many:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                raise self.fail(key, "value must be a non-empty list of strings")
            value = tuple(value)
        elif not isinstance(value, str) or not value.strip():
            raise self.fail(key, "value must be non-empty text")
        if allowed is not None:
            known = set(allowed)
            for item in value if many else (value,):
                if item not in known:
                    raise self.fail(key, f"{item!r} is unknown (known: {', '.join(sorted(known))})")
        return Fact(value, self.source_key(table.get("source"), key), str(table.get("note", "")))

    def hours(self, raw: dict[str, Any]) -> Hours | None:
        table = raw.get("hours")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise self.fail("hours", "must be a table")
        source = self.source_key(table.get("source"), "hours")
        note = str(table.get("note", ""))
        if table.get("value") == "24/7":
            return Hours(source=source, always=True, note=note)
        weekly = table.get("weekly")
        if not isinstance(weekly, list) or not weekly:
            raise self.fail("hours", 'needs value = "24/7" or weekly = ["mon-fri 08:00-16:00", ...]')
        for spec in weekly:
            try:
                parse_range(str(spec))
            except ValueError as exc:
                raise self.fail("hours", str(exc)) from None
        return Hours(source=source, weekly=tuple(str(s).strip().lower() for s in weekly), note=note)

    def address(self, raw: dict[str, Any]) -> Address | None:
        table = raw.get("address")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise self.fail("address", "must be a table")
        allowed = {"street", "city", "state", "postal_code", "confidential", "note", "source"}
        extra = set(table) - allowed
        if extra:
            raise self.fail("address", f"unknown key {sorted(extra)[0]!r}")
        return Address(
            source=self.source_key(table.get("source"), "address"),
            street=str(table.get("street", "")),
            city=str(table.get("city", "")),
            state=str(table.get("state", "")),
            postal_code=str(table.get("postal_code", "")),
            confidential=bool(table.get("confidential", False)),
            note=str(table.get("note", "")),
        )

    def tables(self, raw: dict[str, Any], key: str) -> list[Any]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of tables ([[services.{key}]])")
        return value

    def phones(self, raw: dict[str, Any]) -> tuple[Phone, ...]:
        phones = []
        for i, table in enumerate(self.tables(raw, "phones")):
            field = f"phones[{i}]"
            if not isinstance(table, dict) or not str(table.get("number", "")).strip():
                raise self.fail(field, "needs a number")
            extra = set(table) - {"number", "kind", "label", "hours", "instructions", "note", "source"}
            if extra:
                raise self.fail(field, f"unknown key {sorted(extra)[0]!r}")
            if table.get("kind") not in PHONE_KINDS:
                raise self.fail(f"{field}.kind", f"{table.get('kind')!r} is not one of {', '.join(PHONE_KINDS)}")
            phones.append(
                Phone(
                    number=str(table["number"]).strip(),
                    kind=table["kind"],
                    source=self.source_key(table.get("source"), f"{field}.source"),
                    label=str(table.get("label", "")),
                    hours=str(table.get("hours", "")),
                    instructions=str(table.get("instructions", "")),
                    note=str(table.get("note", "")),
                )
            )
        return tuple(phones)

    def conflicts(self, raw: dict[str, Any]) -> tuple[Conflict, ...]:
        out = []
        for i, table in enumerate(self.tables(raw, "conflicts")):
            field = f"conflicts[{i}]"
            if not isinstance(table, dict) or not table.get("text") or not table.get("field"):
                raise self.fail(field, "needs field and text")
            keys = tuple(self.source_key(k, f"{field}.sources") for k in self.tables(table, "sources"))
            out.append(Conflict(str(table["field"]), str(table["text"]), keys))
        return tuple(out)

    def last_verified(self, raw: dict[str, Any]) -> str:
        value = raw.get("last_verified")
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail("last_verified", "must be a date like 2026-11-29 (no quotes)")
        return value.isoformat()

    def read(self, raw: Any) -> Resource:
        if not isinstance(raw, dict):
            raise self.fail("services", "each [[services]] entry must be a table")
        record_id = raw.get("id")
        self.record = str(record_id or "")
        if not isinstance(record_id, str) or not _SLUG.match(record_id):
            raise self.fail("id", "needs a slug of lowercase letters, digits and hyphens")
        extra = set(raw) - _SERVICE_KEYS
        if extra:
            raise self.fail(sorted(extra)[0], "is not a known field (see data/README.md)")
        self.used = set()
        record_sources = tuple(self.source_key(k, "sources") for k in self.tables(raw, "sources"))
        if not record_sources:
            raise self.fail("sources", "needs at least one source")
        resource = Resource(
            id=record_id,
            name=self.text(raw, "name", required=True),
            organization_id=self.org[0],
            organization=self.org[1],
            description=self.text(raw, "description", required=True),
            last_verified=self.last_verified(raw),
            categories=self.ids(raw, "categories", self.vocab.categories, required=True),
            populations=self.ids(raw, "populations", self.vocab.populations),
            access=self.ids(raw, "access", self.vocab.access),
            keywords=self.strings(raw, "keywords"),
            service_area=self.text(raw, "service_area"),
            cost=self.fact(raw, "cost", COSTS, many=True),
            confidentiality=self.fact(raw, "confidentiality", CONFIDENTIALITY),
            hours=self.hours(raw),
            languages=self.fact(raw, "languages", self.vocab.languages, many=True),
            address=self.address(raw),
            phones=self.phones(raw),
            conflicts=self.conflicts(raw),
            record_sources=record_sources,
            **{key: self.fact(raw, key) for key in _TEXT_FACTS},
        )
        cited = {key: self.sources[key] for key in sorted(self.used)}
        return resource._replace(sources=cited)


def load_dataset(data_dir: Path) -> Dataset:
    """Read and validate all of data/.

    Raises:
        DataError: naming the file, record id and field of the first problem found.
    """
    data_dir = Path(data_dir)
    vocab, seed = load_vocabulary(data_dir)
    organizations: list[tuple[str, str, str]] = []
    resources: list[Resource] = []
    seen: dict[str, str] = {}
    files = sorted((data_dir / "organizations").glob("*.toml"))
    if not files:
        raise DataError(f"{data_dir}/organizations", "", "(folder)", "holds no .toml files")
    for path in files:
        shown = f"data/organizations/{path.name}"
        raw = _load_toml(path, shown)
        org = raw.get("organization")
        if not isinstance(org, dict):
            raise DataError(shown, "", "organization", "missing [organization] table")
        org_id = org.get("id")
        if org_id != path.stem:
            raise DataError(shown, str(org_id or ""), "organization.id", f"must equal the file name {path.stem!r}")
        org_name = org.get("name")
        if not isinstance(org_name, str) or not org_name.strip():
            raise DataError(shown, org_id, "organization.name", "must be non-empty text")
        raw_sources = raw.get("sources", {})
        if not isinstance(raw_sources, dict):
            raise DataError(shown, org_id, "sources", "must be a table of [sources.KEY] tables")
        sources = {"seed": seed} | {key: _source(table, key, shown) for key, table in raw_sources.items()}
        if "seed" in raw_sources:
            raise DataError(shown, org_id, "sources.seed", "'seed' is built in; use another key")
        organizations.append((org_id, org_name.strip(), str(org.get("description", "")).strip()))
        reader = _RecordReader(shown, vocab, sources, (org_id, org_name.strip()))
        services = raw.get("services", [])
        if not isinstance(services, list) or not services:
            raise DataError(shown, org_id, "services", "needs at least one [[services]] entry")
        for table in services:
            resource = reader.read(table)
            if resource.id in seen:
                raise DataError(shown, resource.id, "id", f"duplicate id (also in {seen[resource.id]})")
            seen[resource.id] = shown
            resources.append(resource)
    resources.sort(key=lambda r: r.id)
    return Dataset(
        vocab, tuple(sorted(organizations)), tuple(resources), sources_hash(data_dir), load_search_vocabulary(data_dir)
    )


# -- writing ----------------------------------------------------------------------------------------------------


def _facet_rows(resource: Resource) -> Iterable[dict[str, str]]:
    values = {
        "category": resource.categories,
        "cost": resource.cost_values,
        "confidentiality": (resource.confidentiality_value,),
        "population": resource.populations,
        "language": resource.language_values,
        "access": resource.access,
    }
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


def _write_openings(db: Any, resources: Iterable[Resource]) -> None:
    """The `openings` table: one row per weekly opening (minutes from the day's midnight; 24/7 is seven whole
    days; a range past midnight closes after 1440). Services with unknown hours get no rows, so they never match
    an "open at" filter."""
    table = db.table("openings")
    table.create({"service_id": str, "day": int, "opens": int, "closes": int}, pk=("service_id", "day", "opens"))
    table.insert_all(
        {"service_id": r.id, "day": o.day, "opens": o.opens, "closes": o.closes}
        for r in resources
        for o in openings(r.hours)
    )
    table.create_index(["day", "opens"])


def write_database(dataset: Dataset, path: Path) -> None:
    """Write `dataset` to a new SQLite file at `path` (which must not exist yet)."""
    import sqlite_utils  # deferred: 150 ms to import, and only builds need it

    conn = sqlite3.connect(path)
    try:
        db = sqlite_utils.Database(conn)
        # A fresh temp file, deleted on any failure (replace_atomically): no rollback journal and no fsync per
        # sqlite-utils batch (each commits; at 100k services the syncs took most of the build's wall time).
        # One fsync at the end, before the file replaces the old one, keeps the swap durable.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        vocab = dataset.vocabulary
        services = db.table("services")
        services.insert_all((_service_row(r, vocab) for r in dataset.resources), pk="id")
        db.table("organizations").insert_all(
            ({"id": i, "name": n, "description": d} for i, n, d in dataset.organizations), pk="id"
        )
        db.table("facets").insert_all(
            (row for r in dataset.resources for row in _facet_rows(r)), pk=("facet", "value", "service_id")
        )
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
            pk=("service_id", "position"),
        )
        _write_openings(db, dataset.resources)
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
            pk=("service_id", "key"),
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
            pk=("facet", "value"),
        )
        # the search vocabulary (data/search-vocabulary.toml) and the words typos are corrected to: read once per
        # database file by nhfind.core.search, never per query
        words = dataset.search_vocabulary
        db.table("search_synonyms").insert_all(
            ({"phrase": a, "expansion": b} for a, b in words.synonyms), pk=("phrase", "expansion")
        )
        db.table("search_stop_words").insert_all(({"word": w} for w in words.stop_words), pk="word")
        db.table("search_terms").insert_all(
            ({"term": t, "weight": w} for t, w in _search_terms(dataset).items()), pk="term"
        )
        columns: dict[str, dict[str, Any]] = {
            "search_synonyms": {"phrase": str, "expansion": str},
            "search_stop_words": {"word": str},
            "search_terms": {"term": str, "weight": int},
        }
        for table, kinds in columns.items():
            if not db.table(table).exists():  # an empty vocabulary still makes the tables
                db.table(table).create(kinds)
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
        db.table("meta").insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")
        services.enable_fts(
            ["name", "organization", "categories", "keywords", "description"], tokenize="porter unicode61"
        )
        # Read-path indexes (store.py): a first page by name without sorting every row, and every case of the
        # exact-name boost (_EXACT_CANDIDATES) found without reading every row.
        for index, columns in (
            ("services_by_name", "name, id"),
            ("services_by_lower_name", "lower(name)"),
            ("services_by_short_name", "lower(substr(name, 1, instr(name || ' (', ' (') - 1))"),
            ("services_by_lower_organization", "lower(organization)"),
            ("services_by_short_organization", "lower(substr(organization, 1, instr(organization || ' (', ' (') - 1))"),
        ):
            conn.execute(f"CREATE INDEX {index} ON services({columns})")
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, write: Any) -> None:
    """Call `write(tmp_path)` for a temp file beside `path`, then move it over `path` in one step.

    A failure at any point removes the temp file and leaves `path` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def build(data_dir: Path, out: Path) -> BuildReport:
    """Validate data/ and compile it into the database at `out`, atomically.

    Raises:
        DataError: a record is invalid; nothing is written and `out` is untouched.
        OSError: the file could not be written; `out` is untouched.
    """
    dataset = load_dataset(Path(data_dir))
    replace_atomically(Path(out), lambda tmp: write_database(dataset, tmp))
    return BuildReport(Path(out), len(dataset.resources), len(dataset.organizations), dataset.sources_hash)


if __name__ == "__main__":  # `python -m nhfind.core.build [--check]`: for data editors without the CLI
    import sys

    from nhfind.core.paths import PACKAGED_DB, repo_data_dir

    here = repo_data_dir() or Path("data")
    try:
        if "--check" in sys.argv:
            ds = load_dataset(here)
            print(f"ok: {len(ds.resources)} services in {len(ds.organizations)} organizations")
        else:
            report = build(here, PACKAGED_DB)
            print(f"built {report.path}: {report.services} services")
    except DataError as exc:
        sys.exit(str(exc))
