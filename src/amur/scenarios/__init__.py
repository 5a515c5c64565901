"""Scenarios: named patches on a network (year, month, edits), the built-in timeline and
what-ifs, comparison of two scenarios, commodities, and checkable claims.

>>> import amur
>>> from amur.scenarios import apply, load_scenario
>>> applied = apply(amur.load(), load_scenario("korea-rail"))
>>> applied.network is amur.load()
False
"""

from amur.scenarios.apply import AppliedScenario, apply, data_years
from amur.scenarios.claims import Claim, ClaimResult, check_claims, read_claims
from amur.scenarios.commodities import COMMODITIES, Commodity, commodity_modes, get_commodity
from amur.scenarios.compare import compare, read_od
from amur.scenarios.library import TIMELINE, list_scenarios, load_scenario, scenarios_folder
from amur.scenarios.model import Edit, Scale, Scenario, Source
from amur.scenarios.read import read_scenario, scenario_from_dict
from amur.scenarios.timeline import timeline_chart, timeline_table

__all__ = [
    "COMMODITIES",
    "TIMELINE",
    "AppliedScenario",
    "Claim",
    "ClaimResult",
    "Commodity",
    "Edit",
    "Scale",
    "Scenario",
    "Source",
    "apply",
    "check_claims",
    "commodity_modes",
    "compare",
    "data_years",
    "get_commodity",
    "list_scenarios",
    "load_scenario",
    "read_claims",
    "read_od",
    "read_scenario",
    "scenario_from_dict",
    "scenarios_folder",
    "timeline_chart",
    "timeline_table",
]
