"""The endpoints that compare and appraise: built-in scenarios, scenario comparison, market
access by region, and project appraisal (the JSON of ``amur compare``, ``amur impact`` and
``amur appraise``); the flows after assignment are in :mod:`amur.web.flows`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from amur.options import DOMAINS, query_bounds
from amur.web import scenarios
from amur.web.api import ERROR_RESPONSES, ServerState, place_id
from amur.web.models import (
    AppraisalOut,
    BuiltinScenarioOut,
    BuiltinScenariosOut,
    CompareOut,
    ErrorOut,
    ImpactOut,
    ProjectOut,
    ProjectsOut,
    RegionOut,
    RegionsOut,
)
from amur.web.store import NotFoundError

#: Most Monte Carlo draws one appraisal request may ask for (10,000 take well under 1 s).
MAX_DRAWS = int(DOMAINS["draws"].high)
#: Market-access answers kept per server (each costs about 0.1 to 0.5 s to compute).
IMPACT_CACHE_SIZE = 64

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such scenario or project; `field` names it."},
}

router = APIRouter(prefix="/api", tags=["analyses"], responses=ERROR_RESPONSES)


def _name_query(example: str, description: str) -> Any:
    """A required query parameter that names a scenario or a project: 1 to 64 characters."""
    return Query(min_length=1, max_length=64, examples=[example], description=description)


ScenarioName = Annotated[
    str,
    _name_query(
        "2018", "A built-in scenario (GET /api/scenarios/builtin) or a stored one, by name."
    ),
]


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.amur
    return state


@router.get("/scenarios/builtin", response_model=BuiltinScenariosOut, tags=["scenarios"])
def builtin_scenarios(request: Request) -> BuiltinScenariosOut:
    """The scenarios that ship with the server's dataset (``amur scenarios list``): the
    timeline years first, then the what-ifs. Empty for a network without any.
    """
    state = _state(request)
    if "builtin" not in state.cache:
        state.cache["builtin"] = [
            BuiltinScenarioOut(
                name=s.name,
                description=" ".join(s.description.split()),
                year=s.effective_year,
                month=s.effective_month,
                base=s.base,
            )
            for s in scenarios.builtin(state.dataset)
        ]
    return BuiltinScenariosOut(network=state.network.name, scenarios=state.cache["builtin"])


@router.get(
    "/compare", response_model=CompareOut, response_model_by_alias=True, responses=_NOT_FOUND
)
def compare_endpoint(
    request: Request,
    a: ScenarioName,
    b: ScenarioName,
    origin: Annotated[
        str,
        Query(alias="from", min_length=1, max_length=200, description="Place id, name or alias."),
    ],
    to: Annotated[str, Query(min_length=1, max_length=200)],
    month: Annotated[
        int | None,
        Query(
            **query_bounds("month"),
            description="Month to route in, overriding the scenarios' own (1-12).",
        ),
    ] = None,
    by: Annotated[
        str, Query(max_length=40, description="generalized, time, cost, co2 or length")
    ] = "generalized",
) -> dict[str, Any]:
    """Route one origin-destination pair in scenarios A and B and set time, cost and CO2 per
    TEU side by side with the change (B minus A): the JSON of ``amur compare A B --from
    --to --json``. A scenario without a route has nulls and via ``"no route"``.
    """
    from amur.analysis import compare, network_changes

    state = _state(request)
    net = state.network
    pair = (place_id(net, origin, "from"), place_id(net, to, "to"))
    sides = [
        scenarios.resolve(net, state.dataset, state.store, name, field)
        for name, field in ((a, "a"), (b, "b"))
    ]
    table = compare(net, sides[0], sides[1], [pair], month=month, by=by)
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    changes = network_changes(net, sides[0], sides[1])
    return {
        "a": a,
        "b": b,
        "by": by,
        "month": month,
        "rows": records,
        "changes": changes.astype(object).where(changes.notna(), None).to_dict("records"),
        "files": [],
    }


@router.get("/impact", response_model=ImpactOut, responses=_NOT_FOUND)
def impact_endpoint(
    request: Request,
    a: Annotated[str, _name_query("2014", "Scenario before: a built-in or stored scenario.")],
    b: Annotated[str, _name_query("today", "Scenario after: a built-in or stored scenario.")],
    theta: Annotated[
        float,
        Query(
            **query_bounds("theta"),
            description="Trade elasticity, above 0 (the literature: about 4 to 8).",
        ),
    ] = 5.0,
) -> dict[str, Any]:
    """Market access by region in scenarios A and B and its change: the JSON of ``amur
    impact A B --theta THETA --json``; a stored scenario is measured as saved.
    """
    from amur.impact import builtin_regions
    from amur.impact.market_access import market_access_change
    from amur.impact.scenario import applied_months

    state = _state(request)
    key = (a, b, float(theta), _scenario_version(state, a), _scenario_version(state, b))
    cached: dict[tuple[Any, ...], dict[str, Any]] = state.cache.setdefault("impact", {})
    if key not in cached:
        months = []
        for name, field in ((a, "a"), (b, "b")):
            applied = scenarios.resolve(state.network, state.dataset, state.store, name, field)
            months.append(
                applied_months(applied.network, applied.year, applied.month, applied.modes)
            )
        change = market_access_change(
            months[0], months[1], builtin_regions(state.network), theta=theta, labels=(a, b)
        )
        if len(cached) >= IMPACT_CACHE_SIZE:
            del cached[next(iter(cached))]
        cached[key] = change.to_dict()
    return cached[key]


@router.get("/regions", response_model=RegionsOut)
def regions_endpoint(request: Request) -> RegionsOut:
    """The regions market access is measured for, each with the place that stands for it
    and that place's coordinates (for the map).
    """
    from amur.impact import builtin_regions

    state = _state(request)
    if "regions" not in state.cache:
        net = state.network
        table = builtin_regions(net).table
        where = {
            str(n): (float(lat), float(lon))
            for n, lat, lon in zip(net.nodes["id"], net.nodes["lat"], net.nodes["lon"], strict=True)
        }
        out = []
        for rec in table.to_dict("records"):
            node = net.place(str(rec["node"]))
            country = rec.get("country")
            out.append(
                RegionOut(
                    region=str(rec["region_id"]),
                    name=str(rec["name"]),
                    country=str(country) if isinstance(country, str) else None,
                    gdp_usd_bn=float(rec["gdp_usd_bn"]),
                    node=node,
                    lat=where[node][0],
                    lon=where[node][1],
                )
            )
        state.cache["regions"] = RegionsOut(regions=out)
    result: RegionsOut = state.cache["regions"]
    return result


@router.get("/appraise", response_model=AppraisalOut, responses=_NOT_FOUND)
def appraise_endpoint(
    request: Request,
    project: Annotated[str, _name_query("amur-road-bridge", "A built-in project id.")],
    draws: Annotated[
        int,
        Query(
            **query_bounds("draws"),
            description=f"Monte Carlo draws (0: the central case only; at most {MAX_DRAWS:,}).",
        ),
    ] = 0,
    seed: Annotated[
        int, Query(**query_bounds("seed"), description="Seed of the draws.")
    ] = 20240601,
    discount: Annotated[
        float | None,
        Query(
            **query_bounds("discount_pct"),
            description="Economic discount rate, % real (the project's if absent).",
        ),
    ] = None,
    traffic: Annotated[
        Literal["auto", "assignment", "project", "file"],
        Query(
            description="Where traffic comes from: assignment of the built-in demand with and "
            "without the project, the project file's (project or file), or auto "
            "(assignment where it applies, else the project's)."
        ),
    ] = "auto",
) -> dict[str, Any]:
    """Economic NPV, BCR and IRR, DSCR by year, and percentiles over Monte Carlo draws: the
    JSON of ``amur appraise PROJECT --draws N --traffic T --json``.
    """
    from amur.impact import appraise, builtin_projects

    known = builtin_projects()
    if project not in known:
        raise NotFoundError(
            f"project: no built-in project named {project!r}; expected one of {', '.join(known)}",
            field="project",
        )
    result = appraise(
        project,
        network=_state(request).network,
        draws=draws,
        seed=seed,
        discount_pct=discount,
        traffic=traffic,
    )
    answer: dict[str, Any] = result.to_dict()
    return answer


@router.get("/projects", response_model=ProjectsOut)
def projects_endpoint() -> ProjectsOut:
    """The built-in projects that ``GET /api/appraise`` appraises, by id, with their names."""
    from amur.impact import builtin_projects, read_project

    out = []
    for pid in builtin_projects():
        project = read_project(pid)
        out.append(ProjectOut(id=pid, name=project.name, opening_year=project.opening_year))
    return ProjectsOut(projects=out)


# -- flows ------------------------------------------------------------------------------------


def _scenario_version(state: ServerState, scenario: str | None) -> float | None:
    """When a stored scenario was last saved (so a changed one is assigned afresh); None for
    the base network, a built-in scenario or an unknown name.
    """
    if scenario is None or scenario in scenarios.builtin_names(state.dataset):
        return None
    try:
        return state.store.get_scenario(scenario).updated_at
    except NotFoundError:
        return None
