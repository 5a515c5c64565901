"""Errors raised by amur: each names what was wrong, where, and what was expected.

Every error a user can cause is an :class:`AmurError`. The command line turns one into a
single line on standard error and exit code 2; the HTTP API into a 4xx answer.
"""

from __future__ import annotations

__all__ = [
    "AmurError",
    "ConvergenceWarning",
    "InputError",
    "NoRouteError",
    "ScenarioError",
    "UnknownPlaceError",
]


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


class InputError(AmurError, ValueError):
    """A file, table or argument does not have the form or values expected.

    Also a :class:`ValueError`, so code that catches bad values the Python way catches it.
    """


class UnknownPlaceError(InputError, KeyError):
    """A place name, id or alias matches no node of the network (also a :class:`KeyError`)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class NoRouteError(AmurError):
    """No route joins two places under the given criteria and constraints."""


class ScenarioError(AmurError, ValueError):
    """A scenario cannot be read or applied (also a :class:`ValueError`)."""


class ConvergenceWarning(UserWarning):
    """An iterative method (an assignment, a calibration) stopped before its tolerance.

    The result is returned all the same; the warning's message says how far it got. The
    command line prints it as one line on standard error, the web API in the answer's
    ``warnings``.
    """


class OutputError(InputError):
    """An output cannot be written where asked (a folder, no permission, a full disk)."""
