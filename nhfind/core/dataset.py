"""data/ -> a validated Dataset: every record of the human-editable TOML checked and turned into Resources.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Deterministic: input sorted, no clock, so the same data/ always gives the same Dataset. The database writer
(nhfind.core.db.write) turns a Dataset into SQLite; `python -m nhfind.core.dataset` checks data/ without writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nhfind.core import fts
from nhfind.core.errors import DataError
from nhfind.core.hours import parse_range
from nhfind.core.models import (
    CONFIDENTIALITY,
    COSTS,
    GRADES,
    IMPORTED_GRADE,
    PHONE_KINDS,
    Address,
    Conflict,
    Fact,
    Hours,
    Phone,
    Resource,
    Source,
    Vocabulary,
)

if TYPE_CHECKING:  # mypy checks the calls against tomllib, whose API tomli mirrors
    import tomllib as _toml
else:
    try:  # tomli's compiled wheel parses data/ ~2.7x faster than the standard library's pure-Python tomllib; both
        # give the same values and messages, and tomllib serves where the wheel is absent
        import tomli as _toml
    except ImportError:  # pragma: no cover - a platform without the wheel
        import tomllib as _toml

try:  # rtoml (Rust) parses data/ ~2.9x faster than tomli's compiled wheel (TOML was the largest part of a build at
    # 100,000 services); it is only ever asked for the values of a file tomli would accept (see parse_toml)
    import rtoml

    _fast_loads: Callable[[str], dict[str, Any]] | None = rtoml.loads
except ImportError:  # pragma: no cover - a platform without its wheel: tomli alone, same values
    _fast_loads = None

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SERVICE_KEYS = {
    "id", "name", "description", "categories", "populations", "access", "keywords", "service_area",
    "last_verified", "sources", "cost", "confidentiality", "hours", "languages", "eligibility", "website",
    "email", "what_to_bring", "address", "phones", "conflicts", "client_summary", "client_summary_es",
}  # fmt: skip


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


def repo_data_dir() -> Path | None:
    """data/ of a source checkout, when nhfind runs from one (editable install); None when installed."""
    candidate = Path(__file__).resolve().parent.parent.parent / "data"
    return candidate if (candidate / "vocabulary.toml").is_file() else None


def sources_hash(data_dir: Path) -> str:
    """sha256 over every TOML file in data/ (relative path and bytes): the shipped database records it."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.toml")):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def parse_toml(text: str) -> dict[str, Any]:
    """The values of a TOML document, as tomllib gives them (a test compares every file of data/).

    rtoml where installed, tomli otherwise. A document rtoml refuses is read by tomli, whose verdict and message
    (with line and column) stand, so the answer never depends on which parser is installed; rtoml accepts a leading
    byte-order mark, which tomli refuses, so such a text goes to tomli too. Offset date-times come back with rtoml's
    own tzinfo class: same offset, same str() and isoformat() as tomli's (nothing in data/ reads anything else).

    Raises:
        TOMLDecodeError: not valid TOML (tomli's or tomllib's).
    """
    if _fast_loads is not None and not text.startswith("\ufeff"):
        try:
            return _fast_loads(text)
        except Exception:  # any refusal: tomli decides, and says where
            pass
    return _toml.loads(text)


def _load_toml(path: Path, shown: str) -> dict[str, Any]:
    try:
        return parse_toml(path.read_text(encoding="utf-8"))
    except _toml.TOMLDecodeError as exc:
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


_RANGES_CHECKED: dict[str, str] = {}
"""A weekly range of the data -> "" when valid, else what is wrong: data/ repeats a few hundred ranges."""


def _checked_range(spec: str) -> str:
    """What is wrong with a weekly range ("" when nothing), as parse_range says it."""
    problem = _RANGES_CHECKED.get(spec)
    if problem is None:
        try:
            parse_range(spec)
            problem = ""
        except ValueError as exc:
            problem = str(exc)
        if len(_RANGES_CHECKED) < 10_000:
            _RANGES_CHECKED[spec] = problem
    return problem


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
        known = allowed if isinstance(allowed, (dict, set, frozenset)) else set(allowed)  # the vocabularies: dicts
        for item in value:
            if item not in known:
                raise self.fail(key, f"{item!r} is unknown (known: {', '.join(sorted(known))})")
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
            known = allowed if isinstance(allowed, (dict, set, frozenset)) else set(allowed)
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
            problem = _checked_range(str(spec))
            if problem:
                raise self.fail("hours", problem)
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
            client_summary=self.text(raw, "client_summary"),
            client_summary_es=self.text(raw, "client_summary_es"),
            eligibility=self.fact(raw, "eligibility"),
            website=self.fact(raw, "website"),
            email=self.fact(raw, "email"),
            what_to_bring=self.fact(raw, "what_to_bring"),
        )
        if resource.client_summary_es and not resource.client_summary:
            raise self.fail("client_summary_es", "needs client_summary (the English) beside it")
        cited = {key: self.sources[key] for key in sorted(self.used)}
        return resource._replace(sources=cited)


def organization_files(data_dir: Path) -> list[Path]:
    """data/organizations/*.toml in the order they are read (sorted by name).

    Raises:
        DataError: the folder holds no .toml file.
    """
    files = sorted((Path(data_dir) / "organizations").glob("*.toml"))
    if not files:
        raise DataError(f"{data_dir}/organizations", "", "(folder)", "holds no .toml files")
    return files


def read_organization(path: Path, vocab: Vocabulary, seed: Source, into: list[Resource]) -> tuple[str, str, str]:
    """One data/organizations file, validated: returns its (id, name, description) and appends its services to
    `into` in file order, each as soon as it is read. Ids are not compared with other files' here (check_unique).

    Raises:
        DataError: naming the file, record id and field of the first problem in the file; the services before it
        are in `into` (a duplicate id among them is the file's first problem).
    """
    shown = shown_name(path)
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
    reader = _RecordReader(shown, vocab, sources, (org_id, org_name.strip()))
    services = raw.get("services", [])
    if not isinstance(services, list) or not services:
        raise DataError(shown, org_id, "services", "needs at least one [[services]] entry")
    for table in services:
        into.append(reader.read(table))
    return org_id, org_name.strip(), str(org.get("description", "")).strip()


def check_unique(record_id: str, shown: str, seen: dict[str, str]) -> None:
    """Note that file `shown` holds `record_id`; `seen` maps the ids of the files read before to their file.

    Raises:
        DataError: the id is taken already (naming both files).
    """
    if record_id in seen:
        raise DataError(shown, record_id, "id", f"duplicate id (also in {seen[record_id]})")
    seen[record_id] = shown


def shown_name(path: Path) -> str:
    """How an organization file is named in messages."""
    return f"data/organizations/{path.name}"


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
    for path in organization_files(data_dir):
        services: list[Resource] = []
        try:
            organizations.append(read_organization(path, vocab, seed, services))
        finally:  # a duplicate id before an invalid record is the file's first problem
            for resource in services:
                check_unique(resource.id, shown_name(path), seen)
        resources += services
    resources.sort(key=lambda r: r.id)
    return Dataset(
        vocab, tuple(sorted(organizations)), tuple(resources), sources_hash(data_dir), load_search_vocabulary(data_dir)
    )


if __name__ == "__main__":  # `python -m nhfind.core.dataset`: check data/ for data editors without the CLI
    import sys

    try:
        checked = load_dataset(repo_data_dir() or Path("data"))
    except DataError as exc:
        sys.exit(str(exc))
    print(f"ok: {len(checked.resources)} services in {len(checked.organizations)} organizations")
