// @ts-check
// Compare two scenarios on one route: time, cost, CO2 and length per TEU side by side with
// the change (B minus A), and both best routes on the map.
import * as api from "../api.js";
import { byId, chosenText, describe, form, input, markField, row, select, setState, setStatus, table, tableBody } from "../dom.js";
import { fmt, signed, words } from "../format.js";
import { countFeatures, fitTo } from "../map/index.js";
import { clearCompared, drawCompared } from "../map/compare.js";
import { placeName } from "../places.js";
import { showRoutes } from "./route.js";

/** @typedef {import("../map/index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").CompareAnswer} CompareAnswer */
/** @typedef {import("../api.js").CompareRow} CompareRow */

const FIELDS = { a: "compare-a", b: "compare-b", from: "compare-from", to: "compare-to",
  month: "compare-month", by: "compare-by" };
/** Label, figure and digits of each compared row. @type {Array<[string, "time_days" | "cost_usd_per_teu" | "co2_kg_per_teu" | "length_km", number]>} */
const COMPARED = [
  ["days", "time_days", 2], ["USD/TEU", "cost_usd_per_teu", 0], ["kg CO2/TEU", "co2_kg_per_teu", 0], ["km", "length_km", 0],
];

/** @param {MapLibre} map */
export function setupCompare(map) {
  form("compare-form").addEventListener("submit", (e) => { e.preventDefault(); compareScenarios(map); });
}

/** @param {MapLibre} map */
async function compareScenarios(map) {
  /** @type {Record<string, string>} */
  const query = { a: select("compare-a").value, b: select("compare-b").value, from: input("compare-from").value.trim(),
    to: input("compare-to").value.trim(), by: select("compare-by").value };
  if (select("compare-month").value) query.month = select("compare-month").value;
  setStatus("Comparing…", false, "compare-status");
  setState("compare", "loading");
  try {
    const answer = await api.compare(query);
    const first = answer.rows[0];
    fillCompareTable(answer, first);
    setStatus(`${placeName(first.from)} to ${placeName(first.to)} by ${answer.by}` +
      `${answer.month ? `, ${chosenText("compare-month")}` : ""}: ${answer.a} against ${answer.b}`, false, "compare-status");
    await drawBoth(map, query);
    setState("compare", "done");
  } catch (error) {
    table("compare-table").hidden = true;
    clearCompared(map);
    const { message, field } = describe(error);
    setStatus(message, true, "compare-status");
    markField(field, FIELDS);
    setState("compare", "error");
  }
}

/** @param {CompareAnswer} answer @param {CompareRow} figures */
function fillCompareTable(answer, figures) {
  byId("compare-head-a").textContent = answer.a;
  byId("compare-head-b").textContent = answer.b;
  const rows = COMPARED.map(([label, key, digits]) => {
    const change = figures[`${key}_change`];
    const values = [figures[`${key}_a`], figures[`${key}_b`], change];
    const cells = [label, ...values.map((value, i) => (value == null ? "no route" : i === 2 ? signed(value, digits) : fmt(value, digits)))];
    const tr = row(cells, (td, i) => {
      if (i === 3 && change != null && change !== 0 && key !== "length_km") td.className = change < 0 ? "better" : "worse";
    });
    tr.dataset.figure = key;
    return tr;
  });
  for (const side of /** @type {const} */ (["via", "modes"])) {
    /** @param {string} text */
    const names = (text) => text.split(" > ").map((p) => (side === "via" ? placeName(p) : words(p))).join(" › ");
    const tr = row([side, names(figures[`${side}_a`]), names(figures[`${side}_b`]), ""]);
    tr.className = "via";
    rows.push(tr);
  }
  tableBody("compare-table").replaceChildren(...rows);
  table("compare-table").hidden = false;
}

/**
 * Both best routes on the map, A in blue and B in orange; the route panel's are cleared.
 * @param {MapLibre} map
 * @param {Record<string, string>} query
 */
async function drawBoth(map, query) {
  const routes = await Promise.all([query.a, query.b].map(async (scenario) => {
    /** @type {Record<string, string>} */
    const params = { from: query.from, to: query.to, by: query.by, scenario };
    if (query.month) params.month = query.month;
    try {
      return (await api.route(params)).routes[0];
    } catch {
      return null;  // no route in this scenario: the table says so
    }
  }));
  showRoutes(map, []);
  const features = drawCompared(map, [routes[0], routes[1]]);
  countFeatures("compareAFeatures", features.filter((f) => f.properties?.side === "a").length);
  countFeatures("compareBFeatures", features.filter((f) => f.properties?.side === "b").length);
  fitTo(map, features.flatMap((f) => f.geometry.coordinates));
}
