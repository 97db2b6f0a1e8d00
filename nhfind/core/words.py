"""Which words are real English or Spanish words: a typo pass corrects only words that are not.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

The lists are pyspellchecker's English and Spanish word-frequency dictionaries (word counts from film subtitles,
kept by that project). They are read from the package's files without importing it, only when a search word matches
nothing and is close to a known word (about 0.25 s once per process: ~160,000 English and ~86,000 Spanish words),
never on a lookup that matched. A word counted fewer than MIN_COUNT times is not taken as a word: the lists carry rare
misspellings ("methadon" is counted 50 times) and a typo of ours must stay correctable.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from nhfind.core.fts import fold

LANGUAGES = ("en", "es")
"""The languages whose words are never corrected, in the order they are named."""

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}

MIN_COUNT = 100
"""Fewer counts than this in a list is noise (the lists floor at 50): not a word a client means."""


def _resources() -> Path | None:
    spec = importlib.util.find_spec("spellchecker")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


@lru_cache(maxsize=len(LANGUAGES))
def _words(language: str) -> frozenset[str]:
    """The words of one language's list (lower case, accents folded) counted at least MIN_COUNT times; empty when
    the list is missing (then nothing is known to be a word, and typos are corrected as before)."""
    folder = _resources()
    if folder is None:
        return frozenset()
    try:
        with gzip.open(folder / f"{language}.json.gz", "rt", encoding="utf-8") as handle:
            counts = json.load(handle)
    except (OSError, ValueError):
        return frozenset()
    return frozenset(fold(w.casefold()) for w, n in counts.items() if isinstance(n, int) and n >= MIN_COUNT)


def languages_of(word: str) -> tuple[str, ...]:
    """The languages (of LANGUAGES) in which `word` is a real word; () for a typo, a name or a number."""
    folded = fold(word.casefold())
    return tuple(lang for lang in LANGUAGES if any(form in _words(lang) for form in _forms(folded, lang)))


_SPANISH_VERB_ENDINGS = (
    ("amos", "ar"), ("emos", "er"), ("imos", "ir"), ("ando", "ar"), ("iendo", "er"), ("iendo", "ir"), ("ado", "ar"),
    ("ido", "er"), ("ido", "ir"), ("as", "ar"), ("an", "ar"), ("es", "er"), ("en", "er"), ("es", "ir"), ("en", "ir"),
    ("o", "ar"), ("o", "er"), ("o", "ir"), ("a", "ar"), ("e", "er"), ("e", "ir"),
)  # fmt: skip
"""Regular Spanish verb endings and their infinitive: the Spanish list holds mostly base forms ("necesitar", not
"necesito"), so a conjugated verb is looked up by its infinitive."""


def _forms(word: str, language: str) -> list[str]:
    """The word and, in Spanish, the base forms it may be an inflection of (the list lacks plurals like "gracias"
    and most conjugations like "necesito")."""
    forms = [word]
    if language == "es" and len(word) > 3:
        forms += [word[:-1]] if word.endswith("s") else []
        forms += [word[:-2]] if word.endswith("es") else []
        forms += [word[: -len(end)] + base for end, base in _SPANISH_VERB_ENDINGS if word.endswith(end)]
    return forms


def is_word(word: str) -> bool:
    """Whether `word` is a real English or Spanish word, so that no typo pass may change it into another."""
    return bool(languages_of(word))
