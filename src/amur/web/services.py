"""The endpoint ``/api/services``: the scheduled services of the network (or of a scenario),
with their calls, schedule, price, capacity and sources, and each drawn as a line through
the places of its path (the JSON of ``amur services --json``, plus GeoJSON for the map).
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from amur.web import scenarios
from amur.web.api import ERROR_RESPONSES, ServerState, place_id
from amur.web.models import ErrorOut, FeatureCollection

__all__ = ["ServicesOut", "router", "services_endpoint"]

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


class ServiceOut(BaseModel):
    """One scheduled service (a block train, a sailing)."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    operator: str | None
    mode: str
    calls: list[str] = Field(description="Place ids it calls at, in order.")
    departures_per_week: float
    wait_h: float = Field(description="Expected wait for a departure, hours.")
    time_h: float | None = Field(description="Transit time of the whole line, hours.")
    price_usd_per_teu: float | None
    subsidy_usd_per_teu: float | None
    capacity_teu_per_departure: float | None
    first_year: int
    last_year: int | None


class ServicesOut(BaseModel):
    """The services matching the filters, and a line for each through its path."""

    network: str
    year: int | None
    services: list[ServiceOut]
    geojson: FeatureCollection


@router.get(
    "/services",
    response_model=ServicesOut,
    tags=["network"],
    responses={404: {"model": ErrorOut, "description": "No such scenario."}},
)
def services_endpoint(
    request: Request,
    place: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Only services calling at this place."),
    ] = None,
    year: Annotated[
        int | None,
        Query(
            ge=1800,
            le=2200,
            description="Only services running in this year (the scenario's year by default).",
        ),
    ] = None,
    operator: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="Only services whose operator contains this."
        ),
    ] = None,
    scenario: Annotated[
        str | None, Query(min_length=1, max_length=64, description="A built-in or stored scenario.")
    ] = None,
) -> dict[str, Any]:
    """The scheduled services: calls, departures a week, transit time, price, subsidy,
    capacity and the sources of each figure; ``geojson`` draws each as a line.
    """
    from amur.graph.service_list import describe_services

    state: ServerState = request.app.state.amur
    net = state.network
    if scenario is not None:
        applied = scenarios.resolve(net, state.dataset, state.store, scenario, "scenario")
        net = applied.network
        year = year if year is not None else applied.year
    found = describe_services(
        net, place=place_id(net, place, "place") if place else None, year=year, operator=operator
    )
    lon = dict(zip(net.nodes["id"], net.nodes["lon"], strict=True))
    lat = dict(zip(net.nodes["id"], net.nodes["lat"], strict=True))
    features = []
    for s in found:
        calls = cast(list[str], s["calls"])
        places = cast(list[str] | None, s["path"]) or calls
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[float(lon[p]), float(lat[p])] for p in places],
                },
                "properties": {
                    "feature_type": "service",
                    "id": s["id"],
                    "name": s["name"],
                    "operator": s["operator"],
                    "mode": s["mode"],
                    "calls": "|".join(calls),
                    "departures_per_week": s["departures_per_week"],
                },
            }
        )
    return {
        "network": net.name,
        "year": year,
        "services": found,
        "geojson": {"type": "FeatureCollection", "features": features},
    }
