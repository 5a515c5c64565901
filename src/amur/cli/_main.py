"""Running the command line: user errors become one line on standard error and exit code 2."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings

import typer

from amur.cli._app import app, err
from amur.errors import AmurError, ConvergenceWarning

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line; AmurErrors become one line on stderr and exit code 2, and
    warnings (a :class:`~amur.errors.ConvergenceWarning`, say) one line each.

    Run as the ``amur`` program (``argv`` None), the process ends as soon as the command is
    done and its output flushed: the interpreter's shutdown (tearing down numba, pandas and
    thread pools, about 0.3 s) does nothing a finished command needs. Called with a list of
    arguments (from Python, tests), it returns or raises ``SystemExit`` as usual.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            try:
                _run(argv)
            finally:
                _print_warnings(caught)
    except SystemExit as exc:
        if argv is None:
            _exit_now(exc.code)
        raise
    if argv is None:
        _exit_now(0)


def _exit_now(code: object) -> None:
    """Flush the output and end the process with ``code``, skipping interpreter shutdown."""
    # a closed pipe: nothing more can be written anyway
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    logging.shutdown()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def _route_plainly(argv: list[str]) -> bool:
    """Run a plain ``amur route`` command line without Typer's option machinery (see
    :mod:`amur.cli.route_argv`); False, having done nothing, for any other command line.
    """
    from amur.cli._app import _global_options
    from amur.cli.route import route_command
    from amur.cli.route_argv import read_route_argv

    arguments = read_route_argv(argv)
    if arguments is None:
        return False
    _global_options(version=False, width=None, as_csv=False)  # what Typer runs first
    route_command(**arguments)
    return True


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    shown: set[str] = set()
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, ConvergenceWarning) and text not in shown:
            shown.add(text)
            err.print(f"amur: warning: {text}", markup=False, highlight=False)
        elif not issubclass(w.category, ConvergenceWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _run(argv: list[str] | None) -> None:
    try:
        if not _route_plainly(sys.argv[1:] if argv is None else argv):
            app(args=argv, standalone_mode=False)
    except AmurError as exc:
        err.print(f"amur: error: {exc.message}", markup=False, highlight=False)
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except Exception as exc:  # usage errors from the option parser, and anything unexpected
        message = getattr(exc, "format_message", None)
        if isinstance(exc, typer.TyperException) and callable(message):
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `amur`: show the help
                getattr(exc, "show", lambda: None)()
                raise SystemExit(0) from None
            command = getattr(getattr(exc, "ctx", None), "command_path", "amur")
            err.print(
                f"amur: error: {message()} (see `{command} --help`)", markup=False, highlight=False
            )
            raise SystemExit(2) from None
        err.print(
            f"amur: internal error: {type(exc).__name__}: {exc} (please report it)",
            markup=False,
            highlight=False,
        )
        raise SystemExit(1) from None
