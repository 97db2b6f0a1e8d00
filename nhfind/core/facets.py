"""The facet table: every filter a search can take, named once for the database, `Filters`, the CLI and the TUI.

Core module: pure data, no imports from nhfind (models, store and both front ends import this). A new facet is one
row here (and its values in data/vocabulary.toml or models); the CLI options, the TUI filter list, the facet counts
and the SQL all read this table.

Rows are plain slotted classes, not NamedTuples or dataclasses: every lookup imports this module, and a class
statement costs a few microseconds where a NamedTuple costs ~0.3 ms (see nhfind.core.models).
"""


class Facet:
    """One facet: a property a service has one or more values of, filtered with OR inside it and AND across.

    Attributes:
        name: as stored in the database's facets and vocabulary tables ("category").
        field: the `Filters` field holding the values asked for ("categories").
        flag: the search option that filters on it ("--category"), or "" when the CLI has none.
        short: the option's one-letter form ("-c"), or "".
        title: the heading in the TUI's filter list ("Category").
        meaning: what the facet says about a service, in one line.
        shortcut: a CLI option that picks a set of its values at once ("--confidential"), or "".
        attribute: the `Resource` attribute holding a service's values, "unknown" included where the record
            leaves the fact out ("cost_values"); a str attribute is one value.
    """

    __slots__ = ("name", "field", "flag", "short", "title", "meaning", "shortcut", "attribute")

    def __init__(
        self,
        name: str,
        field: str,
        flag: str,
        short: str,
        title: str,
        meaning: str,
        shortcut: str = "",
        attribute: str = "",
    ) -> None:
        self.name, self.field, self.flag, self.short = name, field, flag, short
        self.title, self.meaning, self.shortcut = title, meaning, shortcut
        self.attribute = attribute or field

    def __repr__(self) -> str:
        return f"Facet({self.name!r}, field={self.field!r})"


class Switch:
    """An on/off filter that leaves out every service carrying one facet value (`--no-law-enforcement`).

    Attributes:
        facet: the facet whose value is left out ("confidentiality").
        value: the value left out ("law-enforcement").
        field: the boolean `Filters` field that turns it on ("exclude_law_enforcement").
        flag: the search option that turns it on.
        label: how the TUI's status line names it when on.
        short: its row in the TUI's filter list, under the facet's title (a narrow column).
        meaning: what it does, in one line (the option's help).
    """

    __slots__ = ("facet", "value", "field", "flag", "label", "short", "meaning")

    def __init__(self, facet: str, value: str, field: str, flag: str, label: str, short: str, meaning: str) -> None:
        self.facet, self.value, self.field, self.flag = facet, value, field, flag
        self.label, self.short, self.meaning = label, short, meaning

    def __repr__(self) -> str:
        return f"Switch({self.field!r})"


TABLE: tuple[Facet, ...] = (
    Facet("category", "categories", "--category", "-c", "Category",
          "What kind of help it is (`nhfind categories` lists them)."),
    Facet("cost", "costs", "--cost", "", "Cost", "What it costs the client.", attribute="cost_values"),
    Facet("confidentiality", "confidentiality", "--confidentiality", "", "Privacy",
          "How what the client says is handled, including whether police or prosecutors run it.", "--confidential",
          "confidentiality_value"),
    Facet("population", "populations", "--population", "-p", "Who it is for", "The groups it serves."),
    Facet("language", "languages", "--language", "", "Language", "Languages staff speak.",
          attribute="language_values"),
    Facet("access", "access", "", "", "How to reach", "How a client gets in: walk in, call, appointment, ..."),
)  # fmt: skip
"""Every facet, in display order (`nhfind facets`, the TUI filter list)."""

NO_LAW_ENFORCEMENT = Switch(
    "confidentiality",
    "law-enforcement",
    "exclude_law_enforcement",
    "--no-law-enforcement",
    "Hiding police / law enforcement",
    "Hide police",
    "Leave out police and prosecution services.",
)
SWITCHES: tuple[Switch, ...] = (NO_LAW_ENFORCEMENT,)
"""The on/off filters, each shown with its facet."""

FACETS: tuple[str, ...] = tuple(f.name for f in TABLE)
"""Facet names as stored in the database, in display order."""
BY_NAME: dict[str, Facet] = {f.name: f for f in TABLE}


def values_of(resource: object) -> dict[str, tuple[str, ...]]:
    """facet name -> a service's values (a `Resource`; typed loosely so this module imports nothing)."""
    out: dict[str, tuple[str, ...]] = {}
    for facet in TABLE:
        value = getattr(resource, facet.attribute)
        out[facet.name] = (value,) if isinstance(value, str) else tuple(value)
    return out


def option_of(facet: str) -> str:
    """The search options that filter on a facet, as `nhfind facets` writes them ("--category / -c"; "--cost";
    "--confidentiality; also --confidential, --no-law-enforcement"); "" when there is none."""
    row = BY_NAME.get(facet)
    if row is None or not row.flag:
        return ""
    text = f"{row.flag} / {row.short}" if row.short else row.flag
    also = [x for x in (row.shortcut, *(s.flag for s in SWITCHES if s.facet == facet)) if x]
    return text + (f"; also {', '.join(also)}" if also else "")


def title_of(facet: str) -> str:
    """The heading of a facet; one the table does not know (a newer database) reads from its name."""
    row = BY_NAME.get(facet)
    return row.title if row else facet.replace("-", " ").replace("_", " ").capitalize()
