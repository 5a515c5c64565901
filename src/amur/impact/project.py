"""Projects to appraise: read from TOML, validated once, with a source for every figure."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amur.errors import InputError

#: "Typical BRI" Chinese loan terms: AidData (2021) mean rate 4.2 %, grace under 2 years,
#: maturity under 10 years (econ/parameters.md 8; the scenario table is marked ESTIMATE).
TYPICAL_BRI_LOAN = {"interest_pct": 4.2, "grace_years": 2, "maturity_years": 10}
TYPICAL_BRI_SOURCE = "aiddata_2021_typical_loan"
#: Economic discount rate, % real (econ/parameters.md 6, recommendation marked ESTIMATE).
DEFAULT_DISCOUNT_PCT = 6.0
#: Lender's minimum DSCR for a corridor with traffic risk (econ/parameters.md 7, ESTIMATE).
DEFAULT_COVENANT_DSCR = 1.3
DEFAULT_SOURCES = pd.DataFrame(
    [
        {
            "id": TYPICAL_BRI_SOURCE,
            "kind": "estimate",
            "title": "Typical BRI loan: 4.2 %, 2-year grace, 10-year maturity",
            "url": "https://aiddata.org/publications/banking-on-the-belt-and-road",
            "date": "2021",
            "note": "AidData (Malik, Parks et al. 2021): typical Chinese loan 4.2 %, grace under 2 "
            "years, maturity under 10 years (verified); the scenario rounding to 2 and 10 "
            "years is the estimate of econ/parameters.md 8",
        },
        {
            "id": "discount_rate_est",
            "kind": "estimate",
            "title": "Economic discount rate 6 % real for China, Russia and Mongolia",
            "url": "",
            "date": "2026",
            "note": "econ/parameters.md 6: between EU 3-5 % and ADB 9 % / legacy MDB 10-12 %",
        },
        {
            "id": "covenant_est",
            "kind": "estimate",
            "title": "Minimum DSCR covenant 1.3",
            "url": "https://www.fhwa.dot.gov/ipd/p3/toolkit/publications/primers/"
            "financial_structuring_and_assessment/ch_9.aspx",
            "date": "2013",
            "note": "econ/parameters.md 7: 1.15-1.2 availability PPPs, 1.5-2.0 revenue risk; 1.30x "
            "typical covenant example; chosen 1.3 for a corridor with traffic risk",
        },
    ]
)


@dataclass(frozen=True)
class Financing:
    """A loan: one drawdown in ``start_year``, interest only during the grace period, then
    level (annuity) payments until maturity; all amounts USD million.

    Attributes
    ----------
    loan_usd_mn : float
        Amount borrowed.
    interest_pct : float
        Annual interest rate, %, in (-100, 100].
    grace_years : int
        Years after drawdown with interest only.
    maturity_years : int
        Years from drawdown to the last payment (>= grace_years).
    start_year : int
        Year of drawdown.
    covenant_dscr : float
        Lender's minimum debt-service coverage ratio.
    """

    loan_usd_mn: float
    interest_pct: float
    grace_years: int
    maturity_years: int
    start_year: int
    covenant_dscr: float = DEFAULT_COVENANT_DSCR


@dataclass(frozen=True)
class Uncertainty:
    """Distributions for the Monte Carlo draws (all optional; defaults give no spread).

    Attributes
    ----------
    traffic_growth_sd_pct : float
        Standard deviation of the annual traffic growth rate, percentage points (normal).
    traffic_level : tuple of float
        (low, mode, high) multiplier on traffic at opening (triangular).
    capital_overrun : tuple of float
        (low, mode, high) multiplier on capital cost (triangular).
    delay_years : tuple of int
        Possible construction delays, years (opening later by as much).
    delay_probability : tuple of float
        Probability of each delay; sums to 1.
    """

    traffic_growth_sd_pct: float = 0.0
    traffic_level: tuple[float, float, float] = (1.0, 1.0, 1.0)
    capital_overrun: tuple[float, float, float] = (1.0, 1.0, 1.0)
    delay_years: tuple[int, ...] = (0,)
    delay_probability: tuple[float, ...] = (1.0,)


@dataclass(frozen=True, eq=False)
class Project:
    """A transport project with its costs, traffic, tariff and financing.

    Money is USD million (``_usd_mn``) unless a name says otherwise; traffic is in
    ``traffic_unit`` per year ("t" or "teu").

    Attributes
    ----------
    id, name, description : str
    link_ids : tuple of str
        Links of the network the project builds (absent from the without-project case).
    od : tuple of str
        Two places whose generalized cost the project changes (for user benefits).
    capital_years : tuple of int
    capital_cost_usd_mn : tuple of float
        Capital cost spent in each capital year.
    opening_year : int
    horizon_years : int
        Years of operation appraised.
    operating_cost_usd_mn_per_year : float
    traffic_unit : str
    traffic_per_year : float
        Traffic with the project in its opening year.
    traffic_without_per_year : float
        Traffic on the same movement without the project, same year.
    traffic_growth_pct : float
        Annual growth of both, %.
    tariff_usd_per_unit : float
        Toll or access charge the project collects per unit of traffic, USD.
    generalized_cost_saving_usd_per_unit : float or None
        Saving per unit given in the file (used when no network is given).
    discount_pct : float
        Economic discount rate, % real.
    financing : Financing
    uncertainty : Uncertainty
    sources : pandas.DataFrame
        Sources of the figures (``id, kind, title, url, date, note``).
    figure_sources : dict of str to str
        Source id of each figure, by field name.
    """

    id: str
    name: str
    description: str
    link_ids: tuple[str, ...]
    od: tuple[str, ...]
    capital_years: tuple[int, ...]
    capital_cost_usd_mn: tuple[float, ...]
    opening_year: int
    horizon_years: int
    operating_cost_usd_mn_per_year: float
    traffic_unit: str
    traffic_per_year: float
    traffic_without_per_year: float
    traffic_growth_pct: float
    tariff_usd_per_unit: float
    generalized_cost_saving_usd_per_unit: float | None
    discount_pct: float
    financing: Financing
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    sources: pd.DataFrame = field(default_factory=lambda: DEFAULT_SOURCES.copy())
    figure_sources: dict[str, str] = field(default_factory=dict)

    def estimates(self) -> list[str]:
        """Fields whose source is an estimate (or recalled), for the report."""
        kinds = dict(zip(self.sources["id"], self.sources["kind"], strict=True))
        return sorted(
            f for f, s in self.figure_sources.items() if kinds.get(s) in ("estimate", "recalled")
        )


def _number(
    table: dict[str, Any],
    key: str,
    where: str,
    default: float | None = None,
    minimum: float | None = 0.0,
) -> float:
    if key not in table:
        if default is None:
            raise InputError(f"{where}: missing key {key!r}", field=key)
        return float(default)
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}, key {key!r}: {value!r} is not a number", field=key)
    if minimum is not None and value < minimum:
        raise InputError(
            f"{where}, key {key!r}: {value:g} is negative; expected {minimum:g} or more", field=key
        )
    return float(value)


def check_financing(f: Financing, where: str = "financing") -> None:
    """Raise InputError on a loan that cannot be: negative amount, a rate above 100 % or at
    or below -100 %, a negative grace, or a maturity shorter than the grace period.
    """
    if f.loan_usd_mn < 0:
        raise InputError(
            f"{where}, key 'loan_usd_mn': {f.loan_usd_mn:g} is negative; expected 0 or more",
            field="loan_usd_mn",
        )
    if not -100.0 < f.interest_pct <= 100.0:
        raise InputError(
            f"{where}, key 'interest_pct': {f.interest_pct:g} % is outside "
            "(-100, 100]; expected an annual rate in percent, e.g. 4.2",
            field="interest_pct",
        )
    if f.grace_years < 0:
        raise InputError(
            f"{where}, key 'grace_years': {f.grace_years} is negative", field="grace_years"
        )
    if f.maturity_years < f.grace_years or f.maturity_years < 1:
        raise InputError(
            f"{where}, key 'maturity_years': {f.maturity_years} years is shorter "
            f"than the grace period of {f.grace_years} years (or below 1); "
            "expected a maturity at least as long as the grace period",
            field="maturity_years",
        )
    if f.covenant_dscr <= 0:
        raise InputError(f"{where}, key 'covenant_dscr': expected above 0", field="covenant_dscr")


def project_from_dict(data: dict[str, Any], origin: str = "project") -> Project:
    """Build and validate a project from the parsed TOML (see :func:`read_project`)."""
    figure_sources: dict[str, str] = {}

    def section(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise InputError(f"{origin}: [{name}] must be a table", field=name)
        for key, src in value.items():
            if key.endswith("_source") and isinstance(src, str):
                figure_sources[f"{name}.{key[:-7]}"] = src
        return value

    head = section("project")
    capital = section("capital")
    ops = section("operations")
    traffic = section("traffic")
    tariff = section("tariff")
    benefits = section("benefits")
    finance = section("financing")
    uncertain = section("uncertainty")
    where = f"{origin} [capital]"
    years = [int(y) for y in capital.get("years", [])]
    costs = capital.get("cost_usd_mn", [])
    if not years or len(years) != len(costs):
        raise InputError(
            f"{where}: 'years' and 'cost_usd_mn' must be lists of equal, non-zero length",
            field="cost_usd_mn",
        )
    for year, cost in zip(years, costs, strict=True):
        if not isinstance(cost, int | float) or cost < 0:
            raise InputError(
                f"{where}, key 'cost_usd_mn': {cost!r} in {year} is negative "
                "or not a number; expected costs of 0 or more",
                field="cost_usd_mn",
            )
    opening = int(_number(ops, "opening_year", f"{origin} [operations]", minimum=None))
    unit = str(traffic.get("unit", "t"))
    if unit not in ("t", "teu"):
        raise InputError(
            f"{origin} [traffic], key 'unit': {unit!r}; expected 't' or 'teu'", field="unit"
        )
    saving = benefits.get("generalized_cost_saving_usd_per_unit")
    if saving is not None:
        saving = _number(benefits, "generalized_cost_saving_usd_per_unit", f"{origin} [benefits]")
    loan_default = float(sum(costs))
    financing = Financing(
        loan_usd_mn=_number(finance, "loan_usd_mn", f"{origin} [financing]", loan_default),
        interest_pct=_number(
            finance,
            "interest_pct",
            f"{origin} [financing]",
            TYPICAL_BRI_LOAN["interest_pct"],
            minimum=None,
        ),
        grace_years=int(
            _number(
                finance,
                "grace_years",
                f"{origin} [financing]",
                TYPICAL_BRI_LOAN["grace_years"],
                minimum=None,
            )
        ),
        maturity_years=int(
            _number(
                finance,
                "maturity_years",
                f"{origin} [financing]",
                TYPICAL_BRI_LOAN["maturity_years"],
                minimum=None,
            )
        ),
        start_year=int(
            _number(finance, "start_year", f"{origin} [financing]", min(years), minimum=None)
        ),
        covenant_dscr=_number(
            finance, "covenant_dscr", f"{origin} [financing]", DEFAULT_COVENANT_DSCR
        ),
    )
    check_financing(financing, f"{origin} [financing]")
    for key in ("interest_pct", "grace_years", "maturity_years"):
        figure_sources.setdefault(f"financing.{key}", TYPICAL_BRI_SOURCE)
    figure_sources.setdefault("financing.covenant_dscr", "covenant_est")
    figure_sources.setdefault("project.discount_pct", "discount_rate_est")
    uncertainty = _uncertainty(uncertain, f"{origin} [uncertainty]")
    sources = _sources(data.get("source", []), origin)
    missing = sorted({s for s in figure_sources.values() if s not in set(sources["id"])})
    if missing:
        raise InputError(
            f"{origin}: source {missing[0]!r} is not in its [[source]] tables", field="source"
        )
    return Project(
        id=str(head.get("id", Path(origin).stem)),
        name=str(head.get("name", head.get("id", origin))),
        description=str(head.get("description", "")),
        link_ids=tuple(str(x) for x in head.get("link_ids", [])),
        od=tuple(str(x) for x in head.get("od", [])),
        capital_years=tuple(years),
        capital_cost_usd_mn=tuple(float(c) for c in costs),
        opening_year=opening,
        horizon_years=int(_number(ops, "horizon_years", f"{origin} [operations]", 30)),
        operating_cost_usd_mn_per_year=_number(
            ops, "operating_cost_usd_mn_per_year", f"{origin} [operations]"
        ),
        traffic_unit=unit,
        traffic_per_year=_number(traffic, "per_year", f"{origin} [traffic]"),
        traffic_without_per_year=_number(traffic, "without_per_year", f"{origin} [traffic]", 0.0),
        traffic_growth_pct=_number(
            traffic, "growth_pct", f"{origin} [traffic]", 0.0, minimum=-100.0
        ),
        tariff_usd_per_unit=_number(tariff, "usd_per_unit", f"{origin} [tariff]"),
        generalized_cost_saving_usd_per_unit=saving,
        discount_pct=_number(
            head, "discount_pct", f"{origin} [project]", DEFAULT_DISCOUNT_PCT, minimum=-99.0
        ),
        financing=financing,
        uncertainty=uncertainty,
        sources=sources,
        figure_sources=figure_sources,
    )


def _triple(table: dict[str, Any], key: str, where: str) -> tuple[float, float, float]:
    value = table.get(key, [1.0, 1.0, 1.0])
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(isinstance(v, int | float) for v in value)
        or not 0 <= value[0] <= value[1] <= value[2]
    ):
        raise InputError(
            f"{where}, key {key!r}: expected [low, mode, high] with 0 <= low <= mode <= high",
            field=key,
        )
    return (float(value[0]), float(value[1]), float(value[2]))


def _uncertainty(table: dict[str, Any], where: str) -> Uncertainty:
    delays = [int(x) for x in table.get("delay_years", [0])]
    probs = [float(x) for x in table.get("delay_probability", [1.0])]
    if (
        len(delays) != len(probs)
        or any(d < 0 for d in delays)
        or any(p < 0 for p in probs)
        or abs(sum(probs) - 1.0) > 1e-9
    ):
        raise InputError(
            f"{where}: 'delay_years' and 'delay_probability' must have the same "
            "length, delays 0 or more and probabilities summing to 1",
            field="delay_probability",
        )
    return Uncertainty(
        traffic_growth_sd_pct=_number(table, "traffic_growth_sd_pct", where, 0.0),
        traffic_level=_triple(table, "traffic_level", where),
        capital_overrun=_triple(table, "capital_overrun", where),
        delay_years=tuple(delays),
        delay_probability=tuple(probs),
    )


def _sources(rows: list[dict[str, Any]], origin: str) -> pd.DataFrame:
    from amur.network.schema import SOURCE_KINDS

    frame = pd.DataFrame(rows, columns=["id", "kind", "title", "url", "date", "note"])
    bad = ~frame["kind"].isin(SOURCE_KINDS)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{origin}: [[source]] {frame['id'].iat[row]!r} has kind "
            f"{frame['kind'].iat[row]!r}; expected one of "
            f"{', '.join(SOURCE_KINDS)}",
            field="kind",
        )
    return pd.concat([frame, DEFAULT_SOURCES], ignore_index=True).drop_duplicates("id")


def read_project(path: str | Path) -> Project:
    """Read a project from a TOML file, or a built-in project by name.

    Parameters
    ----------
    path : str or Path
        A ``.toml`` file, or a built-in project id (``amur-road-bridge``,
        ``tongjiang-rail-bridge``, ``korea-rail``, ``primorye-upgrade``).

    Returns
    -------
    Project

    Raises
    ------
    InputError
        On an unknown project, a file that is not TOML, a negative cost, a loan rate above
        100 % or at or below -100 %, a maturity shorter than the grace period, or a source id
        without a ``[[source]]`` entry.
    """
    candidate = Path(path)
    if not candidate.suffix:
        from amur.data import dataset_path

        folder = dataset_path("northeast-asia") / "projects"
        candidate = folder / f"{path}.toml"
        if not candidate.exists():
            known = sorted(p.stem for p in folder.glob("*.toml"))
            raise InputError(
                f"unknown project {str(path)!r}; expected a .toml file or one "
                f"of {', '.join(known)}",
                field="project",
            )
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{candidate}: no such file", field="project") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{candidate}: not valid TOML ({exc})", field="project") from None
    return project_from_dict(data, origin=str(candidate))


def builtin_projects() -> list[str]:
    """Ids of the built-in projects."""
    from amur.data import dataset_path

    return sorted(p.stem for p in (dataset_path("northeast-asia") / "projects").glob("*.toml"))
