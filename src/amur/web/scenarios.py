"""Scenarios as the web sees them: the dataset's built-in ones, and the user's, whose TOML is
checked on upload and applied when amur can.

Where ``amur.scenarios`` is installed, a scenario is read with its ``scenario_from_dict`` and
applied with its ``apply``; where it is not, a scenario is checked as TOML, stored, and
reported as not yet applied. This module is the one place that calls the engine. A name
given over HTTP is looked up among the built-in scenarios, then the stored ones; never read
as a file path.
"""

from __future__ import annotations

import importlib
import threading
import time
import tomllib
from collections import OrderedDict
from types import ModuleType
from typing import Any

from amur.errors import ScenarioError
from amur.network import Network
from amur.web.store import NotFoundError, Store

#: Names a stored scenario may not take: ``GET /api/scenarios/builtin`` is the built-in list.
RESERVED_NAMES = frozenset({"builtin"})

NOT_APPLIED_NOTE = (
    "scenarios are stored but not yet applied: this version of amur has no "
    "scenario engine (amur.scenarios)"
)
APPLIED_NOTE = "scenarios are applied to routes by amur.scenarios"


def engine() -> ModuleType | None:
    """``amur.scenarios`` if it is installed and offers ``from_toml``, else None."""
    try:
        module = importlib.import_module("amur.scenarios")
    except ImportError:
        return None
    wanted = ("scenario_from_dict", "apply")
    return module if all(callable(getattr(module, n, None)) for n in wanted) else None


def note() -> str:
    """One line saying whether scenarios are applied."""
    return APPLIED_NOTE if engine() is not None else NOT_APPLIED_NOTE


def check(name: str, text: str) -> None:
    """Check a scenario's TOML text: that it parses, and that amur.scenarios accepts it.

    Raises
    ------
    ScenarioError
        With ``field="toml"``, naming the line and column of a TOML syntax error.
    """
    data = _toml(name, text)
    found = engine()
    if found is not None:
        _parse(found, name, data)


def check_applies(net: Network, name: str, text: str) -> None:
    """Check that a scenario applies to the network before it is stored.

    Raises
    ------
    ScenarioError
        With ``field="toml"`` and the engine's message (which names the key at fault) when
        applying fails; nothing when this amur has no scenario engine.
    """
    if engine() is None:
        return
    try:
        apply(net, name, text)
    except ScenarioError as exc:
        message = exc.message.removeprefix("scenario: ").removeprefix("toml: ")
        raise ScenarioError(f"toml: {message}", field="toml") from None


def _toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(
            f"toml: scenario {name!r} is not valid TOML ({exc})", field="toml"
        ) from None


def apply(net: Network, name: str, text: str) -> Any:
    """A stored scenario applied to a network: an ``AppliedScenario`` (its ``network``,
    ``year``, ``month`` and ``modes``).

    Raises
    ------
    ScenarioError
        With ``field="scenario"`` when this amur cannot apply scenarios, or the engine's own
        error when the scenario does not apply to this network.
    """
    found = engine()
    if found is None:
        raise ScenarioError(
            f"scenario: {name!r} is stored, but {NOT_APPLIED_NOTE}", field="scenario"
        )
    scenario = _parse(found, name, _toml(name, text))
    try:
        return found.apply(net, scenario)
    except ScenarioError as exc:
        raise ScenarioError(f"scenario: {exc.message}", field="scenario") from None


def _parse(module: ModuleType, name: str, data: dict[str, Any]) -> Any:
    try:
        return module.scenario_from_dict(data, origin=f"{name}.toml")
    except ScenarioError as exc:
        raise ScenarioError(f"toml: {exc.message}", field="toml") from None


def builtin(dataset: str) -> list[Any]:
    """The built-in scenarios of a dataset (``Scenario`` objects, timeline first), or an empty
    list for a network without a scenarios folder or an amur without the engine.

    Parameters
    ----------
    dataset : str
        Built-in dataset name or network folder, as given to ``create_app``.
    """
    found = engine()
    if found is None:
        return []
    return list(found.list_scenarios(dataset))


def builtin_names(dataset: str) -> list[str]:
    """Names of the built-in scenarios of a dataset, in listing order (read again only
    when a file in the scenarios folder changes).
    """
    key = ("names", dataset, _folder_signature(dataset))
    found = _CACHE.get(key)
    if found is None:
        found = [s.name for s in builtin(dataset)]
        _CACHE.put(key, found)
    return list(found)


class _Answers:
    """A small least-recently-used store of computed answers, safe across threads.

    Keys hold everything an answer depends on (the network object, the scenario's name and
    the version of its text), so a changed scenario is computed afresh and an entry never
    gives a stale answer; the bound keeps memory flat under any request mix.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


#: Applied scenarios and built-in scenario lists, so that a route under a scenario costs
#: about what one on the base network does (applying takes hundreds of milliseconds).
_CACHE = _Answers(64)


#: How long a scenario folder's signature is trusted, seconds: an edited built-in scenario
#: file is seen within this time (stat-ing every file on every request cost a third of a
#: route's time).
SIGNATURE_SECONDS = 2.0
_SIGNATURES: dict[str, tuple[float, tuple[tuple[str, int, int], ...]]] = {}


def _folder_signature(dataset: str) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every scenario file of a dataset."""
    now = time.monotonic()
    known = _SIGNATURES.get(dataset)
    if known is not None and now - known[0] < SIGNATURE_SECONDS:
        return known[1]
    signature = _read_signature(dataset)
    _SIGNATURES[dataset] = (now, signature)
    return signature


def _read_signature(dataset: str) -> tuple[tuple[str, int, int], ...]:
    found = engine()
    folder = (
        found.scenarios_folder(dataset)
        if found is not None and hasattr(found, "scenarios_folder")
        else None
    )
    if folder is None:
        return ()
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            info = path.stat()
        except OSError:
            continue
        out.append((path.name, info.st_size, info.st_mtime_ns))
    return tuple(out)


def check_name_free(dataset: str, name: str) -> None:
    """Refuse a stored scenario whose name a built-in scenario already has.

    Raises
    ------
    ConflictError
        With ``field="name"``.
    """
    from amur.web.store import ConflictError

    if name in RESERVED_NAMES or name in builtin_names(dataset):
        raise ConflictError(
            f"name: {name!r} is the name of a built-in scenario; choose another name", field="name"
        )


def resolve(net: Network, dataset: str, store: Store, name: str, field: str) -> Any:
    """A built-in or stored scenario by name, applied to the network: an
    ``AppliedScenario`` (its ``network``, ``year``, ``month``, ``modes`` and ``scenario``).

    Parameters
    ----------
    net : Network
        The server's network.
    dataset : str
        Dataset name or folder whose built-in scenarios are looked up first.
    store : Store
        Where the user's scenarios are looked up next.
    name : str
        The scenario's name (never a path).
    field : str
        Query parameter named in errors (``scenario``, ``a``, ``b``).

    Raises
    ------
    NotFoundError
        If no built-in or stored scenario has the name (``field`` set).
    ScenarioError
        If the scenario does not apply to the network (``field`` set).
    """
    found = engine()
    if found is not None and name in builtin_names(dataset):
        key: tuple[Any, ...] = ("builtin", id(net), dataset, name, _folder_signature(dataset))
        applied = _CACHE.get(key)
        if applied is None or applied[0] is not net:
            try:
                applied = (net, found.apply(net, found.load_scenario(name, dataset)))
            except ScenarioError as exc:
                raise ScenarioError(f"{field}: {exc.message}", field=field) from None
            _CACHE.put(key, applied)
        return applied[1]
    try:
        stored = store.get_scenario(name)
    except NotFoundError:
        known = ", ".join(builtin_names(dataset) + [s.name for s in store.list_scenarios()])
        raise NotFoundError(
            f"{field}: no built-in or stored scenario named {name!r}; "
            f"expected one of {known or '(none)'}",
            field=field,
        ) from None
    key = ("stored", id(net), str(store.path), stored.name, stored.updated_at, stored.toml)
    applied = _CACHE.get(key)
    if applied is None or applied[0] is not net:
        try:
            applied = (net, apply(net, stored.name, stored.toml))
        except ScenarioError as exc:
            message = exc.message.removeprefix("scenario: ")
            raise ScenarioError(f"{field}: {message}", field=field) from None
        _CACHE.put(key, applied)
    return applied[1]
