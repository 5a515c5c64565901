// @ts-check
// Two scenarios' best routes side by side: A in blue, B in orange, offset where they share links.
import { EMPTY, setData } from "./index.js";
import { routeLines } from "./route.js";

/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").Route} Route */

export const SIDE_COLORS = { a: "#2471a3", b: "#e67e22" };
const ROUND = /** @type {const} */ ({ "line-cap": "round", "line-join": "round" });
/** @type {import("maplibre-gl").ExpressionSpecification} */
const OFFSET = ["case", ["==", ["get", "side"], "a"], -2.5, 2.5];

/** @type {MapLayer} */
export const compareLayer = {
  name: "compared routes",
  add(map) {
    map.addSource("compare", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "compare-casing", type: "line", source: "compare", layout: ROUND,
      paint: { "line-color": "#ffffff", "line-width": 7, "line-offset": OFFSET } });
    map.addLayer({ id: "compare-line", type: "line", source: "compare", layout: ROUND,
      paint: { "line-color": ["get", "color"], "line-width": 4, "line-offset": OFFSET } });
  },
};

/**
 * Draw route A and route B (either may be missing); returns the features drawn.
 * @param {MapLibre} map
 * @param {[Route | null, Route | null]} routes
 */
export function drawCompared(map, routes) {
  const features = routes.flatMap((r, i) => {
    const side = i === 0 ? "a" : "b";
    return r ? routeLines(r, { side, color: SIDE_COLORS[side] }) : [];
  });
  setData(map, "compare", { type: "FeatureCollection", features });
  return features;
}

/** @param {MapLibre} map */
export const clearCompared = (map) => setData(map, "compare", EMPTY);
