// @ts-check
// Market access change by region: a circle at each region's place, area by the size of the
// change, green for a gain and red for a loss.
import { EMPTY, hover, setData } from "./index.js";
import { signed } from "../format.js";

/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").Region} Region */
/** @typedef {import("../api.js").ImpactAnswer} ImpactAnswer */

/** @type {MapLayer} */
export const accessLayer = {
  name: "market access",
  add(map) {
    map.addSource("access", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "access-circles", type: "circle", source: "access",
      paint: { "circle-radius": ["get", "radius"], "circle-color": ["get", "color"], "circle-opacity": 0.55,
        "circle-stroke-color": ["get", "color"], "circle-stroke-width": 1.5 } });
    hover(map, "access-circles", (p) => `${p.name}: market access ${signed(p.change_pct, 3)} %`);
  },
};

/**
 * Draw each region's change at its place; returns the features drawn.
 * @param {MapLibre} map
 * @param {ImpactAnswer} answer
 * @param {Region[]} regions where each region is
 */
export function drawAccess(map, answer, regions) {
  const where = new Map(regions.map((r) => [r.region, r]));
  const largest = Math.max(...answer.regions.map((r) => Math.abs(r.market_access_change_pct ?? 0)), 1e-12);
  /** @type {GeoJSON.Feature<GeoJSON.Point>[]} */
  const features = [];
  for (const r of answer.regions) {
    const at = where.get(r.region);
    if (!at) continue;
    const change = r.market_access_change_pct ?? 0;
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [at.lon, at.lat] },
      properties: { region: r.region, name: r.name, change_pct: change,
        radius: 3 + 22 * Math.sqrt(Math.abs(change) / largest),
        color: change > 0 ? "#1e8449" : change < 0 ? "#c0392b" : "#95a5a6" } });
  }
  setData(map, "access", { type: "FeatureCollection", features });
  return features;
}

/** @param {MapLibre} map */
export const clearAccess = (map) => setData(map, "access", EMPTY);
