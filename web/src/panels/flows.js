// @ts-check
// Flows after assignment of the built-in demand: the links on the map (width by volume,
// colour by v/c), a legend of widths, the bottlenecks, and Harbin's Europe-bound freight by
// corridor. The server sums the directions of each link (GET /api/flows.geojson).
import * as api from "../api.js";
import { byId, chosenText, describe, form, input, markField, row, select, setState, setStatus, table, tableBody } from "../dom.js";
import { fmt, fmtTonnes, words } from "../format.js";
import { countFeatures, fitTo } from "../map/index.js";
import { clearFlows, drawFlows, flowWidth } from "../map/flows.js";
import { placeName } from "../places.js";

/** @typedef {import("../map/index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").FlowsAnswer} FlowsAnswer */
/** @typedef {import("../api.js").FlowMap} FlowMap */

const FIELDS = { scenario: "flows-scenario", month: "flows-month", logit: "flows-logit", system_optimum: "flows-choice" };
/** Names of the share groups. @type {Record<string, string>} */
const GROUPS = { harbin_europe: "Harbin to Europe" };

/** @param {MapLibre} map */
export function setupFlows(map) {
  form("flows-form").addEventListener("submit", (e) => { e.preventDefault(); assignFlows(map); });
  select("flows-choice").addEventListener("change", () => { input("flows-logit").disabled = select("flows-choice").value !== "logit"; });
}

/** @param {MapLibre} map */
async function assignFlows(map) {
  /** @type {Record<string, string>} */
  const query = {};
  if (select("flows-scenario").value) query.scenario = select("flows-scenario").value;
  if (select("flows-month").value) query.month = select("flows-month").value;
  if (select("flows-choice").value === "logit") query.logit = input("flows-logit").value;
  if (select("flows-choice").value === "so") query.system_optimum = "true";
  setStatus("Assigning the freight demand…", false, "flows-status");
  setState("flows", "loading");
  try {
    // The same assignment twice: the server computes it once and keeps it.
    const answer = await api.flows(query);
    const drawn = await api.flowMap(query);
    const features = drawFlows(map, drawn);
    countFeatures("flowsFeatures", features.length);
    fillFlowsLegend(drawn);
    fillBottlenecks(answer);
    fillShares(answer);
    const gap = answer.relative_gap == null ? "–" : answer.relative_gap.toExponential(1);
    const n = answer.bottlenecks.length;
    const groups = drawn.groups.map((g) => `; ${GROUPS[g.group] ?? words(g.group)} ${fmt(g.flow_t_per_year)} t/year`);
    setStatus(`${answer.network}${answer.month ? `, ${chosenText("flows-month")}` : ""}, ${answer.route_choice}: ` +
      `${answer.algorithm}, ${answer.iterations} iterations, relative gap ${gap}; ${n} bottleneck${n === 1 ? "" : "s"}` +
      groups.join("") + (answer.warnings ?? []).map((w) => `; ${w}`).join(""), false, "flows-status");
    fitTo(map, features.flatMap((f) => f.geometry.coordinates));
    setState("flows", "done");
  } catch (error) {
    clearFlows(map);
    for (const id of ["flows-legend", "bottlenecks-table", "shares-table"]) byId(id).hidden = true;
    const { message, field } = describe(error);
    setStatus(message, true, "flows-status");
    markField(field, FIELDS);
    setState("flows", "error");
  }
}

/** Sample widths: a hundredth, a tenth and all of the largest flow. @param {FlowMap} drawn */
function fillFlowsLegend(drawn) {
  const largest = drawn.largest_flow_t_per_year;
  const samples = drawn.features.length ? [largest / 100, largest / 10, largest] : [];
  byId("flows-widths").replaceChildren(...samples.map((flow) => {
    const item = document.createElement("span");
    const line = document.createElement("span");
    line.className = "width-sample";
    line.style.height = `${flowWidth(flow, largest).toFixed(1)}px`;
    item.append(line, fmtTonnes(flow));
    return item;
  }), "t/year");
  byId("flows-legend").hidden = false;
}

/** @param {FlowsAnswer} answer */
function fillBottlenecks(answer) {
  const flows = new Map(answer.links.map((l) => [`${l.link}|${l.from}|${l.to}`, l.flow_t_per_year]));
  tableBody("bottlenecks-table").replaceChildren(...answer.bottlenecks.map((b) => {
    const flow = flows.get(`${b.link}|${b.from}|${b.to}`);
    const tr = row([b.link, placeName(b.from), placeName(b.to), flow == null ? "–" : fmt(flow), b.v_c == null ? "–" : fmt(b.v_c, 2)],
      (td, i) => { if (i === 4) td.className = "red"; });
    tr.dataset.link = b.link;
    return tr;
  }));
  table("bottlenecks-table").hidden = answer.bottlenecks.length === 0;
}

/** @param {FlowsAnswer} answer */
function fillShares(answer) {
  const rows = [...answer.corridor_shares].sort((x, y) => (y.share ?? 0) - (x.share ?? 0));
  tableBody("shares-table").replaceChildren(...rows.map((c) => {
    const tr = row([c.corridor_name, fmt(c.flow_t_per_year), c.share == null ? "–" : fmt(100 * c.share, 1)]);
    tr.dataset.corridor = c.corridor;
    return tr;
  }));
  table("shares-table").hidden = rows.length === 0;
}
