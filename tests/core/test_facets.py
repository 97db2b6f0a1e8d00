"""The facet table is the one mapping of facet, Filters field and CLI option; counts for a filter list in one pass."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from nhfind.core import facets
from nhfind.core.db.store import Store
from nhfind.core.models import Filters
from nhfind.core.search import facet_counts, search


def test_every_facet_filter_of_filters_is_in_the_table() -> None:
    tuple_fields = {name for name, default in Filters._field_defaults.items() if default == ()}
    assert {f.field for f in facets.TABLE} == tuple_fields
    assert {s.field for s in facets.SWITCHES} <= {n for n, d in Filters._field_defaults.items() if d is False}
    assert all(s.facet in facets.BY_NAME for s in facets.SWITCHES)


def test_every_flag_in_the_table_is_an_option_of_search() -> None:
    from nhfind.cli import app

    help_text = CliRunner().invoke(app, ["search", "--help"], env={"COLUMNS": "200"}).stdout
    flags = [f.flag for f in facets.TABLE if f.flag] + [f.short for f in facets.TABLE if f.short]
    flags += [f.shortcut for f in facets.TABLE if f.shortcut] + [s.flag for s in facets.SWITCHES]
    for flag in flags:
        assert flag in help_text, flag


def _slow_counts(store: Store, query: str, filters: Filters) -> dict[str, dict[str, int]]:
    """What the TUI did before: a full count, then one more count per selected facet without its own values (over
    the same words: `query` is the FTS expression the page ran)."""
    counts = store.facet_counts(query, filters)
    for facet in facets.TABLE:
        if getattr(filters, facet.field):
            without: dict[str, Any] = {facet.field: ()}
            counts[facet.name] = store.facet_counts(query, filters._replace(**without)).get(facet.name, {})
    return counts


SELECTIONS = [
    {},
    {"costs": ("free",)},
    {"costs": ("free",), "confidentiality": ("confidential",)},
    {"categories": ("shelter", "food"), "languages": ("es",)},
    {"confidentiality": ("law-enforcement",), "exclude_law_enforcement": True},
    {"exclude_law_enforcement": True, "populations": ("women",)},
]


@pytest.mark.parametrize("text", ["", "shelter", "free test"])
@pytest.mark.parametrize("chosen", SELECTIONS, ids=lambda c: "+".join(c) or "none")
def test_one_pass_counts_equal_a_search_per_selected_facet(
    fixture_store: Store, real_store: Store, text: str, chosen: dict[str, Any]
) -> None:
    for store in (fixture_store, real_store):
        filters = Filters(**chosen)
        page = search(store, text, filters, limit=5)
        fast = {f: v for f, v in facet_counts(store, page, filters).items() if v}
        slow = {f: v for f, v in _slow_counts(store, page.query, filters).items() if v}
        assert fast == slow


def test_a_count_is_what_choosing_that_value_would_give(real_store: Store) -> None:
    chosen = Filters(costs=("free",), categories=("shelter",))
    counts = facet_counts(real_store, search(real_store, "", chosen), chosen)
    for cost, n in counts["cost"].items():
        assert n == search(real_store, "", chosen._replace(costs=(cost,))).total, cost
    for category, n in counts["category"].items():
        assert n == search(real_store, "", chosen._replace(categories=(category,))).total, category
    for language, n in counts["language"].items():  # a facet with nothing chosen: counts inside the whole choice
        assert n == search(real_store, "", chosen._replace(languages=(language,))).total, language


def test_the_database_holds_each_services_facet_values_as_the_table_reads_them(real_store: Store) -> None:
    counts = real_store.facet_counts("", Filters())
    expected: dict[str, dict[str, int]] = {name: {} for name in facets.FACETS}
    for resource in search(real_store, "").results:
        for name, values in facets.values_of(resource).items():
            for value in values:
                expected[name][value] = expected[name].get(value, 0) + 1
    assert counts == expected
