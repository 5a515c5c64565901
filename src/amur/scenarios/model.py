"""The scenario model: a named, documented patch on a network (year, month, edits)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Tables a scenario may edit, and what an edit may do to them.
TABLES = ("links", "nodes", "services")
ACTIONS = ("add", "remove", "change")

#: Columns whose figures are operating figures (their source goes in ``ops_source_id``).
LINK_OPS_COLUMNS = frozenset(
    {
        "speed_kmh",
        "time_h",
        "cost_usd_per_teu_km",
        "cost_usd_per_tkm",
        "co2_kg_per_tkm",
        "capacity_t_per_year",
    }
)
NODE_OPS_COLUMNS = frozenset(
    {
        "handling_time_h",
        "handling_cost_usd_per_teu",
        "gauge_change_time_h",
        "gauge_change_cost_usd_per_teu",
        "border_time_h",
        "border_fee_usd_per_teu",
    }
)
#: Node columns of the winter regime, whose source is ``winter_source_id``.
NODE_WINTER_COLUMNS = frozenset({"winter_months", "winter_time_h", "winter_source_id"})
#: Service columns and the source column a change of them tags (the rest tag ``source_id``).
SERVICE_SOURCE_OF = {
    "departures_per_week": "frequency_source_id",
    "wait_h": "frequency_source_id",
    "time_h": "time_source_id",
    "speed_kmh": "time_source_id",
    "price": "price_source_id",
    "price_unit": "price_source_id",
    "subsidy": "subsidy_source_id",
    "capacity_per_departure": "capacity_source_id",
    "capacity_unit": "capacity_source_id",
}


@dataclass(frozen=True)
class Edit:
    """One edit of a network table.

    Attributes
    ----------
    table : {"links", "nodes", "services"}
        Table edited.
    action : {"add", "remove", "change"}
        Add a row, remove a row by id, or set columns of a row by id.
    id : str
        Id of the row.
    values : tuple of (str, value) pairs
        Columns set (a whole row for ``add``); empty for ``remove``.
    source_id : str or None
        Source of the new figures; ``None`` in a user's scenario without sources.
    where : str
        Where the edit was written (``"file.toml, links.change[2]"``), for messages.
    """

    table: str
    action: str
    id: str
    values: tuple[tuple[str, Any], ...] = ()
    source_id: str | None = None
    where: str = field(default="", compare=False)

    @property
    def columns(self) -> dict[str, Any]:
        """The columns set, as a dict."""
        return dict(self.values)


@dataclass(frozen=True)
class Scale:
    """Multiply the unit costs and speeds of every link of one mode.

    Attributes
    ----------
    mode : str
        Mode whose links are scaled (``"rail"``, ``"sea"``, ...).
    cost : float
        Factor on ``cost_usd_per_teu_km`` and ``cost_usd_per_tkm``.
    speed : float
        Factor on ``speed_kmh`` (fixed ``time_h`` is divided by it).
    source_id : str or None
        Source of the factors.
    """

    mode: str
    cost: float = 1.0
    speed: float = 1.0
    source_id: str | None = None
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class Closure:
    """A place or link switched off for a range of months (``[[close]]`` in a scenario).

    Attributes
    ----------
    table : {"nodes", "links"}
        Whether ``id`` is a place (every link at it closes) or a link.
    id : str
        Id (or, for a place, name or alias) of what closes.
    start, end : tuple of (int, int)
        First and last month closed, as (year, month), both included.
    source_id : str or None
        Source of the closure.
    where : str
        Where the closure was written, for messages.
    """

    table: str
    id: str
    start: tuple[int, int]
    end: tuple[int, int]
    source_id: str | None = None
    where: str = field(default="", compare=False)

    def months_closed(self, year: int) -> frozenset[int]:
        """Months (1-12) of ``year`` that fall inside the closure."""
        first = (year, 1) if self.start < (year, 1) else self.start
        last = (year, 12) if self.end > (year, 12) else self.end
        if first > last:
            return frozenset()
        return frozenset(range(first[1], last[1] + 1))


@dataclass(frozen=True)
class Source:
    """A source row carried by a scenario file (``[[sources]]``), same columns as sources.csv."""

    id: str
    kind: str
    title: str
    url: str | None = None
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A named patch on a network: which year and month, which edits.

    Build one with :func:`amur.scenarios.read_scenario` (from TOML) or
    :func:`amur.scenarios.load_scenario` (by name or path, with its base resolved).

    Attributes
    ----------
    name : str
        Name (``"2018"``, ``"korea-rail"``).
    description : str
        What the scenario stands for, in a sentence or two.
    base : str or None
        Name of the scenario this one builds on.
    year, month : int or None
        Year whose links are in service, month whose seasonal links run; inherited from the
        base when absent.
    commodity : str or None
        Commodity routed (decides the modes); inherited from the base when absent.
    modes : tuple of str
        Further restriction of the commodity's modes; empty for all of them.
    edits : tuple of Edit
        Edits, applied in order after the base's.
    scales : tuple of Scale
        Cost and speed factors by mode, applied after the edits.
    closures : tuple of Closure
        Places and links switched off for a range of months, applied last.
    source_ids : tuple of str
        Sources of the scenario as a whole (why this year, what the what-if rests on).
    sources : tuple of Source
        Source rows the scenario brings (added to the network's sources when absent).
    subsidies : bool or None
        ``False`` removes the services' subsidies (each price rises by its subsidy);
        ``None`` inherits from the base (subsidies paid as in the data).
    parent : Scenario or None
        The base, resolved (set by :func:`amur.scenarios.load_scenario`).
    path : str
        File it was read from, or ``""``.
    """

    name: str
    description: str = ""
    base: str | None = None
    year: int | None = None
    month: int | None = None
    commodity: str | None = None
    modes: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    scales: tuple[Scale, ...] = ()
    closures: tuple[Closure, ...] = ()
    source_ids: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    subsidies: bool | None = None
    parent: Scenario | None = None
    path: str = field(default="", compare=False)

    def chain(self) -> tuple[Scenario, ...]:
        """The scenario and its bases, the root first."""
        out: list[Scenario] = []
        node: Scenario | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return tuple(reversed(out))

    @property
    def effective_year(self) -> int | None:
        """The year, from this scenario or its nearest base that sets one."""
        return next((s.year for s in reversed(self.chain()) if s.year is not None), None)

    @property
    def effective_month(self) -> int | None:
        """The month, from this scenario or its nearest base that sets one."""
        return next((s.month for s in reversed(self.chain()) if s.month is not None), None)

    @property
    def effective_commodity(self) -> str | None:
        """The commodity, from this scenario or its nearest base that sets one."""
        return next((s.commodity for s in reversed(self.chain()) if s.commodity is not None), None)

    @property
    def effective_subsidies(self) -> bool:
        """Whether services' subsidies are paid: from this scenario or its nearest base that
        says; True if none does.
        """
        return next((s.subsidies for s in reversed(self.chain()) if s.subsidies is not None), True)

    @property
    def label(self) -> str:
        """Where the scenario came from, for messages."""
        return f"scenario file {self.path}" if self.path else f"scenario {self.name!r}"
