"""Reading what a client said before it is searched: police refused or asked for, ages, and numbers.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Works on the query's tokens (nhfind.core.fts.tokens: lower case, accents folded, "don't" is "don" "t"). The
search vocabulary (data/search-vocabulary.toml) says what words mean; this module says how a sentence turns them
round: "no police" refuses police, "16 year old" is an age, not two search words.
"""

from __future__ import annotations

POLICE = frozenset(
    {
        "police", "policia", "policias", "cops", "cop", "sheriff", "sheriffs", "deputies", "deputy", "officers",
        "officer", "feds", "fed", "fbi", "vice", "detective", "detectives", "pigs", "enforcement", "migra", "patrulla",
    }
)  # fmt: skip
"""Words for the police. Refused after a negation or a fear ("no cops", "scared of the police")."""

REFUSING = frozenset(
    {
        "no", "not", "without", "never", "t", "dont", "cant", "wont", "didnt", "doesnt", "nope", "nor", "avoid",
        "avoiding", "sin", "nunca", "ni", "scared", "afraid", "fear", "fears", "feared", "terrified", "frightened",
        "nervous", "worried", "hiding", "hide", "running", "hate", "hates", "distrust", "distrusts", "miedo", "temor",
        "nada",
    }
)  # fmt: skip
"""Words that turn the police word after them into a refusal ("t" is the end of "don't", "won't", "can't")."""

REFUSAL_REACH = 6
"""A refusing word counts for a police word at most this many words before it ("don't want to call the cops")."""

ASKED_AFTER = frozenset({"report", "reports", "station", "tip", "tips"})
"""After a police word, these ask for the police ("a police report"), unless a refusal is right before it."""

BREAKS = frozenset({"but", "and", "pero", "y", "report", "reporting", "denunciar"})
"""Words that end a refusal's reach: "no money but wants to report to police" asks for police."""

ASKING = frozenset(
    {
        "report", "reporting", "reported", "tip", "tips", "police", "policia", "sheriff", "sheriffs", "detective",
        "detectives", "cops", "cop", "fbi", "feds", "vice", "deputy", "officer", "denunciar", "denuncia", "prosecute",
        "prosecutor", "prosecution", "charges", "district", "general", "stoppers", "enforcement", "911",
        "emergency", "emergencia", "danger", "peligro", "ambulance", "ambulancia", "breathing", "dying",
    }
)  # fmt: skip
"""Words that ask for law enforcement (to report, to press charges, a tip line, a named agency) or for an emergency
line (911 is filed as law enforcement): then law-enforcement services are ranked as relevant as any other. Otherwise
support services come first."""

AGE_BEFORE = frozenset({"is", "s", "im", "turned", "age", "aged", "just", "only", "tiene", "edad", "de"})
"""Words after which a number is an age ("she is 16", "age 15", "tiene 15")."""

AGE_AFTER = (("year", "old"), ("years", "old"), ("yr", "old"), ("yrs", "old"), ("yo",), ("y", "o"), ("anos",),
             ("ano",), ("years",), ("year",))  # fmt: skip
"""What follows a number that is an age ("16 year old", "15yo" is its own word, "15 años")."""

ADULT = 18

KEPT_NUMBERS = frozenset({"211", "311", "911", "988", "5150"})
"""Numbers that are search words: the short phone lines and the psychiatric hold people name by number. Any other
number is not searched for (a street number or an age would match nothing or the wrong thing)."""


class Reading:
    """The words to search and what the sentence said around them. (A plain class: a NamedTuple costs ~1 ms to
    create at import, and every lookup imports this module.)"""

    __slots__ = ("words", "refuses_police", "asks_police", "age", "left_out")

    def __init__(
        self,
        words: list[str],
        refuses_police: bool = False,
        asks_police: bool = False,
        age: int | None = None,
        left_out: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.words = words
        """The words left to search, in order."""
        self.refuses_police = refuses_police
        """The words refuse the police ("no cops", "scared of the police", "sin policía")."""
        self.asks_police = asks_police
        """The words ask for law enforcement ("report", "tip", "sheriff") or an emergency line, and do not refuse
        the police."""
        self.age = age
        """An age stated in the words ("16 year old", "she is 15"), if any."""
        self.left_out = left_out
        """(words, why) for each run of words not searched for."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Reading({fields})"

    @property
    def minor(self) -> bool:
        return self.age is not None and self.age < ADULT


def _age_at(words: list[str], i: int) -> tuple[int, int] | None:
    """(age, first index after it) when words[i] is a number said as an age; None otherwise."""
    word = words[i]
    number = word[:-2] if word.endswith("yo") and word[:-2].isdigit() else word
    if not number.isdigit() or len(number) > 3:
        return None
    if number != word:  # "15yo"
        return int(number), i + 1
    for after in AGE_AFTER:
        if tuple(words[i + 1 : i + 1 + len(after)]) == after:
            end = i + 1 + len(after)
            if words[end : end + 1] == ["old"]:
                end += 1
            return int(number), end
    if i > 0 and words[i - 1] in AGE_BEFORE and int(number) < 100:
        return int(number), i + 1
    return None


def read(words: list[str]) -> Reading:
    """Read the tokens of a query: refusals of the police, requests for them, ages, and numbers."""
    keep = [True] * len(words)
    left_out: list[tuple[str, str]] = []
    refuses = False
    for i, word in enumerate(words):
        if word not in POLICE:
            continue
        start = None
        # "need a police report" asks for one: a refusal must then be close ("no police report")
        reach = 2 if words[i + 1 : i + 2] and words[i + 1] in ASKED_AFTER else REFUSAL_REACH
        for j in range(i - 1, max(-1, i - 1 - reach), -1):
            if words[j] in BREAKS:
                break
            if words[j] in REFUSING:
                start = j
            elif start is not None:  # the refusal is the run of refusing words nearest the police word: "not
                break  # breathing, no police" refuses the police, not the breathing
        if start is not None or (i + 1 < len(words) and words[i + 1] in ("no", "nunca")):  # "policia no"
            refuses = True
            first = start if start is not None else i
            last = i + 1 if start is not None else i + 2
            for k in range(first, last):
                keep[k] = False
            left_out.append((" ".join(words[first:last]), "police refused"))
    asks = not refuses and any(w in ASKING for w, k in zip(words, keep, strict=True) if k)
    age = None
    i = 0
    while i < len(words):
        found = _age_at(words, i) if keep[i] else None
        if found:
            age, end = found
            for k in range(i, end):
                keep[k] = False
            left_out.append((" ".join(words[i:end]), "age"))
            i = end
            continue
        if keep[i] and words[i].isdigit() and words[i] not in KEPT_NUMBERS and not _in_phrase(words, i):
            keep[i] = False
            left_out.append((words[i], "number"))
        i += 1
    return Reading([w for w, k in zip(words, keep, strict=True) if k], refuses, asks, age, tuple(left_out))


NUMBER_PHRASES = frozenset({("section", "8"), ("3", "strands"), ("2", "1", "1"), ("24", "7")})
"""Numbers that are part of a name or a phrase people use ("section 8", "3 strands")."""


def _in_phrase(words: list[str], i: int) -> bool:
    for phrase in NUMBER_PHRASES:
        for start in range(i - len(phrase) + 1, i + 1):
            if start >= 0 and tuple(words[start : start + len(phrase)]) == phrase:
                return True
    return False
