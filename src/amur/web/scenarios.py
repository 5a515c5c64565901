"""User scenarios as the web sees them: TOML checked on upload, applied when amur can.

Where ``amur.scenarios`` is installed, a scenario is read with its ``scenario_from_dict`` and
applied with its ``apply``; where it is not, a scenario is checked as TOML, stored, and
reported as not yet applied. This module is the one place that calls the engine.
"""

from __future__ import annotations

import importlib
import tomllib
from types import ModuleType
from typing import Any

from amur.errors import ScenarioError
from amur.network import Network

NOT_APPLIED_NOTE = ("scenarios are stored but not yet applied: this version of amur has no "
                    "scenario engine (amur.scenarios)")
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


def _toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"toml: scenario {name!r} is not valid TOML ({exc})",
                            field="toml") from None


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
        raise ScenarioError(f"scenario: {name!r} is stored, but {NOT_APPLIED_NOTE}",
                            field="scenario")
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
