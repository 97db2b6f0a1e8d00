"""Search that understands outreach language: synonyms, question filler, typos, exact names, never a blank answer.

Runs on the fixture records plus a small search vocabulary and two extra records written here, so each behaviour
is pinned to data the test controls; tests/relevance/ measures the same on the real data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nhfind.core import fts
from nhfind.core.crisis import HINT_LINES, crisis_lines
from nhfind.core.dataset import load_search_vocabulary
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.core.errors import DataError
from nhfind.core.models import Filters, Page
from nhfind.core.search import search
from tests.conftest import FIXTURE_DATA, REAL_DATA

VOCABULARY = """
stop_words = ["where", "can", "i", "get", "an", "a", "need", "to"]
equivalents = [["std", "sti"]]

[synonyms]
"ebt" = ["food stamps"]
"clear my record" = ["record clearing"]
"place to sleep" = ["shelter"]
"""

EXTRA = """
[organization]
id = "test-lines"
name = "Test Lines"
sources = ["seed"]

[[services]]
id = "test-crisis-line"
name = "Crisis line of Test Lines (test lines)"
description = "Talk to someone at any hour. One of the Test Lines; test lines answer fast."
categories = ["crisis-line"]
last_verified = 2026-11-29
sources = ["seed"]

[[services.phones]]
number = "916-555-0199"
kind = "hotline"
source = "seed"

[[services]]
id = "test-van"
name = "Test Lines: outreach van"
description = "A van."
categories = ["information"]
last_verified = 2026-11-29
sources = ["seed"]

[[services]]
id = "test-legal"
name = "Harbor"
description = "Record clearing for anyone. Shelter shelter shelter harbor harbor help with records."
categories = ["legal-aid"]
keywords = ["record clearing", "set aside"]
last_verified = 2026-11-29
sources = ["seed"]
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    data = tmp_path_factory.mktemp("language") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "search-vocabulary.toml").write_text(VOCABULARY, encoding="utf-8")
    (data / "organizations" / "test-lines.toml").write_text(EXTRA, encoding="utf-8")
    db = data.parent / "language.db"
    build(data, db)
    return Store(db)


def ids(page: Page) -> list[str]:
    return [r.id for r in page.results]


def test_a_synonym_finds_what_the_records_call_it(store: Store) -> None:
    page = search(store, "ebt")
    assert ids(page) == ["test-food-hall"]
    assert page.expanded == (("ebt", ("food stamps",)),)


def test_equivalents_work_both_ways(store: Store) -> None:
    # the record says "STI" in its name and "std" in its keywords
    assert ids(search(store, "sti"))[0] == ids(search(store, "std"))[0] == "test-sti-testing"


def test_a_known_phrase_is_read_whole(store: Store) -> None:
    page = search(store, "clear my record")
    assert ids(page)[0] == "test-legal"
    assert page.expanded == (("clear my record", ("record clearing",)),)
    assert page.ignored == ()  # "my" belongs to the phrase, it is not filler here


def test_question_filler_is_left_out(store: Store) -> None:
    page = search(store, "where can i get an sti test")
    assert ids(page)[0] == "test-sti-testing"
    assert page.ignored == ("where", "can", "i", "get", "an")


def test_a_question_of_only_filler_still_searches(store: Store) -> None:
    page = search(store, "where can i")
    assert '"where"' in page.query  # searched as typed rather than for nothing


def test_a_typo_is_corrected_when_the_words_as_typed_find_nothing(store: Store) -> None:
    page = search(store, "sheltr")
    assert page.corrections == (("sheltr", "shelter"),)
    assert page.did_you_mean == "shelter"
    assert {"test-shelter-beds", "test-shelter"} & set(ids(page))


def test_a_typo_inside_a_phrase_is_corrected_then_the_phrase_is_understood(store: Store) -> None:
    page = search(store, "place to slep")
    assert page.corrections == (("slep", "sleep"),)
    assert ids(page)[0] == "test-shelter-beds"


def test_two_swapped_letters_are_one_typo(store: Store) -> None:
    # "tset" is one swap from "test" and one deletion from "set" (a keyword here): the swap reads as the typo
    assert search(store, "tset").corrections == (("tset", "test"),)


def test_nothing_is_corrected_when_the_words_as_typed_match(store: Store) -> None:
    page = search(store, "shelter")
    assert page.corrections == () and page.did_you_mean == ""


def test_a_word_matching_nothing_is_left_out_rather_than_emptying_the_answer(store: Store) -> None:
    page = search(store, "qzxvw lunch")
    assert ids(page) == ["test-food-hall"]
    assert "qzxvw" in page.ignored


def test_an_exact_name_comes_first(store: Store) -> None:
    # the shelter records use "harbor" less often than test-legal's description does, but one is named it
    page = search(store, "harbor")
    assert ids(page)[0] == "test-legal"
    page = search(store, "safe harbor test shelter")  # an organization's exact name: its services first
    assert set(ids(page)[:1]) <= {"test-shelter-beds", "test-food-hall"}


def test_a_name_beginning_with_the_words_outranks_the_organization_name(store: Store) -> None:
    # both belong to "Test Lines" and the crisis line says it more often, name included; the van's name begins so
    assert ids(search(store, "test lines"))[:2] == ["test-van", "test-crisis-line"]


def test_name_outranks_the_same_word_in_a_description(store: Store) -> None:
    # test-legal says "shelter" three times in its description; the shelter is named so
    assert ids(search(store, "shelter"))[0] in {"test-shelter-beds", "test-food-hall"}
    assert ids(search(store, "shelter")).index("test-legal") > 0


def test_few_full_matches_are_followed_by_partial_ones(store: Store) -> None:
    page = search(store, "hot lunch beds")
    assert page.relaxed
    assert set(ids(page)) >= {"test-food-hall", "test-shelter-beds"}


def test_no_results_suggests_categories_and_crisis_has_the_lines_to_add(store: Store) -> None:
    page = search(store, "foodd", Filters(categories=("jobs",)))
    assert page.total == 0
    assert page.suggestions[0] == "food"
    # the hint after an empty answer lists these (nhfind.cli.explain), cut to the first HINT_LINES
    assert [r.id for r in crisis_lines(store, HINT_LINES).lines] == ["test-crisis-line"]


def test_results_carry_no_suggestions(store: Store) -> None:
    page = search(store, "shelter")
    assert page.suggestions == ()


def test_one_and_two_letter_words_are_not_prefixes() -> None:
    assert fts.phrase(("sh",), prefix=True) == '"sh"'
    assert fts.phrase(("she",), prefix=True) == '"she" *'


@pytest.mark.parametrize(
    "text",
    ['"ebt', "clear my record\"'", "NEAR(ebt", "ebt OR *", "place to sleep)", "where can i get an std test" * 50],
)
def test_vocabulary_never_lets_text_break_the_query(store: Store, text: str) -> None:
    page = search(store, text)
    assert page.total > 0 and page.results  # each still reads as the words in it


def test_a_database_without_the_vocabulary_tables_still_searches(tmp_path: Path, store: Store) -> None:
    import sqlite3

    old = tmp_path / "old.db"
    shutil.copy(store.path, old)
    with sqlite3.connect(old) as conn:
        for table in ("search_synonyms", "search_stop_words", "search_terms"):
            conn.execute(f"DROP TABLE {table}")
    conn.close()
    assert ids(search(Store(old), "lunch")) == ["test-food-hall"]
    assert search(Store(old), "lunhc").corrections == ()  # no words to correct to: nothing corrected, no error


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('stop_words = ["two words"]', "must be one word"),
        ('[synonyms]\n"ebt" = []', "non-empty list"),
        ('equivalents = [["alone"]]', "at least two"),
        ('[synonyms]\n"ebt" = ["!!!"]', "at least one letter"),
        ("colour = 1", "is not known"),
    ],
)
def test_a_bad_vocabulary_is_refused_with_one_clear_line(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "search-vocabulary.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=problem) as info:
        load_search_vocabulary(tmp_path)
    assert "search-vocabulary.toml" in str(info.value) and "\n" not in str(info.value)


def test_every_synonym_of_the_real_vocabulary_finds_something(real_store: Store) -> None:
    # an entry whose phrase and expansions all match nothing is misspelt or stale (expansions waiting for records
    # still to be added to data/ are fine as long as the entry already finds something)
    entries: dict[str, list[str]] = {}
    for phrase, expansion in load_search_vocabulary(REAL_DATA).synonyms:
        entries.setdefault(phrase, [phrase]).append(expansion)
    phrases = sorted({p for group in entries.values() for p in group})
    found = dict(zip(phrases, real_store.matches_each([fts.phrase(tuple(p.split())) for p in phrases]), strict=True))
    assert [phrase for phrase, group in entries.items() if not any(found[p] for p in group)] == []
