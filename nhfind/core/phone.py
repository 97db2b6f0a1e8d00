"""Phone -> URI: the one rule that turns a published number into what a phone dials or texts.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Every QR code, `tel:`/`sms:` link and vCard TEL in nhfind comes from `dial()`; nothing else reads digits out of a
number. The rule, in order:

- keypad letters become digits (vanity numbers: 916-SUPPORT is 916-787-7678, 1-800-CDC-INFO is 1-800-232-4636);
- an extension ("ext. 4385", "x4385", "extension 4385") becomes RFC 3966's `;ext=4385`, never more digits;
- ten digits, or eleven starting with 1, are a US number: `tel:+1NXXNXXXXXX`;
- three digits ending in 11 (211, 711, 911, 988 is three digits too) are dialled as they are;
- five or six digits are an SMS short code (741741, 233733): `sms:` only, whatever the record's kind says;
- a text line is `sms:`, with the keyword as the message body when the source says "Text HOME to 741741";
- a TTY line (and 711, the relay service) is dialled with `tel:` but labelled as TTY/relay;
- anything else (seven-digit local numbers, foreign formats, fax) gets no URI: a number nobody checked the way a
  phone reads it is not handed over.
"""

from __future__ import annotations

import re
from typing import NamedTuple

KEYPAD = {
    **dict.fromkeys("ABC", "2"),
    **dict.fromkeys("DEF", "3"),
    **dict.fromkeys("GHI", "4"),
    **dict.fromkeys("JKL", "5"),
    **dict.fromkeys("MNO", "6"),
    **dict.fromkeys("PQRS", "7"),
    **dict.fromkeys("TUV", "8"),
    **dict.fromkeys("WXYZ", "9"),
}
"""The letters printed on a phone's keys (ITU E.161)."""

_EXTENSION = re.compile(r"\s*(?:,|;)?\s*(?:ext\.?|extension|x)\s*(\d+)\s*$", re.IGNORECASE)
_KEYWORD = re.compile(r"\btext\s+([A-Z][A-Z0-9]*)(?:\s+or\s+[A-Z][A-Z0-9]*)*\s+to\s+(.+)$", re.IGNORECASE)
"""'Text HOME to 741741', 'Text HELP or INFO to 233733': the first keyword is the message body."""

CALL, TEXT, TTY = "call", "text", "tty"
"""What scanning or tapping does: ring a voice line, open a text message, ring a TTY line or the relay service."""


class Dial(NamedTuple):
    """A published number as a phone reads it."""

    uri: str
    """tel:+19169202952, tel:+16504034300;ext=4385, tel:911, sms:741741?body=HOME."""
    action: str
    """CALL, TEXT or TTY."""
    digits: str
    """What is dialled or texted, country code included ("19167877678", "741741")."""
    extension: str = ""
    body: str = ""
    """The keyword the source says to text ("HOME"), or ""."""

    @property
    def display(self) -> str:
        """The digits as people write them: "916-787-7678", "1-800-232-4636", "741741", "911"."""
        d = self.digits
        if len(d) == 11 and d.startswith("1"):
            national = d[1:]
            prefix = "1-" if national[:3] in TOLL_FREE else ""
            text = f"{prefix}{national[:3]}-{national[3:6]}-{national[6:]}"
        else:
            text = d
        return f"{text} ext. {self.extension}" if self.extension else text

    @property
    def relay(self) -> bool:
        """True for 711, the relay service (not a service's own line)."""
        return self.digits == "711"


TOLL_FREE = ("800", "833", "844", "855", "866", "877", "888")


def keypad(text: str) -> str:
    """The digits a caller presses for `text`: letters through the keypad, everything but digits dropped."""
    return "".join(KEYPAD.get(c, c) for c in text.upper() if c.isdigit() or c in KEYPAD)


def split_extension(number: str) -> tuple[str, str]:
    """("650 403-4300", "4385") for "650 403-4300 ext. 4385"; (number, "") without an extension."""
    match = _EXTENSION.search(number)
    if not match or match.start() == 0:
        return number, ""
    main = number[: match.start()]
    if match.group(0).strip(" ,;")[:1] in "xX" and len(keypad(main)) not in (7, 10, 11):
        return number, ""  # "200-200-00X0": the X is a keypad letter of a vanity number, not "x" for extension
    return main, match.group(1)


def text_keyword(instructions: str, digits: str) -> str:
    """The keyword to send when `instructions` say "Text HOME to <this number>"; "" otherwise.

    The number after "to" must be this line's number, so a keyword meant for another line is never copied over.
    """
    match = _KEYWORD.search(instructions.strip().rstrip("."))
    if not match:
        return ""
    word, target = match.group(1), match.group(2)
    if word != word.upper() or keypad(target).removeprefix("1") != digits.removeprefix("1"):
        return ""
    return word


def dial(number: str, kind: str = "voice", instructions: str = "") -> Dial | None:
    """The URI a phone needs for a published number, or None when it cannot be dialled safely.

    Args:
        number: the number as published ("916-SUPPORT", "(916) 874-5115", "650 403-4300 ext. 4385", "741741").
        kind: the record's phone kind: voice, hotline, text, tty or fax.
        instructions: the source's words for the line ("Text HOME to 741741"): a text keyword is taken from them.

    Returns:
        A Dial, or None for fax lines and numbers of a shape we cannot vouch for.
    """
    if kind == "fax":
        return None
    main, extension = split_extension(number)
    if re.search(r"[^0-9A-Za-z\s().+\-/]", main):
        return None  # words or symbols that are not a phone number
    digits = keypad(main)
    if sum(c.isdigit() for c in main) < 3:
        return None  # a word, not a number: vanity numbers always show their area code in digits
    if len(digits) == 11 and digits.startswith("1") or len(digits) == 10 and digits[0] not in "01":
        digits = digits if len(digits) == 11 else "1" + digits
        if digits[1] in "01":
            return None
        target = "+" + digits
    elif len(digits) == 3 and main.strip().isdigit() and (digits.endswith("11") or digits == "988") and not extension:
        target = digits
    elif 5 <= len(digits) <= 6 and main.strip().isdigit() and not extension:
        body = text_keyword(instructions, digits)
        return Dial(f"sms:{digits}" + (f"?body={body}" if body else ""), TEXT, digits, body=body)
    else:
        return None
    if kind == "text":
        if extension:
            return None
        body = text_keyword(instructions, digits)
        return Dial(f"sms:{target}" + (f"?body={body}" if body else ""), TEXT, digits, body=body)
    ext = f";ext={extension}" if extension else ""
    action = TTY if kind == "tty" or digits == "711" else CALL
    return Dial(f"tel:{target}{ext}", action, digits, extension=extension)
