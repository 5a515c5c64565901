"""The endpoints that compare and appraise: built-in scenarios, scenario comparison, market
access by region, and project appraisal (the JSON of ``amur compare``, ``amur impact`` and
``amur appraise``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from amur.errors import ScenarioError
from amur.web import scenarios
from amur.web.api import ERROR_RESPONSES, ServerState, place_id
from amur.web.models import (
    AppraisalOut,
    BuiltinScenarioOut,
    BuiltinScenariosOut,
    CompareOut,
    ErrorOut,
    ImpactOut,
    RegionOut,
    RegionsOut,
)
from amur.web.store import NotFoundError

#: Most Monte Carlo draws one appraisal request may ask for (10,000 take well under 1 s).
MAX_DRAWS = 20_000
#: Market-access answers kept per server (each costs about 0.1 to 0.5 s to compute).
IMPACT_CACHE_SIZE = 64

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such scenario or project; `field` names it."},
}

router = APIRouter(prefix="/api", tags=["analyses"], responses=ERROR_RESPONSES)

ScenarioName = Annotated[str, Query(min_length=1, max_length=64, examples=["2018"],
                                    description="A built-in scenario (GET /api/scenarios/"
                                                "builtin) or a stored one, by name.")]


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.amur
    return state


@router.get("/scenarios/builtin", response_model=BuiltinScenariosOut, tags=["scenarios"])
def builtin_scenarios(request: Request) -> BuiltinScenariosOut:
    """The scenarios that ship with the server's dataset (``amur scenarios list``): the
    timeline years first, then the what-ifs. Empty for a network without any."""
    state = _state(request)
    if "builtin" not in state.cache:
        state.cache["builtin"] = [
            BuiltinScenarioOut(name=s.name, description=" ".join(s.description.split()),
                               year=s.effective_year, month=s.effective_month, base=s.base)
            for s in scenarios.builtin(state.dataset)]
    return BuiltinScenariosOut(network=state.network.name, scenarios=state.cache["builtin"])


@router.get("/compare", response_model=CompareOut, response_model_by_alias=True,
            responses=_NOT_FOUND)
def compare_endpoint(
    request: Request,
    a: ScenarioName,
    b: ScenarioName,
    origin: Annotated[str, Query(alias="from", min_length=1, max_length=200,
                                 description="Place id, name or alias.")],
    to: Annotated[str, Query(min_length=1, max_length=200)],
    month: Annotated[int | None, Query(ge=1, le=12, description="Month to route in, "
                                       "overriding the scenarios' own (1-12).")] = None,
    by: Annotated[str, Query(max_length=40, description="generalized, time, cost, co2 or "
                             "length")] = "generalized",
) -> dict[str, Any]:
    """Route one origin-destination pair in scenarios A and B and set time, cost and CO2 per
    TEU side by side with the change (B minus A): the JSON of ``amur compare A B --from
    --to --json``. A scenario without a route has nulls and via ``"no route"``."""
    from amur.scenarios import compare

    state = _state(request)
    net = state.network
    pair = (place_id(net, origin, "from"), place_id(net, to, "to"))
    sides = [scenarios.resolve(net, state.dataset, state.store, name, field)
             for name, field in ((a, "a"), (b, "b"))]
    table = compare(net, sides[0], sides[1], [pair], month=month, by=by)
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    return {"a": a, "b": b, "by": by, "month": month, "rows": records, "files": []}


@router.get("/impact", response_model=ImpactOut, responses=_NOT_FOUND)
def impact_endpoint(
    request: Request,
    a: Annotated[str, Query(min_length=1, max_length=64, examples=["2014"],
                            description="Scenario before: a built-in scenario.")],
    b: Annotated[str, Query(min_length=1, max_length=64, examples=["today"],
                            description="Scenario after: a built-in scenario.")],
    theta: Annotated[float, Query(gt=0, le=100, allow_inf_nan=False, description="Trade "
                                  "elasticity, above 0 (the literature: about 4 to 8).")] = 5.0,
) -> dict[str, Any]:
    """Market access by region in scenarios A and B and its change: the JSON of ``amur
    impact A B --theta THETA --json``. Only built-in scenarios: a stored one answers 422."""
    from amur.impact import compare_scenarios

    state = _state(request)
    for name, field in ((a, "a"), (b, "b")):
        _check_builtin(state, name, field)
    key = (a, b, float(theta))
    cached: dict[tuple[str, str, float], dict[str, Any]] = state.cache.setdefault("impact", {})
    if key not in cached:
        if len(cached) >= IMPACT_CACHE_SIZE:
            del cached[next(iter(cached))]
        cached[key] = compare_scenarios(state.network, a, b, theta=theta).to_dict()
    return cached[key]


def _check_builtin(state: ServerState, name: str, field: str) -> None:
    known = scenarios.builtin_names(state.dataset)
    if name in known:
        return
    if name in {s.name for s in state.store.list_scenarios()}:
        raise ScenarioError(f"{field}: {name!r} is a stored scenario; market access is "
                            f"measured on built-in scenarios only ({', '.join(known)})",
                            field=field)
    raise NotFoundError(f"{field}: no built-in scenario named {name!r}; expected one of "
                        f"{', '.join(known) or '(none)'}", field=field)


@router.get("/regions", response_model=RegionsOut)
def regions_endpoint(request: Request) -> RegionsOut:
    """The regions market access is measured for, each with the place that stands for it
    and that place's coordinates (for the map)."""
    from amur.impact import builtin_regions

    state = _state(request)
    if "regions" not in state.cache:
        net = state.network
        table = builtin_regions(net).table
        where = {str(n): (float(lat), float(lon)) for n, lat, lon in
                 zip(net.nodes["id"], net.nodes["lat"], net.nodes["lon"], strict=True)}
        out = []
        for rec in table.to_dict("records"):
            node = net.place(str(rec["node"]))
            country = rec.get("country")
            out.append(RegionOut(region=str(rec["region_id"]), name=str(rec["name"]),
                                 country=str(country) if isinstance(country, str) else None,
                                 gdp_usd_bn=float(rec["gdp_usd_bn"]), node=node,
                                 lat=where[node][0], lon=where[node][1]))
        state.cache["regions"] = RegionsOut(regions=out)
    result: RegionsOut = state.cache["regions"]
    return result


@router.get("/appraise", response_model=AppraisalOut, responses=_NOT_FOUND)
def appraise_endpoint(
    request: Request,
    project: Annotated[str, Query(min_length=1, max_length=64, examples=["amur-road-bridge"],
                                  description="A built-in project id.")],
    draws: Annotated[int, Query(ge=0, le=MAX_DRAWS, description="Monte Carlo draws (0: the "
                                f"central case only; at most {MAX_DRAWS:,}).")] = 0,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1, description="Seed of the draws.")]
    = 20240601,
    discount: Annotated[float | None, Query(ge=0, le=50, allow_inf_nan=False,
                                            description="Economic discount rate, % real "
                                                        "(the project's if absent).")] = None,
) -> dict[str, Any]:
    """Economic NPV, BCR and IRR, DSCR by year, and percentiles over Monte Carlo draws: the
    JSON of ``amur appraise PROJECT --draws N --json``."""
    from amur.impact import appraise, builtin_projects

    known = builtin_projects()
    if project not in known:
        raise NotFoundError(f"project: no built-in project named {project!r}; expected one "
                            f"of {', '.join(known)}", field="project")
    result = appraise(project, network=_state(request).network, draws=draws, seed=seed,
                      discount_pct=discount)
    answer: dict[str, Any] = result.to_dict()
    return answer
