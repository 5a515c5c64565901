// @ts-check
// Scenarios: the built-in ones and the user's stored ones, offered in every scenario
// choice of the page; the user's can be saved (TOML typed or from a file) and deleted.
import * as api from "../api.js";
import { byId, describe, form, input, select, textarea } from "../dom.js";

/** @typedef {import("../api.js").BuiltinScenario} BuiltinScenario */
/** @typedef {import("../api.js").StoredScenario} StoredScenario */
/** @typedef {import("../api.js").Capabilities} Capabilities */

/** @type {{ builtin: BuiltinScenario[], stored: StoredScenario[] }} */
const known = { builtin: [], stored: [] };

/**
 * @param {BuiltinScenario[]} builtin the dataset's scenarios
 * @param {Capabilities} caps
 */
export async function setupScenarios(builtin, caps) {
  known.builtin = builtin;
  input("scenario-file").addEventListener("change", async () => {
    const file = input("scenario-file").files?.[0];
    if (!file) return;
    textarea("scenario-toml").value = await file.text();
    if (!input("scenario-name").value) input("scenario-name").value = file.name.replace(/\.toml$/i, "");
  });
  form("scenario-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api.saveScenario(input("scenario-name").value, textarea("scenario-toml").value);
      form("scenario-form").reset();
      await refreshScenarios(caps);
    } catch (error) {
      byId("scenarios-note").textContent = describe(error).message;
    }
  });
  await refreshScenarios(caps);
}

/** Read the stored scenarios again and refill every choice of scenario. @param {Capabilities} caps */
async function refreshScenarios(caps) {
  const answer = await api.storedScenarios();
  known.stored = answer.scenarios;
  byId("scenarios-note").textContent = answer.note;
  select("scenario").disabled = !answer.applied;
  const first = known.builtin[0]?.name;
  const latest = known.builtin.find((s) => s.name === "today")?.name ?? known.builtin.at(-1)?.name;
  fillScenarioChoices("scenario", [new Option("none (base)", "")]);
  fillScenarioChoices("compare-a", [], first);
  fillScenarioChoices("compare-b", [], latest);
  fillScenarioChoices("flows-scenario", [new Option("base network", "")], latest);
  fillScenarioChoices("access-a", [], first);
  fillScenarioChoices("access-b", [], latest);
  byId("compare-panel").hidden = !answer.applied || known.builtin.length + known.stored.length === 0;
  byId("access-panel").hidden = !caps.impact || known.builtin.length === 0;
  byId("scenarios-list").replaceChildren(...answer.scenarios.map((s) => {
    const item = document.createElement("li");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "delete";
    remove.addEventListener("click", async () => {
      await api.deleteScenario(s.name);
      await refreshScenarios(caps);
    });
    item.append(`${s.name} `, remove);
    return item;
  }));
}

/**
 * A scenario <select>: built-in scenarios (with their year), then the user's stored ones;
 * the current choice is kept across refreshes, else `initial`.
 * @param {string} id
 * @param {HTMLOptionElement[]} first options before the scenarios
 * @param {string} [initial]
 */
function fillScenarioChoices(id, first, initial) {
  const choice = select(id);
  const current = choice.value || initial || "";
  const groups = [];
  if (known.builtin.length) {
    const group = document.createElement("optgroup");
    group.label = "built-in";
    group.append(...known.builtin.map((s) => {
      const option = new Option(s.name === String(s.year) || s.year == null ? s.name : `${s.name} (${s.year})`, s.name);
      option.title = s.description;
      return option;
    }));
    groups.push(group);
  }
  if (known.stored.length) {
    const group = document.createElement("optgroup");
    group.label = "yours";
    group.append(...known.stored.map((s) => new Option(s.name, s.name)));
    groups.push(group);
  }
  choice.replaceChildren(...first, ...groups);
  if ([...choice.options].some((o) => o.value === current)) choice.value = current;
}
