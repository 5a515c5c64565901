"""Claims: the machinery on the hand-built network, and a verdict for every built-in claim."""

from __future__ import annotations

from pathlib import Path

import pytest

import amur
from amur.analysis import check_claims, read_claims
from amur.analysis.claims import FAILS, HOLDS, NEEDS_FLOWS, builtin_claims_path, within
from amur.errors import ScenarioError
from amur.network import Network

CLAIMS = """
[[claim]]
id = "river_route_is_53_hours"
statement = "Hub to Junction takes 53 h in January 2018"
source_id = "user"
scenario = "{folder}/y2018.toml"
kind = "route"
quantity = "time_h"
from = "h"
to = "be"
by = "time"
expected = 50
tolerance = 3

[[claim]]
id = "river_route_is_a_day"
statement = "Hub to Junction takes a day"
source_id = "user"
scenario = "{folder}/y2018.toml"
kind = "route"
quantity = "time_days"
from = "h"
to = "be"
by = "time"
expected = 1
tolerance_pct = 10

[[claim]]
id = "river_halves_detour"
statement = "The river crossing more than halves the distance of the gauge-break detour"
source_id = "user"
scenario = "{folder}/y2022.toml"
kind = "route_ratio"
quantity = "length_km"
from = "h"
to = "be"
via = ["hh"]
via_b = ["sf"]
by = "length"
expected = 0.4
tolerance = 0.01

[[claim]]
id = "bridge_flow"
statement = "The bridge carries 3 Mt a year"
source_id = "user"
scenario = "{folder}/y2022.toml"
kind = "flow"
quantity = "flow_t_per_year"
links = ["hh-bl-bridge"]
expected = 3000000
"""


def test_claims_on_the_hand_built_network(amur_net: Network, timeline_dir: Path) -> None:
    (timeline_dir / "claims").mkdir()
    path = timeline_dir / "claims" / "claims.toml"  # not among the scenario files
    path.write_text(CLAIMS.format(folder=timeline_dir), encoding="utf-8")
    results = {r.id: r for r in check_claims(amur_net, read_claims(path))}
    # January 2018 by ice road: 53 h (see test_scenario_seasons), inside 50 +/- 3
    assert results["river_route_is_53_hours"].verdict == HOLDS
    assert results["river_route_is_53_hours"].value == pytest.approx(53.0)
    # 53 h is 2.21 days, outside 1 day +/- 10 %
    assert results["river_route_is_a_day"].verdict == FAILS
    assert (results["river_route_is_a_day"].low, results["river_route_is_a_day"].high) == (
        pytest.approx(0.9),
        pytest.approx(1.1),
    )
    # no month: every seasonal link runs, so the shortest river route takes the 4 km ice road:
    # 604 km / 1525 km via the gauge break = 0.3961, inside 0.40 +/- 0.01
    ratio = results["river_halves_detour"]
    assert ratio.value == pytest.approx(604 / 1525)
    assert ratio.verdict == HOLDS
    assert results["bridge_flow"].verdict == NEEDS_FLOWS and results["bridge_flow"].value is None


@pytest.mark.parametrize(
    ("value", "expected", "tolerance", "holds"),
    [
        (0.6, 0.5, 0.1, True),  # on the bound (0.6 - 0.5 is 0.09999999999999998 in floats)
        (0.4, 0.5, 0.1, True),
        (0.61, 0.5, 0.1, False),
        (9784.8, 9820, 491.0, True),
        (15.0, 15.0, 0.0, True),
        (15.000001, 15.0, 0.0, False),
    ],
)
def test_tolerance_arithmetic(value: float, expected: float, tolerance: float, holds: bool) -> None:
    assert within(value, expected, tolerance) is holds


def test_bad_claims_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(
        '[[claim]]\nid = "x"\nstatement = "s"\nsource_id = "u"\nscenario = "2018"\n'
        'kind = "guess"\nquantity = "length_km"\nexpected = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="claim\\[0\\], key 'kind': 'guess'"):
        read_claims(path)


def test_builtin_claims_all_get_a_verdict_with_numbers() -> None:
    net = amur.load("northeast-asia")
    claims = read_claims(builtin_claims_path())
    results = check_claims(net, claims)
    assert [r.id for r in results] == [c.id for c in claims]
    assert {
        "primorye_halves_journey",
        "harbin_hamburg_length",
        "harbin_hamburg_days",
        "amur_bridge_cargo",
    } <= {r.id for r in results}
    source_ids = set(net.sources["id"])
    for r in results:
        assert r.verdict in (HOLDS, FAILS, NEEDS_FLOWS), (r.id, r.verdict, r.detail)
        assert r.source_id in source_ids
        if r.verdict != NEEDS_FLOWS:
            assert r.value is not None and r.detail
    by_id = {r.id: r for r in results}
    # evaluated on the assigned built-in demand in 2022 (issue 4); the verdict is a finding
    bridge = by_id["amur_bridge_cargo"]
    assert bridge.verdict in (HOLDS, FAILS) and bridge.value is not None and bridge.value >= 0
