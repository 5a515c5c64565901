// @ts-check
// The map: a MapLibre map over Natural Earth country outlines (no tiles from the internet
// unless the user asks), built from layer modules. A layer module (map/network.js,
// map/route.js, ...) owns its sources and styles and exports a `MapLayer`; main.js lists
// them in drawing order, so a new layer is a new module and one line there.
import { Map as MapLibreMap, NavigationControl, Popup, ScaleControl, setWorkerUrl } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";

/** @typedef {import("maplibre-gl").Map} MapLibre */
/** @typedef {import("maplibre-gl").GeoJSONSource} GeoJSONSource */
/** @typedef {import("maplibre-gl").MapLayerMouseEvent} MapLayerMouseEvent */
/** @typedef {[number, number]} LonLat */

/**
 * A part of the map: `add` puts its sources and layers on the map once it has loaded.
 * @typedef {{ name: string, add: (map: MapLibre) => void }} MapLayer
 */

/** @type {GeoJSON.FeatureCollection} */
export const EMPTY = { type: "FeatureCollection", features: [] };

setWorkerUrl("/static/maplibre-gl-worker.js");

/**
 * The map in #map; `layers` are added in order (later ones drawn on top) once it has loaded.
 * @param {MapLayer[]} layers
 * @returns {{ map: MapLibre, loaded: Promise<void> }}
 */
export function createMap(layers) {
  const map = new MapLibreMap({
    container: "map",
    center: [90, 50],
    zoom: 2,
    attributionControl: { compact: true, customAttribution: "Natural Earth" },
    style: {
      version: 8,
      sources: { countries: { type: "geojson", data: "/static/countries.geojson" } },
      layers: [
        { id: "ocean", type: "background", paint: { "background-color": "#dfeaf2" } },
        { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f7f5ef" } },
        { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#b8b2a4", "line-width": 0.6 } },
      ],
    },
  });
  map.addControl(new NavigationControl({ showCompass: false }));
  map.addControl(new ScaleControl());
  const loaded = new Promise((resolve) => {
    map.on("load", () => {
      for (const layer of layers) layer.add(map);
      resolve(undefined);
    });
  });
  return { map, loaded };
}

/**
 * Replace the data of a GeoJSON source (if the map has it yet).
 * @param {MapLibre} map
 * @param {string} source
 * @param {GeoJSON.FeatureCollection} data
 */
export function setData(map, source, data) {
  const found = map.getSource(source);
  if (found && "setData" in found) /** @type {GeoJSONSource} */ (found).setData(data);
}

/** @type {Popup | undefined} */
let popup;

/**
 * A text popup and a pointer cursor over the features of a layer.
 * @param {MapLibre} map
 * @param {string} layer
 * @param {(properties: Record<string, any>) => string} text
 */
export function hover(map, layer, text) {
  popup ??= new Popup({ closeButton: false, closeOnClick: false });
  const shown = popup;
  map.on("mousemove", layer, (e) => {
    const feature = e.features?.[0];
    if (!feature) return;
    map.getCanvas().style.cursor = "pointer";
    shown.setLngLat(e.lngLat).setText(text(feature.properties)).addTo(map);
  });
  map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; shown.remove(); });
}

/**
 * Fit the view to these points.
 * @param {MapLibre} map
 * @param {number[][]} coordinates
 */
export function fitTo(map, coordinates) {
  if (!coordinates.length) return;
  const lons = coordinates.map((c) => c[0]);
  const lats = coordinates.map((c) => c[1]);
  map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
    { padding: 60, duration: 0, maxZoom: 7 });
}

/**
 * A count of drawn features on #map's data attributes, for the browser tests.
 * @param {string} name
 * @param {number} count
 */
export function countFeatures(name, count) {
  const el = document.getElementById("map");
  if (el) el.dataset[name] = String(count);
}
