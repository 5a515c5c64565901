"""The setting a question is asked in: a network, year, month and modes, from a scenario name
and the options that override it. One function, used by the command line and the web API.
"""

from __future__ import annotations

from dataclasses import dataclass

from amur.network import Network
from amur.scenarios.apply import apply
from amur.scenarios.commodities import commodity_modes
from amur.scenarios.library import load_scenario

__all__ = ["Setting", "resolve_setting"]


@dataclass(frozen=True, eq=False)
class Setting:
    """A network to answer on, in a year and month, for the modes of a commodity.

    Attributes
    ----------
    network : Network
        The network, with the scenario's edits applied (the base is unchanged).
    year, month : int or None
        Year and month (1-12) to route in; ``None`` for every link in the data.
    modes : frozenset of str or None
        Modes the commodity may use; ``None`` for the routing default.
    scenario : str or None
        The scenario's name or file as the user gave it.
    """

    network: Network
    year: int | None
    month: int | None
    modes: frozenset[str] | None
    scenario: str | None


def resolve_setting(
    net: Network,
    scenario: str | None = None,
    *,
    year: int | None = None,
    month: int | None = None,
    commodity: str | None = None,
) -> Setting:
    """The network, year, month and modes of a scenario, overridden by explicit options.

    Parameters
    ----------
    net : Network
        The base network.
    scenario : str, optional
        A scenario name of the network's dataset (``amur scenarios list``) or a ``.toml``
        file; ``None`` for the base network.
    year, month : int, optional
        Override the scenario's year and month.
    commodity : str, optional
        Override the scenario's commodity (it decides the modes).

    Returns
    -------
    Setting

    Raises
    ------
    ScenarioError
        If the scenario is unknown or does not apply to the network.
    InputError
        If the commodity is unknown.

    Examples
    --------
    >>> import amur
    >>> setting = resolve_setting(amur.load(), "2018", month=1)
    >>> (setting.year, setting.month)
    (2018, 1)
    """
    modes = None
    if scenario is not None:
        applied = apply(net, load_scenario(scenario, net))
        net, modes = applied.network, applied.modes
        year = year if year is not None else applied.year
        month = month if month is not None else applied.month
    if commodity is not None:
        modes = commodity_modes(commodity)
    return Setting(network=net, year=year, month=month, modes=modes, scenario=scenario)
