"""Turn a scenario name into the expanded graph market access is measured on."""

from __future__ import annotations

from amur.errors import InputError
from amur.graph import ExpandedGraph, expand
from amur.impact.market_access import (
    MarketAccessChange,
    check_kind,
    check_theta,
    market_access_change,
)
from amur.impact.regions import Regions, builtin_regions
from amur.network import Network

TODAY = ("today", "now", "base")


def scenario_months(network: Network, spec: str) -> list[ExpandedGraph]:
    """The scenario's graph in each month 1-12 (a scenario fixed to one month gives that
    month alone): seasonal links count only when they run.
    """
    first = scenario_graph(network, spec)
    if first.month is not None:
        return [first]
    return [scenario_graph(network, spec, month=m) for m in range(1, 13)]


def applied_months(
    network: Network, year: int | None, month: int | None, modes: frozenset[str] | None
) -> list[ExpandedGraph]:
    """The graphs of an already applied scenario (its network, year, month and modes): that
    month alone, or each month 1-12 when it fixes none.
    """
    if month is not None:
        return [expand(network, year=year, month=month, modes=modes)]
    return [expand(network, year=year, month=m, modes=modes) for m in range(1, 13)]


def scenario_graph(network: Network, spec: str, month: int | None = None) -> ExpandedGraph:
    """The expanded graph of a scenario of the network.

    Parameters
    ----------
    network : Network
        The base network.
    month : int, optional
        Month 1-12 when the scenario fixes none.
    spec : str
        ``"today"`` (every operating link), a scenario name or TOML path known to
        ``amur.scenarios`` (``"2014"``, ``"korea-rail"``), or a bare year when the scenario
        library is not available.

    Raises
    ------
    InputError
        If the scenario is unknown or cannot be applied.
    """
    if spec.strip().lower() in TODAY:
        return expand(network, month=month)
    try:
        from amur.scenarios import apply, load_scenario
    except ImportError:  # the scenario library is optional: fall back to in-service years
        if spec.isdigit():
            return expand(network, year=int(spec), month=month)
        raise InputError(
            f"unknown scenario {spec!r}; expected 'today' or a year", field="scenario"
        ) from None
    applied = apply(network, load_scenario(spec, network))
    return expand(
        applied.network,
        year=applied.year,
        month=applied.month if applied.month is not None else month,
        modes=applied.modes,
    )


def compare_scenarios(
    network: Network,
    a: str,
    b: str,
    theta: float = 5.0,
    regions: Regions | None = None,
    kind: str = "firm",
) -> MarketAccessChange:
    """Market access by region in scenario ``a`` and ``b`` (``amur impact A B``).

    Parameters
    ----------
    network : Network
        The base network.
    a, b : str
        Scenario names (``"2014"``, ``"today"``, ``"korea-rail"``) or TOML paths.
    theta : float
        Trade elasticity, above 0.
    regions : Regions, optional
        The built-in regions by default.
    kind : {"firm", "consumer", "combined"}
        Form of market access (see :func:`amur.impact.market_access.market_access`).

    Raises
    ------
    InputError
        If theta is not above 0, the form or a scenario is unknown.
    """
    check_theta(theta)
    check_kind(kind)
    regions = regions if regions is not None else builtin_regions(network)
    return market_access_change(
        scenario_months(network, a),
        scenario_months(network, b),
        regions,
        theta=theta,
        labels=(a, b),
        kind=kind,
    )
