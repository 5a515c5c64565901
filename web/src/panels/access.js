// @ts-check
// Market access change by region between two scenarios: a table, largest gain first, and
// circles on the map.
import * as api from "../api.js";
import { byId, describe, form, input, markField, row, select, setState, setStatus, table, tableBody } from "../dom.js";
import { fmt, signed } from "../format.js";
import { countFeatures, fitTo } from "../map/index.js";
import { clearAccess, drawAccess } from "../map/access.js";

/** @typedef {import("../map/index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").ImpactAnswer} ImpactAnswer */
/** @typedef {import("../api.js").Region} Region */

const FIELDS = { a: "access-a", b: "access-b", theta: "access-theta" };
/** Where each region is, read once. @type {Region[] | undefined} */
let regions;

/** @param {MapLibre} map */
export function setupAccess(map) {
  form("access-form").addEventListener("submit", (e) => { e.preventDefault(); measureAccess(map); });
}

/** @param {MapLibre} map */
async function measureAccess(map) {
  const query = { a: select("access-a").value, b: select("access-b").value, theta: input("access-theta").value };
  setStatus("Measuring market access…", false, "access-status");
  setState("access", "loading");
  try {
    regions ??= (await api.regions()).regions;
    const answer = await api.impact(query);
    fillAccessTable(answer);
    const features = drawAccess(map, answer, regions);
    countFeatures("accessFeatures", features.length);
    fitTo(map, features.map((f) => f.geometry.coordinates));
    setStatus(`${answer.scenario_a} to ${answer.scenario_b}, θ = ${answer.theta}: ${answer.regions.length} regions`,
      false, "access-status");
    setState("access", "done");
  } catch (error) {
    table("access-table").hidden = true;
    byId("access-legend").hidden = true;
    clearAccess(map);
    const { message, field } = describe(error);
    setStatus(message, true, "access-status");
    markField(field, FIELDS);
    setState("access", "error");
  }
}

/** @param {ImpactAnswer} answer */
function fillAccessTable(answer) {
  const rows = [...answer.regions].sort((x, y) => (y.market_access_change_pct ?? 0) - (x.market_access_change_pct ?? 0));
  tableBody("access-table").replaceChildren(...rows.map((r) => {
    const change = r.market_access_change_pct;
    const tr = row([r.name, fmt(r.market_access_a ?? 0), fmt(r.market_access_b ?? 0),
      change == null ? "–" : signed(change, 3), r.trade_change_pct == null ? "–" : signed(r.trade_change_pct, 3)],
    (td, i) => { if (i === 3 && change) td.className = change > 0 ? "up" : "down"; });
    tr.dataset.region = r.region;
    return tr;
  }));
  table("access-table").hidden = false;
  byId("access-legend").hidden = false;
}
