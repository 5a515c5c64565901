"""Applying scenarios: a new network each time, the base untouched, bases applied first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amur.network import Network
from amur.scenarios import Edit, Scale, Scenario, apply, load_scenario
from amur.scenarios.apply import _apply_cached
from scenario_helpers import amur_frames, amur_network, write

LINK_IDS = amur_frames()[1]["id"].tolist()
NODE_IDS = amur_frames()[0]["id"].tolist()


def _snapshot(net: Network) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return net.nodes.copy(deep=True), net.links.copy(deep=True), net.sources.copy(deep=True)


def _same(net: Network, snap: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    pd.testing.assert_frame_equal(net.nodes, snap[0])
    pd.testing.assert_frame_equal(net.links, snap[1])
    pd.testing.assert_frame_equal(net.sources, snap[2])


def test_apply_returns_a_new_network_and_leaves_the_base(amur_net: Network, tmp_path: Path) -> None:
    snap = _snapshot(amur_net)
    text = (
        'name = "x"\nyear = 2022\n[links]\nremove = ["h-sf"]\n[[links.change]]\n'
        'id = "h-hh"\nspeed_kmh = 100\nsource_id = "src_a"\n[[nodes.change]]\nid = "hh"\n'
        'border_time_h = 1\n[[scale]]\nmode = "rail"\ncost = 2\n'
    )
    applied = apply(amur_net, load_scenario(write(tmp_path, "x", text), amur_net))
    _same(amur_net, snap)
    new = applied.network
    assert new is not amur_net and applied.year == 2022
    assert "h-sf" not in set(new.links["id"])
    row = new.links.set_index("id").loc["h-hh"]
    assert row["speed_kmh"] == 100.0
    assert row["cost_usd_per_teu_km"] == 1.0  # 0.5 scaled by 2
    assert row["ops_source_id"] == "scenario:x"  # the scale (no source) came last
    assert new.nodes.set_index("id").loc["hh", "border_time_h"] == 1.0
    # an edit without a source is attributed to the scenario itself
    assert new.nodes.set_index("id").loc["hh", "ops_source_id"] == "scenario:x"
    assert "scenario:x" in set(new.sources["id"])


def test_changed_status_is_attributed_to_its_source(amur_net: Network, tmp_path: Path) -> None:
    text = 'name = "x"\n[[links.change]]\nid = "be-x"\nstatus = "operating"\nsource_id = "src_a"\n'
    new = apply(amur_net, load_scenario(write(tmp_path, "x", text), amur_net)).network
    row = new.links.set_index("id").loc["be-x"]
    assert row["status"] == "operating" and row["source_id"] == "src_a"
    assert new.in_service()[list(new.links["id"]).index("be-x")]
    assert not amur_net.in_service()[list(amur_net.links["id"]).index("be-x")]


def test_scale_divides_fixed_times(amur_net: Network) -> None:
    scenario = Scenario("fast-ice", scales=(Scale("ice_road", speed=2.0),))
    new = apply(amur_net, scenario).network
    assert new.links.set_index("id").loc["hh-bl-ice", "time_h"] == 0.5
    assert new.links.set_index("id").loc["hh-bl-ferry", "time_h"] == 2.0


def test_base_chain_applies_the_base_first(amur_net: Network, tmp_path: Path) -> None:
    write(
        tmp_path,
        "base",
        'name = "base"\nyear = 2018\nmonth = 7\n[[links.change]]\n'
        'id = "h-hh"\nspeed_kmh = 25\n[[links.change]]\nid = "bl-be"\nspeed_kmh = 25\n',
    )
    child = write(
        tmp_path,
        "child",
        'name = "child"\nbase = "base"\nyear = 2022\n'
        '[[links.change]]\nid = "h-hh"\nspeed_kmh = 100\n',
    )
    scenario = load_scenario(child, amur_net)
    assert [s.name for s in scenario.chain()] == ["base", "child"]
    applied = apply(amur_net, scenario)
    links = applied.network.links.set_index("id")
    assert links.loc["h-hh", "speed_kmh"] == 100.0  # the child's edit wins
    assert links.loc["bl-be", "speed_kmh"] == 25.0  # the base's edit stays
    assert (applied.year, applied.month) == (2022, 7)  # month inherited from the base


def test_three_level_chain_inherits_year(amur_net: Network, tmp_path: Path) -> None:
    write(tmp_path, "a", 'name = "a"\nyear = 2015\n')
    write(tmp_path, "b", 'name = "b"\nbase = "a"\n')
    scenario = load_scenario(write(tmp_path, "c", 'name = "c"\nbase = "b"\n'), amur_net)
    assert scenario.effective_year == 2015 and apply(amur_net, scenario).year == 2015


def test_an_unknown_base_of_a_hand_built_scenario_is_an_error(amur_net: Network) -> None:
    import pytest

    from amur.errors import ScenarioError

    with pytest.raises(ScenarioError, match="base scenario 'other' does not exist"):
        apply(amur_net, Scenario("x", base="other"))


def test_apply_resolves_a_builtin_base() -> None:
    import amur
    from amur.scenarios import scenario_from_dict

    net = amur.load("northeast-asia")
    scenario = scenario_from_dict({"name": "mine", "base": "2018", "month": 1})
    applied = apply(net, scenario)
    assert (applied.year, applied.month) == (2018, 1)


_edit = st.one_of(
    st.builds(
        lambda i, v: Edit("links", "change", i, (("speed_kmh", v),)),
        st.sampled_from(LINK_IDS),
        st.floats(1.0, 200.0),
    ),
    st.builds(
        lambda i, v: Edit("links", "change", i, (("status", v),)),
        st.sampled_from(LINK_IDS),
        st.sampled_from(["operating", "closed", "planned"]),
    ),
    st.builds(
        lambda i, v: Edit("links", "change", i, (("months", v),)),
        st.sampled_from(LINK_IDS),
        st.sampled_from(["all", "5-10", "12-3", "1,2"]),
    ),
    st.builds(
        lambda i, v: Edit("nodes", "change", i, (("border_time_h", v),)),
        st.sampled_from(NODE_IDS),
        st.floats(0.0, 100.0),
    ),
    st.builds(lambda i: Edit("links", "remove", i), st.sampled_from(LINK_IDS)),
)
_scale = st.builds(
    Scale, st.sampled_from(["rail", "road", "ice_road"]), st.floats(0.1, 5.0), st.floats(0.1, 5.0)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(_edit, max_size=6, unique_by=lambda e: (e.action == "remove", e.id)),
    scales=st.lists(_scale, max_size=2),
)
def test_any_scenario_leaves_the_base_unchanged_and_is_deterministic(
    edits: list[Edit], scales: list[Scale]
) -> None:
    removed = {e.id for e in edits if e.action == "remove"}
    edits = [e for e in edits if e.action == "remove" or e.id not in removed]
    net = amur_network()
    snap = _snapshot(net)
    scenario = Scenario("random", edits=tuple(edits), scales=tuple(scales))
    first = _apply_cached.__wrapped__(net, scenario)  # type: ignore[attr-defined]
    second = _apply_cached.__wrapped__(net, scenario)  # type: ignore[attr-defined]
    _same(net, snap)
    assert first.network is not second.network
    pd.testing.assert_frame_equal(first.network.links, second.network.links)
    pd.testing.assert_frame_equal(first.network.nodes, second.network.nodes)
    pd.testing.assert_frame_equal(first.network.sources, second.network.sources)
    assert len(first.network.links) == len(net.links) - len(removed)
