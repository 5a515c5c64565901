// What the page exposes to the browser tests: the map, to query what is drawn.
declare global {
  interface Window {
    amur: { map: import("maplibre-gl").Map };
  }
}
export {};
