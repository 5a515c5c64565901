"""Project appraisal: economic NPV, BCR and IRR from user benefits (rule of a half), the
financial cash flow and debt service coverage, and Monte Carlo uncertainty over them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import numpy_financial as npf
import pandas as pd

from amur.errors import InputError
from amur.impact.cashflow import (  # noqa: F401  (debt_schedule is public here too)
    PERCENTILES,
    _dscr,
    _flows,
    _irr_vectorised,
    _num,
    _percentiles,
    _years,
    debt_schedule,
)
from amur.impact.draws import MonteCarlo, _monte_carlo
from amur.impact.project import (
    Project,
    read_project,
)
from amur.impact.with_without import check_links, network_with, network_without
from amur.network import Network
from amur.options import check

if TYPE_CHECKING:
    from amur.impact.traffic import AssignedTraffic

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Appraisal:
    """The result of appraising a project (one case, no draws).

    Attributes
    ----------
    project : Project
    npv_usd_mn : float
        Economic net present value at the project's discount rate, discounted to the first
        year of the cash flow, USD million, in the central case (:func:`central_case`: each
        uncertain factor at its most likely value).
    bcr : float
        Present value of benefits over present value of costs (capital and operating).
    irr : float
        Economic internal rate of return, a fraction (nan if the flows never change sign).
    cash_flow : pandas.DataFrame
        By year: traffic with and without, user benefits, costs, economic net flow, revenue,
        cash flow available for debt service, interest, principal, debt service, DSCR and
        the equity cash flow.
    min_dscr : float
        Lowest DSCR over the years with debt service (inf without debt).
    min_dscr_operating : float
        Lowest DSCR over operating years with debt service.
    uncovered_years : tuple of int
        Years whose debt service the project's cash flow does not cover (DSCR < 1).
    covenant_breach_years : tuple of int
        Years with DSCR below the lender's covenant.
    generalized_cost_saving_usd_per_unit : float
        Saving per unit of traffic behind the user benefits.
    benefit_basis, traffic_basis : str
        Where the saving and the traffic came from.
    draws : MonteCarlo or None
    traffic_source : str
        ``"assignment"`` (assignments with and without the project) or ``"project"`` (the
        project file's figures, or figures given by the caller).
    assignment : AssignedTraffic or None
        The assignments behind the traffic and benefits, run once and reused by every draw.
    """

    project: Project
    npv_usd_mn: float
    bcr: float
    irr: float
    cash_flow: pd.DataFrame
    min_dscr: float
    min_dscr_operating: float
    uncovered_years: tuple[int, ...]
    covenant_breach_years: tuple[int, ...]
    generalized_cost_saving_usd_per_unit: float
    benefit_basis: str
    traffic_basis: str
    draws: MonteCarlo | None = field(default=None)
    traffic_source: str = "project"
    assignment: AssignedTraffic | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``npv``, ``bcr``, ``irr`` and ``dscr`` (with percentiles when drawn)."""
        p = self.project
        out: dict[str, Any] = {
            "project": p.id,
            "name": p.name,
            "units": {
                "npv": "USD million",
                "irr": "fraction per year",
                "traffic": f"{p.traffic_unit} per year",
            },
            "discount_pct": p.discount_pct,
            "central_case": dict(
                zip(
                    ("traffic_level", "capital_overrun", "delay_years"),
                    central_case(p),
                    strict=True,
                )
            ),
            "npv": {"value": _num(self.npv_usd_mn)},
            "bcr": {"value": _num(self.bcr)},
            "irr": {"value": _num(self.irr)},
            "dscr": {
                "min": _num(self.min_dscr),
                "min_operating": _num(self.min_dscr_operating),
                "covenant": p.financing.covenant_dscr,
                "uncovered_years": list(self.uncovered_years),
                "covenant_breach_years": list(self.covenant_breach_years),
                "by_year": {
                    int(y): _num(v)
                    for y, v in zip(self.cash_flow["year"], self.cash_flow["dscr"], strict=True)
                    if np.isfinite(v)
                },
            },
            "generalized_cost_saving_usd_per_unit": _num(self.generalized_cost_saving_usd_per_unit),
            "benefit_basis": self.benefit_basis,
            "traffic_basis": self.traffic_basis,
            "traffic_source": self.traffic_source,
            "assignment_reused_across_draws": (None if self.assignment is None else True),
            "traffic_opening_year": {
                "with": _num(p.traffic_per_year),
                "without": _num(p.traffic_without_per_year),
            },
            "estimates": p.estimates(),
        }
        if self.assignment is not None:
            out["assignment"] = self.assignment.to_dict()
        if self.draws is not None:
            d = self.draws
            for key, values in (("npv", d.npv_usd_mn), ("bcr", d.bcr), ("irr", d.irr)):
                out[key]["percentiles"] = _percentiles(values)
            out["dscr"]["min_percentiles"] = _percentiles(d.min_dscr)
            out["dscr"]["min_operating_percentiles"] = _percentiles(d.min_dscr_operating)
            out["dscr"]["probability_min_below_1"] = d.probability_below(1.0)
            out["dscr"]["probability_min_below_covenant"] = d.probability_below(
                p.financing.covenant_dscr
            )
            out["dscr"]["probability_min_operating_below_1"] = d.probability_below(
                1.0, operating=True
            )
            out["dscr"]["probability_min_operating_below_covenant"] = d.probability_below(
                p.financing.covenant_dscr, operating=True
            )
            out["draws"] = {
                "n": d.n,
                "seed": d.seed,
                "irr_undefined_share": float(np.mean(np.isnan(d.irr))),
            }
        return out


def generalized_cost_saving(
    project: Project,
    network: Network,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
) -> float:
    """Saving in generalized cost between the project's two places, per unit of traffic.

    The mean over the 12 months of the least generalized cost without the project's links
    minus with them (in service, whatever their status in the network); months with no
    route in either case are left out. Per TEU, or divided
    by the network's tonnes per TEU for traffic in tonnes.

    Raises
    ------
    InputError
        If a project link is not in the network, the project names no two places, or no
        month has a route both with and without the project.
    """
    from amur.graph import expand
    from amur.paths.skim import skim

    check_links(project, network)
    if len(project.od) != 2:
        raise InputError(
            f"project {project.id!r}: 'od' must name two places to measure the "
            "change in generalized cost",
            field="od",
        )
    without = network_without(network, project)
    with_project = network_with(network, project)
    savings = []
    for month in range(1, 13):
        costs = []
        for net in (without, with_project):
            s = skim(
                expand(net, month=month),
                [project.od[0]],
                [project.od[1]],
                by="generalized",
                value_usd_per_teu=value_usd_per_teu,
                time_value_pct_per_day=time_value_pct_per_day,
            )
            costs.append(float(s.generalized_usd_per_teu[0, 0]))
        if np.isfinite(costs[0]) and np.isfinite(costs[1]):
            savings.append(costs[0] - costs[1])
    if not savings:
        raise InputError(
            f"project {project.id!r}: no month has a route between "
            f"{project.od[0]} and {project.od[1]} both with and without it",
            field="od",
        )
    per_teu = float(np.mean(savings))
    if project.traffic_unit == "t":
        return per_teu / float(network.parameters.get("t_per_teu", 10.0))
    return per_teu


def appraise(
    project: Project | str,
    network: Network | None = None,
    draws: int = 0,
    seed: int = 20240601,
    discount_pct: float | None = None,
    traffic: tuple[float, float] | str | None = None,
    demand: Any = None,
    demand_without: Any = None,
) -> Appraisal:
    """Appraise a project: economic NPV, BCR, IRR; cash flow; DSCR; and Monte Carlo draws.

    Parameters
    ----------
    project : Project or str
        A project, a TOML path or a built-in project id (``amur-road-bridge``).
    network : Network, optional
        Network for the change in generalized cost between the project's two places (its
        links removed for the case without). Without one, the file's
        ``generalized_cost_saving_usd_per_unit`` is used.
    draws : int
        Number of Monte Carlo draws (0 for the central case only).
    seed : int
        Seed of the numpy Generator; the same seed gives the same draws.
    discount_pct : float, optional
        Economic discount rate, % real (the project's, else 6).
    traffic : {"assignment", "project", "file", "auto"} or (float, float), optional
        Where the traffic comes from. ``"assignment"``: equilibrium assignments of the
        demand on the network of the opening year with the project's links in service and
        without them (:func:`amur.impact.traffic.assign_project`); the project's traffic is
        the flow on its links with it, and user benefits are the rule of a half summed over
        OD pairs, 0.5 x (T_without + T_with) x (GC_without - GC_with), with GC the
        equilibrium least-cost generalized cost per tonne between zones. ``"project"`` or
        None (the default, as before): the project file's figures, with the saving per
        unit from the network's skims between ``od`` (or the file); ``"file"`` is the
        same. ``"auto"``: assignment
        where the project names links and ``od`` in the network and a demand applies (the
        network's built-in demand or ``demand``), else project. A pair of numbers: traffic
        with and without in the opening year, given by the caller.
    demand, demand_without : ODMatrices, optional
        Demand (t/year) for ``traffic="assignment"``, with and without the project; the
        network's built-in demand by default, the same in both cases.

    Returns
    -------
    Appraisal

    Raises
    ------
    InputError
        On a negative cost or traffic, a loan rate outside (-100, 100] %, a maturity shorter
        than the grace period, a project link not in the network, or no saving available.

    Notes
    -----
    The generalized-cost saving (or, with ``traffic="assignment"``, the two assignments) is
    computed once per appraisal and reused by every draw: draws scale traffic and benefits
    by their growth and level and vary capital cost and opening year; they do not
    re-assign, so congestion effects of a drawn traffic level are not re-computed. Draws are
    vectorised (arrays of draws x years), so 10,000 draws take well under a second.

    Examples
    --------
    >>> import amur
    >>> from amur.impact import appraise
    >>> result = appraise("amur-road-bridge", network=amur.load("northeast-asia"), draws=200)
    >>> sorted(result.to_dict()["npv"]["percentiles"])
    ['p5', 'p50', 'p95']
    """
    check("draws", draws)
    check("seed", seed)
    if discount_pct is not None:
        check("discount_pct", discount_pct)
    p = read_project(project) if isinstance(project, str) else project
    if discount_pct is not None:
        from dataclasses import replace

        p = replace(p, discount_pct=float(discount_pct))
    traffic_basis = "project file"
    source = _traffic_source(p, network, traffic, demand)
    assigned = None
    benefit_usd: float | None = None
    if source == "assignment":
        from dataclasses import replace

        from amur.impact.traffic import assign_project

        if network is None:
            raise InputError("traffic from the assignment needs a network", field="network")
        if not p.od:
            raise InputError(
                f"project {p.id!r}: 'od' must name two places for traffic from the assignment",
                field="od",
            )
        assigned = assign_project(p, network, demand, demand_without)
        per_unit = (
            1.0 if p.traffic_unit == "t" else float(network.parameters.get("t_per_teu", 10.0))
        )
        p = replace(
            p,
            traffic_per_year=assigned.with_t_per_year / per_unit,
            traffic_without_per_year=assigned.without_t_per_year / per_unit,
        )
        benefit_usd = assigned.user_benefit_usd_per_year
        traffic_basis = (
            f"assignment on network {network.name!r} ({assigned.year}) with and "
            f"without the project: flow on {', '.join(p.link_ids)} with it, both "
            "directions"
        )
    elif traffic is not None and not isinstance(traffic, str):
        with_t, without_t = (check("traffic", x) for x in traffic)
        from dataclasses import replace

        p = replace(p, traffic_per_year=with_t, traffic_without_per_year=without_t)
        traffic_basis = "given by the caller (assignment with and without the project)"
    if network is not None:
        check_links(p, network)
    if assigned is not None and benefit_usd is not None:
        saving = benefit_usd / p.traffic_per_year if p.traffic_per_year > 0 else float("nan")
        benefit_basis = (
            "assignment: rule of a half summed over "
            f"{len(assigned.od)} OD pairs by commodity ({assigned.classes} class"
            f"{'es' if assigned.classes == 'commodity' else ''}), 0.5 x (T_without + T_with) x "
            "(GC_without - GC_with), GC the equilibrium least-cost generalized "
            "cost per tonne; the saving per unit is the benefit over the "
            "project's traffic"
        )
    elif network is not None and p.od:
        saving = generalized_cost_saving(p, network)
        benefit_basis = (
            f"network {network.name!r}: generalized cost {p.od[0]}-{p.od[1]} "
            "without minus with the project, mean over 12 months"
        )
    elif p.generalized_cost_saving_usd_per_unit is not None:
        saving = p.generalized_cost_saving_usd_per_unit
        benefit_basis = "project file"
    else:
        raise InputError(
            f"project {p.id!r}: no network given and no "
            "generalized_cost_saving_usd_per_unit in [benefits]; give one",
            field="network",
        )
    years = _years(p, max(p.uncertainty.delay_years))
    level, overrun, delay = central_case(p)
    flows = _flows(
        p,
        years,
        saving,
        np.full(1, p.traffic_growth_pct),
        np.full(1, level),
        np.full(1, overrun),
        np.full(1, delay, np.int64),
        benefit_usd,
    )
    interest, principal = debt_schedule(p.financing, years)
    service = interest + principal
    rate = p.discount_pct / 100.0
    net = flows["benefits"][0] - flows["capital"][0] - flows["opex"][0]
    pv_b = float(npf.npv(rate, flows["benefits"][0]))
    pv_c = float(npf.npv(rate, flows["capital"][0] + flows["opex"][0]))
    irr = float(npf.irr(net)) if (net > 0).any() and (net < 0).any() else float("nan")
    dscr, min_all, min_op = _dscr(flows["cfads"], service, flows["operating"])
    drawdown = np.where(years == p.financing.start_year, p.financing.loan_usd_mn, 0.0)
    table = pd.DataFrame(
        {
            "year": years,
            "traffic_with": flows["traffic"][0],
            "traffic_without": flows["without"][0],
            "user_benefits_usd_mn": flows["benefits"][0],
            "capital_cost_usd_mn": flows["capital"][0],
            "operating_cost_usd_mn": flows["opex"][0],
            "economic_net_usd_mn": net,
            "revenue_usd_mn": flows["revenue"][0],
            "cfads_usd_mn": flows["cfads"][0],
            "loan_drawdown_usd_mn": drawdown,
            "interest_usd_mn": interest,
            "principal_usd_mn": principal,
            "debt_service_usd_mn": service,
            "dscr": np.where(service > 0, dscr[0], np.nan),
            "equity_cash_flow_usd_mn": (
                drawdown - flows["capital"][0] + flows["cfads"][0] - service
            ),
        }
    )
    has = service > 0
    uncovered = tuple(int(y) for y in years[has & (dscr[0] < 1.0)])
    breach = tuple(int(y) for y in years[has & (dscr[0] < p.financing.covenant_dscr)])
    mc = (
        _monte_carlo(p, years, saving, service, rate, draws, seed, benefit_usd)
        if draws > 0
        else None
    )
    return Appraisal(
        p,
        float(npf.npv(rate, net)),
        pv_b / pv_c if pv_c > 0 else float("nan"),
        irr,
        table,
        float(min_all[0]),
        float(min_op[0]),
        uncovered,
        breach,
        saving,
        benefit_basis,
        traffic_basis,
        mc,
        "assignment" if assigned is not None else "project",
        assigned,
    )


TRAFFIC_SOURCES = ("assignment", "project", "file", "auto")


def central_case(p: Project) -> tuple[float, float, int]:
    """The central case: each uncertain factor at its most likely value.

    The Monte Carlo draws take traffic level and capital overrun from triangular
    distributions and the delay from a discrete one; the central case takes their modes
    (and the traffic growth's mean), so that it is a case the draws themselves make likely.
    Taking the project file's figures unchanged instead (no overrun at all) put the central
    case at the optimistic end of every draw: the Amur road bridge's central NPV lay above
    its own 95th percentile.

    Returns
    -------
    tuple of (float, float, int)
        Traffic level (multiple of the project's traffic), capital overrun (multiple of the
        capital cost) and delay of the opening, years.
    """
    u = p.uncertainty
    delay = int(u.delay_years[int(np.argmax(u.delay_probability))])
    return float(u.traffic_level[1]), float(u.capital_overrun[1]), delay


def _traffic_source(
    p: Project, network: Network | None, traffic: tuple[float, float] | str | None, demand: Any
) -> str:
    """``assignment`` or ``project`` for the ``traffic`` argument of :func:`appraise`."""
    if traffic is None or not isinstance(traffic, str):
        return "project"
    if traffic not in TRAFFIC_SOURCES:
        raise InputError(
            f"traffic {traffic!r}: expected one of {', '.join(TRAFFIC_SOURCES)}", field="traffic"
        )
    if traffic != "auto":
        return "project" if traffic == "file" else traffic
    from amur.impact.traffic import builtin_demand_applies

    if network is None or not p.link_ids or len(p.od) != 2:
        return "project"
    known = set(network.links["id"])
    if not all(link in known for link in p.link_ids):
        return "project"  # check_links below gives the error
    return "assignment" if demand is not None or builtin_demand_applies(network) else "project"
