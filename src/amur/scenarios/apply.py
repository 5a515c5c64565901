"""Applying a scenario to a network: a new, validated network; the base is never touched."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from amur.errors import InputError, ScenarioError, UnknownPlaceError
from amur.graph import store
from amur.network import Network, Status
from amur.network.validate import parse_months
from amur.scenarios.commodities import commodity_modes
from amur.scenarios.model import (
    LINK_OPS_COLUMNS,
    NODE_OPS_COLUMNS,
    NODE_WINTER_COLUMNS,
    SERVICE_SOURCE_OF,
    Closure,
    Edit,
    Scale,
    Scenario,
)


@dataclass(frozen=True, eq=False)
class AppliedScenario:
    """A scenario applied to a network: what routing needs.

    Attributes
    ----------
    network : Network
        The edited network (a new object; the base is unchanged).
    year, month : int or None
        Year and month to route in (``Network.in_service``).
    modes : frozenset of str or None
        Modes the scenario's commodity may use (``None``: the routing default).
    scenario : Scenario
        The scenario applied.
    """

    network: Network
    year: int | None
    month: int | None
    modes: frozenset[str] | None
    scenario: Scenario


def apply(net: Network, scenario: Scenario) -> AppliedScenario:
    """Apply a scenario (and its bases, root first) to a network.

    Parameters
    ----------
    net : Network
        The base network; it is not modified.
    scenario : Scenario
        From :func:`amur.scenarios.load_scenario` (bases resolved), or read or built by hand:
        an unresolved ``base`` is then looked up in the network's dataset scenarios folder.

    Returns
    -------
    AppliedScenario
        The new network with the scenario's year, month and modes. The same (network,
        scenario) pair gives the same object (cached).

    Raises
    ------
    ScenarioError
        On an edit of an unknown link or node, an added id that exists, a source id that is
        not among the network's or the scenario's sources, a year outside the data, a base
        that was not resolved, or edits that leave an invalid network.

    Examples
    --------
    >>> import amur
    >>> from amur.scenarios import apply, load_scenario
    >>> net = amur.load("northeast-asia")
    >>> applied = apply(net, load_scenario("2018", net))
    >>> applied.year
    2018
    """
    if scenario.chain()[0].base is not None:
        from amur.scenarios.library import resolve_bases

        scenario = resolve_bases(scenario, net)
    return _apply_cached(net, scenario)


@lru_cache(maxsize=64)
def _apply_cached(net: Network, scenario: Scenario) -> AppliedScenario:
    """:func:`_apply_new`, through the cache on disk when ``net`` is a built-in network's
    (:mod:`amur.graph.store`): keyed by the network's key and the scenario's full text
    (``repr``, every field), and the applied network's graphs kept as well.
    """
    base = store.key_of(net)
    if base is None:
        return _apply_new(net, scenario)
    digest = hashlib.sha256(f"{base}\n{scenario!r}".encode()).hexdigest()[:32]
    key = f"{base}-{digest}"
    name = f"scenario-{key}.pickle"
    applied = store.read(name, AppliedScenario, network=net)
    if applied is None or applied.scenario != scenario:
        applied = _apply_new(net, scenario)
        store.write(name, applied, network=net)
    store.remember(applied.network, key)
    return applied


def _apply_new(net: Network, scenario: Scenario) -> AppliedScenario:
    chain = scenario.chain()
    if chain[0].base is not None:
        raise ScenarioError(
            f"{chain[0].label}: base {chain[0].base!r} is not resolved; load "
            "the scenario with amur.scenarios.load_scenario",
            field="base",
        )  # pragma: no cover (apply resolves bases first)
    nodes, links, sources = net.nodes.copy(), net.links.copy(), net.sources.copy()
    regimes = net.regimes
    services = net.services.copy()
    for step in chain:
        sources = _add_sources(sources, step)
        known = set(sources["id"])
        for edit in step.edits:
            if edit.table == "links":
                links = _apply_edit(links, edit, step, known)
            elif edit.table == "services":
                services = _apply_service_edit(services, edit, step, known)
            else:
                nodes = _apply_edit(nodes, edit, step, known)
                regimes = _edit_regimes(regimes, edit, step)
        for scale in step.scales:
            links = _apply_scale(links, scale, step, known)
    closures = [(c, step) for step in chain for c in step.closures]
    if closures:
        links = _apply_closures(net, nodes, links, closures, scenario, set(sources["id"]))
    if not scenario.effective_subsidies:
        services = without_subsidies(services)
    try:
        new = Network.from_frames(
            nodes,
            links,
            sources,
            name=f"{net.name}+{scenario.name}",
            origin=f"{net.name} with {scenario.name}",
            regimes=regimes,
            unions=net.unions,
            services=services,
        )
    except InputError as exc:
        raise ScenarioError(
            f"{scenario.label}: the edits leave an invalid network: {exc.message}", field=exc.field
        ) from None
    new = dataclasses.replace(new, parameters=dict(net.parameters), origin=net.origin)
    year = scenario.effective_year
    _check_year(new, year, scenario)
    try:
        modes: frozenset[str] | None = commodity_modes(
            scenario.effective_commodity, _effective_modes(scenario) or None
        )
    except InputError as exc:
        raise ScenarioError(f"{scenario.label}: {exc.message}", field=exc.field) from None
    if scenario.effective_commodity is None and not _effective_modes(scenario):
        modes = None  # the routing default
    return AppliedScenario(new, year, scenario.effective_month, modes, scenario)


#: Node columns whose edit sets the figures of the place's regimes of a kind.
_REGIME_COLUMN_OF = {
    "border_time_h": ("border", "time"),
    "border_fee_usd_per_teu": ("border", "fee"),
    "gauge_change_time_h": ("gauge_change", "time"),
    "gauge_change_cost_usd_per_teu": ("gauge_change", "fee"),
    "handling_time_h": ("port", "time"),
    "handling_cost_usd_per_teu": ("port", "fee"),
}


def _edit_regimes(regimes: pd.DataFrame, edit: Edit, step: Scenario) -> pd.DataFrame:
    """Carry a node edit into the place's regimes.

    A scenario that sets a place's border (gauge-change, handling) time sets it, as one
    value with no range, in every regime of that kind at the place, for every mode and
    direction; a fee likewise; the edit's source replaces the regime's. A removed node
    takes its regimes with it.
    """
    if not len(regimes):
        return regimes
    at_place = (regimes["place"] == edit.id).to_numpy()
    if not at_place.any():
        return regimes
    if edit.action == "remove":
        return regimes[~at_place].reset_index(drop=True)
    out = regimes
    for column, value in edit.values:
        if column not in _REGIME_COLUMN_OF:
            continue
        kind, what = _REGIME_COLUMN_OF[column]
        rows = at_place & (out["kind"] == kind).to_numpy()
        if not rows.any():
            continue
        out = out.copy()
        targets = ["time_h_low", "time_h", "time_h_high"] if what == "time" else ["fee_usd_per_teu"]
        for target in targets:
            out.loc[rows, target] = float(value)
        out.loc[rows, "source_id"] = edit.source_id or _own_source_id(step)
    return out


def _effective_modes(scenario: Scenario) -> tuple[str, ...]:
    return next((s.modes for s in reversed(scenario.chain()) if s.modes), ())


def _add_sources(sources: pd.DataFrame, step: Scenario) -> pd.DataFrame:
    rows = [dataclasses.asdict(s) for s in step.sources if s.id not in set(sources["id"])]
    needs_own = (
        any(e.source_id is None and e.action == "change" for e in step.edits)
        or any(s.source_id is None for s in step.scales)
        or any(c.source_id is None for c in step.closures)
    )
    own = _own_source_id(step)
    if needs_own and own not in set(sources["id"]):
        rows.append(
            {
                "id": own,
                "kind": "user",
                "title": f"scenario {step.name}",
                "url": None,
                "date": None,
                "note": f"edits without a source in {step.path or 'a scenario'}",
            }
        )
    if not rows:
        return sources
    return pd.concat([sources, pd.DataFrame(rows)], ignore_index=True)


def _own_source_id(step: Scenario) -> str:
    return f"scenario:{step.name}"


def _unknown(kind: str, edit: Edit, frame: pd.DataFrame, step: Scenario) -> ScenarioError:
    close = difflib.get_close_matches(edit.id, frame["id"].astype(str).tolist(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ScenarioError(
        f"{edit.where or step.label}, key 'id': unknown {kind} {edit.id!r} in the network{hint}",
        field="id",
    )


def _check_source(source_id: str | None, edit_where: str, known: set[str]) -> None:
    if source_id is not None and source_id not in known:
        raise ScenarioError(
            f"{edit_where}, key 'source_id': source {source_id!r} is not in the "
            "network's sources nor in the scenario's [[sources]]",
            field="source_id",
        )


def _apply_edit(frame: pd.DataFrame, edit: Edit, step: Scenario, known: set[str]) -> pd.DataFrame:
    kind = {"links": "link", "nodes": "node", "services": "service"}[edit.table]
    where = edit.where or step.label
    rows = frame.index[frame["id"] == edit.id]
    if edit.action == "add":
        if len(rows):
            raise ScenarioError(
                f"{where}, key 'id': {kind} {edit.id!r} already exists; "
                "expected a new id (use change to edit it)",
                field="id",
            )
        _check_source(edit.source_id, where, known)
        row = pd.DataFrame([{"id": edit.id, **edit.columns}])
        return pd.concat([frame, row], ignore_index=True)
    if not len(rows):
        raise _unknown(kind, edit, frame, step)
    if edit.action == "remove":
        return frame.drop(index=rows).reset_index(drop=True)
    _check_source(edit.source_id, where, known)
    frame = frame.copy()
    for column, value in edit.values:
        if frame[column].dtype == "Int64" or pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].astype(object)
        elif pd.api.types.is_float_dtype(frame[column]):
            value = float(value)
        frame.loc[rows, column] = value
    source = edit.source_id or _own_source_id(step)
    ops = LINK_OPS_COLUMNS if edit.table == "links" else NODE_OPS_COLUMNS
    changed = set(edit.columns)
    winter = NODE_WINTER_COLUMNS if edit.table == "nodes" else frozenset()
    if changed & ops:
        frame.loc[rows, "ops_source_id"] = source
    if changed & winter and "winter_source_id" not in changed:
        frame.loc[rows, "winter_source_id"] = source
    if changed - ops - winter:
        frame.loc[rows, "source_id"] = source
    return frame


def _apply_service_edit(
    services: pd.DataFrame, edit: Edit, step: Scenario, known: set[str]
) -> pd.DataFrame:
    """Add, remove or change a service; a change tags the source column of each figure it
    sets (``price_source_id`` for a price, ``time_source_id`` for a time, ...).
    """
    if edit.action != "change":
        return _apply_edit(services, edit, step, known)
    where = edit.where or step.label
    rows = services.index[services["id"] == edit.id]
    if not len(rows):
        raise _unknown("service", edit, services, step)
    _check_source(edit.source_id, where, known)
    services = services.copy()
    for column, value in edit.values:
        services[column] = services[column].astype(object)
        services.loc[rows, column] = value
    source = edit.source_id or _own_source_id(step)
    for column in {SERVICE_SOURCE_OF.get(c, "source_id") for c in edit.columns}:
        services[column] = services[column].astype(object)
        services.loc[rows, column] = source
    return services


def without_subsidies(services: pd.DataFrame) -> pd.DataFrame:
    """Services with their subsidies removed: each price rises by its subsidy (shared among
    the hops of a per-hop price in proportion to their prices) and the subsidy becomes 0.

    Parameters
    ----------
    services : pandas.DataFrame
        A services table (``Network.services``).

    Returns
    -------
    pandas.DataFrame
        A new table; the input is not changed.
    """
    from amur.network.services import hop_values, service_calls

    out = services.copy()
    out["price"] = out["price"].astype(object)
    prices_out = out["price"].tolist()
    subsidies_out = out["subsidy"].tolist()
    for row, rec in enumerate(out.to_dict("records")):
        subsidy = rec["subsidy"]
        if pd.isna(subsidy) or float(subsidy) == 0.0:
            continue
        prices = hop_values(rec["price"], len(service_calls(rec["calls"])) - 1) or [0.0]
        total = sum(prices)
        raised = [
            p + float(subsidy) * (p / total if total > 0 else 1.0 / len(prices)) for p in prices
        ]
        prices_out[row] = "|".join(f"{p:g}" for p in raised)
        subsidies_out[row] = 0.0
    out["price"] = pd.Series(prices_out, index=out.index, dtype=object)
    out["subsidy"] = pd.Series(subsidies_out, index=out.index, dtype="float64")
    return out


def _apply_scale(
    links: pd.DataFrame, scale: Scale, step: Scenario, known: set[str]
) -> pd.DataFrame:
    _check_source(scale.source_id, scale.where or step.label, known)
    links = links.copy()
    rows = (links["mode"] == scale.mode).to_numpy()
    for column in ("cost_usd_per_teu_km", "cost_usd_per_tkm"):
        values = links[column].to_numpy(dtype=np.float64, na_value=np.nan).copy()
        values[rows] *= scale.cost
        links[column] = values
    speed = links["speed_kmh"].to_numpy(dtype=np.float64, na_value=np.nan).copy()
    speed[rows] *= scale.speed
    links["speed_kmh"] = speed
    fixed = links["time_h"].to_numpy(dtype=np.float64, na_value=np.nan).copy()
    fixed[rows] /= scale.speed
    links["time_h"] = fixed
    links.loc[rows, "ops_source_id"] = scale.source_id or _own_source_id(step)
    return links


def _apply_closures(
    net: Network,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    closures: list[tuple[Closure, Scenario]],
    scenario: Scenario,
    known: set[str],
) -> pd.DataFrame:
    """Switch off the closed places' and links' months of the scenario's year.

    A link closed in some months of the year runs only in the others (its ``months``); closed
    all year, its status becomes ``closed``. A place closes every link at it.
    """
    year = scenario.effective_year
    links = links.copy()
    for closure, step in closures:
        where = closure.where or step.label
        _check_source(closure.source_id, where, known)
        if year is None:
            raise ScenarioError(
                f"{where}: a closure needs the scenario's year; expected a "
                "'year' key in the scenario or a base",
                field="year",
            )
        rows = _closure_rows(net, nodes, links, closure, where)
        months = closure.months_closed(year)
        if not months:
            continue
        closed_mask = sum(1 << (m - 1) for m in months)
        for k in rows:
            months_text = links.at[k, "months"]
            text = months_text if isinstance(months_text, str) else None
            left = parse_months(text) & ~closed_mask
            if left == 0:
                links.at[k, "status"] = Status.CLOSED.value
            else:
                links.at[k, "months"] = ",".join(
                    str(m) for m in range(1, 13) if left & (1 << (m - 1))
                )
            links.at[k, "source_id"] = closure.source_id or _own_source_id(step)
    return links


def _closure_rows(
    net: Network, nodes: pd.DataFrame, links: pd.DataFrame, closure: Closure, where: str
) -> list[int]:
    """Rows of the links a closure switches off (the link, or every link at the place)."""
    if closure.table == "links":
        rows = links.index[links["id"] == closure.id]
        if not len(rows):
            close = difflib.get_close_matches(closure.id, links["id"].astype(str).tolist(), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ScenarioError(
                f"{where}, key 'link': unknown link {closure.id!r} in the network{hint}",
                field="link",
            )
        return list(rows)
    try:
        place = net.place(closure.id)
    except UnknownPlaceError as exc:
        raise ScenarioError(f"{where}, key 'place': {exc.message}", field="place") from None
    if place not in set(nodes["id"]):
        raise ScenarioError(
            f"{where}, key 'place': {place!r} is not in the scenario's network", field="place"
        )
    return list(links.index[(links["from_node"] == place) | (links["to_node"] == place)])


def data_years(net: Network) -> tuple[int, int]:
    """Years a scenario may ask for: from the earliest opening year in the links to the latest
    opening or closing year, or the current year if later.
    """
    years = pd.concat([net.links["opened"], net.links["closed"]]).dropna()
    first = int(net.links["opened"].dropna().min()) if net.links["opened"].notna().any() else 0
    last = max([datetime.date.today().year, *(int(y) for y in years)])
    return first, last


def _check_year(net: Network, year: int | None, scenario: Scenario) -> None:
    if year is None:
        return
    first, last = data_years(net)
    if not first <= year <= last:
        raise ScenarioError(
            f"{scenario.label}, key 'year': {year} is outside the data; expected {first} to {last}",
            field="year",
        )
