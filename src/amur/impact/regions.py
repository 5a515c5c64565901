"""Regions and their economies: the masses of market access, placed on network nodes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network import Network

REQUIRED_COLUMNS = ("region_id", "name", "gdp_usd_bn", "node")
OPTIONAL_COLUMNS = (
    "country",
    "year",
    "population_mn",
    "population_year",
    "source_id",
    "population_source_id",
)
USER_SOURCE_ID = "user"


@dataclass(frozen=True, eq=False)
class Regions:
    """A table of regions: one row per region, with its GDP and the place that stands for it.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``region_id, name, country, gdp_usd_bn, year, population_mn,
        population_year, node, source_id, population_source_id``.
    sources : pandas.DataFrame
        The sources (``id, kind, title, url, date, note``) every source id resolves in.
    """

    table: pd.DataFrame
    sources: pd.DataFrame

    @property
    def ids(self) -> tuple[str, ...]:
        """Region ids, in table order."""
        return tuple(str(x) for x in self.table["region_id"])

    @property
    def gdp_usd_bn(self) -> np.ndarray:
        """GDP of each region, billion USD."""
        return self.table["gdp_usd_bn"].to_numpy(np.float64)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Place id that stands for each region."""
        return tuple(str(x) for x in self.table["node"])

    def source_kinds(self) -> dict[str, str]:
        """Kind (verified, derived, recalled, estimate, user) of each region's GDP source."""
        kinds = dict(zip(self.sources["id"], self.sources["kind"], strict=True))
        return {
            r: str(kinds[s])
            for r, s in zip(self.table["region_id"], self.table["source_id"], strict=True)
        }

    def subset(self, region_ids: list[str]) -> Regions:
        """The regions with these ids, in this order."""
        index = self.table.set_index("region_id")
        missing = [r for r in region_ids if r not in index.index]
        if missing:
            raise InputError(
                f"unknown region {missing[0]!r}; expected one of {', '.join(self.ids)}",
                field="region",
            )
        table = index.loc[region_ids].reset_index()
        return Regions(table, self.sources)


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file; expected a regions CSV with columns "
            f"{', '.join(REQUIRED_COLUMNS)}",
            field="regions",
        ) from None


def read_regions(
    path: str | Path,
    sources_path: str | Path | None = None,
    network: Network | None = None,
) -> Regions:
    """Read and validate a regions table.

    Parameters
    ----------
    path : str or Path
        CSV with columns ``region_id, name, gdp_usd_bn, node`` and optionally ``country,
        year, population_mn, population_year, source_id, population_source_id``.
        ``gdp_usd_bn`` is GDP in billion USD; ``node`` a place id (or name) of the network.
    sources_path : str or Path, optional
        CSV of sources (``id, kind, title, url, date, note``); rows without a source id, or
        a file without sources, are attributed to a ``"user"`` source.
    network : Network, optional
        When given, every node is checked (and names resolved to ids) against it.

    Returns
    -------
    Regions

    Raises
    ------
    InputError
        On a missing column, a duplicate region id, a region without GDP or with GDP not
        above 0, a negative population, a node not in the network, or a source id that is
        not in the sources table. The message names the file, row and column.
    """
    path = Path(path)
    raw = _read(path)
    sources = (
        _read(Path(sources_path))
        if sources_path is not None
        else pd.DataFrame(columns=["id", "kind", "title", "url", "date", "note"])
    )
    return validate_regions(raw, sources, network=network, origin=str(path))


def validate_regions(
    raw: pd.DataFrame,
    sources: pd.DataFrame,
    network: Network | None = None,
    origin: str = "regions.csv",
) -> Regions:
    """Validate a raw regions table (strings allowed); see :func:`read_regions`."""
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"{origin}: missing column {missing[0]!r}; expected columns "
            f"{', '.join(REQUIRED_COLUMNS)}",
            field=missing[0],
        )
    table = raw.copy()
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table.fillna("")
    for column in ("region_id", "name", "node", "country", "source_id", "population_source_id"):
        table[column] = table[column].astype(str).str.strip()
    dup = table["region_id"].duplicated()
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(
            f"{origin}, row {row + 1}: region {table['region_id'].iat[row]!r} "
            "appears twice; expected one row per region",
            field="region_id",
        )
    gdp = pd.to_numeric(table["gdp_usd_bn"].replace("", np.nan), errors="coerce")
    bad = (gdp.isna() | ~(gdp > 0)).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{origin}, row {row + 1} (region {table['region_id'].iat[row]!r}), column "
            f"'gdp_usd_bn': {table['gdp_usd_bn'].iat[row]!r} is not a GDP; expected a "
            "number of billion USD above 0",
            field="gdp_usd_bn",
        )
    table["gdp_usd_bn"] = gdp.astype(np.float64)
    population = pd.to_numeric(table["population_mn"].replace("", np.nan), errors="coerce")
    if (population < 0).any():
        row = int(np.flatnonzero((population < 0).to_numpy())[0])
        raise InputError(
            f"{origin}, row {row + 1}, column 'population_mn': expected 0 or more",
            field="population_mn",
        )
    table["population_mn"] = population
    for column in ("year", "population_year"):
        table[column] = pd.to_numeric(table[column].replace("", np.nan), errors="coerce").astype(
            "Int64"
        )
    if network is not None:
        table["node"] = [
            _resolve(network, str(v), origin, i, str(r))
            for i, (v, r) in enumerate(zip(table["node"], table["region_id"], strict=True))
        ]
    sources = sources.copy()
    for column in ("source_id", "population_source_id"):
        empty = table[column] == ""
        if column == "population_source_id":
            empty &= table["population_mn"].notna()
        table.loc[empty, column] = USER_SOURCE_ID
    used = set(table["source_id"]) | set(table["population_source_id"]) - {""}
    if USER_SOURCE_ID in used and USER_SOURCE_ID not in set(sources["id"]):
        sources = pd.concat(
            [
                sources,
                pd.DataFrame(
                    [{"id": USER_SOURCE_ID, "kind": "user", "title": "supplied by the user"}]
                ),
            ],
            ignore_index=True,
        )
    known = set(sources["id"])
    for column in ("source_id", "population_source_id"):
        values = table[column]
        bad_source = (values != "") & ~values.isin(known)
        if bad_source.any():
            row = int(np.flatnonzero(bad_source.to_numpy())[0])
            raise InputError(
                f"{origin}, row {row + 1}, column {column!r}: source "
                f"{values.iat[row]!r} is not in the sources table",
                field=column,
            )
    columns = [
        "region_id",
        "name",
        "country",
        "gdp_usd_bn",
        "year",
        "population_mn",
        "population_year",
        "node",
        "source_id",
        "population_source_id",
    ]
    return Regions(table[columns].reset_index(drop=True), sources.reset_index(drop=True))


def _resolve(network: Network, node: str, origin: str, row: int, region: str) -> str:
    from amur.errors import UnknownPlaceError

    try:
        return network.place(node)
    except UnknownPlaceError as exc:
        raise InputError(
            f"{origin}, row {row + 1} (region {region!r}), column 'node': {exc.message}",
            field="node",
        ) from None


def builtin_regions(network: Network | None = None, name: str = "northeast-asia") -> Regions:
    """The regions of a built-in dataset (its ``regions.csv`` and ``region_sources.csv``).

    Parameters
    ----------
    network : Network, optional
        Check every region's node against this network.
    name : str
        Built-in dataset name.

    Examples
    --------
    >>> from amur.impact import builtin_regions
    >>> builtin_regions().table.loc[0, "region_id"]
    'CN-HL'
    """
    from amur.data import dataset_path

    folder = dataset_path(name)
    return read_regions(folder / "regions.csv", folder / "region_sources.csv", network=network)
