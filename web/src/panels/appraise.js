// @ts-check
// Project appraisal: NPV, BCR, IRR and minimum DSCR with percentiles over Monte Carlo
// draws, and the probability that debt service is not covered.
import * as api from "../api.js";
import { describe, form, input, markField, row, select, setState, setStatus, table, tableBody } from "../dom.js";
import { fmt } from "../format.js";

/** @typedef {import("../api.js").Appraisal} Appraisal */
/** @typedef {Record<string, number | null | undefined> | null | undefined} Percentiles */

const FIELDS = { project: "appraise-project", draws: "appraise-draws", traffic: "appraise-traffic" };

/** Fill the choice of projects and listen to the form. */
export async function setupAppraise() {
  const answer = await api.projects();
  select("appraise-project").replaceChildren(...answer.projects.map((p) => {
    const option = new Option(`${p.name} (${p.opening_year})`, p.id);
    option.title = p.id;
    return option;
  }));
  form("appraise-form").addEventListener("submit", (e) => { e.preventDefault(); appraiseProject(); });
}

async function appraiseProject() {
  const query = { project: select("appraise-project").value, draws: input("appraise-draws").value,
    traffic: select("appraise-traffic").value };
  setStatus("Appraising…", false, "appraise-status");
  setState("appraise", "loading");
  try {
    const answer = await api.appraise(query);
    fillAppraisal(answer);
    /** @type {Record<string, any>} */
    const draws = answer.draws ?? {};
    const n = draws.n ?? 0;
    setStatus(`${answer.name}: discount ${answer.discount_pct} % real, ${fmt(n)} draw${n === 1 ? "" : "s"}` +
      `${draws.seed != null ? ` (seed ${draws.seed})` : ""}; traffic: ${answer.traffic_basis ?? "–"}`,
    false, "appraise-status");
    setState("appraise", "done");
  } catch (error) {
    table("appraise-table").hidden = true;
    table("appraise-risk").hidden = true;
    const { message, field } = describe(error);
    setStatus(message, true, "appraise-status");
    markField(field, FIELDS);
    setState("appraise", "error");
  }
}

/** @param {Appraisal} a */
function fillAppraisal(a) {
  /** @param {unknown} value @param {number} digits @param {number} [scale] */
  const cell = (value, digits, scale = 1) => (typeof value !== "number" ? "–" : fmt(value * scale, digits));
  /** @type {Array<[string, string, unknown, Percentiles, number, number]>} */
  const figures = [
    ["npv", "NPV (USD million)", a.npv.value, /** @type {Percentiles} */ (a.npv.percentiles), 0, 1],
    ["bcr", "BCR", a.bcr.value, /** @type {Percentiles} */ (a.bcr.percentiles), 2, 1],
    ["irr", "IRR (% a year)", a.irr.value, /** @type {Percentiles} */ (a.irr.percentiles), 1, 100],
    ["min_dscr", "min DSCR", a.dscr.min, /** @type {Percentiles} */ (a.dscr.min_percentiles), 2, 1],
    ["min_dscr_operating", "min DSCR, operating years", a.dscr.min_operating,
      /** @type {Percentiles} */ (a.dscr.min_operating_percentiles), 2, 1],
  ];
  tableBody("appraise-table").replaceChildren(...figures.map(([key, label, central, pct, digits, scale]) => {
    const tr = row([label, cell(central, digits, scale), cell(pct?.p5, digits, scale), cell(pct?.p50, digits, scale),
      cell(pct?.p95, digits, scale)]);
    tr.dataset.figure = key;
    return tr;
  }));
  /** @type {Record<string, any>} */
  const d = a.dscr;
  const covenant = d.covenant == null ? "covenant" : `covenant ${fmt(d.covenant, 2)}`;
  const risks = [
    ["below_1", "P(min DSCR < 1)", d.probability_min_below_1, d.probability_min_operating_below_1],
    ["below_covenant", `P(min DSCR < ${covenant})`, d.probability_min_below_covenant, d.probability_min_operating_below_covenant],
  ];
  tableBody("appraise-risk").replaceChildren(...risks.map(([key, label, all, operating]) => {
    const tr = row([label, ...[all, operating].map((value) => (value == null ? "–" : `${fmt(100 * value, 1)} %`))],
      (td, i) => { const value = [all, operating][i - 1]; if (i > 0 && value != null && value >= 0.5) td.className = "high"; });
    tr.dataset.risk = key;
    return tr;
  }));
  table("appraise-table").hidden = false;
  table("appraise-risk").hidden = false;
}
