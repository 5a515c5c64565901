// @ts-check
// The route panel: a route between two places by a criterion, month and scenario, drawn
// on the map, with a table of the routes found and one of the selected route's legs.
import * as api from "../api.js";
import { chosenText, describe, form, input, row, select, setState, setStatus, table, tableBody } from "../dom.js";
import { fmt, words } from "../format.js";
import { fitTo, countFeatures } from "../map/index.js";
import { clearCompared } from "../map/compare.js";
import { ROUTE_COLORS, drawRoutes } from "../map/route.js";
import { placeName } from "../places.js";

/** @typedef {import("../map/index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").Route} Route */

/** The routes shown and the one selected. */
/** @type {{ routes: Route[], selected: number }} */
const shown = { routes: [], selected: 0 };
// Queries overlap when the month and scenario change in quick succession: only the answer
// to the latest one is shown, whatever order the answers arrive in.
let latest = 0;

/** @param {MapLibre} map */
export function setupRoute(map) {
  form("route-form").addEventListener("submit", (e) => { e.preventDefault(); findRoute(map); });
  for (const id of ["month", "by", "alternatives", "scenario"]) {
    select(id).addEventListener("change", () => { if (input("from").value && input("to").value) findRoute(map); });
  }
}

/** @param {MapLibre} map */
async function findRoute(map) {
  const query = ++latest;
  clearCompared(map);
  /** @type {Record<string, string>} */
  const params = { from: input("from").value.trim(), to: input("to").value.trim(), alternatives: select("alternatives").value };
  for (const id of ["by", "month", "scenario"]) if (select(id).value) params[id] = select(id).value;
  setStatus("Finding routes…");
  setState("route", "loading");
  try {
    const answer = await api.route(params);
    if (query !== latest) return;
    showRoutes(map, answer.routes);
    const n = answer.routes.length;
    setStatus(`${placeName(answer.from)} to ${placeName(answer.to)} by ${answer.by}` +
      `${answer.month ? `, ${chosenText("month")}` : ""}: ${n} route${n > 1 ? "s" : ""}`);
    setState("route", "done");
  } catch (error) {
    if (query !== latest) return;
    showRoutes(map, []);
    const { message, field } = describe(error);
    setStatus(message, true);
    if (field) document.getElementById(field)?.setAttribute("aria-invalid", "true");
    setState("route", "error");
  }
}

/**
 * Show these routes on the map and in the tables, the first selected (none clears them).
 * @param {MapLibre} map
 * @param {Route[]} routes
 */
export function showRoutes(map, routes) {
  shown.routes = routes;
  shown.selected = 0;
  redraw(map);
}

/** @param {MapLibre} map */
function redraw(map) {
  const features = drawRoutes(map, shown.routes, shown.selected);
  countFeatures("routeFeatures", features.length);
  fillRoutesTable(map);
  fillLegsTable();
  fitTo(map, features.flatMap((f) => f.geometry.coordinates));
}

/** @param {MapLibre} map */
function fillRoutesTable(map) {
  tableBody("routes-table").replaceChildren(...shown.routes.map((r, i) => {
    const tr = row([r.rank, fmt(r.length_km), fmt(r.time_days, 1), fmt(r.cost_usd_per_teu), fmt(r.co2_kg_per_teu),
      r.via.map(placeName).join(" › ")]);
    tr.className = i === shown.selected ? "selected" : "";
    tr.style.setProperty("--route-color", ROUTE_COLORS[i % ROUTE_COLORS.length]);
    tr.addEventListener("click", () => { shown.selected = i; redraw(map); });
    return tr;
  }));
  table("routes-table").hidden = shown.routes.length === 0;
}

function fillLegsTable() {
  const r = shown.routes[shown.selected];
  const legs = table("legs-table");
  legs.hidden = !r;
  if (!r) { legs.tBodies[0].replaceChildren(); return; }
  if (legs.caption) legs.caption.textContent = `Route ${r.rank}: legs (per TEU)`;
  legs.tBodies[0].replaceChildren(...r.legs.map((leg) => {
    const mode = leg.kind === "link" ? words(leg.mode) : words(leg.kind);
    const tr = row([placeName(leg.from), placeName(leg.to), mode, leg.gauge, fmt(leg.length_km), fmt(leg.time_h, 1),
      fmt(leg.cost_usd_per_teu), fmt(leg.co2_kg_per_teu, 1)]);
    tr.dataset.kind = leg.kind;
    return tr;
  }));
}
