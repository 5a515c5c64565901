// @ts-check
// Scheduled services (block trains, sailings): a dashed line along each one's path and a ring
// at each place it calls at, with its name, calls and departures a week on hover.
import { EMPTY, hover, setData } from "./index.js";
import { placeName } from "../places.js";

/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").ServicesAnswer} ServicesAnswer */
/** @typedef {import("../api.js").Place} Place */

export const SERVICE_COLOR = "#6c3483";
const LAYERS = ["services-line", "service-calls"];

/** What the map shows of the services (for tests and the legend). */
export const shown = { lines: EMPTY, calls: EMPTY };

/** @type {MapLayer} */
export const servicesLayer = {
  name: "services",
  add(map) {
    map.addSource("services", { type: "geojson", data: EMPTY });
    map.addSource("service-calls", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "services-line", type: "line", source: "services", layout: { "line-join": "round" },
      paint: { "line-color": SERVICE_COLOR, "line-width": 2, "line-dasharray": [4, 2], "line-opacity": 0.8 } });
    map.addLayer({ id: "service-calls", type: "circle", source: "service-calls",
      paint: { "circle-radius": 6, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": SERVICE_COLOR,
        "circle-stroke-width": 2 } });
    hover(map, "services-line", (p) => `${p.name}${p.operator ? ` (${p.operator})` : ""}: ` +
      `${String(p.calls).split("|").map(placeName).join(" – ")}, ${p.departures_per_week} a week`);
  },
};

/**
 * Draw the services: their lines, and a ring at each call.
 * @param {MapLibre} map
 * @param {ServicesAnswer} answer
 * @param {Place[]} places where each place is
 */
export function drawServices(map, answer, places) {
  const where = new Map(places.map((p) => [p.id, p]));
  /** @type {GeoJSON.Feature<GeoJSON.Point>[]} */
  const calls = [];
  for (const f of answer.geojson.features) {
    for (const id of String(f.properties.calls).split("|")) {
      const p = where.get(id);
      if (p) calls.push({ type: "Feature", geometry: { type: "Point", coordinates: [p.lon, p.lat] },
        properties: { service: f.properties.name, place: p.name } });
    }
  }
  shown.lines = /** @type {GeoJSON.FeatureCollection} */ (answer.geojson);
  shown.calls = { type: "FeatureCollection", features: calls };
  setData(map, "services", shown.lines);
  setData(map, "service-calls", shown.calls);
}

/** Show or hide the services. @param {MapLibre} map @param {boolean} on */
export function showServices(map, on) {
  for (const layer of LAYERS) map.setLayoutProperty(layer, "visibility", on ? "visible" : "none");
}
