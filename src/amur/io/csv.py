"""A network as a folder of CSV files: nodes.csv, links.csv, sources.csv (and parameters.csv,
services.csv).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from amur.errors import InputError
from amur.io.atomic import check_target, write_text
from amur.network import Network, open_border_pair
from amur.network.regimes import CUSTOMS_UNION_PREFIX, CustomsUnion, parse_union

_FILES = ("nodes", "links", "sources")


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV file as strings, with a clear error where it cannot be read.

    Raises
    ------
    InputError
        If the file is missing, empty, not UTF-8, or not a well-formed CSV table.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file", field=str(path))
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{path}: the file is empty; expected a header row and data", field=str(path)
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: not a well-formed CSV table ({exc})", field=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})", field=str(path)) from None
    return frame


def read_parameters(path: Path) -> dict[str, float]:
    """Read ``parameters.csv`` (columns name, value, unit, source_id) into a dict.

    A row named ``open_border:AA-BB`` (two ISO country codes) says the border between the
    two countries has no controls from the year in ``value`` on (a customs union): links
    across it get no border arc. A row named ``customs_union:NAME`` declares a customs
    union with its members (see :func:`read_unions`).

    Raises
    ------
    InputError
        If a value is not a number, an ``open_border`` name is not of that form, or a
        customs union names an unknown country.
    """
    if not path.is_file():
        return {}
    frame = read_table(path)
    out: dict[str, float] = {}
    for row, (name, value) in enumerate(zip(frame["name"], frame["value"], strict=True)):
        try:
            out[str(name)] = float(value)
        except (TypeError, ValueError):
            raise InputError(
                f"{path}, row {row + 1} ({name!r}), column 'value': {value!r} is not a number",
                field="value",
            ) from None
        try:
            open_border_pair(str(name))
        except ValueError as exc:
            raise InputError(f"{path}, row {row + 1}, column 'name': {exc}", field="name") from None
    read_unions(path)
    return out


def read_unions(path: Path) -> tuple[CustomsUnion, ...]:
    """The customs unions declared in ``parameters.csv``.

    A row named ``customs_union:NAME`` has the year internal controls ended in ``value``
    and the member countries in ``members``, ISO codes separated by ``|``, a later member
    with its year: ``RU|BY|KZ|AM=2015``.

    Raises
    ------
    InputError
        If a union has no members, names an unknown country code or gives a bad year; the
        message names the file, row and column.
    """
    if not path.is_file():
        return ()
    frame = read_table(path)
    members = frame["members"] if "members" in frame.columns else [None] * len(frame)
    sources = frame["source_id"] if "source_id" in frame.columns else [None] * len(frame)
    unions = []
    for row, (name, value, listed, source) in enumerate(
        zip(frame["name"], frame["value"], members, sources, strict=True)
    ):
        if str(name).startswith(CUSTOMS_UNION_PREFIX):
            unions.append(
                parse_union(
                    str(name),
                    float(value),
                    listed,
                    f"{path}, row {row + 1}",
                    source if isinstance(source, str) else "",
                )
            )
    return tuple(unions)


def read_network(folder: str | os.PathLike[str], name: str | None = None) -> Network:
    """Read a network from a folder holding ``nodes.csv`` and ``links.csv``.

    Parameters
    ----------
    folder : path
        Folder with ``nodes.csv``, ``links.csv`` and optionally ``sources.csv``,
        ``parameters.csv`` and ``services.csv`` (scheduled services; UTF-8, comma-separated,
        one header row).
    name : str, optional
        Name of the network; the folder's name by default.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        If a file is missing or malformed, or the tables break the schema; the message names
        the file, row and column.

    Examples
    --------
    A folder of your own with ``nodes.csv``, ``links.csv`` and ``sources.csv``::

        from amur.io import read_network
        net = read_network("my_network/")
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(
            f"{root}: no such folder; expected a folder with nodes.csv and links.csv",
            field="network",
        )
    nodes = read_table(root / "nodes.csv")
    links = read_table(root / "links.csv")
    sources_path = root / "sources.csv"
    sources = read_table(sources_path) if sources_path.is_file() else None
    regimes_path = root / "regimes.csv"
    regimes = read_table(regimes_path) if regimes_path.is_file() else None
    services_path = root / "services.csv"
    services = read_table(services_path) if services_path.is_file() else None
    params = read_parameters(root / "parameters.csv")
    unions = read_unions(root / "parameters.csv")
    net = Network.from_frames(
        nodes,
        links,
        sources,
        name=name or root.name,
        origin=str(root),
        regimes=regimes,
        unions=unions,
        services=services,
    )
    known = set(net.sources["id"])
    for union in unions:
        if union.source_id and union.source_id not in known:
            raise InputError(
                f"{root / 'parameters.csv'}: customs_union:{union.name}, column "
                f"'source_id': source {union.source_id!r} is not in "
                f"{root / 'sources.csv'}",
                field="source_id",
            )
    if params:
        net.parameters.update(params)
    return net


def write_network(net: Network, folder: str | os.PathLike[str]) -> Path:
    """Write a network as a folder of CSV files that :func:`read_network` reads back.

    Each file is written atomically (:mod:`amur.io.atomic`), so a failure never leaves a
    half-written file.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    root = Path(folder)
    texts = {
        f"{table}.csv": getattr(net, table).to_csv(index=False, quoting=csv.QUOTE_MINIMAL)
        for table in _FILES
    }
    if len(net.regimes):
        texts["regimes.csv"] = net.regimes.to_csv(index=False, quoting=csv.QUOTE_MINIMAL)
    if len(net.services):
        texts["services.csv"] = net.services.to_csv(index=False, quoting=csv.QUOTE_MINIMAL)
    if net.parameters or net.unions:
        texts["parameters.csv"] = _parameters_frame(net).to_csv(index=False)
    for name in texts:
        check_target(root / name, field="folder")
    for name, text in texts.items():
        write_text(root / name, text, field="folder")
    if not (net.parameters or net.unions):
        (root / "parameters.csv").unlink(missing_ok=True)
    if not len(net.regimes):
        (root / "regimes.csv").unlink(missing_ok=True)
    if not len(net.services):
        (root / "services.csv").unlink(missing_ok=True)
    return root


def _parameters_frame(net: Network) -> pd.DataFrame:
    """parameters.csv rows: the parameters, then each customs union with its members."""
    rows = [
        {"name": k, "value": v, "members": "", "source_id": ""}
        for k, v in net.parameters.items()
        if not k.startswith(CUSTOMS_UNION_PREFIX)
    ]
    for union in net.unions:
        members = "|".join(
            code if joined == union.since else f"{code}={joined}" for code, joined in union.members
        )
        rows.append(
            {
                "name": f"{CUSTOMS_UNION_PREFIX}{union.name}",
                "value": union.since,
                "members": members,
                "source_id": union.source_id,
            }
        )
    return pd.DataFrame(rows)
