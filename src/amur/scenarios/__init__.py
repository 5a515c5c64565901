"""Scenarios: named patches on a network (year, month, edits), the built-in timeline and
what-ifs, commodities, and the setting (network, year, month, modes) a question is asked in.

>>> import amur
>>> from amur.scenarios import apply, load_scenario
>>> applied = apply(amur.load(), load_scenario("korea-rail"))
>>> applied.network is amur.load()
False
"""

from amur.scenarios.apply import AppliedScenario, apply, data_years
from amur.scenarios.commodities import COMMODITIES, Commodity, commodity_modes, get_commodity
from amur.scenarios.library import TIMELINE, list_scenarios, load_scenario, scenarios_folder
from amur.scenarios.model import Edit, Scale, Scenario, Source
from amur.scenarios.read import read_scenario, scenario_from_dict
from amur.scenarios.resolve import Setting, resolve_setting

__all__ = [
    "COMMODITIES",
    "TIMELINE",
    "AppliedScenario",
    "Commodity",
    "Edit",
    "Scale",
    "Scenario",
    "Setting",
    "Source",
    "apply",
    "commodity_modes",
    "data_years",
    "get_commodity",
    "list_scenarios",
    "load_scenario",
    "read_scenario",
    "resolve_setting",
    "scenario_from_dict",
    "scenarios_folder",
]
