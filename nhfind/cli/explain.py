"""How a search was understood, on stderr: "did you mean", `--explain`, and what to try when nothing matched.

stdout stays for results (scripts parse it); everything here goes to stderr, made inert first, since it echoes
what was typed and what the data says.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from nhfind.core.models import Page
from nhfind.core.writers import inert

if TYPE_CHECKING:
    from nhfind.core.db.store import Store


def _say(line: str) -> None:
    sys.stderr.write(inert(line) + "\n")


def print_understanding(page: Page, text: str, explain: bool) -> None:
    """A "did you mean" line when typos were corrected; with `explain`, every step of reading the words."""
    if page.did_you_mean:
        _say(f'nhfind: nothing matches "{" ".join(text.split())}"; did you mean "{page.did_you_mean}"? Showing that.')
    for notice in page.notices:
        _say(f"nhfind: {notice}")
    if not explain:
        return
    _say(f'nhfind: understood "{" ".join(text.split())}" as:')
    from nhfind.core.search import languages  # deferred: reads the word lists, only for --explain

    for language, words in languages(text).items():
        _say(f"  {language + ':':<11} {', '.join(words)}")
    for typed, fixed in page.corrections:
        _say(f"  corrected:  {typed} -> {fixed}")
    for phrase, also in page.expanded:
        _say(f"  expanded:   {phrase} -> also {', '.join(also)}")
    if page.ignored:
        _say(f"  ignored:    {', '.join(page.ignored)}")
    if page.relaxed:
        _say("  relaxed:    no service matches every word; showing services matching any of them")
    _say(f"  full-text:  {page.query or '(none: listing everything)'}")


def print_no_results(page: Page, store: Store) -> None:
    """At most five lines on stderr, the crisis lines first, then what to try, so a search never ends blank.

    The crisis lines are nhfind.core.crisis's, in its groups and order (those of `nhfind crisis` and the TUI's
    crisis screen), cut to its HINT_LINES, one line per group; hours as the data gives them.
    """
    from nhfind.core.crisis import GROUP_TITLES, HINT_LINES, crisis_lines

    if page.total:  # past the last page (--offset): there are results, nothing to help with
        return
    lines = crisis_lines(store, HINT_LINES)
    if lines.lines:
        _say("nhfind: no results; in a crisis (`nhfind crisis` shows them all):")
        for group, resources in lines.groups.items():
            if not resources:
                continue
            said = []
            for resource in resources:
                phone = resource.main_phone
                number = phone.number if phone else f"see nhfind show {resource.id}"
                hours = (
                    ""
                    if group == "24/7"
                    else f" ({resource.hours.summary() if resource.hours else 'hours not stated'})"
                )
                said.append(f"{resource.name}: {number}{hours}")
            _say(f"  {GROUP_TITLES[group]}: {'; '.join(said)}")
    else:
        _say("nhfind: no results")
    tried = page.suggestions[:4]
    more = ", ..." if len(page.suggestions) > len(tried) else ""
    categories = f", or a category with -c: {', '.join(tried)}{more}" if tried else ""
    _say(f"nhfind: try fewer words or filters{categories} (`nhfind categories`)")
