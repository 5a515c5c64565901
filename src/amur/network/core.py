"""The physical network: places (nodes), links between them, and the sources of their figures."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network.checks import _check_geometry, _check_months, _check_names, _check_range
from amur.network.defaults import USER_SOURCE_ID as USER_SOURCE_ID
from amur.network.defaults import _fill_defaults
from amur.network.places import Places, winter_hours
from amur.network.regimes import CustomsUnion, check_regimes, empty_regimes
from amur.network.schema import (
    LINK_COLUMNS,
    NODE_COLUMNS,
    REGIME_COLUMNS,
    SERVICE_COLUMNS,
    SOURCE_COLUMNS,
    Mode,
    Status,
)
from amur.network.services import empty_services, validate_services
from amur.network.validate import (
    check_identifiers,
    coerce_table,
    open_border_pair,
    parse_months,
)


@dataclass(frozen=True, eq=False)
class Network:
    """A multimodal freight network as three typed tables.

    Build one with :meth:`Network.from_frames` (which validates), with
    :func:`amur.io.read_network`, or load the built-in one with ``amur.load``.

    Attributes
    ----------
    nodes : pandas.DataFrame
        One row per place; columns of ``amur.network.schema.NODE_COLUMNS``.
    links : pandas.DataFrame
        One row per link; columns of ``amur.network.schema.LINK_COLUMNS``. A link with
        ``bidirectional`` true runs both ways with the same figures.
    sources : pandas.DataFrame
        One row per source; every ``source_id`` and ``ops_source_id`` resolves here.
    name : str
        Name of the network (``"northeast-asia"`` for the built-in one).
    parameters : dict of str to float
        Network-wide figures such as ``t_per_teu`` (average loaded tonnes per TEU), read
        from ``parameters.csv`` beside the tables.
    regimes : pandas.DataFrame
        Border, gauge-change and port regimes by place, mode and direction (columns of
        ``amur.network.schema.REGIME_COLUMNS``); empty when the network has none, and then
        the nodes' own border, gauge-change and handling columns apply.
    unions : tuple of CustomsUnion
        Customs unions: no border arc between two members (``customs_union:EU`` in
        parameters.csv).
    origin : str or None
        The folder or file the tables were read from (where a dataset's demand, corridors
        and scenarios are found beside them), if any.
    services : pandas.DataFrame
        One row per scheduled service (block train, sailing); columns of
        ``amur.network.schema.SERVICE_COLUMNS``; empty when the network has none.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    sources: pd.DataFrame
    name: str = "network"
    parameters: dict[str, float] = field(default_factory=dict)
    regimes: pd.DataFrame = field(default_factory=empty_regimes)
    unions: tuple[CustomsUnion, ...] = ()
    origin: str | None = None
    services: pd.DataFrame = field(default_factory=empty_services)

    @classmethod
    def from_frames(
        cls,
        nodes: pd.DataFrame,
        links: pd.DataFrame,
        sources: pd.DataFrame | None = None,
        name: str = "network",
        origin: str | None = None,
        regimes: pd.DataFrame | None = None,
        unions: tuple[CustomsUnion, ...] = (),
        services: pd.DataFrame | None = None,
    ) -> Network:
        """Validate the raw tables and build a network from them.

        Parameters
        ----------
        nodes, links : pandas.DataFrame
            Tables with (at least) the required columns of the schema; cells may be strings.
        sources : pandas.DataFrame, optional
            The sources; when absent, figures without a source id are attributed to a
            ``"user"`` source.
        name : str
            Name of the network.
        origin : str, optional
            Where the tables came from (a folder or file), used in error messages.
        regimes : pandas.DataFrame, optional
            Border, gauge-change and port regimes (``regimes.csv``); none by default.
        unions : tuple of CustomsUnion
            Customs unions declared in the network's parameters.
        services : pandas.DataFrame, optional
            Scheduled services (``services.csv``); none when absent.

        Returns
        -------
        Network

        Raises
        ------
        InputError
            On any table that breaks the schema: see :func:`amur.network.validate_network`.
        """
        prefix = f"{origin}/" if origin else ""
        node_frame = coerce_table(nodes, NODE_COLUMNS, f"{prefix}nodes.csv")
        link_frame = coerce_table(links, LINK_COLUMNS, f"{prefix}links.csv")
        if sources is None:
            sources = pd.DataFrame(columns=[c.name for c in SOURCE_COLUMNS])
        source_frame = coerce_table(sources, SOURCE_COLUMNS, f"{prefix}sources.csv")
        service_frame = (
            empty_services()
            if services is None
            else coerce_table(services, SERVICE_COLUMNS, f"{prefix}services.csv")
        )
        node_frame, link_frame, source_frame, service_frame = _fill_defaults(
            node_frame, link_frame, source_frame, service_frame
        )
        regime_frame = empty_regimes()
        if regimes is not None:
            regime_frame = coerce_table(regimes, REGIME_COLUMNS, f"{prefix}regimes.csv")
        net = cls(
            node_frame,
            link_frame,
            source_frame,
            name=name,
            regimes=regime_frame,
            unions=tuple(unions),
            origin=origin,
            services=service_frame,
        )
        validate_network(net, prefix)
        if len(regime_frame):
            checked = check_regimes(
                regime_frame,
                node_frame,
                source_frame,
                f"{prefix}regimes.csv",
                f"{prefix}nodes.csv",
                f"{prefix}sources.csv",
            )
            object.__setattr__(net, "regimes", checked)
        validate_services(
            service_frame,
            node_frame["id"].tolist(),
            source_frame["id"].tolist(),
            f"{prefix}services.csv",
        )
        return net

    # -- places -----------------------------------------------------------------------------

    @cached_property
    def places(self) -> Places:
        """The places by id, name and alias (:class:`~amur.network.places.Places`)."""
        return Places(self.name, self.nodes["id"], self.nodes["name"], self.nodes["aliases"])

    @property
    def node_index(self) -> dict[str, int]:
        """Position of each node id in :attr:`nodes`."""
        return self.places.index

    def place(self, query: str) -> str:
        """The node id of a place given by id, English name or alias, case-insensitively
        (``"Harbin"``, ``"哈尔滨"``); see :meth:`amur.network.places.Places.place`.

        Raises
        ------
        UnknownPlaceError
            If nothing matches; the message suggests the closest names.
        """
        return self.places.place(query)

    def without_places(self, places: Sequence[str]) -> Network:
        """The network with every link at these places closed: the places are avoided.

        Parameters
        ----------
        places : sequence of str
            Place ids, names or aliases.

        Returns
        -------
        Network
            A new network (this one is unchanged); itself when ``places`` is empty.

        Raises
        ------
        UnknownPlaceError
            If a place is not in the network.

        Examples
        --------
        >>> import amur
        >>> net = amur.load("northeast-asia").without_places(["Brest"])
        >>> bool((net.links.loc[net.links["to_node"] == "malaszewicze", "status"]
        ...       == "closed").all())
        True
        """
        ids = {self.place(p) for p in places}
        if not ids:
            return self
        links = self.links.copy()
        at = (links["from_node"].isin(ids) | links["to_node"].isin(ids)).to_numpy()
        links.loc[at, "status"] = Status.CLOSED.value
        return dataclasses.replace(self, links=links)

    def place_name(self, node_id: str) -> str:
        """English name of the node with this id."""
        return self.places.place_name(node_id)

    # -- time and season --------------------------------------------------------------------

    def in_service(self, year: int | None = None, month: int | None = None) -> np.ndarray:
        """Which links run in a given year and month.

        Parameters
        ----------
        year : int, optional
            Calendar year. A link runs in ``year`` if its status is ``operating``, it opened
            in or before ``year`` (or its opening year is unknown) and it had not closed.
            Without a year, every ``operating`` link runs.
        month : int, optional
            Month 1-12; a seasonal link runs only in the months of its ``months`` field.

        Returns
        -------
        numpy.ndarray of bool
            One flag per row of :attr:`links`.
        """
        links = self.links
        ok = (links["status"] == Status.OPERATING.value).to_numpy(dtype=bool).copy()
        if year is not None:
            opened = links["opened"].to_numpy(dtype="float64", na_value=np.nan)
            closed = links["closed"].to_numpy(dtype="float64", na_value=np.nan)
            ok &= np.isnan(opened) | (opened <= year)
            ok &= np.isnan(closed) | (closed > year)
        if month is not None:
            if not 1 <= int(month) <= 12:
                raise InputError(f"month {month} is out of range; expected 1 to 12", "month")
            bit = 1 << (int(month) - 1)
            masks = links["months"].map(parse_months).to_numpy(dtype=np.int64)
            ok &= (masks & bit) != 0
        return ok

    def open_borders(self, year: int | None = None) -> set[frozenset[str]]:
        """Country pairs whose common border has no controls in a year (a customs union).

        From the ``open_border:AA-BB`` parameters, whose value is the year controls ended;
        without a year, every such border counts as open.
        """
        out = set()
        for name, since in self.parameters.items():
            pair = open_border_pair(name)
            if pair is not None and (year is None or year >= since):
                out.add(pair)
        return out

    def open_border_mask(
        self, from_country: np.ndarray, to_country: np.ndarray, year: int | None = None
    ) -> np.ndarray:
        """Which crossings between two countries have no border controls in a year.

        A crossing is open if its two countries share an open border
        (``open_border:AA-BB``) or both belong to one customs union in that year
        (``customs_union:EU``; without a year, every member counts).

        Parameters
        ----------
        from_country, to_country : numpy.ndarray of str
            ISO codes of the two ends of each crossing.
        year : int, optional
            Calendar year.

        Returns
        -------
        numpy.ndarray of bool
            One flag per crossing.
        """
        a = np.asarray(from_country, dtype=object)
        b = np.asarray(to_country, dtype=object)
        open_ = np.zeros(len(a), dtype=bool)
        for pair in self.open_borders(year):
            codes = list(pair)
            open_ |= np.isin(a, codes) & np.isin(b, codes) & (a != b)
        for union in self.unions:
            members = list(union.members_in(year))
            open_ |= np.isin(a, members) & np.isin(b, members)
        return open_

    def winter_time(self, month: int | None) -> np.ndarray:
        """Extra hours for a change of mode at each node in a month (its winter regime).

        Parameters
        ----------
        month : int or None
            Month 1-12; without one (no season asked for), no node has a winter regime.

        Returns
        -------
        numpy.ndarray of float64
            One value per row of :attr:`nodes`, 0 where no regime applies.
        """
        return winter_hours(self.winter_masks, self.winter_hours_column, month)

    @cached_property
    def winter_masks(self) -> np.ndarray:
        """Each node's winter months as bits (bit ``m - 1`` for month ``m``), 0 for none."""
        masks = self.nodes["winter_months"].map(
            lambda text: parse_months(text) if isinstance(text, str) and text else 0
        )
        return masks.to_numpy(dtype=np.int64)

    @cached_property
    def winter_hours_column(self) -> np.ndarray:
        """Each node's extra hours for a change of mode in its winter months, 0 for none."""
        hours = self.nodes["winter_time_h"].to_numpy(dtype=np.float64, na_value=np.nan)
        return np.asarray(np.nan_to_num(hours), dtype=np.float64)

    def services_running(self, year: int | None = None, month: int | None = None) -> np.ndarray:
        """Which services run in a year and month (see
        :func:`amur.network.services.services_running`): one flag per row of
        :attr:`services`.
        """
        from amur.network.services import services_running

        if month is not None and not 1 <= int(month) <= 12:
            raise InputError(f"month {month} is out of range; expected 1 to 12", "month")
        return services_running(self.services, year, month)

    def __repr__(self) -> str:
        extra = f", {len(self.services)} services" if len(self.services) else ""
        return (
            f"Network({self.name!r}: {len(self.nodes)} nodes, {len(self.links)} links"
            f"{extra}, {len(self.sources)} sources)"
        )


def validate_network(net: Network, prefix: str = "") -> None:
    """Check the relations between a network's tables.

    Raises
    ------
    InputError
        On a duplicate or non-snake_case node id, a duplicate link id, a link to an unknown
        node, a link from a node to itself, a rail link without gauge or a gauge on a
        non-rail link, a link with neither speed nor fixed time, a latitude or longitude out
        of range, a months field that does not parse, a closing year before the opening
        year, or a source id that is not in the sources table.
    """
    nodes_at, links_at, sources_at = (f"{prefix}{t}.csv" for t in ("nodes", "links", "sources"))
    nodes, links, sources = net.nodes, net.links, net.sources
    check_identifiers(nodes, nodes_at, snake_case=True)
    check_identifiers(links, links_at, snake_case=False)
    check_identifiers(sources, sources_at, snake_case=False)
    _check_range(nodes, "lat", 90.0, nodes_at)
    _check_range(nodes, "lon", 180.0, nodes_at)
    known = set(nodes["id"])
    for column in ("from_node", "to_node"):
        unknown = ~links[column].isin(known).to_numpy()
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            value = links[column].iloc[row]
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column {column!r}: "
                f"unknown node {value!r}; expected an id from {nodes_at}{hint}",
                field=column,
            )
    loops = (links["from_node"] == links["to_node"]).to_numpy()
    if loops.any():
        row = int(np.flatnonzero(loops)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}): starts and ends at "
            f"{links['from_node'].iloc[row]!r}; expected two different nodes",
            field="to_node",
        )
    is_rail = (links["mode"] == Mode.RAIL.value).to_numpy()
    has_gauge = links["gauge"].notna().to_numpy()
    for mask, problem in (
        (
            is_rail & ~has_gauge,
            "a rail link without a gauge; expected 1435, 1520, 1067, 1000 or dual",
        ),
        (~is_rail & has_gauge, "a gauge on a link that is not rail; expected an empty gauge"),
    ):
        if mask.any():
            row = int(np.flatnonzero(mask)[0])
            raise InputError(
                f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column 'gauge': "
                f"{problem}",
                field="gauge",
            )
    no_time = (links["speed_kmh"].isna() & links["time_h"].isna()).to_numpy()
    if no_time.any():
        row = int(np.flatnonzero(no_time)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}): neither speed_kmh nor "
            "time_h is given; expected one of them",
            field="speed_kmh",
        )
    _check_months(links, "months", links_at, "'all', a range like '5-10' or a list like '1,2,3'")
    _check_names(nodes, nodes_at)
    _check_geometry(links, links_at)
    opened = links["opened"].to_numpy(dtype="float64", na_value=np.nan)
    closed = links["closed"].to_numpy(dtype="float64", na_value=np.nan)
    bad_years = closed < opened
    if bad_years.any():
        row = int(np.flatnonzero(bad_years)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column 'closed': "
            f"{int(closed[row])} is before the opening year {int(opened[row])}",
            field="closed",
        )
    _check_months(nodes, "winter_months", nodes_at, "a range like '12-3' or a list like '1,2'")
    lonely = (nodes["winter_time_h"].notna() & nodes["winter_months"].isna()).to_numpy()
    if lonely.any():
        row = int(np.flatnonzero(lonely)[0])
        raise InputError(
            f"{nodes_at}, row {row + 1} (id {nodes['id'].iloc[row]!r}), column "
            "'winter_time_h': given without winter_months; expected the months it applies in",
            field="winter_months",
        )
    known_sources = set(sources["id"])
    for frame, where, columns in (
        (nodes, nodes_at, ("source_id", "ops_source_id", "winter_source_id")),
        (links, links_at, ("source_id", "ops_source_id")),
    ):
        for column in columns:
            values = frame[column]
            bad = (values.notna() & ~values.isin(known_sources)).to_numpy()
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"{where}, row {row + 1} (id {frame['id'].iloc[row]!r}), column "
                    f"{column!r}: source {values.iloc[row]!r} is not in {sources_at}",
                    field=column,
                )
