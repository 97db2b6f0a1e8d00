"""Types are checked, not silenced: `mypy --strict` (make check, .ci/run) reads nhfind/ and tests/, and a comment
that switches it off for a line is allowed only where a library's types are wrong, naming the error and saying why.

An untyped test function is never one of those: the fixtures have types (tests/cli/conftest.py: Nhfind, Installed).
"""

from __future__ import annotations

import re

from tests.conftest import ROOT

SILENCER = re.compile(r"#\s*type:\s*ignore(?P<code>\[[^\]]*\])?(?P<rest>.*)")


def test_every_silenced_line_names_its_error_and_the_reason() -> None:
    bad = []
    for path in sorted([*(ROOT / "nhfind").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = SILENCER.search(line)
            if found and (not found["code"] or "no-untyped-def" in found["code"] or "#" not in found["rest"]):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bad, "type the code instead (or name the error code and say why the library's types are wrong):\n" + (
        "\n".join(bad)
    )
