"""Link-flow files: each direction's row carries its line drawn in its direction."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

import amur
from amur.io.flows import write_link_flows


def test_reverse_rows_get_reversed_geometry(tmp_path: Path) -> None:
    net = amur.load("northeast-asia")
    links = net.links.head(5)
    flows = pd.DataFrame(
        {
            "link": list(links["id"]) * 2,
            "from": list(links["from_node"]) + list(links["to_node"]),
            "to": list(links["to_node"]) + list(links["from_node"]),
            "flow_t_per_year": [1.0] * 10,
        }
    )
    write_link_flows(net, flows, tmp_path)
    back = pyogrio.read_dataframe(tmp_path / "link_flows.gpkg")
    where = net.nodes.set_index("id")[["lon", "lat"]]
    for row in back.itertuples():
        coords = list(row.geometry.coords)
        # the line starts at the row's origin and ends at its destination (to 1e-6 degree)
        assert _close(coords[0], where.loc[row[2]])
        assert _close(coords[-1], where.loc[row[3]])
    forward, backward = back.geometry.iloc[0], back.geometry.iloc[5]
    assert list(forward.coords) == list(reversed(backward.coords))
    assert (tmp_path / "link_flows.parquet").is_file()


def _close(point: tuple[float, ...], expected: pd.Series) -> bool:
    return (
        abs(point[0] - float(expected["lon"])) < 1e-6
        and abs(point[1] - float(expected["lat"])) < 1e-6
    )
