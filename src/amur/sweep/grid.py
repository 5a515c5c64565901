"""A sweep's grid: scenarios x project variants x months x parameter values x draws, and the
cases it holds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from amur.errors import InputError
from amur.impact.market_access import DEFAULT_THETA
from amur.impact.project import Project

__all__ = ["BASE", "PARAMETERS", "WITH_ALL", "Case", "Grid"]

#: The variant with none of the grid's projects built.
BASE = "base"
#: The variant with all of the grid's projects built.
WITH_ALL = "all"
#: Parameters a grid may vary, with their defaults: the trade elasticity of market access
#: (amur.impact.DEFAULT_THETA) and the economic discount rate, % real (None: each
#: project's own).
PARAMETERS: dict[str, float | None] = {"theta": DEFAULT_THETA, "discount_pct": None}


@dataclass(frozen=True)
class Case:
    """One case of a grid: what a result row is about.

    Attributes
    ----------
    case_id : int
        Position in the grid's order (0-based).
    scenario : str
        Scenario name (``today`` for the network as it is).
    variant : str
        ``base`` (no project of the grid built), a project id (that project built, the
        others not) or ``all``.
    month : int
        Month 1-12.
    theta : float
        Trade elasticity for market access.
    discount_pct : float or None
        Economic discount rate, % real (None: the project's).
    draw : int
        0 for the central case, k >= 1 for Monte Carlo draw k.
    """

    case_id: int
    scenario: str
    variant: str
    month: int
    theta: float
    discount_pct: float | None
    draw: int


@dataclass(frozen=True, eq=False)
class Grid:
    """What to sweep.

    Parameters
    ----------
    scenarios : tuple of str
        Scenario names or TOML paths (``today`` for the network as it is).
    projects : tuple of Project
        Projects; each gives a variant with it built and the others not, beside ``base``.
    months : tuple of int
        Months 1-12.
    parameters : dict of str to tuple of float
        Values of the parameters in :data:`PARAMETERS` to sweep (others keep defaults).
    draws : int
        Monte Carlo draws of each project's appraisal, beside the central case (draw 0).
    seed : int
        Seed of draw k is ``seed + k``: a case's draw does not depend on the rest of the grid.
    routes : tuple of (str, str)
        Origin-destination pairs whose best route (generalized cost) each case reports.
    shares : bool
        Assign the dataset's demand per scenario, variant and month for corridor shares.
    with_all : bool
        Add the variant with every project built.
    """

    scenarios: tuple[str, ...] = ("today",)
    projects: tuple[Project, ...] = ()
    months: tuple[int, ...] = (1, 7)
    parameters: dict[str, tuple[float, ...]] = field(default_factory=dict)
    draws: int = 0
    seed: int = 20240601
    routes: tuple[tuple[str, str], ...] = (("harbin", "hamburg"),)
    shares: bool = False
    with_all: bool = False

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise InputError("a sweep needs at least one scenario", field="scenarios")
        for month in self.months:
            if not 1 <= int(month) <= 12:
                raise InputError(f"month {month}: expected 1 to 12", field="months")
        if not self.months:
            raise InputError("a sweep needs at least one month", field="months")
        for name, values in self.parameters.items():
            if name not in PARAMETERS:
                raise InputError(
                    f"unknown sweep parameter {name!r}; expected one of {', '.join(PARAMETERS)}",
                    field="parameters",
                )
            if not values:
                raise InputError(f"parameter {name!r} has no values", field="parameters")
        if self.draws < 0:
            raise InputError(f"draws must be 0 or more, not {self.draws}", field="draws")
        ids = [p.id for p in self.projects]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise InputError(f"project {twice[0]!r} is in the grid twice", field="projects")
        clash = {BASE, WITH_ALL} & set(ids)
        if clash:
            raise InputError(
                f"project id {sorted(clash)[0]!r} is reserved for a variant", field="projects"
            )

    @property
    def variants(self) -> tuple[str, ...]:
        """``base``, each project's id, and ``all`` if asked (and there are projects)."""
        ids = tuple(p.id for p in self.projects)
        return (BASE, *ids, *((WITH_ALL,) if self.with_all and ids else ()))

    def values(self, name: str) -> tuple[float | None, ...]:
        """Values of a parameter in the grid (its default alone when not swept)."""
        if name in self.parameters:
            return tuple(float(v) for v in self.parameters[name])
        return (PARAMETERS[name],)

    def project(self, variant: str) -> Project | None:
        """The project a variant builds alone, or None for ``base`` and ``all``."""
        for p in self.projects:
            if p.id == variant:
                return p
        return None

    def built(self, variant: str) -> tuple[str, ...]:
        """Ids of the links a variant builds (the projects' links in service)."""
        if variant == WITH_ALL:
            return tuple(link for p in self.projects for link in p.link_ids)
        p = self.project(variant)
        return p.link_ids if p is not None else ()

    def removed(self, variant: str) -> tuple[str, ...]:
        """Ids of the grid's project links a variant leaves out."""
        built = set(self.built(variant))
        return tuple(link for p in self.projects for link in p.link_ids if link not in built)

    def cases(self) -> list[Case]:
        """Every case, scenario-major (then variant, month, theta, discount, draw)."""
        out: list[Case] = []
        product = itertools.product(
            self.scenarios,
            self.variants,
            self.months,
            self.values("theta"),
            self.values("discount_pct"),
        )
        for scenario, variant, month, theta, discount in product:
            draws = range(self.draws + 1) if self.project(variant) is not None else range(1)
            for draw in draws:
                out.append(
                    Case(
                        len(out),
                        scenario,
                        variant,
                        int(month),
                        float(theta if theta is not None else DEFAULT_THETA),
                        discount,
                        draw,
                    )
                )
        return out
