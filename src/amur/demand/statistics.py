"""Demand from published trade statistics: commodities, zones and flows in tonnes by year.

A dataset that builds its demand this way has four tables beside its network:

- ``commodities.csv``: ``commodity, name, modes`` (``|``-separated), ``value_usd_per_t``,
  ``time_value_pct_per_day``, ``t_per_wagon``, ``t_per_teu`` and their source ids;
- ``demand_zones.csv``: ``zone, name, country, places`` (``|``-separated candidate place
  ids; the first the network has anchors the zone), ``mass_usd_bn`` (GDP, splits a
  statistic over several zones) and its source id;
- ``trade_statistics.csv``: ``id, year, commodity, origin, destination, value, unit,
  factor, source_id, note``: a published flow from the origin zones to the destination
  zones (``|``-separated), in tonnes (``t``), US dollars (``usd``), yuan (``cny``) or TEU
  (``teu``), times ``factor`` (annualisation or a published share); dollars become tonnes
  through the commodity's unit value, yuan through the 2018 exchange rate first;
- ``demand_sources.csv``: where every figure comes from.

A statistic over several zones is split in proportion to ``mass_o * mass_d``. A year that
has no statistic of a flow takes the nearest year's (the earlier one on a tie), and the
build says so (:attr:`DemandPrior.basis`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.errors import InputError

__all__ = [
    "BUILTIN_YEARS",
    "CNY_PER_USD",
    "UNITS",
    "Commodity",
    "DemandPrior",
    "Zone",
    "build_prior",
    "builtin_prior",
    "prior_table",
    "read_commodities",
    "read_statistics",
    "read_zones",
    "statistic_observations",
    "statistics_tonnes",
]

FloatArray = NDArray[np.float64]

#: Units a statistic may be given in.
UNITS = ("t", "usd", "cny", "teu")
#: Yuan per US dollar, 2018 annual average (source ``cny_usd_2018``).
CNY_PER_USD = 6.6174
#: Years of the built-in demand: those of its calibration (to 2021) and validation counts.
BUILTIN_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023)
KNOWN_MODES = ("rail", "road", "sea", "river_ferry", "ice_road", "pontoon", "pipeline")


@dataclass(frozen=True)
class Commodity:
    """A commodity group, the modes it may use, its value and how much a vehicle carries.

    Attributes
    ----------
    id, name : str
    modes : frozenset of str
    value_usd_per_t : float
        Cargo value, USD per tonne.
    time_value_pct_per_day : float
        Cost of a day in transit, % of the cargo value.
    t_per_wagon : float
        Tonnes a rail wagon carries (NaN where none is given).
    t_per_teu : float
        Tonnes a TEU carries (NaN for bulk).
    """

    id: str
    name: str
    modes: frozenset[str]
    value_usd_per_t: float
    time_value_pct_per_day: float
    t_per_wagon: float
    t_per_teu: float

    @property
    def time_value_usd_per_h_per_t(self) -> float:
        """Value of time, USD per hour per tonne."""
        return self.value_usd_per_t * self.time_value_pct_per_day / 100.0 / 24.0


@dataclass(frozen=True)
class Zone:
    """A demand zone: its id, country, the place anchoring it and its mass (GDP)."""

    id: str
    name: str
    country: str
    place: str
    mass_usd_bn: float


def _read(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(
            f"{path}: no column {missing[0]!r}; expected {', '.join(required)}", field=missing[0]
        )
    return table


def _number(
    path: Path, row: int, column: str, text: str, *, positive: bool = False, optional: bool = False
) -> float:
    if optional and not str(text).strip():
        return float("nan")
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        raise InputError(
            f"{path}, row {row}, column {column}: {text!r}; expected a number "
            f"{'> 0' if positive else '>= 0'}",
            field=column,
        )
    return value


def read_commodities(path: str | Path) -> dict[str, Commodity]:
    """Read ``commodities.csv`` (see the module docstring).

    Raises
    ------
    InputError
        Naming the file, row and column: a missing column, a repeated commodity, an unknown
        mode, or a value that is not a number >= 0 (> 0 for the cargo value).
    """
    path = Path(path)
    table = _read(
        path,
        (
            "commodity",
            "name",
            "modes",
            "value_usd_per_t",
            "time_value_pct_per_day",
            "t_per_wagon",
            "t_per_teu",
        ),
    )
    out: dict[str, Commodity] = {}
    for k, rec in enumerate(table.to_dict("records")):
        row = k + 2
        cid = rec["commodity"].strip()
        if not cid or cid in out:
            raise InputError(
                f"{path}, row {row}, column commodity: {cid!r}; expected a new commodity id",
                field="commodity",
            )
        modes = frozenset(m.strip() for m in rec["modes"].split("|") if m.strip())
        bad = sorted(modes - set(KNOWN_MODES))
        if bad or not modes:
            raise InputError(
                f"{path}, row {row}, column modes: {bad[0] if bad else ''!r}; "
                f"expected modes among {', '.join(KNOWN_MODES)}",
                field="modes",
            )
        out[cid] = Commodity(
            cid,
            rec["name"],
            modes,
            _number(path, row, "value_usd_per_t", rec["value_usd_per_t"], positive=True),
            _number(path, row, "time_value_pct_per_day", rec["time_value_pct_per_day"]),
            _number(path, row, "t_per_wagon", rec["t_per_wagon"], optional=True),
            _number(path, row, "t_per_teu", rec["t_per_teu"], optional=True),
        )
    return out


def read_zones(path: str | Path, places: set[str] | None = None) -> list[Zone]:
    """Read ``demand_zones.csv``; each zone is anchored at the first of its places that is
    in ``places`` (the network's place ids), or at its first place without them.

    Raises
    ------
    InputError
        Naming the file, row and column: a repeated zone, no place of the zone in the
        network, or a mass that is not a number >= 0.
    """
    path = Path(path)
    table = _read(path, ("zone", "name", "country", "places", "mass_usd_bn"))
    out: list[Zone] = []
    for k, rec in enumerate(table.to_dict("records")):
        row = k + 2
        zid = rec["zone"].strip()
        if not zid or any(z.id == zid for z in out):
            raise InputError(
                f"{path}, row {row}, column zone: {zid!r}; expected a new zone id", field="zone"
            )
        candidates = [p.strip() for p in rec["places"].split("|") if p.strip()]
        chosen = [p for p in candidates if places is None or p in places]
        if not chosen:
            raise InputError(
                f"{path}, row {row}, column places: none of {rec['places']!r} "
                "is a place of the network",
                field="places",
            )
        out.append(
            Zone(
                zid,
                rec["name"],
                rec["country"],
                chosen[0],
                _number(path, row, "mass_usd_bn", rec["mass_usd_bn"], optional=True),
            )
        )
    return out


def read_statistics(
    path: str | Path, commodities: dict[str, Commodity], zones: list[Zone]
) -> pd.DataFrame:
    """Read ``trade_statistics.csv`` and convert each row to tonnes a year.

    Returns
    -------
    pandas.DataFrame
        The rows with ``year`` (int) and ``t_per_year`` added.

    Raises
    ------
    InputError
        Naming the file, row and column: an unknown commodity or zone, a unit not in
        :data:`UNITS`, TEU of a commodity without ``t_per_teu``, a year that is not an
        integer, or a value or factor that is not a number >= 0.
    """
    path = Path(path)
    table = _read(
        path,
        (
            "id",
            "year",
            "commodity",
            "origin",
            "destination",
            "value",
            "unit",
            "factor",
            "source_id",
        ),
    )
    known = {z.id for z in zones}
    tonnes, years = [], []
    for k, rec in enumerate(table.to_dict("records")):
        row = k + 2
        item = commodities.get(rec["commodity"].strip())
        if item is None:
            raise InputError(
                f"{path}, row {row}, column commodity: unknown commodity "
                f"{rec['commodity']!r}; expected one of "
                f"{', '.join(commodities)}",
                field="commodity",
            )
        for column in ("origin", "destination"):
            for zone in rec[column].split("|"):
                if zone.strip() not in known:
                    raise InputError(
                        f"{path}, row {row}, column {column}: unknown zone {zone!r}", field=column
                    )
        try:
            years.append(int(rec["year"]))
        except ValueError:
            raise InputError(
                f"{path}, row {row}, column year: {rec['year']!r}; expected a year", field="year"
            ) from None
        value = _number(path, row, "value", rec["value"])
        factor = _number(path, row, "factor", rec["factor"])
        tonnes.append(
            statistics_tonnes(
                value * factor, rec["unit"].strip(), item, f"{path}, row {row}, column unit"
            )
        )
    return table.assign(year=years, t_per_year=tonnes)


def statistics_tonnes(value: float, unit: str, commodity: Commodity, where: str = "unit") -> float:
    """A statistic's value in tonnes: dollars and yuan through the unit value, TEU through
    the commodity's tonnes per TEU.
    """
    if unit == "t":
        return value
    if unit == "usd":
        return value / commodity.value_usd_per_t
    if unit == "cny":
        return value / CNY_PER_USD / commodity.value_usd_per_t
    if unit == "teu":
        if not np.isfinite(commodity.t_per_teu):
            raise InputError(
                f"{where}: TEU of {commodity.id!r}, which has no t_per_teu", field="unit"
            )
        return value * commodity.t_per_teu
    raise InputError(f"{where}: {unit!r}; expected one of {', '.join(UNITS)}", field="unit")


@dataclass(frozen=True, eq=False)
class DemandPrior:
    """Tonnes a year by commodity, year and zone pair, from the statistics.

    Attributes
    ----------
    zones : tuple of Zone
    years : tuple of int
    matrices : dict of (str, int) to ndarray, shape (n_zones, n_zones)
        ``matrices[commodity, year][o, d]``, t/year.
    basis : pandas.DataFrame
        ``statistic, commodity, year, t_per_year, basis``: each flow's tonnes in each year
        and whether the year has its own statistic or takes the nearest year's.
    """

    zones: tuple[Zone, ...]
    years: tuple[int, ...]
    matrices: dict[tuple[str, int], FloatArray]
    basis: pd.DataFrame


def _flow_key(rec: dict[str, object]) -> str:
    """Statistics of one flow in different years share origin, destination and commodity."""
    return f"{rec['commodity']}:{rec['origin']}>{rec['destination']}"


def build_prior(
    statistics: pd.DataFrame, commodities: dict[str, Commodity], zones: list[Zone], years: list[int]
) -> DemandPrior:
    """Matrices of every commodity and year from the statistics (module docstring).

    Raises
    ------
    InputError
        If a statistic spans several zones of which one has no mass.
    """
    index = {z.id: k for k, z in enumerate(zones)}
    mass = np.array([z.mass_usd_bn for z in zones])
    n = len(zones)
    matrices = {(c, y): np.zeros((n, n)) for c in commodities for y in years}
    rows = []
    records: list[dict[str, object]] = [
        {str(k): v for k, v in r.items()} for r in statistics.to_dict("records")
    ]
    flows: dict[str, list[dict[str, object]]] = {}
    for record in records:
        flows.setdefault(_flow_key(record), []).append(record)
    for key, recs in flows.items():
        by_year = {int(str(r["year"])): r for r in recs}
        for year in years:
            nearest = min(by_year, key=lambda y: (abs(y - year), y))
            rec = by_year[nearest]
            split = _split(rec, index, mass)
            matrices[str(rec["commodity"]), year] += float(str(rec["t_per_year"])) * split
            rows.append(
                {
                    "flow": key,
                    "statistic": rec["id"],
                    "commodity": rec["commodity"],
                    "year": year,
                    "t_per_year": float(str(rec["t_per_year"])),
                    "basis": (
                        "statistic" if nearest == year else f"estimate: the {nearest} statistic"
                    ),
                }
            )
    for (_, _), m in matrices.items():
        np.fill_diagonal(m, 0.0)
    return DemandPrior(tuple(zones), tuple(years), matrices, pd.DataFrame(rows))


def _split(rec: dict[str, object], index: dict[str, int], mass: FloatArray) -> FloatArray:
    """Shares of a statistic over its origin x destination zones (mass products)."""
    origins = [index[z.strip()] for z in str(rec["origin"]).split("|")]
    dests = [index[z.strip()] for z in str(rec["destination"]).split("|")]
    for group in (origins, dests):
        if len(group) > 1 and not np.all(np.isfinite(mass[group])):
            raise InputError(
                f"statistic {rec['id']!r}: splits over zones of which one has no "
                "mass_usd_bn; expected a mass for every zone of a split",
                field="mass_usd_bn",
            )
    m_o = np.ones(len(origins)) if len(origins) == 1 else mass[origins]
    m_d = np.ones(len(dests)) if len(dests) == 1 else mass[dests]
    weights = np.outer(m_o / m_o.sum(), m_d / m_d.sum())
    out = np.zeros((mass.size, mass.size))
    for i, o in enumerate(origins):
        for j, d in enumerate(dests):
            out[o, d] += weights[i, j]
    return out


def builtin_prior(dataset: str = "northeast-asia", years: list[int] | None = None) -> DemandPrior:
    """The dataset's demand from its statistics tables, zones anchored on its network.

    Parameters
    ----------
    dataset : str
        A built-in dataset with ``commodities.csv``, ``demand_zones.csv`` and
        ``trade_statistics.csv``.
    years : list of int, optional
        Years to build; :data:`BUILTIN_YEARS` by default.
    """
    from amur.data import dataset_path, load

    folder = dataset_path(dataset)
    net = load(dataset)
    commodities = read_commodities(folder / "commodities.csv")
    zones = read_zones(folder / "demand_zones.csv", set(net.nodes["id"]))
    stats = read_statistics(folder / "trade_statistics.csv", commodities, zones)
    return build_prior(stats, commodities, zones, list(years or BUILTIN_YEARS))


def prior_table(prior: DemandPrior) -> pd.DataFrame:
    """The prior's non-zero cells as rows ``origin, destination, value, commodity, year``
    (origin and destination are the zones' place ids, value in t/year).
    """
    places = np.array([z.place for z in prior.zones], dtype=object)
    frames = []
    for (commodity, year), matrix in prior.matrices.items():
        o, d = np.nonzero(matrix)
        frames.append(
            pd.DataFrame(
                {
                    "origin": places[o],
                    "destination": places[d],
                    "value": matrix[o, d],
                    "commodity": commodity,
                    "year": year,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(
        ["year", "commodity", "origin", "destination"], ignore_index=True
    )


def statistic_observations(prior: DemandPrior, statistics: pd.DataFrame) -> list[dict[str, object]]:
    """Statistics of the prior's years as observations: id, year, commodity, cells (bool,
    shape (n_zones, n_zones)) and tonnes (``observed``).
    """
    index = {z.id: k for k, z in enumerate(prior.zones)}
    mass = np.array([z.mass_usd_bn for z in prior.zones])
    out = []
    for rec in statistics.to_dict("records"):
        if int(rec["year"]) not in prior.years:
            continue
        cells = _split({str(k): v for k, v in rec.items()}, index, mass) > 0
        out.append(
            {
                "id": rec["id"],
                "year": int(rec["year"]),
                "commodity": rec["commodity"],
                "cells": cells,
                "observed": float(rec["t_per_year"]),
            }
        )
    return out
