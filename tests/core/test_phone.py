"""Phone -> URI: what a client's phone dials or texts when the QR code, link or vCard is used."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhfind.core.dataset import load_dataset
from nhfind.core.phone import CALL, TEXT, TTY, dial
from tests.conftest import REAL_DATA

# The keypad as printed on a phone, written out independently of nhfind.core.phone.
PRINTED_KEYS = {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV", "9": "WXYZ"}
LETTER_TO_KEY = {letter: key for key, letters in PRINTED_KEYS.items() for letter in letters}


def pressed(number: str) -> str:
    """The keys pressed for the number as shown, extension words dropped (its digits kept after the number's)."""
    number = re.sub(r"\b(ext\.?|extension)\s*", " ", number, flags=re.I)
    return "".join(LETTER_TO_KEY.get(c, c) for c in number.upper() if c.isdigit() or c in LETTER_TO_KEY)


def uri_digits(uri: str) -> str:
    return "".join(c for c in uri.split("?")[0] if c.isdigit())


@pytest.mark.parametrize(
    ("number", "kind", "instructions", "uri", "action"),
    [
        ("1-800-CDC-INFO", "voice", "", "tel:+18002324636", CALL),
        ("916-SUPPORT", "hotline", "", "tel:+19167877678", CALL),
        (
            "916-SUPPORT",
            "text",
            "Send a text to 916-SUPPORT (type the letters on the keypad).",
            "sms:+19167877678",
            TEXT,
        ),
        ("650 403-4300 ext. 4385", "voice", "", "tel:+16504034300;ext=4385", CALL),
        ("741741", "text", "Text HOME to 741741", "sms:741741?body=HOME", TEXT),
        ("233733", "text", "Text HELP or INFO to 233733", "sms:233733?body=HELP", TEXT),
        ("(916) 874-5115", "voice", "", "tel:+19168745115", CALL),
        ("911", "hotline", "", "tel:911", CALL),
        ("711", "tty", "Call 7-1-1 and ask to be connected to 2-1-1.", "tel:711", TTY),
        ("(916) 876-8892", "tty", "", "tel:+19168768892", TTY),
    ],
)
def test_the_cases_that_once_dialled_the_wrong_number(
    number: str, kind: str, instructions: str, uri: str, action: str
) -> None:
    result = dial(number, kind, instructions)
    assert result is not None
    assert (result.uri, result.action) == (uri, action)


def test_a_short_code_is_texted_even_when_a_record_calls_it_a_voice_line() -> None:
    result = dial("741741", "voice", "Text HOME to 741741")
    assert result is not None and result.uri == "sms:741741?body=HOME" and result.action == TEXT


def test_a_keyword_meant_for_another_number_is_not_copied() -> None:
    result = dial("741741", "text", "Text HOME to 233733")
    assert result is not None and result.uri == "sms:741741"


def test_lowercase_words_are_not_taken_for_a_keyword() -> None:
    result = dial("566948", "text", "Text your ZIP code to KNOWIT (566948)")
    assert result is not None and result.uri == "sms:566948"


@pytest.mark.parametrize(
    "number", ["555-1234", "+44 20 7946 0958", "916-555", "call the front desk", "Front desk", "", "fax"]
)
def test_numbers_of_unknown_shape_get_no_uri(number: str) -> None:
    assert dial(number) is None


def test_fax_lines_are_never_dialled() -> None:
    assert dial("(916) 874-5115", "fax") is None


def _data_phones() -> list[tuple[str, str, str, str]]:
    dataset = load_dataset(REAL_DATA)
    return [(r.id, p.number, p.kind, p.instructions) for r in dataset.resources for p in r.phones]


@pytest.mark.parametrize(("record", "number", "kind", "instructions"), _data_phones())
def test_every_phone_in_data_dials_the_keys_of_the_number_shown(
    record: str, number: str, kind: str, instructions: str
) -> None:
    result = dial(number, kind, instructions)
    if kind == "fax":
        assert result is None
        return
    assert result is not None, f"{record}: {number!r} gets no URI"
    shown = pressed(number)
    assert uri_digits(result.uri) in (shown, "1" + shown), f"{record}: {number!r} -> {result.uri}"
    assert result.uri.startswith("sms:" if kind == "text" or len(shown) in (5, 6) else "tel:")


us_numbers = st.builds(
    lambda area, exchange, line, style: style.format(a=area, e=exchange, l=line),
    st.from_regex(r"[2-9][0-9]{2}", fullmatch=True),
    st.from_regex(r"[2-9][0-9]{2}", fullmatch=True),
    st.text(alphabet=string.digits + string.ascii_uppercase, min_size=4, max_size=4),
    st.sampled_from(["{a}-{e}-{l}", "({a}) {e}-{l}", "1-{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a} {e} {l}"]),
)


@given(
    us_numbers,
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,5}", fullmatch=True)),
    st.sampled_from(["voice", "hotline", "text", "tty"]),
)
def test_any_us_number_dials_its_own_keys(number: str, extension: str, kind: str) -> None:
    shown = f"{number} ext. {extension}" if extension else number
    result = dial(shown, kind)
    if kind == "text" and extension:
        assert result is None  # a text cannot reach an extension
        return
    assert result is not None
    digits = pressed(shown)
    assert uri_digits(result.uri) in (digits, "1" + digits)
    assert result.uri.startswith(("tel:+1", "sms:+1"))
    assert result.uri.endswith(f";ext={extension}") == bool(extension)


def test_a_vanity_x_is_a_keypad_letter_not_an_extension() -> None:
    # Hypothesis found this: "X0" at the end was read as "extension 0" and the number lost two digits.
    vanity, extension = dial("200-200-00X0"), dial("916-555-0100x12")
    assert vanity is not None and vanity.uri == "tel:+12002000090"
    assert extension is not None and extension.uri == "tel:+19165550100;ext=12"
