// @ts-check
// Routes on the map: each route's links as lines running from its start, the selected one
// wider, over a white casing.
import { setData } from "./index.js";
import { linkGeometries } from "./network.js";
import { place } from "../places.js";

/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").Route} Route */

export const ROUTE_COLORS = ["#e67e22", "#8e44ad", "#16a085", "#2c3e50", "#d35400"];
const ROUND = /** @type {const} */ ({ "line-cap": "round", "line-join": "round" });

/** @param {number[]} a @param {number[]} b */
const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The links of a route as line features, each running from its leg's start.
 * @param {Route} route
 * @param {Record<string, unknown>} properties
 * @returns {GeoJSON.Feature<GeoJSON.LineString>[]}
 */
export function routeLines(route, properties) {
  const geometry = linkGeometries();
  /** @type {GeoJSON.Feature<GeoJSON.LineString>[]} */
  const features = [];
  for (const leg of route.legs) {
    let coords = geometry.get(leg.link_id);
    if (leg.kind !== "link" || !coords) continue;
    const start = place(leg.from);
    if (start && distance(coords[0], [start.lon, start.lat]) > distance(coords[coords.length - 1], [start.lon, start.lat])) {
      coords = [...coords].reverse();
    }
    features.push({ type: "Feature", geometry: { type: "LineString", coordinates: coords },
      properties: { link_id: leg.link_id, ...properties } });
  }
  return features;
}

/** @type {MapLayer} */
export const routeLayer = {
  name: "routes",
  add(map) {
    map.addSource("route", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "route-casing", type: "line", source: "route", layout: ROUND,
      paint: { "line-color": "#ffffff", "line-width": ["case", ["get", "selected"], 9, 5] } });
    map.addLayer({ id: "route-line", type: "line", source: "route", layout: ROUND,
      paint: { "line-color": ["get", "color"], "line-width": ["case", ["get", "selected"], 5, 2.5] } });
  },
};

/**
 * Draw these routes, the selected one on top; returns the features drawn.
 * @param {MapLibre} map
 * @param {Route[]} routes
 * @param {number} selected
 */
export function drawRoutes(map, routes, selected) {
  const features = routes.flatMap((r, i) => routeLines(r,
    { rank: r.rank, selected: i === selected, color: ROUTE_COLORS[i % ROUTE_COLORS.length] }));
  features.sort((a, b) => Number(a.properties?.selected) - Number(b.properties?.selected));
  setData(map, "route", { type: "FeatureCollection", features });
  return features;
}
