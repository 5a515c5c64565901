// @ts-check
// Flows after assignment: a line per link (both directions summed by the server), width by
// volume, colour by v/c (red for a bottleneck).
import { EMPTY, hover, setData } from "./index.js";
import { placeName } from "../places.js";
import { fmt, words } from "../format.js";

/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("../api.js").FlowMap} FlowMap */

export const VC_COLORS = { low: "#1e8449", mid: "#f39c12", high: "#c0392b" };

/** @param {number | null} vc @param {boolean} bottleneck */
export const vcColor = (vc, bottleneck) =>
  (bottleneck || (vc ?? 0) >= 0.9 ? VC_COLORS.high : (vc ?? 0) >= 0.7 ? VC_COLORS.mid : VC_COLORS.low);

/** Line width (px) of a flow, t/year. @param {number} flow @param {number} largest */
export const flowWidth = (flow, largest) => 1.5 + 10.5 * Math.sqrt(flow / Math.max(largest, 1));

/** @type {MapLayer} */
export const flowsLayer = {
  name: "flows",
  add(map) {
    map.addSource("flows", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "flows-line", type: "line", source: "flows", layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": ["get", "color"], "line-width": ["get", "width"], "line-opacity": 0.85 } });
    hover(map, "flows-line", (p) => `${placeName(p.from)} – ${placeName(p.to)} (${words(p.mode)}): ` +
      `${fmt(p.flow_t_per_year)} t/year, v/c ${p.v_c == null ? "–" : fmt(p.v_c, 2)}${p.bottleneck ? ", bottleneck" : ""}`);
  },
};

/**
 * Draw the links that carry freight; returns the features drawn.
 * @param {MapLibre} map
 * @param {FlowMap} flows
 */
export function drawFlows(map, flows) {
  const features = flows.features.map((f) => ({ ...f, properties: { ...f.properties,
    color: vcColor(f.properties.v_c, f.properties.bottleneck),
    width: flowWidth(f.properties.flow_t_per_year, flows.largest_flow_t_per_year) } }));
  setData(map, "flows", /** @type {GeoJSON.FeatureCollection} */ ({ type: "FeatureCollection", features }));
  return features;
}

/** @param {MapLibre} map */
export const clearFlows = (map) => setData(map, "flows", EMPTY);
