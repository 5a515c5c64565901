"""The columns of a network's tables: names, units, types, allowed values.

One place defines what a node, a link and a source are; readers, writers, validation and the
documentation all read it from here.
"""

from __future__ import annotations

from amur.network.column import (
    Column as Column,
)
from amur.network.column import (
    Mode as Mode,
)
from amur.network.column import (
    NodeKind as NodeKind,
)
from amur.network.column import (
    RegimeKind as RegimeKind,
)
from amur.network.column import (
    Status as Status,
)

#: Version of the JSON documents amur writes (``amur route --json``, ``amur assign --json``
#: and the HTTP API's answers): raised whenever a key is renamed or removed. 2: units in
#: every key (``flow_t_per_year``, ``cost_usd_per_t``), ``schema_version`` added.
SCHEMA_VERSION = 2


#: Track gauges in millimetres, as strings; "dual" carries trains of both 1435 and 1520 mm.
RAIL_GAUGES: tuple[str, ...] = ("1435", "1520", "1067", "1000")
LINK_GAUGES: tuple[str, ...] = (*RAIL_GAUGES, "dual")
NODE_GAUGES: tuple[str, ...] = (*RAIL_GAUGES, "dual", "none")
#: Gauges a "dual" track carries.
DUAL_GAUGES: tuple[str, ...] = ("1435", "1520")

#: Modes carried by road vehicles: a truck drives onto a ferry, a pontoon or an ice road.
ROAD_LIKE_MODES: frozenset[str] = frozenset(
    {Mode.ROAD, Mode.RIVER_FERRY, Mode.ICE_ROAD, Mode.PONTOON}
)


NODE_COLUMNS: tuple[Column, ...] = (
    Column("id", "str", doc="snake_case identifier"),
    Column("name", "str", doc="English name"),
    Column(
        "aliases",
        "str",
        required=False,
        nullable=True,
        doc="other names (Chinese, Russian, Korean, Japanese...), separated by '|'",
    ),
    Column("country", "str", doc="ISO 3166-1 alpha-2 code"),
    Column("lat", "float", minimum=-90.0, doc="latitude, degrees WGS 84"),
    Column("lon", "float", minimum=-180.0, doc="longitude, degrees WGS 84"),
    Column("kind", "str", choices=tuple(k.value for k in NodeKind), doc="what the place is"),
    Column(
        "gauge",
        "str",
        required=False,
        nullable=True,
        choices=NODE_GAUGES,
        doc="track gauge at the place, mm; 'dual' where both meet",
    ),
    Column(
        "handling_time_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="time to move a container between modes here (rail-sea, road-rail), hours",
    ),
    Column(
        "handling_cost_usd_per_teu",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="cost of a change of mode here (port fee, switch), USD per TEU",
    ),
    Column(
        "gauge_change_time_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="time to transship between gauges here, hours; empty where no transfer exists",
    ),
    Column(
        "gauge_change_cost_usd_per_teu",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="cost to transship between gauges here, USD per TEU",
    ),
    Column(
        "border_time_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="border dwell (customs, inspection) when crossing a border here, hours",
    ),
    Column(
        "border_fee_usd_per_teu",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="border fees when crossing a border here, USD per TEU",
    ),
    Column(
        "winter_months",
        "str",
        required=False,
        nullable=True,
        doc="months of the place's winter regime (sea ice, icebreaker escort): a range "
        "like '12-3' or a list; empty if it has none",
    ),
    Column(
        "winter_time_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="extra time for a change of mode here in the winter months (waiting for the "
        "port to work, escort), hours",
    ),
    Column("source_id", "str", required=False, doc="source of the location and kind"),
    Column(
        "ops_source_id",
        "str",
        required=False,
        nullable=True,
        doc="source of the handling, gauge-change and border figures",
    ),
    Column(
        "winter_source_id", "str", required=False, nullable=True, doc="source of the winter regime"
    ),
    Column("note", "str", required=False, nullable=True, doc="free text"),
)

LINK_COLUMNS: tuple[Column, ...] = (
    Column("id", "str", required=False, doc="identifier; made from the ends and mode if absent"),
    Column("from_node", "str", doc="id of the node the link starts at"),
    Column("to_node", "str", doc="id of the node the link ends at"),
    Column("mode", "str", choices=tuple(m.value for m in Mode), doc="mode of transport"),
    Column(
        "gauge",
        "str",
        required=False,
        nullable=True,
        choices=LINK_GAUGES,
        doc="track gauge for rail, mm ('dual' for both 1435 and 1520); empty otherwise",
    ),
    Column("length_km", "float", minimum=0.0, exclusive_minimum=True, doc="length, km"),
    Column(
        "speed_kmh",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        exclusive_minimum=True,
        doc="average running speed of freight, km/h",
    ),
    Column(
        "time_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="fixed traversal time, hours (overrides speed_kmh; ferries, bridges)",
    ),
    Column(
        "cost_usd_per_teu_km",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="haulage rate, USD per TEU-km",
    ),
    Column(
        "cost_usd_per_tkm",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="haulage rate for bulk freight, USD per tonne-km",
    ),
    Column(
        "co2_kg_per_tkm",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="emissions, kg CO2 per tonne-km",
    ),
    Column(
        "capacity_t_per_year",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        exclusive_minimum=True,
        doc="capacity, tonnes per year",
    ),
    Column(
        "status",
        "str",
        required=False,
        choices=tuple(s.value for s in Status),
        doc="operating, under_construction, planned, proposed or closed",
    ),
    Column("opened", "int", required=False, nullable=True, doc="year opened (or to open)"),
    Column("closed", "int", required=False, nullable=True, doc="year closed"),
    Column(
        "months",
        "str",
        required=False,
        nullable=True,
        doc="months it runs: empty or 'all', a range '5-10' or '12-3', or a list '1,2,3'",
    ),
    Column("bidirectional", "bool", required=False, doc="whether it runs both ways"),
    Column("name", "str", required=False, nullable=True, doc="name (a bridge, a line)"),
    Column("source_id", "str", required=False, doc="source of length, route and status"),
    Column(
        "ops_source_id",
        "str",
        required=False,
        nullable=True,
        doc="source of speed, cost and CO2 figures",
    ),
    Column(
        "geometry_wkt",
        "str",
        required=False,
        nullable=True,
        doc="line geometry in WKT, degrees WGS 84; a straight line between the ends if empty",
    ),
    Column("note", "str", required=False, nullable=True, doc="free text"),
)

SOURCE_KINDS: tuple[str, ...] = ("verified", "recalled", "derived", "estimate", "user")

SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("id", "str", doc="source identifier, referenced by source_id columns"),
    Column(
        "kind",
        "str",
        choices=SOURCE_KINDS,
        doc="verified (seen in the source), recalled, derived (rule in 'note'), estimate",
    ),
    Column("title", "str", doc="publication, dataset or rule"),
    Column("url", "str", required=False, nullable=True, doc="address"),
    Column("date", "str", required=False, nullable=True, doc="publication or access date"),
    Column(
        "note",
        "str",
        required=False,
        nullable=True,
        doc="page, table, derivation rule, or reasoning for an estimate",
    ),
)


#: The ``mode`` of a regime row that applies to every mode.
ANY_MODE = "any"
#: The ``direction`` of a regime row that applies both ways.
BOTH_DIRECTIONS = "both"

REGIME_COLUMNS: tuple[Column, ...] = (
    Column("place", "str", doc="id of the node the regime applies at"),
    Column(
        "kind",
        "str",
        choices=tuple(k.value for k in RegimeKind),
        doc="border (dwell and fees of a border crossing, charged at each side), "
        "gauge_change (transshipment between gauges) or port (a change of mode at a "
        "seaport or terminal)",
    ),
    Column(
        "mode",
        "str",
        choices=(*(m.value for m in Mode), ANY_MODE),
        doc="mode it applies to: the link's mode for a border, rail for a gauge change, "
        "the land side's mode for a port (sea for sea-to-sea transshipment); 'any'",
    ),
    Column(
        "direction",
        "str",
        doc="'both', or FROM>TO: countries for a border (CN>RU), gauges for a gauge "
        "change (1435>1520), modes for a port (sea>rail)",
    ),
    Column(
        "time_h_low",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="shortest usual dwell, hours (time_h if empty)",
    ),
    Column("time_h", "float", minimum=0.0, doc="typical dwell, hours"),
    Column(
        "time_h_high",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="longest usual dwell (peak congestion), hours (time_h if empty)",
    ),
    Column("fee_usd_per_teu", "float", minimum=0.0, doc="fees and charges, USD per TEU"),
    Column(
        "throughput_teu_per_day",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        exclusive_minimum=True,
        doc="containers the yard or checkpoint handles a day, TEU (gauge-change yards)",
    ),
    Column("source_id", "str", doc="source of the figures in this row"),
    Column("note", "str", required=False, nullable=True, doc="free text: the exact figures"),
)

#: Units a service's price (and subsidy) may be given in, and its capacity a departure.
PRICE_UNITS: tuple[str, ...] = ("usd_per_teu", "usd_per_t")
CAPACITY_UNITS: tuple[str, ...] = ("teu", "t")

SERVICE_COLUMNS: tuple[Column, ...] = (
    Column("id", "str", doc="snake_case identifier"),
    Column("name", "str", doc='name of the line ("Harbin–Hamburg block train")'),
    Column(
        "operator",
        "str",
        required=False,
        nullable=True,
        doc="who runs or sells it (railway, forwarder, shipping line)",
    ),
    Column(
        "mode",
        "str",
        choices=tuple(m.value for m in Mode),
        doc="mode of the infrastructure it runs on (rail, sea, ...)",
    ),
    Column(
        "calls",
        "str",
        doc="node ids it calls at (boards and sets down freight), in order, separated by "
        "'|'; at least two",
    ),
    Column(
        "via",
        "str",
        required=False,
        nullable=True,
        doc="node ids it passes without calling (border crossings), separated by '|'; its "
        "path between calls is the shortest by length through them",
    ),
    Column("first_year", "int", doc="first year it ran"),
    Column(
        "last_year",
        "int",
        required=False,
        nullable=True,
        doc="last year it ran; empty if it still runs",
    ),
    Column(
        "months",
        "str",
        required=False,
        nullable=True,
        doc="months it runs: empty or 'all', a range '5-10' or '12-3', or a list '1,2,3'",
    ),
    Column(
        "departures_per_week",
        "float",
        minimum=0.0,
        exclusive_minimum=True,
        doc="departures a week, each way it runs",
    ),
    Column(
        "wait_h",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="expected wait for a departure, hours; empty for half the headway "
        "(84 / departures_per_week)",
    ),
    Column(
        "time_h",
        "str",
        required=False,
        nullable=True,
        doc="transit time between calls, hours: one value per pair of successive calls "
        "separated by '|', or one value for the whole line (shared by length)",
    ),
    Column(
        "speed_kmh",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        exclusive_minimum=True,
        doc="commercial speed, km/h (when time_h is empty)",
    ),
    Column(
        "price",
        "str",
        required=False,
        nullable=True,
        doc="price a shipper pays between calls (subsidy deducted), in price_unit: one "
        "value per pair of successive calls separated by '|', or one for the whole line",
    ),
    Column(
        "price_unit",
        "str",
        required=False,
        nullable=True,
        choices=PRICE_UNITS,
        doc="unit of price and subsidy: usd_per_teu or usd_per_t",
    ),
    Column(
        "subsidy",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        doc="subsidy paid on a whole-line journey, in price_unit (already deducted from "
        "price); empty or 0 for none",
    ),
    Column(
        "capacity_per_departure",
        "float",
        required=False,
        nullable=True,
        minimum=0.0,
        exclusive_minimum=True,
        doc="freight one departure carries, in capacity_unit",
    ),
    Column(
        "capacity_unit",
        "str",
        required=False,
        nullable=True,
        choices=CAPACITY_UNITS,
        doc="unit of capacity_per_departure: teu or t",
    ),
    Column(
        "bidirectional",
        "bool",
        required=False,
        doc="whether it runs the same way back (false: only in the order of calls)",
    ),
    Column("source_id", "str", required=False, doc="source of the line, its calls and years"),
    Column(
        "frequency_source_id",
        "str",
        required=False,
        nullable=True,
        doc="source of departures_per_week (and wait_h)",
    ),
    Column(
        "time_source_id", "str", required=False, nullable=True, doc="source of time_h or speed_kmh"
    ),
    Column("price_source_id", "str", required=False, nullable=True, doc="source of price"),
    Column("subsidy_source_id", "str", required=False, nullable=True, doc="source of subsidy"),
    Column(
        "capacity_source_id",
        "str",
        required=False,
        nullable=True,
        doc="source of capacity_per_departure",
    ),
    Column("note", "str", required=False, nullable=True, doc="free text"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "nodes": NODE_COLUMNS,
    "links": LINK_COLUMNS,
    "services": SERVICE_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "regimes": REGIME_COLUMNS,
}
