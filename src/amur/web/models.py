"""The JSON shapes of the HTTP API (pydantic models), from which the OpenAPI spec is made."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    time_h: float
    cost_usd_per_teu: float
    co2_kg_per_teu: float
    link_id: str
    source_ids: list[str]


class RouteOut(BaseModel):
    """A route with its totals per TEU and its legs."""

    model_config = ConfigDict(extra="allow")

    rank: int
    length_km: float
    time_h: float
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

    from_: str = Field(alias="from")
    to: str
    by: str
    network: str
    scenario: str | None
    year: int | None
    month: int | None
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
    alternatives: int = Field(default=1, ge=1, le=10)
    pareto: bool = False
    year: int | None = Field(default=None, ge=1800, le=2200)
    month: int | None = Field(default=None, ge=1, le=12)
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
