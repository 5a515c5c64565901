// @ts-check
// Place search as you type: the inputs that name places share one datalist of matches.
import * as api from "../api.js";
import { byId, input } from "../dom.js";
import { words } from "../format.js";

/** @param {string[]} ids the inputs that name places */
export function setupSearch(ids) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  for (const el of ids.map(input)) {
    el.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = el.value.trim();
        if (!q) return;
        const found = await api.places(q, 12);
        byId("places-list").replaceChildren(...found.places.map((p) => {
          const option = document.createElement("option");
          option.value = p.name;
          option.label = [p.country, words(p.kind), ...p.aliases].join(" · ");
          return option;
        }));
      }, 120);
    });
  }
}
