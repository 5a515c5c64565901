// What the page exposes to the browser tests: the map, to query what is drawn, and the
// services it draws.
declare global {
  interface Window {
    amur: {
      map: import("maplibre-gl").Map;
      services: { lines: GeoJSON.FeatureCollection; calls: GeoJSON.FeatureCollection };
    };
  }
}
export {};
