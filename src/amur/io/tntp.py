"""Readers for the TNTP text format: networks, trip tables and best-known link flows.

The format is that of the "Transportation Networks for Research" collection
(github.com/bstabler/TransportationNetworks). Node and zone numbers in the files are 1-based;
the arrays returned here keep them 1-based, exactly as written, so that a reader can find a
row of the file again. :func:`amur.assign.graph.graph_from_tntp` turns them into the 0-based
arrays of an assignment graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from amur.errors import InputError

__all__ = [
    "TntpFlows",
    "TntpNetwork",
    "read_tntp_flows",
    "read_tntp_network",
    "read_tntp_trips",
]

_METADATA = re.compile(r"^\s*<([^>]+)>\s*(.*?)\s*$")
_NET_COLUMNS = (
    "init_node",
    "term_node",
    "capacity",
    "length",
    "free_flow_time",
    "b",
    "power",
    "speed",
    "toll",
    "link_type",
)


@dataclass(frozen=True)
class TntpNetwork:
    """The links of a TNTP network file, as 1-based arrays exactly as written.

    Attributes
    ----------
    path : Path
        The file read.
    n_zones, n_nodes, first_thru_node : int
        From the metadata block. Nodes numbered below ``first_thru_node`` are zones that paths
        may start and end at but not pass through.
    init_node, term_node : ndarray of int64
        Tail and head node of each link (1-based, as in the file).
    capacity : ndarray of float64
        Link capacity, in the file's flow unit (vehicles per hour in the collection).
    length : ndarray of float64
        Link length, in the file's length unit (miles, feet or km: see the network's README).
    free_flow_time : ndarray of float64
        Free-flow travel time, in the file's time unit (minutes in the collection).
    b, power : ndarray of float64
        BPR parameters: ``time = free_flow_time * (1 + b * (flow / capacity) ** power)``.
    speed, toll : ndarray of float64
        Speed limit and toll, in the file's units.
    link_type : ndarray of int64
        Link type code.
    toll_factor, distance_factor : float
        Weights of toll and length in the generalized cost
        ``travel time + toll_factor * toll + distance_factor * length`` (file's units).
    metadata : dict of str to str
        Every ``<KEY> value`` pair of the metadata block, keys upper-case.
    """

    path: Path
    n_zones: int
    n_nodes: int
    first_thru_node: int
    init_node: NDArray[np.int64]
    term_node: NDArray[np.int64]
    capacity: NDArray[np.float64]
    length: NDArray[np.float64]
    free_flow_time: NDArray[np.float64]
    b: NDArray[np.float64]
    power: NDArray[np.float64]
    speed: NDArray[np.float64]
    toll: NDArray[np.float64]
    link_type: NDArray[np.int64]
    toll_factor: float = 0.0
    distance_factor: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.init_node.size)

    @property
    def fixed_cost(self) -> NDArray[np.float64]:
        """Flow-independent part of the generalized cost, ``toll_factor * toll +
        distance_factor * length``, in the file's time unit.
        """
        return self.toll_factor * self.toll + self.distance_factor * self.length


@dataclass(frozen=True)
class TntpFlows:
    """Link flows and costs of a TNTP ``_flow.tntp`` file (1-based node numbers).

    Attributes
    ----------
    init_node, term_node : ndarray of int64
        Tail and head node of each link.
    volume : ndarray of float64
        Link flow, in the network's flow unit.
    cost : ndarray of float64
        Link travel time at that flow, in the network's time unit.
    """

    init_node: NDArray[np.int64]
    term_node: NDArray[np.int64]
    volume: NDArray[np.float64]
    cost: NDArray[np.float64]


def _read_lines(path: Path) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def _read_metadata(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    """Return the metadata pairs and the index of the first line after ``<END OF METADATA>``."""
    metadata: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _METADATA.match(line)
        if match is None:
            continue
        key = match.group(1).strip().upper()
        if key == "END OF METADATA":
            return metadata, index + 1
        metadata[key] = match.group(2)
    raise InputError(f"{path}: no <END OF METADATA> line; expected a TNTP metadata block")


def _metadata_number(
    path: Path, metadata: dict[str, str], key: str, default: float | None = None
) -> float:
    text = metadata.get(key)
    if text is None or not text.strip():
        if default is not None:
            return default
        raise InputError(f"{path}: metadata <{key}> is missing; expected a number", field=key)
    try:
        return float(text.split()[0])
    except ValueError:
        raise InputError(
            f"{path}: metadata <{key}> is {text!r}; expected a number", field=key
        ) from None


def _is_data_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("~")


def read_tntp_network(
    path: str | Path,
    toll_factor: float | None = None,
    distance_factor: float | None = None,
) -> TntpNetwork:
    r"""Read a TNTP network file (``*_net.tntp``).

    Parameters
    ----------
    path : str or Path
        The file.
    toll_factor : float, optional
        Weight of toll in the generalized cost, in time units per toll unit. Defaults to the
        metadata ``<TOLL FACTOR>`` if given, else 0.
    distance_factor : float, optional
        Weight of length in the generalized cost, in time units per length unit. Defaults to
        the metadata ``<DISTANCE FACTOR>`` if given, else 0.

    Returns
    -------
    TntpNetwork
        The links, 1-based as written.

    Raises
    ------
    InputError
        If the file cannot be read, its metadata block lacks ``<NUMBER OF ZONES>``,
        ``<NUMBER OF NODES>``, ``<FIRST THRU NODE>`` or ``<END OF METADATA>``, a row has fewer
        than 10 cells or a cell that is not a number, a node lies outside
        ``1..NUMBER OF NODES``, or the link count differs from ``<NUMBER OF LINKS>``. The
        message names the file, the line and the column.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> text = "\n".join([
    ...     "<NUMBER OF ZONES> 2", "<NUMBER OF NODES> 3", "<FIRST THRU NODE> 1",
    ...     "<NUMBER OF LINKS> 2", "<END OF METADATA>",
    ...     "~ init term capacity length fft b power speed toll type ;",
    ...     "1 3 100 1.0 2.0 0.15 4 0 0 1 ;", "3 2 100 1.0 3.0 0.15 4 0 0 1 ;"])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "tiny_net.tntp"
    ...     _ = path.write_text(text)
    ...     net = read_tntp_network(path)
    >>> net.n_links, net.free_flow_time.tolist()
    (2, [2.0, 3.0])
    """
    path = Path(path)
    lines = _read_lines(path)
    metadata, start = _read_metadata(path, lines)
    n_zones = int(_metadata_number(path, metadata, "NUMBER OF ZONES"))
    n_nodes = int(_metadata_number(path, metadata, "NUMBER OF NODES"))
    first_thru = int(_metadata_number(path, metadata, "FIRST THRU NODE"))
    n_links_meta = metadata.get("NUMBER OF LINKS")
    if toll_factor is None:
        toll_factor = _metadata_number(path, metadata, "TOLL FACTOR", 0.0)
    if distance_factor is None:
        distance_factor = _metadata_number(path, metadata, "DISTANCE FACTOR", 0.0)

    rows: list[list[float]] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if not _is_data_line(line):
            continue
        cells = line.replace(";", " ").split()
        if not cells:
            continue
        if len(cells) < len(_NET_COLUMNS):
            raise InputError(
                f"{path}, line {index + 1}: {len(cells)} cells; expected "
                f"{len(_NET_COLUMNS)} ({' '.join(_NET_COLUMNS)})"
            )
        row: list[float] = []
        for column, cell in zip(_NET_COLUMNS, cells, strict=False):
            try:
                row.append(float(cell))
            except ValueError:
                raise InputError(
                    f"{path}, line {index + 1}, column {column}: {cell!r} is not a number",
                    field=column,
                ) from None
        rows.append(row)
        _check_row(path, index + 1, row, n_nodes)
    table = np.asarray(rows, dtype=np.float64).reshape(-1, len(_NET_COLUMNS))
    if (
        n_links_meta is not None
        and n_links_meta.split()
        and table.shape[0] != int(_metadata_number(path, metadata, "NUMBER OF LINKS"))
    ):
        raise InputError(
            f"{path}: {table.shape[0]} link rows; metadata <NUMBER OF LINKS> says "
            f"{n_links_meta.split()[0]}"
        )
    return TntpNetwork(
        path=path,
        n_zones=n_zones,
        n_nodes=n_nodes,
        first_thru_node=first_thru,
        init_node=table[:, 0].astype(np.int64),
        term_node=table[:, 1].astype(np.int64),
        capacity=table[:, 2].copy(),
        length=table[:, 3].copy(),
        free_flow_time=table[:, 4].copy(),
        b=table[:, 5].copy(),
        power=table[:, 6].copy(),
        speed=table[:, 7].copy(),
        toll=table[:, 8].copy(),
        link_type=table[:, 9].astype(np.int64),
        toll_factor=float(toll_factor),
        distance_factor=float(distance_factor),
        metadata=metadata,
    )


def _check_row(path: Path, line_number: int, row: list[float], n_nodes: int) -> None:
    for column, value in zip(_NET_COLUMNS[:2], row[:2], strict=True):
        if value != int(value) or not 1 <= value <= n_nodes:
            raise InputError(
                f"{path}, line {line_number}, column {column}: node {value:g}; expected an "
                f"integer in 1..{n_nodes} (<NUMBER OF NODES>)",
                field=column,
            )
    for column, value in zip(_NET_COLUMNS[2:7], row[2:7], strict=True):
        if not np.isfinite(value) or value < 0:
            raise InputError(
                f"{path}, line {line_number}, column {column}: {value:g}; expected a finite "
                "number >= 0",
                field=column,
            )


def read_tntp_trips(path: str | Path, n_nodes: int | None = None) -> NDArray[np.float64]:
    """Read a TNTP trip table (``*_trips.tntp``) as a dense zone-by-zone matrix.

    Parameters
    ----------
    path : str or Path
        The file.
    n_nodes : int, optional
        Number of nodes of the network the trips belong to; destinations above it are
        reported as unknown nodes. Defaults to no check beyond ``<NUMBER OF ZONES>``.

    Returns
    -------
    ndarray of float64, shape (n_zones, n_zones)
        ``trips[o - 1, d - 1]`` is the demand from zone ``o`` to zone ``d``, in the network's
        flow unit (vehicles per hour in the collection).

    Raises
    ------
    InputError
        If the metadata lacks ``<NUMBER OF ZONES>``, a pair is not ``dest : flow``, a number
        cannot be read, a flow is negative or not finite, an origin or destination is not a
        zone (``1..NUMBER OF ZONES``), pairs come before the first ``Origin`` line, or the
        flows do not add up to ``<TOTAL OD FLOW>`` (within 0.01 %).
    """
    path = Path(path)
    lines = _read_lines(path)
    metadata, start = _read_metadata(path, lines)
    n_zones = int(_metadata_number(path, metadata, "NUMBER OF ZONES"))
    trips = np.zeros((n_zones, n_zones), dtype=np.float64)
    origin = 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line or line.startswith("~"):
            continue
        where = f"{path}, line {index + 1}"
        if line.lower().startswith("origin"):
            parts = line.split()
            origin = _zone(where, parts[1] if len(parts) > 1 else "", n_zones, n_nodes, "origin")
            continue
        if origin == 0:
            raise InputError(f"{where}: {line[:40]!r} before any 'Origin N' line")
        for pair in line.split(";"):
            if not pair.strip():
                continue
            dest_text, sep, flow_text = pair.partition(":")
            if not sep:
                raise InputError(f"{where}: {pair.strip()!r}; expected 'destination : flow'")
            destination = _zone(where, dest_text, n_zones, n_nodes, "destination")
            try:
                flow = float(flow_text)
            except ValueError:
                raise InputError(
                    f"{where}, flow to {destination}: {flow_text.strip()!r} is not a number"
                ) from None
            if not np.isfinite(flow) or flow < 0:
                raise InputError(
                    f"{where}, flow to {destination}: {flow:g}; expected a finite number >= 0"
                )
            trips[origin - 1, destination - 1] += flow
    _check_total(path, metadata, trips)
    return trips


#: How far the flows read may differ from ``<TOTAL OD FLOW>``: the collection's files round
#: each flow (and some their total) to a few decimals.
TOTAL_RELATIVE_TOLERANCE = 1e-4


def _check_total(path: Path, metadata: dict[str, str], trips: NDArray[np.float64]) -> None:
    """The flows read must add up to the total the header declares (a file cut short does
    not).
    """
    if not metadata.get("TOTAL OD FLOW", "").strip():
        return
    declared = _metadata_number(path, metadata, "TOTAL OD FLOW")
    read = float(trips.sum())
    if abs(read - declared) > TOTAL_RELATIVE_TOLERANCE * max(abs(declared), 1.0):
        raise InputError(
            f"{path}: the flows add up to {read:,.6g}, but metadata <TOTAL OD FLOW> says "
            f"{declared:,.6g}; is the file cut short?",
            field="TOTAL OD FLOW",
        )


def _zone(where: str, text: str, n_zones: int, n_nodes: int | None, role: str) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise InputError(f"{where}: {role} {text.strip()!r} is not a node number") from None
    if not 1 <= number <= n_zones:
        known = "" if n_nodes is None or number <= n_nodes else " (unknown node)"
        raise InputError(
            f"{where}: {role} {number}{known}; expected a zone in 1..{n_zones} (<NUMBER OF ZONES>)"
        )
    return number


def read_tntp_flows(path: str | Path) -> TntpFlows:
    """Read a TNTP link-flow file (``*_flow.tntp``: rows ``from to volume cost``).

    Parameters
    ----------
    path : str or Path
        The file. A first line of column names is skipped.

    Returns
    -------
    TntpFlows
        One row per link, in file order.

    Raises
    ------
    InputError
        If a row has fewer than four cells or a cell is not a number.
    """
    path = Path(path)
    lines = _read_lines(path)
    names = ("from", "to", "volume", "cost")
    rows: list[list[float]] = []
    for index, line in enumerate(lines):
        cells = line.replace(";", " ").split()
        if not cells or cells[0].startswith("~") or (index == 0 and cells[0].lower() == "from"):
            continue
        if len(cells) < 4:
            raise InputError(
                f"{path}, line {index + 1}: {len(cells)} cells; expected 4 (from to volume cost)"
            )
        row = []
        for name, cell in zip(names, cells, strict=False):
            try:
                row.append(float(cell))
            except ValueError:
                raise InputError(
                    f"{path}, line {index + 1}, column {name}: {cell!r} is not a number",
                    field=name,
                ) from None
        rows.append(row)
    table = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return TntpFlows(
        init_node=table[:, 0].astype(np.int64),
        term_node=table[:, 1].astype(np.int64),
        volume=table[:, 2].copy(),
        cost=table[:, 3].copy(),
    )
