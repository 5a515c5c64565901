"""Freight demand: origin-destination matrices by commodity, read, written and validated.

>>> import numpy as np
>>> from amur.demand import ODMatrices
>>> od = ODMatrices(("harbin", "dalian"), {"grain": np.array([[0.0, 5e5], [0.0, 0.0]])})
>>> od.total("grain")
500000.0
"""

from amur.demand.matrix import UNITS, ODMatrices
from amur.demand.tables import (
    read_demand_csv,
    read_demand_parquet,
    write_demand_csv,
    write_demand_parquet,
)
from amur.demand.validate import validate_demand

__all__ = [
    "UNITS",
    "ODMatrices",
    "read_demand_csv",
    "read_demand_parquet",
    "validate_demand",
    "write_demand_csv",
    "write_demand_parquet",
]
