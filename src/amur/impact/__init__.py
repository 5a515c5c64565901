"""What a network or a project does for regions and lenders: market access, trade response,
and cost-benefit and debt appraisal.
"""

from amur.impact.appraisal import Appraisal, appraise, debt_schedule
from amur.impact.draws import MonteCarlo
from amur.impact.market_access import (
    CONSUMER_WEIGHT_BETA,
    DEFAULT_THETA,
    LAND_SHARE_ALPHA,
    MARKET_ACCESS_KINDS,
    THETA_SENSITIVITY,
    MarketAccess,
    MarketAccessChange,
    market_access,
    market_access_change,
    trade_costs,
    write_geojson,
)
from amur.impact.project import Financing, Project, builtin_projects, read_project
from amur.impact.regions import Regions, builtin_regions, read_regions
from amur.impact.scenario import compare_scenarios, scenario_months
from amur.impact.story import Story, story
from amur.impact.trade import GravityFit, estimate_theta, regional_trade_change, trade_change

__all__ = [
    "CONSUMER_WEIGHT_BETA",
    "DEFAULT_THETA",
    "LAND_SHARE_ALPHA",
    "MARKET_ACCESS_KINDS",
    "THETA_SENSITIVITY",
    "Appraisal",
    "Financing",
    "GravityFit",
    "MarketAccess",
    "MarketAccessChange",
    "MonteCarlo",
    "Project",
    "Regions",
    "Story",
    "appraise",
    "builtin_projects",
    "builtin_regions",
    "compare_scenarios",
    "debt_schedule",
    "estimate_theta",
    "market_access",
    "market_access_change",
    "read_project",
    "read_regions",
    "regional_trade_change",
    "scenario_months",
    "story",
    "trade_change",
    "trade_costs",
    "write_geojson",
]
