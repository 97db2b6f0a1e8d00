"""Every phone number and street address in data/ can be found in the published facts or the seed article.

The facts table and the seed live in the project's shared folder (beside the checkout in CI); without it this test
is skipped rather than guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset
from tests.conftest import REAL_DATA

SHARED = REAL_DATA.parent.parent / "shared"
FACTS = SHARED / "facts" / "contacts.tsv"
SEED = next(iter(sorted((SHARED / "seeds").glob("*.txt"))), None) if (SHARED / "seeds").is_dir() else None
pytestmark = pytest.mark.skipif(
    not FACTS.is_file() or SEED is None, reason="shared/ facts and seed not beside the checkout"
)


def _published() -> str:
    assert SEED is not None
    return FACTS.read_text(encoding="utf-8") + "\n" + Path(SEED).read_text(encoding="utf-8")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_phone_number_is_published() -> None:
    published = _published()
    digits = _digits(published)
    for resource in load_dataset(REAL_DATA).resources:
        for phone in resource.phones:
            own = _digits(phone.number)
            if len(own) < 7:  # letters (916-SUPPORT) or short codes (911, 233733): the text itself must appear
                assert phone.number.replace("-", "") in published.replace("-", ""), (resource.id, phone.number)
            else:
                assert own[-7:] in digits, (resource.id, phone.number)


def test_every_street_address_is_published() -> None:
    published = _published()
    for resource in load_dataset(REAL_DATA).resources:
        address = resource.address
        if address and address.street:
            number = address.street.split()[0]
            assert number in published, (resource.id, address.street)
            assert address.street.split()[1] in published, (resource.id, address.street)
