"""Claims: checkable statements (the mission's and published ones) evaluated against the model.

A claim that does not hold is a finding for the user, not an error.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from amur.errors import NoRouteError, ScenarioError
from amur.network import Network
from amur.scenarios import AppliedScenario, apply, load_scenario

HOLDS, FAILS, NEEDS_FLOWS, NO_ROUTE = "holds", "does not hold", "needs flows", "no route"
KINDS = ("route", "route_ratio", "capacity", "flow")
QUANTITIES = ("length_km", "time_days", "time_h", "cost_usd_per_teu", "co2_kg_per_teu")
_KEYS = {
    "id",
    "statement",
    "source_id",
    "scenario",
    "kind",
    "quantity",
    "from",
    "to",
    "via",
    "via_b",
    "by",
    "links",
    "expected",
    "tolerance",
    "tolerance_pct",
    "unit",
    "note",
}


@dataclass(frozen=True)
class Claim:
    """A checkable statement.

    Attributes
    ----------
    id, statement, source_id : str
        Identifier, the statement in words, and where it was made (a sources.csv id).
    scenario : str
        Scenario it applies to.
    kind : {"route", "route_ratio", "capacity", "flow"}
        ``route``: a figure of the best route; ``route_ratio``: that figure via ``via``
        divided by the same via ``via_b``; ``capacity``: the summed capacity of ``links``
        in service; ``flow``: a flow on ``links`` (needs an assignment).
    quantity : str
        Route figure (``length_km``, ``time_days``, ...) or ``capacity_t_per_year`` /
        ``flow_t_per_year``.
    expected : float
        Claimed value.
    tolerance : float
        Allowed absolute difference (in the quantity's unit).
    """

    id: str
    statement: str
    source_id: str
    scenario: str
    kind: str
    quantity: str
    expected: float
    tolerance: float
    origin: str = ""
    destination: str = ""
    via: tuple[str, ...] = ()
    via_b: tuple[str, ...] = ()
    by: str = "generalized"
    links: tuple[str, ...] = ()
    note: str = ""

    @property
    def low(self) -> float:
        """Smallest value for which the claim holds."""
        return self.expected - self.tolerance

    @property
    def high(self) -> float:
        """Largest value for which the claim holds."""
        return self.expected + self.tolerance


@dataclass(frozen=True)
class ClaimResult:
    """A claim's verdict with the numbers behind it."""

    id: str
    statement: str
    scenario: str
    quantity: str
    value: float | None
    expected: float
    tolerance: float
    low: float
    high: float
    verdict: str
    detail: str
    source_id: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form (NaN as null)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, float) and math.isnan(value):
                out[key] = None
        return out


def within(value: float, expected: float, tolerance: float) -> bool:
    """Whether ``value`` lies in ``expected ± tolerance`` (bounds included, with a relative
    slack of 1e-9 so that decimal tolerances behave as written).
    """
    slack = 1e-9 * max(1.0, abs(expected), abs(tolerance))
    return abs(value - expected) <= tolerance + slack


def read_claims(path: str | Path) -> list[Claim]:
    """Claims from a TOML file of ``[[claim]]`` tables.

    Raises
    ------
    ScenarioError
        On an unreadable file, an unknown key or kind, a missing key, or a wrong type.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(
            f"claims file {path}: cannot be read as TOML ({exc})", field="claims"
        ) from None
    unknown = set(data) - {"claim"}
    if unknown:
        raise ScenarioError(
            f"claims file {path}: unknown key {sorted(unknown)[0]!r}; expected [[claim]] tables",
            field="claims",
        )
    claims = [
        _claim(row, f"claims file {path}, claim[{i}]")
        for i, row in enumerate(data.get("claim", []))
    ]
    ids = [c.id for c in claims]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup is not None:
        raise ScenarioError(
            f"claims file {path}: claim id {dup!r} appears twice; expected unique ids", field="id"
        )
    return claims


def _claim(row: dict[str, Any], where: str) -> Claim:
    for key in row:
        if key not in _KEYS:
            raise ScenarioError(
                f"{where}: unknown key {key!r}; expected one of {', '.join(sorted(_KEYS))}",
                field=key,
            )
    for key in ("id", "statement", "source_id", "scenario", "kind", "quantity", "expected"):
        if key not in row:
            raise ScenarioError(f"{where}: missing key {key!r}", field=key)
    if row["kind"] not in KINDS:
        raise ScenarioError(
            f"{where}, key 'kind': {row['kind']!r}; expected one of {', '.join(KINDS)}",
            field="kind",
        )
    expected = row["expected"]
    if isinstance(expected, bool) or not isinstance(expected, int | float):
        raise ScenarioError(
            f"{where}, key 'expected': expected a number, got {expected!r}", field="expected"
        )
    tolerance = float(row.get("tolerance", 0.0))
    if "tolerance_pct" in row:
        tolerance = abs(float(expected)) * float(row["tolerance_pct"]) / 100.0
    if tolerance < 0:
        raise ScenarioError(
            f"{where}, key 'tolerance': {tolerance:g}; expected 0 or more", field="tolerance"
        )
    if row["kind"] in ("route", "route_ratio") and row["quantity"] not in QUANTITIES:
        raise ScenarioError(
            f"{where}, key 'quantity': {row['quantity']!r}; expected one of "
            f"{', '.join(QUANTITIES)}",
            field="quantity",
        )
    return Claim(
        id=str(row["id"]),
        statement=str(row["statement"]),
        source_id=str(row["source_id"]),
        scenario=str(row["scenario"]),
        kind=str(row["kind"]),
        quantity=str(row["quantity"]),
        expected=float(expected),
        tolerance=tolerance,
        origin=str(row.get("from", "")),
        destination=str(row.get("to", "")),
        via=tuple(row.get("via", ())),
        via_b=tuple(row.get("via_b", ())),
        by=str(row.get("by", "generalized")),
        links=tuple(row.get("links", ())),
        note=str(row.get("note", "")),
    )


def builtin_claims_path(dataset: str = "northeast-asia") -> Path:
    """The ``claims.toml`` of a built-in dataset."""
    from amur.data import dataset_path

    return dataset_path(dataset) / "claims.toml"


def check_claims(net: Network, claims: list[Claim]) -> list[ClaimResult]:
    """Evaluate every claim against the model.

    Parameters
    ----------
    net : Network
        The base network; each claim's scenario is applied to it.
    claims : list of Claim
        From :func:`read_claims`.

    Returns
    -------
    list of ClaimResult
        One per claim, with verdict ``"holds"``, ``"does not hold"``, ``"needs flows"`` (a
        flow claim before flows exist) or ``"no route"``.

    Raises
    ------
    ScenarioError
        If a claim's scenario cannot be found or applied.
    """
    return [check_claim(net, claim) for claim in claims]


def check_claim(net: Network, claim: Claim) -> ClaimResult:
    """Evaluate one claim (see :func:`check_claims`)."""
    applied = apply(net, load_scenario(claim.scenario, net))
    if claim.kind == "flow":
        value_or_none, detail = _flow(applied, claim)
        if value_or_none is None:
            return _result(claim, None, NEEDS_FLOWS, detail)
        verdict = HOLDS if within(value_or_none, claim.expected, claim.tolerance) else FAILS
        return _result(claim, value_or_none, verdict, detail)
    if claim.kind == "capacity":
        value, detail = _capacity(applied, claim)
    else:
        try:
            value, detail = _route_value(applied, claim)
        except NoRouteError as exc:
            return _result(claim, None, NO_ROUTE, exc.message)
    verdict = HOLDS if within(value, claim.expected, claim.tolerance) else FAILS
    return _result(claim, value, verdict, detail)


def _result(claim: Claim, value: float | None, verdict: str, detail: str) -> ClaimResult:
    return ClaimResult(
        claim.id,
        claim.statement,
        claim.scenario,
        claim.quantity,
        value,
        claim.expected,
        claim.tolerance,
        claim.low,
        claim.high,
        verdict,
        detail,
        claim.source_id,
    )


def _route(applied: AppliedScenario, claim: Claim, via: tuple[str, ...]) -> Any:
    from amur.paths import route

    return route(
        applied.network,
        claim.origin,
        claim.destination,
        by=claim.by,
        via=via,
        year=applied.year,
        month=applied.month,
        modes=applied.modes,
    )[0]


def _figure(best: Any, quantity: str) -> float:
    return float(getattr(best, quantity))


def _route_value(applied: AppliedScenario, claim: Claim) -> tuple[float, str]:
    best = _route(applied, claim, claim.via)
    value = _figure(best, claim.quantity)
    path = " > ".join(best.via) or "direct"
    if claim.kind == "route":
        return value, f"{claim.quantity} {value:,.1f} via {path} (by {claim.by})"
    other = _route(applied, claim, claim.via_b)
    other_value = _figure(other, claim.quantity)
    ratio = value / other_value
    return ratio, (
        f"{claim.quantity} {value:,.1f} via {path} / {other_value:,.1f} via "
        f"{' > '.join(other.via) or 'direct'} = {ratio:.3f} (by {claim.by})"
    )


def _capacity(applied: AppliedScenario, claim: Claim) -> tuple[float, str]:
    net = applied.network
    running = net.in_service(applied.year, applied.month)
    links = net.links
    unknown = [i for i in claim.links if i not in set(links["id"])]
    if unknown:
        raise ScenarioError(
            f"claim {claim.id!r}, key 'links': unknown link {unknown[0]!r}", field="links"
        )
    chosen = links["id"].isin(claim.links).to_numpy() & running
    value = float(links.loc[chosen, "capacity_t_per_year"].fillna(0.0).sum())
    ids = ", ".join(links.loc[chosen, "id"]) or "none"
    return value, f"{value:,.0f} t/year on the links in service in {applied.year}: {ids}"


def _flow(applied: AppliedScenario, claim: Claim) -> tuple[float | None, str]:
    """Assigned flow (t/year, both directions) of the built-in demand on the claim's links."""
    from amur.data import dataset_folder
    from amur.demand.builtin import assign_demand

    net = applied.network
    folder = dataset_folder(net)
    if folder is None or not (folder / "demand.csv").is_file():
        return None, (
            f"a flow on {', '.join(claim.links)} needs a demand; "
            f"{net.name.split('+')[0]!r} has none"
        )
    result, _ = assign_demand(net, str(folder), applied.year, applied.month, applied.modes)
    flows = result.physical_flows()
    unknown = [i for i in claim.links if i not in set(net.links["id"])]
    if unknown:
        raise ScenarioError(
            f"claim {claim.id!r}, key 'links': unknown link {unknown[0]!r}", field="links"
        )
    value = float(flows.loc[flows["link"].isin(claim.links), "flow_t_per_year"].sum())
    caps = result.links[result.links["link"].isin(claim.links)]
    capacity = float(caps["capacity_t_per_year"].sum())
    return value, (
        f"{value:,.0f} t/year assigned on {', '.join(claim.links)} in "
        f"{applied.year} (built-in demand, Algorithm B season by season, "
        f"relative gap {result.relative_gap:.1e}); two-way capacity "
        f"{capacity:,.0f} t/year"
    )
