"""User text -> a safe SQLite FTS5 expression.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Every token is quoted, so no input (quotes, AND, NEAR(, *, column filters, SQL) can change the query's meaning or
break it; FTS operators are never taken from the user.
"""

from __future__ import annotations

import re

MAX_TOKENS = 16
"""A query longer than this is cut: nobody types more words to find a service, and a 5,000-word paste stays fast."""
MAX_TOKEN_LENGTH = 48
MIN_PREFIX = 3
"""The word being typed is prefix-matched from this many characters on ("shel" finds shelters); shorter prefixes
would match most of the index and make each keystroke slow."""

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fold(word: str) -> str:
    """A word without accents, as the index reads it (unicode61 removes diacritics): "clínica" is "clinica", so
    Spanish words typed with or without accents meet the same vocabulary."""
    if word.isascii():
        return word
    import unicodedata  # deferred: most lookups are plain ASCII, and start-up counts

    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    # a compatibility character can decompose into several words ("ﷺ" is a four-word phrase): keep one token
    return "".join(_TOKEN.findall(plain))


def tokens(text: str) -> list[str]:
    """The words of `text`, lower-cased, without accents or punctuation, at most MAX_TOKENS."""
    return [fold(t)[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall(text.casefold())][:MAX_TOKENS]


def as_typed(text: str, folded: str) -> str:
    """The words of `text` as the client typed them (case, accents), one space apart, whose tokens are the
    tokens of `folded`: "15 años" for "15 anos" in "tiene 15 años". `folded` itself when `text` has no such run."""
    want = folded.split()
    found = list(_TOKEN.finditer(text))
    for i in range(len(found) - len(want) + 1):
        run = found[i : i + len(want)]
        if want and [fold(m.group().casefold()) for m in run] == want:
            return " ".join(m.group() for m in run)  # the words only: nothing between them reaches a terminal
    return folded


def words(text: str) -> list[str]:
    """All the words of `text`, lower-cased, without punctuation (for indexing, not for user queries)."""
    return [fold(t) for t in _TOKEN.findall(text.casefold())]


_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
"""ASCII text -> its words separated by spaces: for ASCII, _TOKEN's words are the runs of letters and digits."""


def distinct_words(texts: list[str]) -> set[str]:
    """The set of every `words(text)` of `texts`, each folded once (a build reads millions): texts are read 500
    at a time, joined by a newline (which joins no two words); ASCII text is split without the regex (2x faster)."""
    tokens: set[str] = set()
    for i in range(0, len(texts), 500):
        chunk = "\n".join(texts[i : i + 500]).casefold()
        tokens.update(chunk.translate(_ASCII_SPACES).split() if chunk.isascii() else _TOKEN.findall(chunk))
    return {fold(t) for t in tokens}


def quote(token: str) -> str:
    """One token as an FTS5 string."""
    return '"' + token.replace('"', '""') + '"'


def expression(words: list[str], prefix_last: bool = True, any_word: bool = False) -> str:
    """Join quoted words into an FTS5 expression.

    Args:
        words: tokens as returned by `tokens`.
        prefix_last: prefix-match the last word when it has at least MIN_PREFIX characters.
        any_word: OR the words instead of requiring all of them.

    Returns:
        The expression, or "" when there are no words.
    """
    parts = [quote(w) for w in words]
    if parts and prefix_last and len(words[-1]) >= MIN_PREFIX:
        parts[-1] += " *"
    return (" OR " if any_word else " ").join(parts)


def phrase(words: tuple[str, ...] | list[str], prefix: bool = False) -> str:
    """Words as one quoted FTS5 phrase (they must appear together, in order), optionally prefix-matching the last.

    A prefix is only added from MIN_PREFIX characters on.
    """
    text = quote(" ".join(words))
    if prefix and words and len(words[-1]) >= MIN_PREFIX:
        text += " *"
    return text


def any_of(alternatives: list[str]) -> str:
    """FTS5 expressions (as made by `phrase`) of which any may match, in parentheses when there are several."""
    unique = list(dict.fromkeys(alternatives))
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def combine(groups: list[str], any_group: bool = False) -> str:
    """Groups (as made by `any_of`) that must all match, or of which any may match; "" when there are none."""
    return (" OR " if any_group else " AND ").join(groups)
