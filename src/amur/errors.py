"""Errors raised by amur: each names what was wrong, where, and what was expected.

Every error a user can cause is an :class:`AmurError`. The command line turns one into a
single line on standard error and exit code 2; the HTTP API into a 4xx answer.
"""

from __future__ import annotations


class AmurError(Exception):
    """Base class of every error a user can cause.

    Parameters
    ----------
    message : str
        What was wrong, where (file, row, column, key or place) and what was expected.
    field : str, optional
        The input field at fault (a CLI option, a JSON key, a file column), if one is.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InputError(AmurError):
    """A file, table or argument does not have the form or values expected."""


class UnknownPlaceError(InputError):
    """A place name, id or alias matches no node of the network."""


class NoRouteError(AmurError):
    """No route joins two places under the given criteria and constraints."""


class ScenarioError(AmurError):
    """A scenario cannot be read or applied."""
