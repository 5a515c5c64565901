// @ts-check
// The network panel: a legend of modes, statuses and the scheduled services whose boxes show
// and hide them, and the opt-in online tiles (by default nothing leaves this machine).
import { byId, input } from "../dom.js";
import { words } from "../format.js";
import { MODE_COLORS, STATUSES, applyFilters, hidden, links } from "../map/network.js";
import { SERVICE_COLOR, showServices } from "../map/services.js";

/** @typedef {import("../map/index.js").MapLibre} MapLibre */

/**
 * Build the legend from the network's links and services, and listen to the tiles box.
 * @param {MapLibre} map
 * @param {number} services how many services the map draws
 */
export function setupLayers(map, services) {
  const all = links();
  const modes = [...new Set(all.map((f) => String(f.properties.mode)))].sort();
  const statuses = Object.keys(STATUSES).filter((s) => all.some((f) => f.properties.status === s));
  byId("mode-legend").replaceChildren(...modes.map((mode) => legendItem(mode, MODE_COLORS[mode] ?? "#555", "solid",
    !hidden.modes.has(mode), (on) => { toggle(hidden.modes, mode, on); applyFilters(map); })));
  byId("status-legend").replaceChildren(...statuses.map((status) => legendItem(status, "#444", STATUSES[status],
    !hidden.statuses.has(status), (on) => { toggle(hidden.statuses, status, on); applyFilters(map); })));
  byId("services-legend").replaceChildren(legendItem(`services (${services})`, SERVICE_COLOR, "dashed", true,
    (on) => showServices(map, on)));
  applyFilters(map);
  input("online-tiles").addEventListener("change", () => {
    if (input("online-tiles").checked) {
      map.addSource("osm", { type: "raster", tiles: ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"], tileSize: 256,
        attribution: "© OpenStreetMap contributors" });
      map.addLayer({ id: "osm", type: "raster", source: "osm" }, "countries-line");
    } else {
      map.removeLayer("osm");
      map.removeSource("osm");
    }
  });
}

/**
 * A legend entry with a box that shows or hides what it stands for.
 * @param {string} label
 * @param {string} color
 * @param {string} dash
 * @param {boolean} checked
 * @param {(on: boolean) => void} onChange
 */
function legendItem(label, color, dash, checked, onChange) {
  const item = document.createElement("label");
  item.className = "legend-item";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = checked;
  box.dataset.legend = label;
  box.addEventListener("change", () => onChange(box.checked));
  const swatch = document.createElement("span");
  swatch.className = "swatch-line";
  swatch.style.borderTop = `3px ${dash} ${color}`;
  item.append(box, swatch, words(label));
  return item;
}

/** @param {Set<string>} set @param {string} key @param {boolean} on */
function toggle(set, key, on) { if (on) set.delete(key); else set.add(key); }
