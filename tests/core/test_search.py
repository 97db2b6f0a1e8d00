"""The query layer: ranking, filters, facets, hostile text."""

from __future__ import annotations

import pytest

from nhfind.core.db.store import Store
from nhfind.core.errors import UsageError
from nhfind.core.models import Filters, Page
from nhfind.core.search import check_filters, get, search, suggest_ids


def ids(page: Page) -> list[str]:
    return [r.id for r in page.results]


def test_words_find_matching_services(fixture_store: Store) -> None:
    assert ids(search(fixture_store, "sti testing"))[0] == "test-sti-testing"


def test_last_word_is_a_prefix(fixture_store: Store) -> None:
    assert "test-shelter-beds" in ids(search(fixture_store, "emergency shel"))


def test_keywords_are_searched(fixture_store: Store) -> None:
    assert ids(search(fixture_store, "place to sleep"))[0] == "test-shelter-beds"


def test_name_match_ranks_above_description_match(fixture_store: Store) -> None:
    # "primary" is in one name; "care" is in that name and another's description
    assert ids(search(fixture_store, "primary care"))[0] == "test-primary-care"


def test_filters_and_across_facets_or_within(fixture_store: Store) -> None:
    free = set(ids(search(fixture_store, "", Filters(costs=("free",)))))
    assert free == {"test-sti-testing", "test-shelter-beds", "test-food-hall"}
    free_food = ids(search(fixture_store, "", Filters(costs=("free",), categories=("food",))))
    assert free_food == ["test-food-hall"]
    either = set(ids(search(fixture_store, "", Filters(categories=("food", "shelter")))))
    assert either == {"test-food-hall", "test-shelter-beds"}


def test_excluding_law_enforcement(fixture_store: Store) -> None:
    everything = set(ids(search(fixture_store, "")))
    assert "test-police-tips" in everything
    assert "test-police-tips" not in ids(search(fixture_store, "", Filters(exclude_law_enforcement=True)))


def test_unknown_confidentiality_and_cost_are_values(fixture_store: Store) -> None:
    unknown = ids(search(fixture_store, "", Filters(confidentiality=("unknown",))))
    assert set(unknown) == {"test-food-hall", "test-formula"}


def test_facet_counts_cover_the_whole_match(fixture_store: Store) -> None:
    page = search(fixture_store, "", limit=1, with_facets=True)
    assert page.total == 6 and len(page.results) == 1
    assert page.facets["cost"]["free"] == 3
    assert page.facets["confidentiality"]["law-enforcement"] == 1


def test_limit_and_offset_page_through_results(fixture_store: Store) -> None:
    everything = ids(search(fixture_store, ""))
    assert ids(search(fixture_store, "", limit=2, offset=2)) == everything[2:4]


@pytest.mark.parametrize(
    "text",
    ['"', "'", "*", "AND", "OR NOT", "NEAR(", "(((", "-", "name:x", "'; DROP TABLE services; --", "%", "\\",
     "\x1b[31mred", "[bold]x[/bold]", "🏠", "a" * 5000, " ", "\x00", "^", "shelter*"],
)  # fmt: skip
def test_hostile_text_never_raises(fixture_store: Store, text: str) -> None:
    page = search(fixture_store, text)
    assert len(page.results) == page.total  # a whole, consistent answer (no limit given)


def test_operators_are_read_as_plain_words(fixture_store: Store) -> None:
    assert ids(search(fixture_store, "shelter*")) == ids(search(fixture_store, "shelter"))
    # NOT and AND are words here, not operators: NOT excludes nothing, AND is one more word to look for
    assert "test-shelter-beds" in ids(search(fixture_store, "NOT shelter"))
    assert ids(search(fixture_store, '"emergency" AND "shelter"'))[0] == "test-shelter-beds"


def test_all_words_required_then_any_word(fixture_store: Store) -> None:
    # no service has both words: falls back to any word rather than nothing
    assert set(ids(search(fixture_store, "lunch beds"))) == {"test-food-hall", "test-shelter-beds"}


def test_get_and_unknown_id(fixture_store: Store) -> None:
    resource = get(fixture_store, "test-shelter-beds")
    assert resource is not None and resource.address is not None
    assert resource.address.one_line() == "Call for location"
    assert get(fixture_store, "nope") is None


def test_suggestions_for_a_mistyped_id(fixture_store: Store) -> None:
    assert suggest_ids(fixture_store, "test-shelter-bed")[0] == "test-shelter-beds"


def test_unknown_filter_value_is_refused_with_a_suggestion(fixture_store: Store) -> None:
    with pytest.raises(UsageError, match="did you mean shelter"):
        check_filters(fixture_store, Filters(categories=("shelters",)))
