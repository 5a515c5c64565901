"""Build the built-in Northeast Asia dataset from the curated tables in tools/northeast_asia/.

Reads places, land links, sea lanes, operating rules, border rules, regimes, sources, checks,
corridors, parameters and scheduled services (services.csv, with service_sources.csv);
computes every sea lane's length and geometry with ``searoute``; fills each link's and
node's operating figures from the rules; builds the regimes table (border dwell and fees by
place, mode and direction; gauge changes) from the curated regimes.csv and the R&T country
figures; and writes
``src/amur/data/northeast_asia/{nodes,links,services,sources,parameters,corridors,checks,``
``regimes}.csv``
with sorted rows, so that two runs give identical files.

Run from the repository root::

    python tools/build_northeast_asia.py
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from amur.network.schema import LINK_COLUMNS, NODE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "tools" / "northeast_asia"
OUT = ROOT / "src" / "amur" / "data" / "northeast_asia"

MAX_POINTS = 200
KIND_STRENGTH = {"estimate": 0, "recalled": 1, "derived": 2, "verified": 3}
TAG_KIND = {
    "VERIFIED": "verified",
    "RECALLED": "recalled",
    "DERIVED": "derived",
    "ESTIMATE": "estimate",
}
SEA_RULE = {"feeder": "sea_feeder", "deep_sea": "sea_deep"}

#: The columns of the files written: the network schema's, in its order.
NODE_FIELDS = [c.name for c in NODE_COLUMNS]
LINK_FIELDS = [c.name for c in LINK_COLUMNS]
SOURCE_FIELDS = ["id", "kind", "title", "url", "date", "note"]
REGIME_FIELDS = [
    "place",
    "kind",
    "mode",
    "direction",
    "time_h_low",
    "time_h",
    "time_h_high",
    "fee_usd_per_teu",
    "throughput_teu_per_day",
    "source_id",
    "note",
]
PARAMETER_FIELDS = ["name", "value", "unit", "source_id", "members"]


def read(name: str) -> list[dict[str, str]]:
    """Rows of one curated CSV table."""
    with open(CURATED / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(name: str, fields: list[str], rows: list[dict[str, Any]], key: int = 1) -> None:
    """Write rows sorted by their first ``key`` columns, numbers in a stable short form."""
    rows = sorted(rows, key=lambda r: tuple(str(r[f]) for f in fields[:key]))
    with open(OUT / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({f: fmt(row.get(f, "")) for f in fields})


def fmt(value: Any) -> str:
    """A number as its shortest exact text (integers without a decimal point)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        value = round(value, 4)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def number(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_rules() -> dict[str, dict[str, tuple[float, str]]]:
    """Operating rules: rule -> field -> (value, source id)."""
    rules: dict[str, dict[str, tuple[float, str]]] = {}
    for row in read("ops_rules.csv"):
        rules.setdefault(row["rule"], {})[row["field"]] = (float(row["value"]), row["source_id"])
    return rules


class Sources:
    """The sources table, with composite rows made for rule combinations."""

    def __init__(self) -> None:
        self.rows = {row["id"]: row for row in read("sources.csv")}

    def kind(self, source_id: str) -> str:
        return self.rows[source_id]["kind"]

    def add(self, row: dict[str, str]) -> str:
        if row["id"] in self.rows and self.rows[row["id"]] != row:
            raise ValueError(f"source {row['id']!r} defined twice with different contents")
        self.rows[row["id"]] = row
        return row["id"]

    def composite(self, source_id: str, title: str, parts: list[tuple[str, Any, str]]) -> str:
        """A source row for figures taken from several sources: kind is the weakest part
        (and at best derived)."""
        ids = sorted({sid for _, _, sid in parts})
        # A combination is at best derived: its figures are put together by a rule.
        kind = min([*(self.kind(s) for s in ids), "derived"], key=KIND_STRENGTH.__getitem__)
        note = "; ".join(f"{field} = {fmt(value)} ({sid})" for field, value, sid in parts)
        return self.add(
            {
                "id": source_id,
                "kind": kind,
                "title": title,
                "url": "",
                "date": "",
                "note": f"combines {', '.join(ids)}: {note}",
            }
        )


def build_links(
    places: dict[str, dict[str, str]],
    rules: dict[str, dict[str, tuple[float, str]]],
    sources: Sources,
) -> list[dict[str, Any]]:
    links = [land_link(row, places, rules, sources) for row in read("land_links.csv")]
    links += [sea_link(row, places, rules, sources) for row in read("sea_lanes.csv")]
    return links


def ops_figures(
    rule_name: str,
    rules: dict[str, dict[str, tuple[float, str]]],
    length_km: float,
    trunk_km: float | None,
    sources: Sources,
) -> tuple[dict[str, float], str]:
    """Speed or time, rate and CO2 of a link from its rule; returns figures and source id."""
    if rule_name == "rail_mixed":
        if trunk_km is None:
            raise ValueError("a rail_mixed link needs trunk_km")
        trunk, branch = rules["rail_trunk"], rules["rail_branch"]
        share = trunk_km / length_km
        figures = {
            f: trunk[f][0] * share + branch[f][0] * (1 - share)
            for f in ("cost_usd_per_teu_km", "co2_kg_per_tkm")
        }
        figures["speed_kmh"] = trunk["speed_kmh"][0]
        parts = [(f"trunk {f}", v, s) for f, (v, s) in sorted(trunk.items())]
        parts += [(f"branch {f}", v, s) for f, (v, s) in sorted(branch.items())]
        parts.append(("weighting", "trunk_km / length_km", "rail_mixed_rule"))
        sid = sources.composite(
            "ops_rail_mixed",
            "Operating figures of mixed trunk/branch rail links (length-weighted)",
            parts,
        )
        return figures, sid
    rule = rules[rule_name]
    figures = {f: v for f, (v, _) in rule.items()}
    parts = [(f, v, s) for f, (v, s) in sorted(rule.items())]
    sid = sources.composite(f"ops_{rule_name}", f"Operating figures of {rule_name} links", parts)
    return figures, sid


def land_link(
    row: dict[str, str],
    places: dict[str, dict[str, str]],
    rules: dict[str, dict[str, tuple[float, str]]],
    sources: Sources,
) -> dict[str, Any]:
    for end in ("from_node", "to_node"):
        if row[end] not in places:
            raise ValueError(f"link {row['id']}: unknown place {row[end]!r}")
    length = float(row["length_km"])
    figures, ops_id = ops_figures(
        row["rate_class"], rules, length, number(row["trunk_km"]), sources
    )
    source_id = row["source_id"] or fact_source(row, places, sources)
    return {
        "id": row["id"],
        "from_node": row["from_node"],
        "to_node": row["to_node"],
        "mode": row["mode"],
        "gauge": row["gauge"] if row["mode"] == "rail" else "",
        "length_km": length,
        "speed_kmh": figures.get("speed_kmh"),
        "time_h": figures.get("time_h"),
        "cost_usd_per_teu_km": figures.get("cost_usd_per_teu_km"),
        "cost_usd_per_tkm": figures.get("cost_usd_per_tkm"),
        "co2_kg_per_tkm": figures.get("co2_kg_per_tkm"),
        "capacity_t_per_year": number(row["capacity_t_per_year"]),
        "status": row["status"],
        "opened": row["opened"],
        "closed": row["closed"],
        "months": row["months"] or "all",
        # a pipeline runs one way, from_node to to_node (the ESPO spur into China, Power
        # of Siberia): its whole capacity is in that direction, none the other way
        "bidirectional": row["mode"] != "pipeline",
        "name": row["name"],
        "source_id": source_id,
        "ops_source_id": ops_id,
        "geometry_wkt": straight_wkt(places, row) if row["mode"] == "sea" else "",
        "note": row["note"],
    }


def straight_wkt(places: dict[str, dict[str, str]], row: dict[str, str]) -> str:
    """A straight line between a link's two places (a sea crossing searoute cannot draw)."""
    ends = [places[row[end]] for end in ("from_node", "to_node")]
    return wkt([[float(p["lon"]), float(p["lat"])] for p in ends])


def fact_source(row: dict[str, str], places: dict[str, dict[str, str]], sources: Sources) -> str:
    """A source row for a link whose figures come from shared/facts/links.csv."""
    kind = TAG_KIND[row["status_tag"]]
    a, b = places[row["from_node"]]["name"], places[row["to_node"]]["name"]
    opened = f", opened {row['opened']}" if row["opened"] else ""
    title = (
        f"{a}–{b} {row['mode']}: {row['length_km']} km, {row['status']}{opened} "
        f"({row['status_tag']} in shared/facts/links.csv)"
    )
    return sources.add(
        {
            "id": f"facts_{row['id']}",
            "kind": kind,
            "title": title,
            "url": "",
            "date": "",
            "note": row["note"] or "no note in the facts",
        }
    )


def sea_link(
    row: dict[str, str],
    places: dict[str, dict[str, str]],
    rules: dict[str, dict[str, tuple[float, str]]],
    sources: Sources,
) -> dict[str, Any]:
    a, b = places[row["from_node"]], places[row["to_node"]]
    for place in (a, b):
        if place["kind"] != "seaport":
            raise ValueError(
                f"sea lane {row['from_node']}-{row['to_node']}: {place['id']} is not a seaport"
            )
    length, coords = sea_route(a, b)
    figures, ops_id = ops_figures(SEA_RULE[row["ship_class"]], rules, length, None, sources)
    link_id = f"{row['from_node']}-{row['to_node']}-sea"
    source_id = "searoute_lengths"
    if row["note"]:
        source_id = sources.add(
            {
                "id": f"lane_{link_id}",
                "kind": "recalled",
                "title": f"Status of the {a['name']}–{b['name']} sea lane",
                "url": "",
                "date": "",
                "note": f"{row['note']}; length and geometry from searoute",
            }
        )
    return {
        "id": link_id,
        "from_node": a["id"],
        "to_node": b["id"],
        "mode": "sea",
        "gauge": "",
        "length_km": length,
        "speed_kmh": figures["speed_kmh"],
        "time_h": None,
        "cost_usd_per_teu_km": figures["cost_usd_per_teu_km"],
        "cost_usd_per_tkm": None,
        "co2_kg_per_tkm": figures["co2_kg_per_tkm"],
        "capacity_t_per_year": None,
        "status": row["status"],
        "opened": "",
        "closed": "",
        "months": "all",
        "bidirectional": True,
        "name": f"{a['name']}–{b['name']} ({row['ship_class'].replace('_', '-')})",
        "source_id": source_id,
        "ops_source_id": ops_id,
        "geometry_wkt": wkt(coords),
        "note": row["note"],
    }


def sea_route(a: dict[str, str], b: dict[str, str]) -> tuple[float, list[list[float]]]:
    """Length (km, 0.1 km) and simplified path of the searoute lane between two ports."""
    import searoute as sr

    origin = (float(a["lon"]), float(a["lat"]))
    destination = (float(b["lon"]), float(b["lat"]))
    feature = sr.searoute(origin, destination, units="km")
    length = round(float(feature["properties"]["length"]), 1)
    coords = [list(map(float, c)) for c in feature["geometry"]["coordinates"]]
    if coords[0] != list(origin):
        coords.insert(0, list(origin))
    if coords[-1] != list(destination):
        coords.append(list(destination))
    return length, simplify(coords)


def simplify(coords: list[list[float]]) -> list[list[float]]:
    """At most MAX_POINTS points, keeping the ends (Douglas-Peucker, growing tolerance)."""
    if len(coords) <= MAX_POINTS:
        return coords
    from shapely.geometry import LineString

    line = LineString(coords)
    tolerance = 0.01
    while True:
        simple = line.simplify(tolerance, preserve_topology=True)
        if len(simple.coords) <= MAX_POINTS:
            return [list(c) for c in simple.coords]
        tolerance *= 1.5


def wkt(coords: list[list[float]]) -> str:
    return "LINESTRING (" + ", ".join(f"{x:.5f} {y:.5f}" for x, y in coords) + ")"


def build_nodes(
    places: dict[str, dict[str, str]],
    links: list[dict[str, Any]],
    rules: dict[str, dict[str, tuple[float, str]]],
    sources: Sources,
) -> list[dict[str, Any]]:
    winters = {row["id"]: row for row in read("winter_ports.csv")}
    nodes = []
    for place in places.values():
        node: dict[str, Any] = {f: place.get(f, "") for f in NODE_FIELDS}
        parts: list[tuple[str, Any, str]] = []
        keys: list[str] = []
        if place["handling"]:
            rule = rules[place["handling"]]
            for field in ("handling_time_h", "handling_cost_usd_per_teu"):
                node[field] = rule[field][0]
                parts.append((field, rule[field][0], rule[field][1]))
            keys.append(place["handling"])
        # Border and gauge-change figures live in regimes.csv (build_regimes).
        if parts:
            title = f"Node operating figures: {', '.join(keys)}"
            node["ops_source_id"] = sources.composite("ops_node_" + "_".join(keys), title, parts)
        if place["id"] in winters:
            winter = winters[place["id"]]
            node["winter_months"] = winter["winter_months"]
            node["winter_time_h"] = float(winter["winter_time_h"])
            node["winter_source_id"] = winter["source_id"]
        nodes.append(node)
    return nodes


def unions() -> list[tuple[str, set[str]]]:
    """Customs unions of parameters.csv: name and every member code."""
    out = []
    for row in read("parameters.csv"):
        if row["name"].startswith("customs_union:"):
            codes = {part.split("=")[0] for part in row["members"].split("|")}
            out.append((row["name"], codes))
    return out


def regime_source(row: dict[str, str], sources: Sources) -> str:
    """Source id of a curated regime row: its one source, or a composite of its parts."""
    parts: list[tuple[str, Any, str]] = []
    for column, label in (
        ("time_source_id", "time_h"),
        ("fee_source_id", "fee_usd_per_teu"),
        ("throughput_source_id", "throughput_teu_per_day"),
    ):
        for sid in filter(None, row[column].split("|")):
            if sid not in sources.rows:
                raise ValueError(f"regime {row['place']} {row['kind']}: unknown source {sid!r}")
            parts.append((label, "", sid))
    ids = sorted({sid for _, _, sid in parts})
    if len(ids) == 1:
        return ids[0]
    key = f"regime_{row['place']}_{row['kind']}_{row['mode']}_{row['direction']}"
    key = key.replace(">", "_to_")
    note_parts = [(label, sid) for label, _, sid in parts]
    # A combination is at best derived (its figures are put together by a rule).
    kind = min([*(sources.kind(s) for s in ids), "derived"], key=KIND_STRENGTH.__getitem__)
    note = "; ".join(f"{label} from {sid}" for label, sid in note_parts)
    return sources.add(
        {
            "id": key,
            "kind": kind,
            "title": f"{row['kind'].replace('_', ' ')} regime at {row['place']} "
            f"({row['mode']}, {row['direction']})",
            "url": "",
            "date": "",
            "note": f"combines {', '.join(ids)}: {note}",
        }
    )


def build_regimes(
    places: dict[str, dict[str, str]],
    links: list[dict[str, Any]],
    rules: dict[str, dict[str, tuple[float, str]]],
    sources: Sources,
) -> list[dict[str, Any]]:
    """Regime rows: the curated ones, then by direction from the R&T country figures for
    every border place and side (mode 'any'), then the old gauge-change estimate at every
    gauge-change place without a curated 'both' row."""
    borders = {row["country"]: row for row in read("border_rules.csv")}
    union_members = unions()
    regimes: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in read("regimes.csv"):
        if row["place"] not in places:
            raise ValueError(f"regime: unknown place {row['place']!r}")
        fee = number(row["fee_usd_per_teu"])
        if fee is None:
            fee, fee_sid = side_fee(row, places, borders)
            row = {**row, "fee_source_id": fee_sid}
        source_id = regime_source(row, sources)
        key = (row["place"], row["kind"], row["mode"], row["direction"])
        regimes[key] = {
            "place": row["place"],
            "kind": row["kind"],
            "mode": row["mode"],
            "direction": row["direction"],
            "time_h_low": number(row["time_h_low"]),
            "time_h": float(row["time_h"]),
            "time_h_high": number(row["time_h_high"]),
            "fee_usd_per_teu": fee,
            "throughput_teu_per_day": number(row["throughput_teu_per_day"]),
            "source_id": source_id,
            "note": row["note"],
        }
    for link in links:
        a, b = places[link["from_node"]], places[link["to_node"]]
        if a["country"] == b["country"] or any(
            {a["country"], b["country"]} <= members for _, members in union_members
        ):
            continue
        for here, there in ((a, b), (b, a)):
            if here["border_exempt"] == "yes":
                continue
            rule = borders[here["country"]]
            for direction, side in (
                (f"{here['country']}>{there['country']}", "export"),
                (f"{there['country']}>{here['country']}", "import"),
            ):
                key = (here["id"], "border", "any", direction)
                regimes.setdefault(
                    key,
                    {
                        "place": here["id"],
                        "kind": "border",
                        "mode": "any",
                        "direction": direction,
                        "time_h_low": None,
                        "time_h": float(rule[f"time_{side}_h"]),
                        "time_h_high": None,
                        "fee_usd_per_teu": float(rule[f"fee_{side}_usd"]),
                        "throughput_teu_per_day": None,
                        "source_id": "rt2019_border_direction"
                        if rule["source_id"] == "rt2019_border"
                        else rule["source_id"],
                        "note": f"{here['country']} {side} (R&T, road shipments)",
                    },
                )
    gauge = rules["gauge"]
    for place in places.values():
        if place["gauge_change"] != "yes":
            continue
        key = (place["id"], "gauge_change", "rail", "both")
        regimes.setdefault(
            key,
            {
                "place": place["id"],
                "kind": "gauge_change",
                "mode": "rail",
                "direction": "both",
                "time_h_low": None,
                "time_h": gauge["gauge_change_time_h"][0],
                "time_h_high": None,
                "fee_usd_per_teu": gauge["gauge_change_cost_usd_per_teu"][0],
                "throughput_teu_per_day": None,
                "source_id": "gauge_change_est",
                "note": "no figure found for this place: the old estimate",
            },
        )
    return list(regimes.values())


def side_fee(
    row: dict[str, str], places: dict[str, dict[str, str]], borders: dict[str, dict[str, str]]
) -> tuple[float, str]:
    """The R&T fee of a border regime row's side: export if the place's country is the
    direction's origin, import if it is its destination."""
    if row["kind"] != "border" or ">" not in row["direction"]:
        raise ValueError(
            f"regime {row['place']} {row['kind']} {row['direction']}: no fee; a fee "
            "can be filled from R&T only for a border row with a direction"
        )
    origin, _, destination = row["direction"].partition(">")
    country = places[row["place"]]["country"]
    side = "export" if country == origin else "import" if country == destination else None
    if side is None:
        raise ValueError(f"regime {row['place']}: {country} is neither side of {row['direction']}")
    return float(borders[country][f"fee_{side}_usd"]), "rt2019_border_direction"


SERVICE_SOURCE_COLUMNS = (
    "source_id",
    "frequency_source_id",
    "time_source_id",
    "price_source_id",
    "subsidy_source_id",
    "capacity_source_id",
)


def build_services(
    places: dict[str, dict[str, str]], sources: Sources
) -> tuple[list[str], list[dict[str, str]]]:
    """Scheduled services from services.csv, their sources from service_sources.csv.

    Returns the columns and rows of services.csv; every call and via is a place and every
    source id resolves.
    """
    rows = read("services.csv")
    fields = list(rows[0]) if rows else []
    for row in rows:
        for column in ("calls", "via"):
            for place in filter(None, row[column].split("|")):
                if place not in places:
                    raise ValueError(f"service {row['id']}: unknown place {place!r} in {column}")
        for column in SERVICE_SOURCE_COLUMNS:
            if row[column] and row[column] not in sources.rows:
                raise ValueError(f"service {row['id']}: unknown source {row[column]!r}")
    return fields, rows


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    places = {row["id"]: row for row in read("places.csv")}
    rules = load_rules()
    sources = Sources()
    for row in read("service_sources.csv"):  # services' figures and the wagonload rule
        sources.add(row)
    links = build_links(places, rules, sources)
    ids = [link["id"] for link in links]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate link ids")
    nodes = build_nodes(places, links, rules, sources)
    regimes = build_regimes(places, links, rules, sources)
    service_fields, services = build_services(places, sources)
    for table in (read("parameters.csv"), read("checks.csv"), read("corridors.csv")):
        for row in table:
            if row["source_id"] not in sources.rows:
                raise ValueError(f"unknown source {row['source_id']!r}")
    for row in nodes + links:
        for column in ("source_id", "ops_source_id", "winter_source_id"):
            if row.get(column) and row.get(column) not in sources.rows:
                raise ValueError(f"{row['id']}: unknown source {row.get(column)!r}")
        if not math.isfinite(float(row.get("lat", 0) or 0)):
            raise ValueError(f"{row['id']}: bad coordinate")
    write("nodes.csv", NODE_FIELDS, nodes)
    write("links.csv", LINK_FIELDS, links)
    write("services.csv", service_fields, services)
    write("sources.csv", SOURCE_FIELDS, list(sources.rows.values()))
    write("regimes.csv", REGIME_FIELDS, regimes, key=4)
    write("parameters.csv", PARAMETER_FIELDS, read("parameters.csv"))
    write(
        "checks.csv",
        ["name", "value", "unit", "low", "high", "source_id", "note"],
        read("checks.csv"),
    )
    write(
        "corridors.csv",
        ["id", "name", "via", "destinations", "description", "source_id", "avoid"],
        read("corridors.csv"),
    )
    print(
        f"wrote {len(nodes)} nodes, {len(links)} links, {len(regimes)} regimes, "
        f"{len(services)} services, {len(sources.rows)} sources to {OUT}"
    )


if __name__ == "__main__":
    main()
