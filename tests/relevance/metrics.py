"""Scoring a ranking against tests/relevance/queries.toml: recall@3 and mean reciprocal rank."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

QUERIES = Path(__file__).with_name("queries.toml")
TOP = 3
TARGET_RECALL = 0.95
NO_POLICE_TOP = 5
"""Where the words refuse the police, no law-enforcement service may be among this many first results."""


@dataclass(frozen=True)
class Query:
    text: str
    top3: tuple[str, ...]
    """Services that must all be among the first three results."""
    no_police: bool = False
    """The words refuse the police ("no cops"): no law-enforcement service in the first NO_POLICE_TOP."""


@dataclass
class Score:
    """How one ranking did over the scored queries."""

    name: str
    recall: float = 0.0
    """Mean over queries of the share of wanted services found in the top 3."""
    mrr: float = 0.0
    """Mean over queries of 1 / rank of the first wanted service (0 when not in the first 10)."""
    misses: list[tuple[str, tuple[str, ...], list[str]]] = field(default_factory=list)
    """(query, wanted, first results) where a wanted service was not in the top 3."""
    violations: list[tuple[str, list[str]]] = field(default_factory=list)
    """(query, law-enforcement services in the first NO_POLICE_TOP) where the words refused the police."""


def load_queries() -> list[Query]:
    raw = tomllib.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    return [Query(q["text"], tuple(q["top3"]), bool(q.get("no_police", False))) for q in raw]


def score(
    name: str, queries: list[Query], rank: Callable[[str], list[str]], police: frozenset[str] = frozenset()
) -> Score:
    """Run `rank` (query text -> ids best first) on every query and average the metrics; `police` are the ids of
    law-enforcement services, for the queries that refuse them."""
    result = Score(name)
    for query in queries:
        ids = rank(query.text)
        shown = [rid for rid in ids[:NO_POLICE_TOP] if rid in police]
        if query.no_police and shown:
            result.violations.append((query.text, shown))
        found = set(query.top3) & set(ids[:TOP])
        result.recall += len(found) / len(query.top3)
        result.mrr += next((1 / (i + 1) for i, rid in enumerate(ids[:10]) if rid in query.top3), 0.0)
        if len(found) < len(query.top3):
            result.misses.append((query.text, query.top3, ids[:TOP]))
    if queries:
        result.recall /= len(queries)
        result.mrr /= len(queries)
    return result


REPORT: list[str] = []
"""Lines the session-finish hook (tests/relevance/conftest.py) prints in pytest's summary."""
