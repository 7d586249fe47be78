"""The library's typed errors: one base class, so callers (the CLI, a notebook) catch one thing.

A document that cannot be read is *not* an exception here: it becomes a
failed document with a coded issue and the batch goes on.  These errors are
for what stops a whole call: a database that does not exist or cannot be
reached, a bad manifest, an option that makes no sense.

Errors about something the user gave (a file, an option) also derive from
``ValueError``, and a council name that is ambiguous from ``LookupError``, so
code written against the built-in exceptions keeps working.
"""
from __future__ import annotations


class CouncilplansError(Exception):
    """Base of every error the library raises on purpose; the CLI prints it as a message, not a traceback."""


class StoreNotFound(CouncilplansError):
    """A command that reads the store was pointed at a database that does not exist."""


class StoreUnreachable(CouncilplansError):
    """The database server could not be reached (host, port, credentials)."""


class InputError(CouncilplansError, ValueError):
    """A file or option the user gave cannot be used as it is (a manifest, a deflator table, a corrections file...)."""


class CorrectionError(InputError):
    """A corrections file that cannot be loaded: an unknown record, field or action, a value of the wrong type."""
