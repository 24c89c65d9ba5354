"""Errors the core raises; the CLI turns each into a one-line message and an exit code.

The core never imports click: every failure a user can cause is one of these kinds, with a message
that says what is wrong and what to do.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error meant for the user. `str(err)` is the one-line message."""

    exit_code = 1


class InputError(ArchiveError):
    """The file given cannot be read as a conference text (empty, binary, encoding, size)."""


class ParseError(ArchiveError):
    """The text was read but holds no recognisable resolution (no demands, no year)."""


class NotFound(ArchiveError):
    """A year, revision or series that the archive does not hold."""


class Conflict(ArchiveError):
    """An import that would replace what is already archived (use --revise)."""


class StoreError(ArchiveError):
    """The database cannot be used: not an archive, newer schema, read-only, full disk."""


class OutputError(ArchiveError):
    """Files a command writes (the static site) cannot be written where the user asked."""
