"""Errors a user can reach, each carrying one line that says what is wrong and what to do.

Core module: pure Python. Front ends print `str(error)` and exit with code 2.
"""

from __future__ import annotations


class NhfindError(Exception):
    """Base class: the message is a full sentence, what is wrong then what to do."""


class DatabaseError(NhfindError):
    """The database is missing, damaged, of another schema version, or cannot be opened."""


class DataError(NhfindError):
    """A source file in data/ is invalid; names the file, the record id and the field."""

    def __init__(self, path: str, record: str, field: str, problem: str) -> None:
        self.path, self.record, self.field, self.problem = path, record, field, problem
        where = f"{path}: record {record!r}" if record else path
        super().__init__(f"{where}, field {field!r}: {problem}. Fix the file, then run `nhfind db build` again.")


class UsageError(NhfindError):
    """A value given by the user is not one the data knows (an unknown category, say)."""


class NhfindWarning(UserWarning):
    """Something a user should know while the command still answers: a damaged record skipped, stale layers in use.

    Core raises it with `warn`; the CLI prints each distinct one as one line on stderr ("nhfind: warning: ..."),
    the TUI shows it as a notification.
    """


def warn(message: str) -> None:
    """Tell the user `message` (one line, what happened and what to do) without stopping the command."""
    import warnings

    warnings.warn(message, NhfindWarning, stacklevel=2)
