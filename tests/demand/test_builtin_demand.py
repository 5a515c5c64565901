"""The built-in demand files are what tools/build_demand.py makes from the data today."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amur.data import dataset_path
from amur.demand.builtin import build_builtin_demand, builtin_demand, validate_builtin_demand

FOLDER = dataset_path("northeast-asia")


def test_demand_and_its_fit_are_rebuilt_from_the_data() -> None:
    demand, estimate = build_builtin_demand()
    stored = builtin_demand()
    assert list(demand.zones) == list(stored.zones)
    np.testing.assert_allclose(demand.combined(), stored.combined(), rtol=1e-9, atol=1e-6)
    fit = pd.read_csv(FOLDER / "demand_fit.csv")
    assert list(fit["count"]) == list(estimate.fit.table["count"])
    np.testing.assert_allclose(fit["modelled_t_per_year"],
                               estimate.fit.table["modelled_t_per_year"], rtol=1e-5)


def test_held_out_counts_are_checked_against_the_stored_demand() -> None:
    held_out = validate_builtin_demand()
    stored = pd.read_csv(FOLDER / "demand_validation.csv")
    assert list(stored["count"]) == list(held_out.table["count"])
    np.testing.assert_allclose(stored["modelled_t_per_year"],
                               held_out.table["modelled_t_per_year"], rtol=1e-5, atol=1e-3)
    # the modelled value is the year's flow on the counted link, both directions
    import amur
    from amur.demand.builtin import assign_demand

    result, _ = assign_demand(amur.load("northeast-asia"), "northeast-asia", 2022, None, None)
    flows = result.physical_flows().set_index("link")["flow_t_per_year"]
    bridge = held_out.table.set_index("count").loc["heihe_bridge", "modelled_t_per_year"]
    assert bridge == pytest.approx(flows["heihe-blagoveshchensk-road"], rel=1e-9)
