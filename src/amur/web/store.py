"""The store of what users make: scenarios (TOML text) and saved runs, in one SQLite file.

Every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) in WAL mode with
``synchronous=FULL``, so a reader never sees half a save, a restarted server finds every
committed save, and a process killed in the middle of a save leaves the previous state.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amur.errors import AmurError

#: Environment variable naming the store file (``amur serve --store`` overrides it).
STORE_ENV = "AMUR_STORE"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS scenarios (
        name TEXT PRIMARY KEY,
        toml TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        params TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at REAL NOT NULL
    )""",
)


class StoreError(AmurError):
    """The store's file is damaged, not a SQLite database, or cannot be opened."""


class NotFoundError(AmurError):
    """A stored scenario or run that the user named does not exist."""


class ConflictError(AmurError):
    """A scenario of that name already exists."""


@dataclass(frozen=True)
class StoredScenario:
    """A user scenario as stored: its name, TOML text and times (seconds since the epoch)."""

    name: str
    toml: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class StoredRun:
    """A saved run: what was asked (``params``) and what came back (``result``)."""

    id: int
    kind: str
    name: str
    params: dict[str, Any]
    result: dict[str, Any]
    created_at: float


def default_store_path() -> Path:
    """Where the store lives: ``$AMUR_STORE``, else ``amur.sqlite`` in the user's data folder
    (``~/.local/share/amur`` on Linux, as platformdirs has it on other systems).
    """
    given = os.environ.get(STORE_ENV)
    if given:
        return Path(given).expanduser()
    try:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("amur", appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs is a dependency of amur[web]
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        folder = Path(base) / "amur"
    return folder / "amur.sqlite"


class Store:
    """Scenarios and saved runs in a SQLite file.

    Parameters
    ----------
    path : path-like
        The database file; created with its folder if missing.

    Attributes
    ----------
    before_commit : callable, optional
        Called inside every write transaction just before it commits (a test hook: a test
        makes it sleep, kills the process, and checks that the previous state is intact).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.before_commit: Callable[[], None] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.check()
            with self._write() as conn:
                for statement in _SCHEMA:
                    conn.execute(statement)
        except sqlite3.DatabaseError as exc:
            raise self._damaged(str(exc)) from None
        except OSError as exc:
            raise StoreError(
                f"{self.path}: the store cannot be opened ({exc.strerror or exc})", field="store"
            ) from None

    def check(self) -> None:
        """SQLite's integrity check of the whole file, at start-up.

        Raises
        ------
        StoreError
            If the file is not a SQLite database or is damaged; the message names the file
            and how to move it aside (``amur serve`` then starts with a new, empty store).
        """
        if not self.path.exists():
            return
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(str(exc)) from None
        finally:
            conn.close()
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        if problems:
            raise self._damaged("; ".join(problems[:3]))

    def _damaged(self, why: str) -> StoreError:
        aside = self.path.with_name(self.path.name + ".damaged")
        return StoreError(
            f"{self.path}: the scenario store is damaged ({why}); move it aside "
            f"(mv '{self.path}' '{aside}') to start with an empty store, or "
            "give another with --store",
            field="store",
        )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                if self.before_commit is not None:
                    self.before_commit()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    # -- scenarios --------------------------------------------------------------------------

    def list_scenarios(self) -> list[StoredScenario]:
        """Every stored scenario, by name."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM scenarios ORDER BY name").fetchall()
        return [StoredScenario(**dict(row)) for row in rows]

    def get_scenario(self, name: str) -> StoredScenario:
        """One scenario by name.

        Raises
        ------
        NotFoundError
            If no scenario has this name.
        """
        with self._read() as conn:
            row = conn.execute("SELECT * FROM scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no stored scenario named {name!r}", field="name")
        return StoredScenario(**dict(row))

    def put_scenario(self, name: str, toml: str, replace: bool = False) -> StoredScenario:
        """Store a scenario's TOML text under a name, in one transaction.

        Raises
        ------
        ConflictError
            If the name is taken and ``replace`` is false.
        """
        now = time.time()
        with self._write() as conn:
            old = conn.execute(
                "SELECT created_at FROM scenarios WHERE name = ?", (name,)
            ).fetchone()
            if old is not None and not replace:
                raise ConflictError(
                    f"a scenario named {name!r} already exists; delete it "
                    "first or choose another name",
                    field="name",
                )
            created = float(old["created_at"]) if old is not None else now
            conn.execute(
                "INSERT OR REPLACE INTO scenarios (name, toml, created_at, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (name, toml, created, now),
            )
        return StoredScenario(name, toml, created, now)

    def delete_scenario(self, name: str) -> None:
        """Delete a scenario.

        Raises
        ------
        NotFoundError
            If no scenario has this name.
        """
        with self._write() as conn:
            gone = conn.execute("DELETE FROM scenarios WHERE name = ?", (name,)).rowcount
            if gone == 0:
                raise NotFoundError(f"no stored scenario named {name!r}", field="name")

    # -- runs -------------------------------------------------------------------------------

    def save_run(
        self, kind: str, name: str, params: dict[str, Any], result: dict[str, Any]
    ) -> StoredRun:
        """Save a run (what was asked and its result); returns it with its new id."""
        now = time.time()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (kind, name, params, result, created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    kind,
                    name,
                    json.dumps(params, ensure_ascii=False),
                    json.dumps(result, ensure_ascii=False),
                    now,
                ),
            )
            run_id = int(cursor.lastrowid or 0)
        return StoredRun(run_id, kind, name, params, result, now)

    def list_runs(self) -> list[StoredRun]:
        """Every saved run, newest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM runs ORDER BY id DESC").fetchall()
        return [_run(row) for row in rows]

    def get_run(self, run_id: int) -> StoredRun:
        """One saved run by id.

        Raises
        ------
        NotFoundError
            If no run has this id.
        """
        with self._read() as conn:
            row = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no saved run with id {run_id}", field="run_id")
        return _run(row)

    def delete_run(self, run_id: int) -> None:
        """Delete a saved run.

        Raises
        ------
        NotFoundError
            If no run has this id.
        """
        with self._write() as conn:
            if conn.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount == 0:
                raise NotFoundError(f"no saved run with id {run_id}", field="run_id")


def _run(row: sqlite3.Row) -> StoredRun:
    return StoredRun(
        int(row["id"]),
        str(row["kind"]),
        str(row["name"]),
        json.loads(row["params"]),
        json.loads(row["result"]),
        float(row["created_at"]),
    )
