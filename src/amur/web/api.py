"""The endpoints under ``/api/``: places, route, the network as GeoJSON, user scenarios, runs."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from amur.errors import UnknownPlaceError
from amur.network import Network
from amur.network.search import place_records, search_places
from amur.options import check_pareto, query_bounds
from amur.web import scenarios
from amur.web.models import (
    Capabilities,
    ErrorOut,
    FeatureCollection,
    PlaceOut,
    PlacesOut,
    RouteQuery,
    RouteResponse,
    RunIn,
    RunOut,
    RunSummary,
    ScenarioIn,
    ScenarioOut,
    ScenariosOut,
)
from amur.web.store import Store, StoredScenario

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "The request body is over 1 MB."},
    422: {"model": ErrorOut, "description": "Bad input; `field` names the parameter."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such scenario or run."},
}

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

#: A saved run's id: SQLite integers are signed 64-bit.
RunId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The id of a saved run.")]


@dataclass
class ServerState:
    """What every request shares: the network (and the dataset name or folder it was loaded
    from, where its built-in scenarios live), the store, and answers worth keeping.
    """

    network: Network
    store: Store
    dataset: str = "northeast-asia"
    cache: dict[str, Any] = field(default_factory=dict)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.amur
    return state


@router.get("/capabilities", response_model=Capabilities, tags=["meta"])
def capabilities(request: Request) -> Capabilities:
    """Which parts of amur this server has (the page shows panels only for these)."""
    state = _state(request)
    assignment = _has("amur.assign", "assign")
    return Capabilities(
        network=state.network.name,
        scenarios_applied=scenarios.engine() is not None,
        assignment=assignment,
        impact=_has("amur.impact", "market_access"),
        flows=assignment and has_demand(state.dataset),
        appraisal=_has("amur.impact", "appraise"),
    )


def has_demand(dataset: str) -> bool:
    """Whether a dataset (a built-in one, or a folder such as a copy of one) has freight
    demand (``demand.csv``).
    """
    from amur.data import dataset_folder

    folder = dataset_folder(dataset)
    return folder is not None and (folder / "demand.csv").exists()


def _has(module: str, attribute: str) -> bool:
    if importlib.util.find_spec(module) is None:
        return False
    return hasattr(importlib.import_module(module), attribute)


@router.get("/places", response_model=PlacesOut, tags=["network"])
def places(
    request: Request,
    q: Annotated[
        str,
        Query(max_length=200, description="Start of a name, id or alias; empty for every place."),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> PlacesOut:
    """Places whose id, English name or alias matches ``q`` (search as you type): exact
    matches first, then those starting with it, then those containing it.
    """
    net = _state(request).network
    return PlacesOut(
        network=net.name, places=[PlaceOut(**rec) for rec in search_places(net, q, limit=limit)]
    )


@router.get(
    "/route",
    response_model=RouteResponse,
    response_model_by_alias=True,
    responses=_NOT_FOUND,
    tags=["routes"],
)
def route_endpoint(
    request: Request,
    origin: Annotated[
        str,
        Query(alias="from", min_length=1, max_length=200, description="Place id, name or alias."),
    ],
    to: Annotated[str, Query(min_length=1, max_length=200)],
    by: Annotated[
        str | None,
        Query(
            max_length=40,
            description="time, cost, co2, generalized or length (amur's default if absent)",
        ),
    ] = None,
    via: Annotated[list[str] | None, Query(max_length=10)] = None,
    avoid: Annotated[
        list[str] | None,
        Query(
            max_length=20, description="A place not to pass, e.g. a closed crossing (repeatable)."
        ),
    ] = None,
    alternatives: Annotated[int, Query(**query_bounds("alternatives"))] = 1,
    pareto: bool = False,
    year: Annotated[int | None, Query(**query_bounds("year"))] = None,
    month: Annotated[int | None, Query(**query_bounds("month"))] = None,
    scenario: Annotated[
        str | None,
        Query(
            max_length=64,
            description="A built-in scenario (GET /api/scenarios/builtin) or a stored one.",
        ),
    ] = None,
) -> dict[str, Any]:
    """The best freight route between two places, leg by leg: the JSON of
    ``amur route --json``. Unknown places, no route, or a bad criterion answer 422 naming
    the field.
    """
    query = RouteQuery.model_validate(
        {
            "from": origin,
            "to": to,
            "by": by,
            "via": via or [],
            "avoid": avoid or [],
            "alternatives": alternatives,
            "pareto": pareto,
            "year": year,
            "month": month,
            "scenario": scenario,
        }
    )
    return answer_route(_state(request), query)


def answer_route(state: ServerState, query: RouteQuery) -> dict[str, Any]:
    """Answer a route question with the envelope of ``amur route --json``."""
    from amur.paths import pareto_routes, route
    from amur.paths.answer import route_document

    net = state.network
    year, month, modes = query.year, query.month, None
    if query.scenario:
        applied = scenarios.resolve(net, state.dataset, state.store, query.scenario, "scenario")
        net, modes = applied.network, applied.modes
        year = year if year is not None else applied.year
        month = month if month is not None else applied.month
    if query.pareto:
        check_pareto(via=query.via, alternatives=query.alternatives, by=query.by)
    origin = place_id(net, query.from_, "from")
    destination = place_id(net, query.to, "to")
    via = [place_id(net, v, "via") for v in query.via]
    avoid = [place_id(net, a, "avoid") for a in query.avoid]
    if query.pareto:
        routes = pareto_routes(
            net.without_places(avoid), origin, destination, year=year, month=month, modes=modes
        )
    else:
        options: dict[str, Any] = {} if query.by is None else {"by": query.by}
        routes = route(
            net,
            origin,
            destination,
            via=via,
            avoid=avoid,
            alternatives=query.alternatives,
            year=year,
            month=month,
            modes=modes,
            **options,
        )
    by = routes[0].by if not query.pareto else "pareto:time,cost"
    return route_document(
        routes,
        by=by,
        network=net.name,
        scenario=query.scenario,
        year=year,
        month=month,
        avoid=avoid,
    )


def place_id(net: Network, value: str, field_name: str) -> str:
    """The id of a place given by id, name or alias; an unknown one raises
    ``UnknownPlaceError`` naming the query parameter ``field_name``.
    """
    try:
        return net.place(value)
    except UnknownPlaceError as exc:
        raise UnknownPlaceError(f"{field_name}: {exc.message}", field=field_name) from None


@router.get(
    "/network.geojson", response_model=FeatureCollection, responses=_NOT_FOUND, tags=["network"]
)
def network_geojson(
    request: Request,
    scenario: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            description="A "
            "built-in or stored scenario whose network to "
            "give (with the links it adds).",
        ),
    ] = None,
) -> dict[str, Any]:
    """The network as one GeoJSON FeatureCollection: nodes (points, with kind and country)
    and links (lines, with mode, gauge and status), told apart by ``feature_type``.
    """
    state = _state(request)
    if scenario is None:
        if "geojson" not in state.cache:
            state.cache["geojson"] = network_features(state.network)
        result: dict[str, Any] = state.cache["geojson"]
        return result
    applied = scenarios.resolve(state.network, state.dataset, state.store, scenario, "scenario")
    return network_features(applied.network)


def network_features(net: Network) -> dict[str, Any]:
    """The nodes and links of a network as a GeoJSON FeatureCollection (degrees WGS 84)."""
    import shapely

    from amur.io.geo import link_geometries

    features: list[dict[str, Any]] = []
    for rec in place_records(net):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]},
                "properties": {
                    "feature_type": "node",
                    "id": rec["id"],
                    "name": rec["name"],
                    "kind": rec["kind"],
                    "country": rec["country"],
                    "gauge": rec["gauge"],
                },
            }
        )
    columns = [
        "id",
        "from_node",
        "to_node",
        "mode",
        "gauge",
        "status",
        "length_km",
        "months",
        "opened",
        "name",
    ]
    links = net.links[columns].astype(object).where(net.links[columns].notna(), None)
    for raw, line in zip(links.to_dict("records"), link_geometries(net), strict=True):
        rec = {str(k): v for k, v in raw.items()}
        geometry = shapely.geometry.mapping(line)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": [list(c) for c in geometry["coordinates"]],
                },
                "properties": {"feature_type": "link", **{k: _plain(v) for k, v in rec.items()}},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _plain(value: Any) -> Any:
    """Numpy scalars to Python ones, for JSON."""
    return value.item() if hasattr(value, "item") else value


# -- scenarios --------------------------------------------------------------------------------


def _scenario_out(stored: StoredScenario) -> ScenarioOut:
    applied = scenarios.engine() is not None
    return ScenarioOut(
        name=stored.name,
        toml=stored.toml,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        applied=applied,
        note=scenarios.note(),
    )


@router.get("/scenarios", response_model=ScenariosOut, tags=["scenarios"])
def list_scenarios(request: Request) -> ScenariosOut:
    """Every stored user scenario."""
    stored = _state(request).store.list_scenarios()
    return ScenariosOut(
        applied=scenarios.engine() is not None,
        note=scenarios.note(),
        scenarios=[_scenario_out(s) for s in stored],
    )


@router.post(
    "/scenarios",
    response_model=ScenarioOut,
    status_code=201,
    tags=["scenarios"],
    responses={409: {"model": ErrorOut, "description": "The name is taken."}},
)
def create_scenario(request: Request, body: ScenarioIn) -> ScenarioOut:
    """Store a scenario from its TOML text, checked first: invalid TOML, or a scenario that
    does not apply to this network (a base that is itself or unknown, bases in a cycle, an
    unknown link, place or source) answers 422 with field ``toml``; the name of a built-in
    scenario answers 409 with field ``name``. Nothing is stored that could not be used.
    """
    state = _state(request)
    scenarios.check_name_free(state.dataset, body.name)
    scenarios.check(body.name, body.toml)
    scenarios.check_applies(state.network, body.name, body.toml)
    return _scenario_out(state.store.put_scenario(body.name, body.toml))


@router.get(
    "/scenarios/{name}", response_model=ScenarioOut, responses=_NOT_FOUND, tags=["scenarios"]
)
def show_scenario(request: Request, name: str) -> ScenarioOut:
    """One stored scenario."""
    return _scenario_out(_state(request).store.get_scenario(name))


@router.delete("/scenarios/{name}", status_code=204, responses=_NOT_FOUND, tags=["scenarios"])
def delete_scenario(request: Request, name: str) -> Response:
    """Delete a stored scenario."""
    _state(request).store.delete_scenario(name)
    return Response(status_code=204)


# -- saved runs -------------------------------------------------------------------------------


@router.get("/runs", response_model=list[RunSummary], tags=["runs"])
def list_runs(request: Request) -> list[RunSummary]:
    """Every saved run, newest first, without results."""
    return [
        RunSummary(id=r.id, kind=r.kind, name=r.name, params=r.params, created_at=r.created_at)
        for r in _state(request).store.list_runs()
    ]


@router.post("/runs", response_model=RunOut, status_code=201, responses=_NOT_FOUND, tags=["runs"])
def create_run(request: Request, body: RunIn) -> RunOut:
    """Answer a route question and save the question with its answer."""
    state = _state(request)
    result = answer_route(state, body.route)
    params = body.route.model_dump(by_alias=True)
    saved = state.store.save_run(body.kind, body.name, params, result)
    return RunOut(
        id=saved.id,
        kind=saved.kind,
        name=saved.name,
        params=saved.params,
        result=saved.result,
        created_at=saved.created_at,
    )


@router.get("/runs/{run_id}", response_model=RunOut, responses=_NOT_FOUND, tags=["runs"])
def show_run(request: Request, run_id: RunId) -> RunOut:
    """One saved run with its result."""
    r = _state(request).store.get_run(run_id)
    return RunOut(
        id=r.id, kind=r.kind, name=r.name, params=r.params, result=r.result, created_at=r.created_at
    )


@router.delete("/runs/{run_id}", status_code=204, responses=_NOT_FOUND, tags=["runs"])
def delete_run(request: Request, run_id: RunId) -> Response:
    """Delete a saved run."""
    _state(request).store.delete_run(run_id)
    return Response(status_code=204)
