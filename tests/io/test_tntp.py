"""Tests of amur.io.tntp: the benchmark files, small files built here, and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from amur.errors import InputError
from amur.io.tntp import read_tntp_flows, read_tntp_network, read_tntp_trips

TNTP = Path(__file__).parents[2].parent / "shared" / "benchmarks" / "tntp"
needs_tntp = pytest.mark.skipif(not TNTP.is_dir(), reason=f"{TNTP} not present")

NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 3
<TOLL FACTOR> 0.5
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
\t1\t3\t100\t2.0\t1.5\t0.15\t4\t0\t3.0\t1\t;
\t3\t2\t200\t4.0\t2.5\t0.15\t4\t0\t0\t1\t;
\t2\t1\t300\t1.0\t9.0\t0.2\t2\t0\t0\t2\t;
"""

TRIPS = """<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 30.0
<END OF METADATA>

Origin 1
    1 :      0.0;     2 :    10.0;
Origin \t2
    1 :   20.0;
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_network_rows_and_metadata(tmp_path: Path) -> None:
    net = read_tntp_network(write(tmp_path, "n_net.tntp", NET))
    assert (net.n_zones, net.n_nodes, net.first_thru_node, net.n_links) == (2, 3, 3, 3)
    assert net.init_node.tolist() == [1, 3, 2]
    assert net.term_node.tolist() == [3, 2, 1]
    assert net.capacity.tolist() == [100.0, 200.0, 300.0]
    assert net.free_flow_time.tolist() == [1.5, 2.5, 9.0]
    assert net.power.tolist() == [4.0, 4.0, 2.0]
    assert net.link_type.tolist() == [1, 1, 2]
    assert net.toll_factor == 0.5 and net.distance_factor == 0.0
    assert net.fixed_cost.tolist() == [1.5, 0.0, 0.0]


def test_generalized_cost_factors_given_as_arguments(tmp_path: Path) -> None:
    net = read_tntp_network(
        write(tmp_path, "n_net.tntp", NET), toll_factor=0.0, distance_factor=0.25
    )
    assert net.fixed_cost.tolist() == [0.5, 1.0, 0.25]


def test_trips_matrix(tmp_path: Path) -> None:
    trips = read_tntp_trips(write(tmp_path, "t_trips.tntp", TRIPS))
    assert trips.tolist() == [[0.0, 10.0], [20.0, 0.0]]


def test_flows_file(tmp_path: Path) -> None:
    text = "From \tTo \tVolume \tCost \n1 \t3 \t4.5 \t1.25 \n3 \t2 \t0 \t2.5 \n"
    flows = read_tntp_flows(write(tmp_path, "f_flow.tntp", text))
    assert flows.init_node.tolist() == [1, 3]
    assert flows.volume.tolist() == [4.5, 0.0]
    assert flows.cost.tolist() == [1.25, 2.5]


@pytest.mark.parametrize("key", ["NUMBER OF ZONES", "NUMBER OF NODES", "FIRST THRU NODE"])
def test_missing_metadata_names_file_and_key(tmp_path: Path, key: str) -> None:
    path = write(
        tmp_path, "bad_net.tntp", "\n".join(line for line in NET.splitlines() if key not in line)
    )
    with pytest.raises(InputError, match=rf"bad_net\.tntp.*<{key}>"):
        read_tntp_network(path)


def test_missing_end_of_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_net.tntp", NET.replace("<END OF METADATA>", ""))
    with pytest.raises(InputError, match="END OF METADATA"):
        read_tntp_network(path)


def test_non_numeric_cell_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_net.tntp", NET.replace("\t200\t", "\tlots\t"))
    with pytest.raises(InputError, match=r"bad_net\.tntp, line 10, column capacity: 'lots'"):
        read_tntp_network(path)


def test_short_row(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_net.tntp", NET.replace("\t0\t2\t;", "\t;"))
    with pytest.raises(InputError, match="line 11: 8 cells; expected 10"):
        read_tntp_network(path)


def test_node_outside_network(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_net.tntp", NET.replace("\t3\t2\t200", "\t7\t2\t200"))
    with pytest.raises(InputError, match=r"line 10, column init_node: node 7; expected .*1\.\.3"):
        read_tntp_network(path)


def test_link_count_differs_from_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad_net.tntp", NET.replace("<NUMBER OF LINKS> 3", "<NUMBER OF LINKS> 4")
    )
    with pytest.raises(InputError, match="3 link rows; metadata <NUMBER OF LINKS> says 4"):
        read_tntp_network(path)


def test_unknown_node_in_trips(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_trips.tntp", TRIPS.replace("1 :   20.0;", "9 :   20.0;"))
    with pytest.raises(
        InputError,
        match=r"bad_trips\.tntp, line 8: destination 9 \(unknown node\); expected a zone in 1\.\.2",
    ):
        read_tntp_trips(path, n_nodes=3)


def test_unknown_origin_in_trips(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_trips.tntp", TRIPS.replace("Origin \t2", "Origin 5"))
    with pytest.raises(InputError, match="line 7: origin 5"):
        read_tntp_trips(path)


def test_bad_trip_pairs(tmp_path: Path) -> None:
    for old, new, message in [
        ("2 :    10.0;", "2     10.0;", "expected 'destination : flow'"),
        ("2 :    10.0;", "2 :    ten;", "'ten' is not a number"),
        ("2 :    10.0;", "2 :    -1;", "expected a finite number >= 0"),
        ("Origin 1\n", "", "before any 'Origin N' line"),
    ]:
        path = write(tmp_path, "bad_trips.tntp", TRIPS.replace(old, new))
        with pytest.raises(InputError, match=message):
            read_tntp_trips(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_tntp_network(tmp_path / "absent_net.tntp")


@needs_tntp
@pytest.mark.parametrize(
    ("folder", "stem", "zones", "nodes", "links", "first_thru", "total"),
    [
        ("SiouxFalls", "SiouxFalls", 24, 24, 76, 1, 360600.0),
        ("Anaheim", "Anaheim", 38, 416, 914, 39, None),
        ("Chicago-Sketch", "ChicagoSketch", 387, 933, 2950, None, None),
    ],
)
def test_benchmark_files(
    folder: str,
    stem: str,
    zones: int,
    nodes: int,
    links: int,
    first_thru: int | None,
    total: float | None,
) -> None:
    net = read_tntp_network(TNTP / folder / f"{stem}_net.tntp")
    trips = read_tntp_trips(TNTP / folder / f"{stem}_trips.tntp", n_nodes=net.n_nodes)
    flows = read_tntp_flows(TNTP / folder / f"{stem}_flow.tntp")
    assert (net.n_zones, net.n_nodes, net.n_links) == (zones, nodes, links)
    if first_thru is not None:
        assert net.first_thru_node == first_thru
    assert trips.shape == (zones, zones)
    assert flows.volume.size == links
    if total is not None:
        assert trips.sum() == pytest.approx(float(net.metadata.get("TOTAL OD FLOW", total)))
    assert np.all(net.capacity > 0)


def test_trips_cut_short_disagree_with_the_declared_total(tmp_path: Path) -> None:
    cut = TRIPS.split("Origin \t2")[0]  # the second origin's 20.0 lost: 10 read of 30
    with pytest.raises(
        InputError,
        match=r"add up to 10, but metadata <TOTAL OD FLOW> says "
        r"30",
    ) as info:
        read_tntp_trips(write(tmp_path, "cut_trips.tntp", cut))
    assert str(tmp_path / "cut_trips.tntp") in str(info.value)
    assert info.value.field == "TOTAL OD FLOW"
    # no declared total: nothing to check against
    assert (
        read_tntp_trips(
            write(tmp_path, "n_trips.tntp", cut.replace("<TOTAL OD FLOW> 30.0\n", ""))
        ).sum()
        == 10.0
    )
