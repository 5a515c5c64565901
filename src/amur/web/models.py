"""The JSON shapes of the HTTP API (pydantic models), from which the OpenAPI spec is made."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from amur.options import DOMAINS


def _low(name: str) -> int:
    return int(DOMAINS[name].low)


def _high(name: str) -> int:
    return int(DOMAINS[name].high)


#: A scenario name: letters, digits, '_', '-' and '.', as in a file name.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class ErrorOut(BaseModel):
    """Every error: a message naming what was wrong, and the input field at fault."""

    detail: str = Field(description="What was wrong and what was expected.")
    field: str | None = Field(description="The query parameter or JSON key at fault.")


class PlaceOut(BaseModel):
    """A place of the network."""

    id: str
    name: str
    aliases: list[str]
    country: str
    kind: str
    gauge: str | None
    lat: float = Field(description="latitude, degrees WGS 84")
    lon: float = Field(description="longitude, degrees WGS 84")


class PlacesOut(BaseModel):
    """Places matching a search, best matches first."""

    network: str
    places: list[PlaceOut]


class LegOut(BaseModel):
    """One step of a route, per TEU (the schema of ``amur route --json``)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    kind: str = Field(description="link, gauge_change, handling or border")
    from_: str = Field(alias="from")
    to: str
    mode: str
    gauge: str
    length_km: float
    time_h: float = Field(description="typical hours")
    time_h_low: float = Field(description="shortest usual hours (a regime's dwell range)")
    time_h_high: float = Field(description="longest usual hours (peak congestion)")
    cost_usd_per_teu: float
    co2_kg_per_teu: float
    link_id: str
    source_ids: list[str]


class RouteOut(BaseModel):
    """A route with its totals per TEU and its legs."""

    model_config = ConfigDict(extra="allow")

    rank: int
    length_km: float
    time_h: float = Field(description="typical hours, the value the route was found on")
    time_h_low: float = Field(description="the legs' shortest usual hours, summed")
    time_h_high: float = Field(description="the legs' longest usual hours, summed")
    time_days: float
    cost_usd_per_teu: float
    co2_kg_per_teu: float
    via: list[str]
    gauge_changes: list[str]
    legs: list[LegOut]
    source_ids: list[str]


class RouteResponse(BaseModel):
    """The answer of ``GET /api/route``: the same JSON as ``amur route --json``."""

    model_config = ConfigDict(populate_by_name=True)

    schema_version: int = Field(description="Version of amur's JSON documents.")
    from_: str = Field(alias="from")
    to: str
    by: str
    network: str
    scenario: str | None
    year: int | None
    month: int | None
    avoid: list[str] = Field(
        default_factory=list, description="Places not passed, as ids (the avoid parameter)."
    )
    routes: list[RouteOut]


class Geometry(BaseModel):
    """A GeoJSON geometry (Point or LineString), degrees WGS 84."""

    type: str
    coordinates: list[Any]


class Feature(BaseModel):
    """A GeoJSON feature: a node (``feature_type`` "node") or a link ("link")."""

    type: Literal["Feature"]
    geometry: Geometry
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    """The network as GeoJSON."""

    type: Literal["FeatureCollection"]
    features: list[Feature]


class ScenarioIn(BaseModel):
    """A scenario to store: a name and its TOML text (at most 1 MB in all)."""

    name: str = Field(pattern=NAME_PATTERN, description="letters, digits, _ - . (max 64)")
    toml: str = Field(description="The scenario as TOML text.")


class ScenarioOut(BaseModel):
    """A stored scenario."""

    name: str
    toml: str
    created_at: float = Field(description="seconds since 1970-01-01 UTC")
    updated_at: float = Field(description="seconds since 1970-01-01 UTC")
    applied: bool = Field(description="Whether this amur can apply scenarios to routes.")
    note: str


class ScenariosOut(BaseModel):
    """Every stored scenario."""

    applied: bool = Field(description="Whether this amur can apply scenarios to routes.")
    note: str
    scenarios: list[ScenarioOut]


class RouteQuery(BaseModel):
    """A route question, as the query of ``GET /api/route``."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=200)
    by: str | None = Field(default=None, max_length=40)
    via: list[str] = Field(default_factory=list, max_length=10)
    avoid: list[str] = Field(
        default_factory=list, max_length=20, description="Places not to pass (closed crossings)."
    )
    alternatives: int = Field(default=1, ge=_low("alternatives"), le=_high("alternatives"))
    pareto: bool = False
    year: int | None = Field(default=None, ge=_low("year"), le=_high("year"))
    month: int | None = Field(default=None, ge=_low("month"), le=_high("month"))
    scenario: str | None = Field(default=None, max_length=64)


class RunIn(BaseModel):
    """A run to compute and save: a route question under a name."""

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["route"] = "route"
    route: RouteQuery


class RunOut(BaseModel):
    """A saved run: what was asked and what came back."""

    id: int
    kind: str
    name: str
    params: dict[str, Any]
    result: dict[str, Any]
    created_at: float = Field(description="seconds since 1970-01-01 UTC")


class RunSummary(BaseModel):
    """A saved run without its result."""

    id: int
    kind: str
    name: str
    params: dict[str, Any]
    created_at: float


class Capabilities(BaseModel):
    """Which parts of amur this server has: the page shows a panel only for what exists."""

    network: str
    scenarios_applied: bool
    assignment: bool
    impact: bool
    flows: bool = Field(
        description="Whether GET /api/flows can assign here: amur.assign "
        "and a network with built-in demand."
    )
    appraisal: bool = Field(description="Whether GET /api/appraise is available.")


# -- scenarios of the dataset, comparison, impact, appraisal -------------------------------


class BuiltinScenarioOut(BaseModel):
    """A scenario that ships with the dataset (``amur scenarios list``)."""

    name: str
    description: str
    year: int | None = Field(description="Year the scenario routes in (its own or its base's).")
    month: int | None = Field(description="Month 1-12 it fixes, or null for every month.")
    base: str | None = Field(description="The scenario it builds on.")


class BuiltinScenariosOut(BaseModel):
    """Every built-in scenario of the server's dataset: the timeline first, then what-ifs."""

    network: str
    scenarios: list[BuiltinScenarioOut]


class CompareRowOut(BaseModel):
    """One origin-destination pair in scenarios A and B, per TEU; B minus A in ``*_change``;
    null where a scenario has no route.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    length_km_a: float | None
    length_km_b: float | None
    length_km_change: float | None
    time_days_a: float | None
    time_days_b: float | None
    time_days_change: float | None
    cost_usd_per_teu_a: float | None
    cost_usd_per_teu_b: float | None
    cost_usd_per_teu_change: float | None
    co2_kg_per_teu_a: float | None
    co2_kg_per_teu_b: float | None
    co2_kg_per_teu_change: float | None
    via_a: str = Field(description="Crossings and ports passed, ' > '-joined, or 'no route'.")
    via_b: str
    modes_a: str
    modes_b: str
    services_a: str = Field(default="", description="Scheduled services ridden, '; '-joined.")
    services_b: str = ""
    scenario_a: str
    scenario_b: str
    month: int | None


class LinkChangeOut(BaseModel):
    """A link whose service or capacity differs between scenarios A and B."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    link: str
    from_: str = Field(alias="from")
    to: str
    mode: str
    months_a: str = Field(description="Months 1-12 it runs in A, e.g. '1-8,10-12'; '' none.")
    months_b: str
    capacity_t_per_year_a: float | None
    capacity_t_per_year_b: float | None
    change: Literal["opened", "closed", "months", "capacity"]
    source_id: str | None


class CompareOut(BaseModel):
    """The answer of ``GET /api/compare``: the JSON of ``amur compare A B --json``."""

    a: str
    b: str
    by: str
    month: int | None
    rows: list[CompareRowOut]
    changes: list[LinkChangeOut] = Field(default_factory=list)
    files: list[str] = Field(description="Always empty over HTTP (nothing is written).")


class RegionChangeOut(BaseModel):
    """Market access of one region in A and B and its change."""

    model_config = ConfigDict(extra="allow")

    region: str
    name: str
    market_access_a: float | None = Field(description="billion USD of GDP, weighted by tau^-theta")
    market_access_b: float | None
    market_access_change_pct: float | None
    trade_change_pct: float | None
    land_rent_change_usd_mn: float | None = Field(description="USD million a year (ESTIMATE)")
    source_id: str | None


class ImpactOut(BaseModel):
    """The answer of ``GET /api/impact``: the JSON of ``amur impact A B --json``."""

    model_config = ConfigDict(extra="allow")

    scenario_a: str
    scenario_b: str
    theta: float
    kind: str
    units: dict[str, str]
    welfare: dict[str, Any]
    regions: list[RegionChangeOut]


class RegionOut(BaseModel):
    """A region of the market-access table and the place that stands for it."""

    region: str
    name: str
    country: str | None
    gdp_usd_bn: float = Field(description="GDP, billion USD")
    node: str = Field(description="Place id of the network standing for the region.")
    lat: float = Field(description="latitude of that place, degrees WGS 84")
    lon: float = Field(description="longitude of that place, degrees WGS 84")


class RegionsOut(BaseModel):
    """The regions market access is measured for."""

    regions: list[RegionOut]


class AppraisalOut(BaseModel):
    """The answer of ``GET /api/appraise``: the JSON of ``amur appraise PROJECT --json``
    (NPV in USD million, IRR as a fraction a year, DSCR by year, Monte Carlo percentiles).
    """

    model_config = ConfigDict(extra="allow")

    project: str
    name: str
    discount_pct: float
    npv: dict[str, Any]
    bcr: dict[str, Any]
    irr: dict[str, Any]
    dscr: dict[str, Any]


class FlowLinkOut(BaseModel):
    """A link in one direction after assignment."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    link: str = Field(description="Link id of the network.")
    mode: str
    flow_t_per_year: float = Field(description="t/year")
    cost_usd_per_t: float | None = Field(description="USD per tonne")
    v_c: float | None = Field(
        description="volume over capacity; over a year, that of the season in which it is highest"
    )
    months: int | None = Field(None, description="months of the period the link runs in")


class BottleneckOut(BaseModel):
    """A link in one direction whose v/c is above the threshold ``vc``."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    link: str
    from_: str = Field(alias="from")
    to: str
    v_c: float | None


class CorridorShareOut(BaseModel):
    """How much of a group's freight (Harbin to Europe) takes one named corridor."""

    model_config = ConfigDict(extra="allow")

    group: str
    corridor: str
    corridor_name: str
    flow_t_per_year: float
    share: float | None = Field(description="fraction of the group's freight, 0-1")


class FlowsOut(BaseModel):
    """The answer of ``GET /api/flows``: the JSON of ``amur assign --json``."""

    model_config = ConfigDict(extra="allow")

    schema_version: int = Field(description="Version of amur's JSON documents.")
    network: str
    scenario: str | None
    year: int | None
    month: int | None
    avoid: list[str] = Field(
        default_factory=list, description="Places whose links were closed, as ids."
    )
    seasons: list[list[int]] = Field(
        description="Months grouped by the links that run in them; one assignment each."
    )
    route_choice: str = Field(description="user equilibrium, system optimum or logit")
    algorithm: str
    iterations: int
    relative_gap: float | None
    objective: float | None
    bottlenecks: list[BottleneckOut]
    corridor_shares: list[CorridorShareOut]
    links: list[FlowLinkOut]
    files: list[str] = Field(description="Always empty over HTTP (nothing is written).")
    warnings: list[str] = Field(
        default_factory=list,
        description="Why the assignment is "
        "not to be trusted as it stands: it stopped short of its gap.",
    )


class FlowLinkTotalOut(BaseModel):
    """A physical link after assignment: both directions together."""

    model_config = ConfigDict(populate_by_name=True)

    link: str = Field(description="Link id of the network.")
    from_: str = Field(alias="from")
    to: str
    mode: str
    flow_t_per_year: float = Field(description="Both directions together, t/year.")
    v_c: float | None = Field(
        description="The higher direction's volume over capacity; null without a capacity."
    )
    bottleneck: bool = Field(description="Whether a direction's v/c is above ``vc``.")


class LineString(BaseModel):
    """A GeoJSON LineString: [longitude, latitude] pairs, degrees WGS 84."""

    type: Literal["LineString"]
    coordinates: list[list[float]]


class FlowFeature(BaseModel):
    """A link that carries freight, as a GeoJSON LineString."""

    type: Literal["Feature"]
    geometry: LineString
    properties: FlowLinkTotalOut


class GroupFlowOut(BaseModel):
    """The freight of one share group (Harbin to Europe) over its corridors."""

    group: str
    flow_t_per_year: float


class FlowMapOut(BaseModel):
    """The answer of ``GET /api/flows.geojson``: the links that carry freight, smallest flow
    first, for the map.
    """

    type: Literal["FeatureCollection"]
    features: list[FlowFeature]
    largest_flow_t_per_year: float = Field(description="The largest link flow; 0 without any.")
    groups: list[GroupFlowOut]


class ProjectOut(BaseModel):
    """A built-in project that can be appraised."""

    id: str
    name: str
    opening_year: int


class ProjectsOut(BaseModel):
    """The built-in projects."""

    projects: list[ProjectOut]
