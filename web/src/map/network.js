// @ts-check
// The network on the map: links coloured by mode and dashed by status (modes and statuses
// can be hidden), and places by kind; the links' geometry for the routes drawn over them.
import { hover } from "./index.js";
import { placeName } from "../places.js";
import { words } from "../format.js";

/** @typedef {import("./index.js").MapLibre} MapLibre */
/** @typedef {import("./index.js").MapLayer} MapLayer */
/** @typedef {import("../api.js").NetworkGeoJSON} NetworkGeoJSON */
/** @typedef {import("maplibre-gl").FilterSpecification} FilterSpecification */

/** @type {Record<string, string>} */
export const MODE_COLORS = {
  rail: "#c0392b", road: "#7f8c8d", sea: "#2471a3", river_ferry: "#17a589",
  ice_road: "#85c1e9", pontoon: "#a569bd", pipeline: "#b9770e",
};
/** How each status is drawn. @type {Record<string, "solid" | "dashed" | "dotted">} */
export const STATUSES = {
  operating: "solid", under_construction: "dashed", planned: "dashed", proposed: "dotted",
  closed: "dotted",
};
/** Modes and statuses the user has hidden. */
export const hidden = { modes: new Set(), statuses: new Set(["closed"]) };

/** @type {NetworkGeoJSON} */
let network = { type: "FeatureCollection", features: [] };
/** @type {Map<string, number[][]> | undefined} */
let geometry;

/** @param {NetworkGeoJSON} data */
export function setNetwork(data) {
  network = data;
  geometry = undefined;
}

/** The network's links (GeoJSON features). */
export const links = () => network.features.filter((f) => f.properties.feature_type === "link");

/** Coordinates of each link by id. */
export function linkGeometries() {
  const known = geometry ?? new Map(links().map((f) => [String(f.properties.id),
    /** @type {number[][]} */ (f.geometry.coordinates)]));
  geometry = known;
  return known;
}

/** @param {string} status @returns {FilterSpecification} */
function linkFilter(status) {
  return ["all", ["==", ["get", "feature_type"], "link"], ["==", ["get", "status"], status],
    ["!", ["in", ["get", "mode"], ["literal", [...hidden.modes]]]]];
}

/** Show and hide links as `hidden` says. @param {MapLibre} map */
export function applyFilters(map) {
  for (const status of Object.keys(STATUSES)) {
    if (!map.getLayer(`links-${status}`)) continue;
    map.setFilter(`links-${status}`, linkFilter(status));
    map.setLayoutProperty(`links-${status}`, "visibility", hidden.statuses.has(status) ? "none" : "visible");
  }
}

/** @param {Record<string, any>} p */
const linkText = (p) => `${placeName(p.from_node)} – ${placeName(p.to_node)}: ${words(p.mode)}` +
  `${p.gauge ? ` ${p.gauge} mm` : ""}, ${Math.round(p.length_km)} km, ${words(p.status)}` +
  `${p.months && p.months !== "all" ? `, months ${p.months}` : ""}`;

/** The links, one layer per status. @type {MapLayer} */
export const networkLinks = {
  name: "network links",
  add(map) {
    map.addSource("network", { type: "geojson", data: /** @type {GeoJSON.FeatureCollection} */ (network) });
    /** @type {any} */
    const modeColor = ["match", ["get", "mode"], ...Object.entries(MODE_COLORS).flat(), "#555"];
    for (const [status, dash] of Object.entries(STATUSES)) {
      /** @type {import("maplibre-gl").LineLayerSpecification["paint"] & {}} */
      const paint = { "line-color": modeColor, "line-width": 2, "line-opacity": status === "operating" ? 0.85 : 0.6 };
      if (dash === "dashed") paint["line-dasharray"] = [3, 2];
      if (dash === "dotted") paint["line-dasharray"] = [1, 2];
      map.addLayer({ id: `links-${status}`, type: "line", source: "network", filter: linkFilter(status), paint });
      hover(map, `links-${status}`, linkText);
    }
  },
};

/** The places, drawn over routes and flows. @type {MapLayer} */
export const networkNodes = {
  name: "network places",
  add(map) {
    map.addLayer({ id: "nodes", type: "circle", source: "network", filter: ["==", ["get", "feature_type"], "node"],
      paint: { "circle-radius": ["match", ["get", "kind"], "city", 4.5, "seaport", 4.5, 3.5],
        "circle-color": ["match", ["get", "kind"], "border_crossing", "#f1c40f", "seaport", "#2471a3", "city", "#2c3e50", "#95a5a6"],
        "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
    hover(map, "nodes", (p) => `${p.name} (${words(p.kind)}, ${p.country})`);
  },
};
