"""Origin-destination matrices by commodity, with their zones and unit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from amur.errors import InputError

__all__ = ["UNITS", "ODMatrices"]

#: Units a demand matrix may be in: tonnes or twenty-foot equivalent units per year.
UNITS = ("t_per_year", "teu_per_year")


@dataclass(frozen=True, eq=False)
class ODMatrices:
    """Demand between zones, one square matrix per commodity.

    Attributes
    ----------
    zones : tuple of str
        Zone ids, in matrix row (and column) order.
    matrices : dict of str to ndarray of float64, shape (n_zones, n_zones)
        ``matrices[commodity][o, d]`` is the demand from ``zones[o]`` to ``zones[d]``.
    unit : {"t_per_year", "teu_per_year"}
        Unit of every value.

    Raises
    ------
    InputError
        If the unit is unknown, zones repeat, or a matrix is not square of the zones' size.
        Values are checked by :func:`amur.demand.validate_demand`.
    """

    zones: tuple[str, ...]
    matrices: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    unit: str = "t_per_year"

    def __post_init__(self) -> None:
        object.__setattr__(self, "zones", tuple(str(z) for z in self.zones))
        if self.unit not in UNITS:
            raise InputError(
                f"unit: {self.unit!r}; expected one of {', '.join(UNITS)}", field="unit"
            )
        if len(set(self.zones)) != len(self.zones):
            repeated = next(z for k, z in enumerate(self.zones) if z in self.zones[:k])
            raise InputError(f"zones: {repeated!r} appears twice; expected unique zone ids")
        n = len(self.zones)
        checked = {}
        for name, matrix in self.matrices.items():
            array = np.asarray(matrix, dtype=np.float64)
            if array.shape != (n, n):
                raise InputError(
                    f"commodity {name!r}: shape {array.shape}; expected ({n}, {n}) for {n} zones"
                )
            checked[str(name)] = array
        object.__setattr__(self, "matrices", checked)

    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodity names, in insertion order."""
        return tuple(self.matrices)

    def total(self, commodity: str | None = None) -> float:
        """Sum of demand of one commodity (or all), in :attr:`unit`."""
        if commodity is None:
            return float(sum(m.sum() for m in self.matrices.values()))
        return float(self.matrices[commodity].sum())

    def combined(self, weights: Mapping[str, float] | None = None) -> NDArray[np.float64]:
        """Weighted sum of the commodities' matrices (weights default to 1), in :attr:`unit`."""
        out = np.zeros((len(self.zones), len(self.zones)))
        for name, matrix in self.matrices.items():
            out += (1.0 if weights is None else weights.get(name, 0.0)) * matrix
        return out
