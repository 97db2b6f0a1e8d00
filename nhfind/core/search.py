"""The one query layer: search, get and the vocabulary, for the CLI and the TUI alike.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Takes a Store and models, returns models: no rows or cursors leave this module.
"""

# No `from __future__ import annotations`: the NamedTuples below would compile each string annotation at import,
# and every lookup imports this module.

import difflib
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from nhfind.core import fts, hours, reading
from nhfind.core.db import locate
from nhfind.core.db.store import Store
from nhfind.core.errors import UsageError
from nhfind.core.facets import TABLE
from nhfind.core.models import Filters, Page, Resource, Vocabulary
from nhfind.core.records import DAMAGED, hydrate
from nhfind.core.records import damaged_ids as damaged_ids  # the query layer's reads, for the front ends
from nhfind.core.records import get as get
from nhfind.core.records import get_many as get_many
from nhfind.core.records import resource as decode


def open_store(db: str | os.PathLike[str] | None = None, *, no_overlay: bool = False) -> Store:
    """The Store for --db, NHFIND_DB, the user's layered database or the packaged one (see nhfind.core.db.locate).

    Raises:
        NhfindError: the layered database needed compiling again and that failed.
    """
    choice = locate.choose(db, no_overlay=no_overlay)
    if choice.layered:
        from nhfind.core.db import layers  # deferred: only a user who imported records has layers to refresh

        return Store(layers.fresh(choice))
    return Store(choice.path)


class _Terms(NamedTuple):
    """The words typos are corrected to, by how much they say about a service."""

    strong: dict[int, tuple[str, ...]]
    """Words of names, keywords, categories and the vocabulary, by length: what typos are corrected to first."""
    weak: dict[int, tuple[str, ...]]
    """Words found only in descriptions, by length: corrections of last resort."""


class _Lexicon(NamedTuple):
    """The part of a database's search vocabulary that one query's words need (see `_lexicon`)."""

    synonyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    """Phrase as typed (words) -> the phrases also searched."""
    longest: int
    """Words in the longest synonym phrase."""
    stop_words: frozenset[str]
    path: str = ""
    """The database file, for `terms()`."""

    def terms(self) -> _Terms:
        """The words typos are corrected to, read on first use (only a search that finds nothing needs them), then
        kept per file and modification time."""
        try:
            mtime = os.stat(self.path).st_mtime_ns if self.path else 0
        except OSError:
            mtime = 0
        return _terms(self.path, mtime)


class _Term(NamedTuple):
    """One unit of an understood query: a word or a known phrase, and what else it may match."""

    words: tuple[str, ...]
    expansions: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False

    def expression(self) -> str:
        return fts.any_of([fts.phrase(self.words, self.prefix), *(fts.phrase(e) for e in self.expansions)])


class _Understood(NamedTuple):
    terms: tuple[_Term, ...]
    ignored: tuple[str, ...]

    def expression(self, any_term: bool = False) -> str:
        return fts.combine([t.expression() for t in self.terms], any_group=any_term)


_NO_LEXICON = _Lexicon({}, 0, frozenset())


def _lexicon(store: Store, words: list[str]) -> _Lexicon:
    """The synonyms and stop words among `words`, read from the database for this query (a few index lookups: a
    one-shot CLI lookup need not load the whole vocabulary, and a rebuilt database is seen at once)."""
    if not words:
        return _NO_LEXICON
    synonym_rows, stops = store.phrase_rows(words)
    synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for phrase, expansion in synonym_rows:
        synonyms.setdefault(tuple(phrase.split()), []).append(tuple(expansion.split()))
    return _Lexicon(
        synonyms={k: tuple(v) for k, v in synonyms.items()},
        longest=max((len(k) for k in synonyms), default=0),
        stop_words=frozenset(stops),
        path=os.fspath(store.path),
    )


@lru_cache(maxsize=4)
def _terms(path: str, _mtime: int) -> _Terms:
    strong: dict[int, list[str]] = {}
    weak: dict[int, list[str]] = {}
    for term, weight in Store(path).correction_term_rows() if path else ():
        if not term.isdigit():
            (strong if weight >= 2 else weak).setdefault(len(term), []).append(term)
    return _Terms({k: tuple(v) for k, v in strong.items()}, {k: tuple(v) for k, v in weak.items()})


def _understand(words: list[str], lexicon: _Lexicon, prefix_last: bool = True) -> _Understood:
    """Known phrases (longest first) become terms with their synonyms; the filler of questions is left out."""
    terms: list[_Term] = []
    i = 0
    while i < len(words):
        for size in range(min(lexicon.longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            if phrase in lexicon.synonyms:
                terms.append(_Term(phrase, lexicon.synonyms[phrase]))
                i += size
                break
        else:
            terms.append(_Term((words[i],)))
            i += 1
    if prefix_last and terms:
        terms[-1] = _Term(terms[-1].words, terms[-1].expansions, prefix=True)
    filler = [not t.expansions and t.words[0] in lexicon.stop_words for t in terms]
    if all(filler):  # only filler ("where can i"): search for it as typed rather than for nothing
        return _Understood(tuple(terms), ())
    kept = tuple(t for t, f in zip(terms, filler, strict=True) if not f)
    return _Understood(kept, tuple(t.words[0] for t, f in zip(terms, filler, strict=True) if f))


def _edits(a: str, b: str) -> int:
    """Letters to insert, delete, change or swap with a neighbour to turn `a` into `b` (optimal string alignment)."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def _correction(word: str, lexicon: _Lexicon) -> str | None:
    """The known word closest to a word that matches nothing, if one is close enough to be a typo of it.

    difflib shortlists similar words of about the same length (names, keywords and the vocabulary before words
    only found in descriptions); the fewest edits wins, a swap of two letters counting as one ("tset" is "test",
    not "set"), then the same first letter, then difflib's similarity.
    """
    if len(word) < 3 or word.isdigit():
        return None
    cutoff = 0.7 if len(word) < 5 else 0.75
    most_edits = 1 if len(word) < 5 else 2
    known = lexicon.terms()
    for terms in (known.strong, known.weak):
        # a typo changes the length by a letter or two: compare with words of about the same length only
        pool = [t for n in range(len(word) - 2, len(word) + 3) for t in terms.get(n, ())]
        shortlist = difflib.get_close_matches(word, pool, n=8, cutoff=cutoff)
        ranked = sorted((_edits(word, t), t[0] != word[0], i, t) for i, t in enumerate(shortlist))
        if ranked and ranked[0][0] <= most_edits:
            return None if _is_word(word) else ranked[0][-1]
    return None


def languages(text: str) -> dict[str, tuple[str, ...]]:
    """The words of `text` by the language they were read in ("English", "Spanish", "English and Spanish"), and
    "in neither list" for names, typos, numbers and rare words: what `--explain` shows. Reads the word lists
    (~0.3 s, once)."""
    from nhfind.core import words

    by_language: dict[str, list[str]] = {}
    for word in dict.fromkeys(fts.tokens(text)):
        found = words.languages_of(word)
        name = " and ".join(words.LANGUAGE_NAMES[lang] for lang in found) if found else "in neither list"
        by_language.setdefault(name, []).append(word)
    return {name: tuple(ws) for name, ws in by_language.items()}


def _is_word(word: str) -> bool:
    """Whether `word` is a real English or Spanish word ("beats", "date", "scared", "comida"): never turned into
    another one. The word lists are read here, on first need (see nhfind.core.words), never on a lookup that
    matched."""
    from nhfind.core import words  # deferred: ~0.3 s of word lists, only when a correction is on the table

    return words.is_word(word)


def _corrected(
    store: Store, words: list[str], understood: _Understood, lexicon: _Lexicon
) -> tuple[list[tuple[str, str]], _Understood]:
    """The words read again after correcting typos: those of the terms that match nothing on their own.

    A word that matches nothing and has no correction is left out (listed in `ignored`) rather than making the
    whole search fail; when no term is left, the words are kept as they were.
    """
    known = store.matches_each([t.expression() for t in understood.terms])
    if all(known):
        return [], understood
    unknown = {t.words[0] for t, ok in zip(understood.terms, known, strict=True) if not ok and not t.expansions}
    corrections: list[tuple[str, str]] = []
    fixed = []
    for word in words:
        right = _correction(word, lexicon) if word in unknown else None
        if right:
            corrections.append((word, right))
        fixed.append(right or word)
    again = _understand(fixed, _lexicon(store, fixed))  # a corrected word can complete a phrase ("foood stamps")
    useless = {w for w in unknown if w not in dict(corrections)}
    kept = tuple(t for t in again.terms if not (len(t.words) == 1 and t.words[0] in useless))
    return corrections, _Understood(kept or again.terms, again.ignored + tuple(sorted(useless)))


def _categories_like(store: Store, words: list[str]) -> tuple[str, ...]:
    """Category ids whose id or label is close to one of the words; every category when none is."""
    labels = {cid: f"{cid} {label}".casefold() for cid, (label, _m, _oe) in vocabulary(store).categories.items()}
    close = [
        cid
        for cid, text in labels.items()
        if any(difflib.get_close_matches(w, fts.words(text), n=1, cutoff=0.75) for w in words if len(w) >= 3)
    ]
    return tuple(close or sorted(labels))


FEW = 3
"""When fewer services than this match every word, the ones matching some words are listed after them."""


def search(
    store: Store,
    text: str = "",
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    with_facets: bool = False,
) -> Page:
    """Ranked services matching `text` and `filters`, understanding how outreach workers and clients put things.

    The words are read with data/search-vocabulary.toml: known phrases also match their synonyms ("food stamps"
    finds CalFresh), the filler of plain questions is left out ("where can i get an std test"), and the last word
    is prefix-matched from fts.MIN_PREFIX letters on. Every term must match. When nothing does, words that match
    nothing are corrected to the closest known word ("shelterr" -> "shelter") or left out; when still nothing
    matches every term, services matching any term are shown (Page.relaxed). A service or organization named
    exactly as typed comes first, then bm25 with names above categories and keywords above descriptions. With no
    results at all the Page carries category suggestions (the crisis lines to add are nhfind.core.crisis's).

    Args:
        store: the database.
        text: what the user typed; any text is safe.
        filters: facet filters (AND across facets, OR within one).
        limit: at most this many results (None: all).
        offset: skip this many results.
        with_facets: also count each facet value over the whole match.

    Returns:
        A Page of results with the total count and how the words were understood.

    Raises:
        DatabaseError: the database is missing or damaged.
    """
    with store.session():  # one connection for all of it: vocabulary, page, counts, corrections
        return _search(store, text, filters or Filters(), limit, offset, with_facets)


UNDERAGE = "underage"
"""What an age under 18 searches for when nothing else is said. With other words, the age is a notice, not a
search word: ANDing "minors" into "16 year old being pimped" put youth programs above the trafficking hotline."""

NO_POLICE = "leaving out police and law-enforcement services, as asked"
"""The notice of a search whose words refuse the police ("no cops", "scared of the police", "sin policía")."""


def _search(store: Store, text: str, filters: Filters, limit: int | None, offset: int, with_facets: bool) -> Page:
    if filters.near is not None:
        return _nearest_first(store, text, filters, limit=limit, offset=offset, with_facets=with_facets)
    dialled = _dialled(text)
    if dialled:
        return _by_number(store, text, dialled, filters, limit, offset)
    read = reading.read(fts.tokens(text))
    if read.refuses_police:  # exactly --no-law-enforcement
        filters = filters._replace(exclude_law_enforcement=True)
    words = read.words
    lexicon = _lexicon(store, words)
    if read.minor and all(w in lexicon.stop_words for w in words):  # "she is 16": what there is for minors
        words = [*words, UNDERAGE]
        lexicon = _lexicon(store, words)
    elif read.refuses_police and all(w in lexicon.stop_words for w in words):  # "i don't want police": only the
        words, lexicon = [], _NO_LEXICON  # refusal meant something, so answer as "no police" does, not with "don"
    understood = _understand(words, lexicon)
    match = understood.expression()
    exact = " ".join(words) if read.left_out else text.strip()
    corrections: list[tuple[str, str]] = []
    several = len(understood.terms) > 1
    # a page that may hold police services is ranked once, twice its length from the top, so that putting support
    # services first (_ranked) needs no second ranking
    split = limit is not None and not read.asks_police and not filters.exclude_law_enforcement
    fetch, skip = (2 * (offset + limit), 0) if split and limit is not None else (limit, offset)
    # few services have every word: the ones with some of them follow, so the answer is not a dead end (but when
    # none has every word, typos are looked for first)
    records, total, relaxed = store.search_or_relax(
        match, understood.expression(any_term=True) if several else "", FEW, filters, fetch, skip, exact, False
    )
    if total == 0 and match:
        corrections, understood = _corrected(store, words, understood, lexicon)
        if corrections:
            exact = " ".join(dict(corrections).get(w, w) for w in words)
        if not all(w in understood.ignored for w in words):  # something is left to search for
            match = understood.expression()
            several = len(understood.terms) > 1
            records, total, relaxed = store.search_or_relax(
                match, understood.expression(any_term=True) if several else "", FEW, filters, fetch, skip, exact
            )
        elif read.left_out:  # only "no police" or an age meant something: answer as those words alone do
            match, understood = "", _Understood((), understood.ignored)
            records, total, relaxed = store.search_or_relax("", "", FEW, filters, fetch, skip, "")
    strict = match
    if relaxed:
        match = understood.expression(any_term=True)
    ranking = records if split else None
    if split and limit is not None:
        records = records[offset : offset + limit]
    results = hydrate(records, store)
    danger = _danger_now(understood)
    demote = not read.asks_police and not filters.exclude_law_enforcement and total > 1
    if danger and total > 1 and not relaxed and not filters.exclude_law_enforcement:
        results = hydrate(_danger_first(store, match, filters, limit, offset, exact), store)
    elif demote and (offset or any(r.is_law_enforcement for r in results)):
        first = strict if relaxed else ""
        results = hydrate(_ranked(store, match, first, filters, limit, offset, exact, ranking), store)
    facets = store.facet_counts(match, filters) if with_facets else {}
    suggestions: tuple[str, ...] = ()
    if total == 0:
        suggestions = _categories_like(store, words)
    return Page(
        results=results,
        total=total,
        query=match,
        facets=facets,
        corrections=tuple(corrections),
        did_you_mean=" ".join(dict(corrections).get(w, w) for w in words) if corrections else "",
        expanded=tuple(
            (" ".join(t.words), tuple(" ".join(e) for e in t.expansions)) for t in understood.terms if t.expansions
        ),
        ignored=understood.ignored + tuple(w for w, _why in read.left_out),
        relaxed=relaxed,
        suggestions=suggestions,
        notices=_notices(text, read, understood, corrections, lexicon.stop_words, total)
        + (_danger_left_out(store, match, filters, results) if danger and filters.exclude_law_enforcement else ()),
        law_enforcement_left_out=read.refuses_police,
        age=read.age,
    )


_VANITY = r"(?:1[-.]?)?\(?\d{3}\)?[-.][0-9A-Za-z][0-9A-Za-z.-]*"
"""A number with keypad letters as people write one: an area code in digits, then letters ("916-SUPPORT",
"1-800-CDC-INFO"). A string, compiled on first use: most queries have no digits."""


def _dialled(text: str) -> str:
    """The national digits a phone dials for `text` when all of it is a phone number ("916-920-2952",
    "(916) 920 2952", "916-SUPPORT", "741741", "920-2952"); "" otherwise. The three-digit lines (211, 911, 988)
    stay search words: the services they name are found by them."""
    if sum(c.isdigit() for c in text) < 3:  # a phone number shows 3 digits at least (916-SUPPORT)
        return ""
    said = text.strip()
    if any(c.isalpha() for c in said) and not re.fullmatch(_VANITY, said):  # "24/7 shelter" is words, not 247-743-5837
        return ""
    from nhfind.core import phone  # deferred: only a query that may be a number needs the keypad rule

    line = phone.dial(said)
    if line is not None:
        digits = line.digits
    elif re.fullmatch(r"[\d\s().+\-]+", said) and len(phone.keypad(said)) >= 7:  # a local or unusual number
        digits = phone.keypad(said)
    else:
        return ""
    if len(digits) < 5:
        return ""
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _by_number(store: Store, text: str, dialled: str, filters: Filters, limit: int | None, offset: int) -> Page:
    """The services with a phone line dialled as `dialled` (a seven-digit number matches a ten-digit one it ends),
    or none and a notice saying "no service has this number". Only --no-law-enforcement of the filters applies."""
    from nhfind.core import phone

    ids: list[str] = []
    for service_id, number, kind in store.phones_ending(dialled[-4:]):
        line = phone.dial(number, kind)
        digits = line.digits if line else phone.keypad(phone.split_extension(number)[0])
        national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        if national == dialled or (len(dialled) == 7 and len(national) == 10 and national.endswith(dialled)):
            ids.append(service_id)
    found = get_many(store, list(dict.fromkeys(ids)))
    shown = [r for r in found if not (filters.exclude_law_enforcement and r.is_law_enforcement)]
    notices: list[str] = []
    said = " ".join(text.split())
    if len(shown) < len(found):
        notices.append(NO_POLICE)
    if not found:
        zip_code = f" (for services near a ZIP code: --near {dialled})" if len(dialled) == 5 else ""
        notices.append(f"no service has this number: {said}{zip_code}")
    end = None if limit is None else offset + limit
    return Page(
        results=tuple(shown[offset:end]),
        total=len(shown),
        notices=tuple(notices),
        law_enforcement_left_out=len(shown) < len(found),
    )


def _notices(
    text: str,
    read: reading.Reading,
    understood: _Understood,
    corrections: list[tuple[str, str]],
    filler: frozenset[str],
    total: int,
) -> tuple[str, ...]:
    """What a front end says about how the words were read, beyond "did you mean": police refused, an age, real
    words that match no service and were left out rather than changed."""
    notices: list[str] = []
    if read.refuses_police:
        notices.append(NO_POLICE)
    if read.minor:
        said = next(w for w, why in read.left_out if why == "age")
        notices.append(f'read "{fts.as_typed(text, said)}" as the age of a minor (under 18)')
    searched = {w for t in understood.terms for w in t.words}
    unmatched = [w for w in understood.ignored if w not in filler | searched and w not in dict(corrections)]
    if unmatched and total:  # with no results, the words were all searched for as typed
        said = ", ".join(f'"{fts.as_typed(text, w)}"' for w in unmatched)
        notices.append(f"left out {said}: no service {'mentions it' if len(unmatched) == 1 else 'mentions them'}")
    return tuple(notices)


def _ranked(
    store: Store,
    match: str,
    first: str,
    filters: Filters,
    limit: int | None,
    offset: int,
    exact: str,
    ranking: list[str] | None = None,
) -> list[str]:
    """The page again with support services above law-enforcement ones, each part in its own rank order (and
    `first`'s matches first within it): someone leaving sex work or hurt by a partner sees help first, and the
    police only after it, unless the words ask for them. `ranking`: the first 2 * (offset + limit) records of
    `match` in rank order, when the caller already has them."""
    need = None if limit is None else offset + limit
    wanted = not filters.confidentiality or LAW_ENFORCEMENT in filters.confidentiality
    if need is not None:  # one ranking split in two when it holds enough: the two searches below, in one
        both = ranking if ranking is not None else store.search(match, filters, 2 * need, 0, exact, first)[0]
        try:
            police_ones = {r for r in both if decode(r).is_law_enforcement}
        except DAMAGED:  # the searches below leave a damaged record out, with a warning
            police_ones = None
        helping = [r for r in both if police_ones is not None and r not in police_ones]
        if police_ones is not None and (len(helping) >= need or len(both) < 2 * need):
            policing = [r for r in both if r in police_ones] if wanted else []
            return (helping + policing)[offset:need]
    support, _n = store.search(match, filters._replace(exclude_law_enforcement=True), need, 0, exact, first)
    police: list[str] = []
    if wanted and (need is None or len(support) < need):
        only = filters._replace(confidentiality=(LAW_ENFORCEMENT,))
        police = store.search(match, only, None if need is None else need - len(support), 0, exact, first)[0]
    return (support + police)[offset : None if limit is None else offset + limit]


LAW_ENFORCEMENT = "law-enforcement"

EMERGENCY_LINE = ("911",)
"""A term that is this or expands to it in data/search-vocabulary.toml ("not breathing", "od", "overdosing",
"emergency") says someone may die right now: the danger-now services (nhfind.core.crisis.DANGER: 911) come first,
before naloxone and treatment; when the words refuse the police they stay out, and a notice says so."""


def _danger_now(understood: _Understood) -> bool:
    return any(t.words == EMERGENCY_LINE or EMERGENCY_LINE in t.expansions for t in understood.terms)


def _danger_first(store: Store, match: str, filters: Filters, limit: int | None, offset: int, exact: str) -> list[str]:
    """The page again with the matching danger-now lines (911) first, then the rest in rank order. A danger-now
    service with no number to call (emergency rooms) keeps its rank: naloxone comes before it."""
    from nhfind.core.crisis import DANGER  # deferred: only words that mean an emergency need it

    if filters.categories and DANGER not in filters.categories:
        return store.search(match, filters, limit, offset, exact)[0]
    need = None if limit is None else offset + limit
    found = store.search(match, filters._replace(categories=(DANGER,)), need, 0, exact)[0]
    danger = [r for r in found if decode(r).phones]
    rest = store.search(match, filters, None if need is None else need + len(danger), 0, exact)[0]
    shown = set(danger)
    return (danger + [r for r in rest if r not in shown])[offset : None if limit is None else offset + limit]


def _danger_left_out(store: Store, match: str, filters: Filters, results: tuple[Resource, ...]) -> tuple[str, ...]:
    """The notice of words that mean an emergency but refuse the police: which danger-now services (911, filed as
    law enforcement) were left out, and what is there without police (the crisis lines, the first result)."""
    from nhfind.core import crisis  # deferred: only an emergency with the police refused needs it

    police = filters._replace(
        exclude_law_enforcement=False, categories=(crisis.DANGER,), confidentiality=(LAW_ENFORCEMENT,)
    )
    left = [decode(r).name for r in store.search(match, police, 3, 0)[0]]
    if not left:
        return ()
    lines = [r.name for r in crisis.crisis_lines(store, limit=8).lines if not r.is_law_enforcement][:2]
    there = list(dict.fromkeys([*lines, *(r.name for r in results[:1])]))
    said = f"; without police: {', '.join(there)}" if there else ""
    return (f"left out {', '.join(left)} as asked (police may come){said}",)


def _nearest_first(
    store: Store, text: str, filters: Filters, *, limit: int | None, offset: int, with_facets: bool
) -> Page:
    """`search` with every match sorted by distance from `filters.near` (stable: ties and services without a
    distance keep the ranked order), then cut to limit/offset. A service offered at several places comes with its
    nearest one as its address."""
    from nhfind.core import geo  # deferred: the ZIP table is only needed for --near

    start = geo.origin(filters.near or "")
    page = search(store, text, filters._replace(near=None), limit=None, with_facets=with_facets)
    # a service offered at several places is shown (and carded) at the one nearest to the ZIP
    nearest = [geo.at_nearest(r, start) for r in page.results]
    ordered = sorted(nearest, key=lambda r: geo.sort_key(geo.place(r, start)))
    end = None if limit is None else offset + limit
    return page._replace(results=tuple(ordered[offset:end]))


def facet_counts(store: Store, page: Page, filters: Filters) -> dict[str, dict[str, int]]:
    """facet -> value -> how many services a search would find with that value turned on, for a filter list.

    Counts over the services `page` matched (its `query`, the words as finally read) under `filters`, except that
    each facet's counts ignore that facet's own selection: a count says what adding the value would give (values
    inside a facet are OR-ed). One pass over the matched rows, whatever the number of facets selected.
    """
    return store.facet_choice_counts(page.query, filters._replace(near=None))


def open_counts(store: Store, text: str, filters: Filters) -> dict[str, int]:
    """How the services matching `text` and `filters` (ignoring `filters.open_at`) stand at `filters.open_at`:
    {"open": n, "closed": n, "unknown": n}. Lets a front end say how many were left out for unknown hours.

    Raises:
        ValueError: `filters.open_at` is None.
    """
    if filters.open_at is None:
        raise ValueError("open_counts needs filters.open_at")
    when = filters.open_at
    page = search(store, text, filters._replace(open_at=None, near=None))
    counts = {"open": 0, "closed": 0, "unknown": 0}
    for resource in page.results:
        counts[hours.status(resource.hours, when).state] += 1
    return counts


def find_ids(store: Store, text: str) -> list[tuple[str, str]]:
    """The services `text` names, as (id, name): what a worker types for `show` and `card`.

    Tried in turn, the first that matches wins: the exact id; the exact name (any case); a prefix of the id or of
    the name; the words of `text`, each starting a word of the name. Several matches are returned for the caller to
    list, never guessed between.
    """
    pairs = store.names()
    wanted = " ".join(text.casefold().split())
    if not wanted:
        return []
    words = re.findall(r"\w+", wanted)

    def starts_words(name: str) -> bool:
        have = re.findall(r"\w+", name.casefold())
        return bool(words) and all(any(h.startswith(w) for h in have) for w in words)

    tiers: tuple[Callable[[str, str], bool], ...] = (
        lambda rid, _: rid == text,
        lambda _, name: name.casefold() == wanted,
        lambda rid, name: rid.casefold().startswith(wanted) or name.casefold().startswith(wanted),
        lambda _, name: starts_words(name),
    )
    for tier in tiers:
        found = [(rid, name) for rid, name in pairs if tier(rid, name)]
        if found:
            return sorted(found, key=lambda pair: pair[0])
    return []


def suggest_ids(store: Store, wrong: str, n: int = 3) -> list[str]:
    """Ids close to `wrong`, for "did you mean"."""
    pairs = store.names()
    by_name = {name.casefold(): rid for rid, name in pairs}
    ids = [rid for rid, _ in pairs]
    close = difflib.get_close_matches(wrong.casefold(), ids, n=n, cutoff=0.5)
    close += [by_name[m] for m in difflib.get_close_matches(wrong.casefold(), by_name, n=n, cutoff=0.5)]
    close += [rid for rid in ids if wrong.casefold() in rid and len(wrong) >= 3]
    return list(dict.fromkeys(close))[:n]


def vocabulary(store: Store) -> Vocabulary:
    """What every filter value means, as stored in the database."""
    return _vocabulary(str(store.path.resolve()), store.path.stat().st_mtime_ns if store.path.exists() else 0)


@lru_cache(maxsize=4)
def _vocabulary(path: str, _mtime: int) -> Vocabulary:
    return Store(path).vocabulary()


def check_filters(store: Store, filters: Filters) -> None:
    """Refuse a filter value the data does not know, suggesting the nearest known ones (see `resolve_filters`).

    Raises:
        UsageError: naming the option, the value and what to use instead.
    """
    resolve_filters(store, filters)


def resolve_filters(store: Store, filters: Filters) -> Filters:
    """`filters` with each value as the data names it, read in any case or by its label ("Free" -> "free",
    "spanish" -> "es", "Shelter" -> "shelter"); a value it cannot place is refused with the nearest known ones.

    Raises:
        UsageError: naming the option, the value and what to use instead.
    """
    vocab = vocabulary(store)
    changed: dict[str, Any] = {}  # facet field of Filters -> its values, resolved
    for facet in TABLE:
        values = getattr(filters, facet.field)
        if not values:
            continue
        known = vocab.meanings(facet.name)
        labels = {k: v[0] for k, v in vocab.categories.items()} if facet.name == "category" else {}
        labels |= vocab.languages if facet.name == "language" else {}
        names = {k.casefold(): k for k in known} | {v.casefold(): k for k, v in labels.items() if k in known}
        option = facet.flag or facet.name
        resolved = []
        for value in values:
            key = value if value in known else names.get(" ".join(value.split()).casefold())
            if key is None:
                near = difflib.get_close_matches(value.casefold(), names, n=3, cutoff=0.5)
                shown = list(dict.fromkeys(names[n] for n in near))
                hint = f"did you mean {', '.join(shown)}? " if shown else ""
                raise UsageError(f"{option} {value!r} is not a known value: {hint}`nhfind facets` lists them all")
            resolved.append(key)
        if tuple(resolved) != values:
            changed[facet.field] = tuple(dict.fromkeys(resolved))
    return filters._replace(**changed) if changed else filters
