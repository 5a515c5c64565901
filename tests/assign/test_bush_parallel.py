"""Algorithm B's bushes in CSR link order, updated in parallel threads.

The bush updates of different origins run at once (they only read the link costs), so they
must not depend on the number of threads; the bushes number links in CSR order, so the
result must not depend on the order the links are given in; and each bush's stored
topological order, which the shift passes use instead of sorting the bush again, must stay
topological through every update.
"""

from __future__ import annotations

import numba
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from amur.assign import TrafficClass, assign, build_graph
from amur.assign.bush import _iteration
from amur.assign.bush_sweeps import _initial_bushes, _sum_flows, _update_all
from amur.assign.result import costs
from amur.paths.kernel import dynamic_schedule

from .networks import Case, expected_balance, few, networks, node_balance


@few
@given(networks(zero_costs=False), st.randoms(use_true_random=False))
def test_link_order_does_not_change_the_equilibrium(case: Case, rng: object) -> None:
    g = case.graph
    perm = np.arange(g.n_links)
    rng.shuffle(perm)  # type: ignore[attr-defined]
    shuffled = build_graph(
        g.init[perm],
        g.term[perm],
        g.cost_parameters.capacity[perm],
        g.cost_parameters.free_flow_time[perm],
        n_nodes=g.n_nodes,
        n_zones=g.n_zones,
        first_thru_node=g.first_thru_node,
        b=g.cost_parameters.b[perm],
        power=g.cost_parameters.power[perm],
    )
    a = assign(g, case.demand, "b", gap=1e-10, max_iterations=300)
    b = assign(shuffled, [TrafficClass(case.demand, 2.0)], "b", gap=1e-10, max_iterations=300)
    np.testing.assert_allclose(
        node_balance(shuffled, b.flow),
        2.0 * expected_balance(shuffled, case.demand),
        atol=1e-7 * (1 + case.demand.sum()),
    )
    # each link's class flow is its own (PCE 2: half the PCE flow), not another link's
    np.testing.assert_allclose(b.class_flow[0], b.flow / 2.0, rtol=1e-12, atol=1e-12)
    if a.relative_gap <= 1e-7 and b.relative_gap <= 1e-7:
        # strictly increasing link costs: the equilibrium link flows are unique
        c = assign(shuffled, case.demand, "b", gap=1e-10, max_iterations=300)
        if c.relative_gap <= 1e-7:
            np.testing.assert_allclose(c.flow, a.flow[perm], atol=0.01 * (1 + a.flow.max()))


def _check_orders(csr: tuple, on: np.ndarray, orders: np.ndarray, counts: np.ndarray) -> None:
    out_start, init, term = csr
    for r in range(on.shape[0]):
        order = orders[r, : counts[r]]
        assert len(set(order.tolist())) == order.size
        position = np.full(out_start.size - 1, -1)
        position[order] = np.arange(order.size)
        links = np.flatnonzero(on[r])
        # every bush link joins two ordered nodes, tail first: the order is topological
        assert (position[init[links]] >= 0).all() and (position[term[links]] >= 0).all()
        assert (position[init[links]] < position[term[links]]).all()


def _first_bushes(case: Case) -> tuple:
    g, demand = case.graph, case.demand
    origins = np.flatnonzero(demand.sum(axis=1) > 0).astype(np.int32)
    csr_link = g.out_links
    csr = (g.out_start, g.init[csr_link], g.out_term)
    vdf_params = (
        *(x[csr_link].copy() for x in g.cost_parameters),
        0,
        False,
    )
    bushes = (
        np.zeros((origins.size, g.n_links), dtype=np.bool_),
        np.zeros((origins.size, g.n_links)),
        np.zeros((origins.size, g.n_nodes), dtype=np.int32),
        np.zeros(origins.size, dtype=np.int32),
    )
    free = costs(g, np.zeros(g.n_links))[csr_link]
    _initial_bushes(origins, demand[origins], g.blocked_zones, csr, free, bushes, 2)
    flow = np.zeros(g.n_links)
    _sum_flows(bushes[1], flow)
    return origins, csr, vdf_params, bushes, flow


@few
@given(networks())
def test_bush_orders_stay_topological(case: Case) -> None:
    g, demand = case.graph, case.demand
    origins, csr, vdf_params, bushes, flow = _first_bushes(case)
    _check_orders(csr, bushes[0], bushes[2], bushes[3])
    everyone = np.ones(origins.size, dtype=np.bool_)
    for _ in range(4):
        _iteration(
            origins,
            demand[origins],
            g.blocked_zones,
            csr,
            bushes,
            flow,
            vdf_params,
            1,
            0.0,
            everyone,
        )
        _check_orders(csr, bushes[0], bushes[2], bushes[3])
        assert (bushes[1][~bushes[0]] == 0.0).all()  # flow only on bush links


@few
@given(networks())
def test_threads_do_not_change_the_bush_updates(case: Case) -> None:
    g, demand = case.graph, case.demand
    origins, csr, vdf_params, bushes, flow = _first_bushes(case)
    everyone = np.ones(origins.size, dtype=np.bool_)
    # one iteration away from the trees, so that the updates conserve, drop and add
    _iteration(
        origins, demand[origins], g.blocked_zones, csr, bushes, flow, vdf_params, 1, 0.0, everyone
    )
    cost = costs(g, np.zeros(g.n_links))[g.out_links] * (1.0 + flow / (1.0 + flow.max()))
    previous = numba.get_num_threads()
    results = []
    try:
        for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(threads)
            state = tuple(x.copy() for x in bushes)
            with dynamic_schedule():
                _update_all(
                    origins, demand[origins], g.blocked_zones, csr, cost, state, everyone, 8
                )
            results.append(state)
    finally:
        numba.set_num_threads(previous)
    for one, two in zip(*results, strict=True):
        np.testing.assert_array_equal(one, two)
    # and the updated bushes still carry the demand
    updated = np.zeros(g.n_links)
    _sum_flows(results[0][1], updated)
    balance = node_balance(g, np.bincount(g.out_links, updated, g.n_links))
    expected = expected_balance(g, demand)
    np.testing.assert_allclose(balance, expected, atol=1e-7 * (1 + demand.sum()))
