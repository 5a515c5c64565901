"""OD estimation from counts recovers a synthetic truth and improves on its prior."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amur.assign.multimodal import assign_network, build_network_graph
from amur.assign.options import AssignmentOptions
from amur.demand.estimate import estimate_demand, geh
from amur.graph.expand import expand
from amur.network import Network


def _star() -> tuple[Network, list[str]]:
    """A hub with four spokes: each OD pair's path is fixed, counted by its two spokes."""
    ids = ["hub", "a", "b", "c", "d"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "country": "CN",
            "lat": [45, 46, 44, 45, 45],
            "lon": [126, 126, 126, 127, 125],
            "kind": ["junction"] + ["city"] * 4,
        }
    )
    links = pd.DataFrame(
        {
            "id": [f"hub-{z}" for z in ids[1:]],
            "from_node": "hub",
            "to_node": ids[1:],
            "mode": "rail",
            "gauge": "1435",
            "length_km": 100.0,
            "speed_kmh": 50.0,
            "cost_usd_per_teu_km": 1.0,
            "capacity_t_per_year": 1e9,
        }
    )
    return Network.from_frames(nodes, links, name="star"), ids[1:]


def test_recovers_truth_from_its_own_counts() -> None:
    net, zones = _star()
    ng = build_network_graph(expand(net), zones)
    truth = np.array([[0, 5, 1, 2], [3, 0, 4, 1], [2, 2, 0, 6], [1, 3, 2, 0]], float) * 1e5
    flows = assign_network(ng, truth, AssignmentOptions("b", 1e-8)).links
    counts = pd.DataFrame(
        {
            "id": [f"{r['from']}>{r['to']}" for r in flows.to_dict("records")],
            "link": flows["link"],
            "from": "",
            "to": "",
            "direction": "both",
            "value_t_per_year": 0.0,
        }
    )
    # direction-specific counts: one per link direction
    counts["from"], counts["to"], counts["link"] = flows["from"], flows["to"], ""
    counts["direction"] = "forward"
    counts["value_t_per_year"] = flows["flow_t_per_year"].to_numpy()
    rng = np.random.default_rng(1)
    prior = truth * rng.uniform(0.5, 2.0, truth.shape)
    est = estimate_demand(ng, prior, counts, outer_iterations=3, inner_iterations=2000, damping=0.5)
    assert est.fit.table["geh"].max() < 0.05
    assert est.fit.table["geh"].mean() < est.prior_fit.table["geh"].mean()
    assert est.fit.r2 > 0.9999
    # 12 unknowns, 8 counts: not identified, but the counts are matched and the row/column
    # sums (origin and destination totals) recovered
    np.testing.assert_allclose(est.demand.sum(axis=1), truth.sum(axis=1), rtol=1e-3)
    np.testing.assert_allclose(est.demand.sum(axis=0), truth.sum(axis=0), rtol=1e-3)


def test_recovers_identified_matrix_exactly() -> None:
    net, zones = _star()
    ng = build_network_graph(expand(net), zones)
    truth = np.zeros((4, 4))
    truth[0, 1], truth[2, 3] = 7e5, 3e5  # each OD pair alone on its spokes: identified
    flows = assign_network(ng, truth, AssignmentOptions("b", 1e-8)).links
    counts = pd.DataFrame(
        {
            "id": flows["link"] + flows["from"],
            "link": "",
            "from": flows["from"],
            "to": flows["to"],
            "direction": "forward",
            "value_t_per_year": np.maximum(flows["flow_t_per_year"], 1.0),
        }
    )
    prior = np.where(truth > 0, 1e5, 0.0)
    est = estimate_demand(ng, prior, counts[flows["flow_t_per_year"].to_numpy() > 0])
    np.testing.assert_allclose(est.demand, truth, rtol=1e-3)


def test_geh_zero_on_match() -> None:
    assert geh(np.array([5e6]), np.array([5e6]))[0] == 0.0
