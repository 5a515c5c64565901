"""How far a few km of length move the calibrated demand, with and without the prior weight.

The "Jingha" experiment of docs/demand.md: Harbin–Changchun 246 → 242 km and
Changchun–Shenyang 300 → 305 km (within the uncertainty of the data's lengths), the demand
rebuilt and recalibrated on a copy of the dataset, once with the unpenalised fit (prior
weight 0) and once with the weight chosen by cross-validation. Prints, for each, the
median GEH of both count sets on the data as it is and as perturbed, and the mean absolute
change of each count's modelled flow (in GEH units between the two runs).

Run: PYTHONPATH=src .venv/bin/python tools/calibration_robustness.py
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from amur.data import dataset_path
from amur.demand.builtin import build_builtin_demand
from amur.demand.estimate import geh
from amur.demand.factors import PRIOR_WEIGHTS

LENGTHS = {"harbin-changchun-rail": 242.0, "changchun-shenyang-rail": 305.0}


def perturbed_copy(root: Path) -> Path:
    """A copy of the built-in dataset with the Jingha lengths changed."""
    folder = root / "northeast_asia"
    shutil.copytree(dataset_path("northeast-asia"), folder)
    links = pd.read_csv(folder / "links.csv", dtype=str, keep_default_na=False)
    for link, km in LENGTHS.items():
        links.loc[links["id"] == link, "length_km"] = f"{km:g}"
    links.to_csv(folder / "links.csv", index=False)
    return folder


def modelled(cal) -> pd.Series:  # type: ignore[no-untyped-def]
    """Modelled t/year of every count of both sets, by count id."""
    tables = [cal.calibration.table, cal.validation.table]
    return pd.concat(tables).set_index("count")["modelled_t_per_year"]


def main() -> None:
    """Run the four builds and print the comparison."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = perturbed_copy(Path(tmp))
        for label, weights in (("unpenalised", (0.0,)), ("cross-validated", PRIOR_WEIGHTS)):
            base = build_builtin_demand(bootstrap=0, prior_weights=weights)
            moved = build_builtin_demand(str(copy), bootstrap=0, prior_weights=weights)
            a, b = modelled(base), modelled(moved)
            shift = geh(b.to_numpy(), a.to_numpy())
            n_cal = len(base.calibration.table)
            print(
                f"{label} (prior weight {base.prior_weight:g} / {moved.prior_weight:g}): "
                f"calibration median GEH {np.median(base.calibration.table['geh']):.1f} -> "
                f"{np.median(moved.calibration.table['geh']):.1f}, validation "
                f"{np.median(base.validation.table['geh']):.1f} -> "
                f"{np.median(moved.validation.table['geh']):.1f}; mean shift per count "
                f"(GEH between runs) calibration {shift[:n_cal].mean():.2f}, "
                f"validation {shift[n_cal:].mean():.2f}, largest {shift.max():.1f} "
                f"({a.index[int(np.argmax(shift))]})"
            )


if __name__ == "__main__":
    main()
