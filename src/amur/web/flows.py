"""The endpoints of the flows after assignment: ``GET /api/flows`` (the JSON of ``amur assign
--json``) and ``GET /api/flows.geojson`` (the same assignment for the map), with the
assignments and the answers as sent cached per server.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from amur.assign.options import AssignmentOptions
from amur.errors import ConvergenceWarning, InputError
from amur.network import Network
from amur.options import query_bounds
from amur.web import scenarios
from amur.web.analyses import _NOT_FOUND, _scenario_version, _state
from amur.web.api import ERROR_RESPONSES, ServerState, has_demand, place_id
from amur.web.flowmap import flow_map
from amur.web.models import (
    FlowMapOut,
    FlowsOut,
)
from amur.web.store import NotFoundError

#: Assignments kept per server (each costs about 0.05 s to 5 s, by algorithm and gap).
FLOWS_CACHE_SIZE = 32
#: Assignment algorithms ``amur assign --algorithm`` accepts (``amur.assign.ALGORITHMS``).
Algorithm = Literal["b", "bfw", "cfw", "fw", "msa", "aon", "algorithm_b"]
#: Smallest relative gap asked for: below it lies floating-point noise, where algorithm B
#: would spin through every iteration (tens of seconds) without converging further.
MIN_GAP = 1e-12
#: Iterations an assignment may take: the default of ``amur assign --max-iterations``.
MAX_ITERATIONS = 500

router = APIRouter(prefix="/api", tags=["analyses"], responses=ERROR_RESPONSES)


@dataclass(frozen=True)
class Assignment:
    """One equilibrium assignment of the built-in demand and the setting it ran in."""

    network: str
    scenario: str | None
    year: int | None
    month: int | None
    result: Any  # amur.assign.seasons.YearAssignment
    net: Network  # with the scenario applied, for link geometry
    warnings: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


def assign_builtin(
    net: Network,
    dataset: str,
    scenario: str | None,
    year: int | None,
    month: int | None,
    modes: frozenset[str] | None,
    options: AssignmentOptions,
    avoid: tuple[str, ...] = (),
) -> Assignment:
    """Assign the dataset's built-in demand on a (scenario's) network as ``amur assign``
    does: the regions' places as zones, Harbin's Europe-bound freight as the share group,
    and the dataset's named corridors.

    Parameters
    ----------
    net : Network
        The network, with the scenario applied.
    dataset : str
        Built-in dataset whose demand, regions, flow parameters and corridors are used.
    scenario : str or None
        The scenario's name (reported only).
    year, month : int or None
        When to assign; ``modes`` the modes allowed (None for all).
    options : AssignmentOptions
        Algorithm, gap, iterations and route choice, as ``amur assign`` builds them.
    avoid : tuple of str
        Place ids whose links are closed (as ``amur assign --avoid``).

    Raises
    ------
    InputError
        If the dataset has no built-in demand (a network folder).
    """
    from amur.demand.builtin import assign_demand

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result, _ = assign_demand(
            net.without_places(avoid), dataset, year, month, modes, None, options
        )
    said = tuple(
        dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning))
    )
    return Assignment(
        network=net.name,
        scenario=scenario,
        year=year,
        month=month,
        result=result,
        net=net,
        warnings=said,
        avoid=avoid,
    )


def flows_json(assignment: Assignment, vc: float) -> dict[str, Any]:
    """The JSON of ``amur assign --json`` (without ``--out``: ``files`` is empty), with
    bottlenecks the links whose v/c is above ``vc``.
    """
    return {
        "network": assignment.network,
        "scenario": assignment.scenario,
        "year": assignment.year,
        "month": assignment.month,
        "avoid": list(assignment.avoid),
        **assignment.result.to_dict(vc),
        "files": [],
        "warnings": list(assignment.warnings),
    }


#: The query parameters of ``GET /api/flows`` and ``GET /api/flows.geojson``.
FlowScenario = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        examples=["2018"],
        description="A built-in or stored scenario; the base network if absent.",
    ),
]
FlowMonth = Annotated[
    int | None,
    Query(
        **query_bounds("month"),
        description="Month to assign in, overriding the scenario's own (1-12).",
    ),
]
FlowAlgorithm = Annotated[
    Algorithm, Query(description="Assignment algorithm (as ``amur assign --algorithm``).")
]
FlowGap = Annotated[
    float,
    Query(
        **query_bounds("gap"),
        description="Stop at this relative gap, 1e-12 to 1 (a smaller one answers 422).",
    ),
]
FlowVc = Annotated[
    float,
    Query(**query_bounds("vc"), description="Bottleneck threshold: links with v/c above this."),
]
FlowLogit = Annotated[
    float | None,
    Query(
        **query_bounds("logit_theta"),
        description=(
            "Logit route choice with this dispersion per USD/t (as ``amur assign --logit``); the "
            "user equilibrium if absent."
        ),
    ),
]
FlowAvoid = Annotated[
    list[str] | None,
    Query(
        max_length=20,
        description=("Close every link at this place (as ``amur assign --avoid``; repeatable)."),
    ),
]
FlowSystemOptimum = Annotated[
    bool, Query(description="The system optimum instead (as ``amur assign --system-optimum``).")
]


@dataclass(frozen=True)
class FlowQuery:
    """The query of ``GET /api/flows`` and ``GET /api/flows.geojson`` (see
    :func:`flow_query`).
    """

    scenario: str | None
    month: int | None
    algorithm: Algorithm
    gap: float
    vc: float
    logit: float | None
    system_optimum: bool
    avoid: list[str] | None


def flow_query(
    scenario: FlowScenario = None,
    month: FlowMonth = None,
    algorithm: FlowAlgorithm = "b",
    gap: FlowGap = 1e-5,
    vc: FlowVc = 0.9,
    logit: FlowLogit = None,
    system_optimum: FlowSystemOptimum = False,
    avoid: FlowAvoid = None,
) -> FlowQuery:
    """The flow endpoints' query parameters, read once for both (a FastAPI dependency)."""
    return FlowQuery(scenario, month, algorithm, gap, vc, logit, system_optimum, avoid)


@router.get("/flows", response_model=FlowsOut, response_model_by_alias=True, responses=_NOT_FOUND)
def flows_endpoint(
    request: Request,
    query: Annotated[FlowQuery, Depends(flow_query)],
) -> Response:
    """Equilibrium assignment of the dataset's built-in freight demand (t/year): link flows,
    costs and v/c, bottlenecks, and the corridors Harbin's Europe-bound freight takes. The
    JSON of ``amur assign --scenario S --month M --algorithm A --gap G --vc V --json``;
    answers are kept per scenario, month, algorithm and gap. A network without built-in
    demand answers 404.
    """
    state = _state(request)
    assignment = _cached_assignment(state, query)
    return _sent_once(
        state, "flows", assignment, query.vc, FlowsOut, lambda: flows_json(assignment, query.vc)
    )


@router.get(
    "/flows.geojson", response_model=FlowMapOut, response_model_by_alias=True, responses=_NOT_FOUND
)
def flow_map_endpoint(
    request: Request,
    query: Annotated[FlowQuery, Depends(flow_query)],
) -> Response:
    """The assignment of ``GET /api/flows`` (same parameters, same cached answer) for the
    map: one line per link that carries freight, both directions summed (t/year), its
    higher v/c and whether it is a bottleneck, with the geometry of the scenario's network;
    and the freight of each share group over its corridors.
    """
    state = _state(request)
    assignment = _cached_assignment(state, query)
    return _sent_once(
        state,
        "flow_map",
        assignment,
        query.vc,
        FlowMapOut,
        lambda: flow_map(assignment.net, assignment.result, query.vc),
    )


def _sent_once(
    state: ServerState,
    kind: str,
    assignment: Assignment,
    vc: float,
    model: type[BaseModel],
    build: Callable[[], dict[str, Any]],
) -> Response:
    """The answer for an assignment and threshold as sent, validated and encoded once.

    Re-validating and encoding some hundred links on every request cost the server most of
    its time under load (benchmarks/load_serve.py); the bytes are kept with the assignment
    they came from, so a new assignment (a scenario saved again) is never answered stale.
    """
    sent: dict[tuple[int, float], tuple[Assignment, bytes]] = state.cache.setdefault(
        f"{kind}_sent", {}
    )
    key = (id(assignment), float(vc))
    kept = sent.get(key)
    if kept is None or kept[0] is not assignment:
        body = model.model_validate(build()).model_dump_json(by_alias=True).encode()
        if len(sent) >= 4 * FLOWS_CACHE_SIZE:
            del sent[next(iter(sent))]
        kept = sent[key] = (assignment, body)
    return Response(kept[1], media_type="application/json")


def _cached_assignment(state: ServerState, query: FlowQuery) -> Assignment:
    """The assignment ``query`` asks for, computed once per server (and scenario save)."""
    scenario, month, algorithm, gap = query.scenario, query.month, query.algorithm, query.gap
    logit, system_optimum, avoid = query.logit, query.system_optimum, query.avoid
    if gap < MIN_GAP:
        raise InputError(
            f"gap: {gap:g} is below {MIN_GAP:g}, where the relative gap is "
            "floating-point noise; ask for 1e-12 or more",
            field="gap",
        )
    options = AssignmentOptions(
        algorithm, gap, MAX_ITERATIONS, system_optimum=system_optimum, logit_theta=logit
    )
    places = tuple(sorted({place_id(state.network, a, "avoid") for a in avoid or ()}))
    key = (
        scenario,
        month,
        algorithm,
        float(gap),
        logit,
        system_optimum,
        places,
        _scenario_version(state, scenario),
    )
    cached: dict[tuple[Any, ...], Assignment] = state.cache.setdefault("flows", {})
    if key not in cached:
        _check_demand(state)
        net, year, at, modes = state.network, None, month, None
        if scenario is not None:
            applied = scenarios.resolve(net, state.dataset, state.store, scenario, "scenario")
            net, year, modes = applied.network, applied.year, applied.modes
            at = month if month is not None else applied.month
        assignment = assign_builtin(
            net, state.dataset, scenario, year, at, modes, options, avoid=places
        )
        if len(cached) >= FLOWS_CACHE_SIZE:
            del cached[next(iter(cached))]
        cached[key] = assignment
    return cached[key]


def _check_demand(state: ServerState) -> None:
    if not has_demand(state.dataset):
        raise NotFoundError(
            f"the network {state.network.name!r} has no built-in freight "
            "demand to assign (only the built-in datasets have one)"
        )
