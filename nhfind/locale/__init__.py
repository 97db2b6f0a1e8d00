"""Languages of what a client is handed: gettext catalogs (nhfind/locale/LANG/LC_MESSAGES/nhfind.po).

Pure Python (standard library only); core may import it. The .po files are the source; the wheel build
(hatch_build.py) compiles each into the .mo that gettext reads, with `compile_catalogs` below, so no gettext tools
are needed anywhere. A message without a translation comes out in English, whole: every translated string is a
complete sentence or label, never a piece glued to an English one.
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "es": "Español"}
"""Languages a card can be printed in: code -> its own name."""
DOMAIN = "nhfind"
LOCALE_DIR = Path(__file__).parent
ENV = "NHFIND_LANG"


def resolve(lang: str | None = None) -> str:
    """The language to use: `lang` if given, else NHFIND_LANG, else English.

    Raises:
        ValueError: a language nhfind has no catalog for (the message lists the known ones).
    """
    chosen = (lang or os.environ.get(ENV) or "en").strip().lower().replace("_", "-").split("-")[0]
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: use one of {', '.join(LANGUAGES)}")
    return chosen


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog for `lang` (English: none needed); a missing .mo falls back to English as a whole."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def has_catalog(lang: str) -> bool:
    """True when the compiled catalog for `lang` is installed (English needs none)."""
    return lang == "en" or (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()


# -- the build step: .po -> .mo, without GNU gettext ------------------------------------------------------------


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr from a .po file (plain entries only: no plurals or contexts, which nhfind does not use).

    Empty translations are left out, so gettext returns the English for them.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if value and (key or not entries):
                entries[key] = value

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            raise ValueError(f"{path.name}: cannot read {line[:40]!r}")
    flush()
    return entries


def write_mo(entries: dict[str, str], path: Path) -> None:
    """A GNU .mo file (little-endian, no hash table) for `entries`, written whole or not at all."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + 8 * len(keys)
    data_start = strs_table + 8 * len(keys)
    offsets: list[tuple[int, int]] = []
    blob = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), ids_table, strs_table, 0, data_start)
    out += b"".join(struct.pack("<2I", n, o) for n, o in offsets) + blob
    tmp = path.with_suffix(".mo.tmp")
    tmp.write_bytes(out)
    os.replace(tmp, path)


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every LANG/LC_MESSAGES/*.po under `locale_dir` into its .mo; returns the .mo paths."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        write_mo(read_po(po), mo)
        written.append(mo)
    return written
