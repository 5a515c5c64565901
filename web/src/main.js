// amur's map page: the network by mode and status, a route drawn leg by leg with its table,
// place search as you type, scenarios (built-in and stored), two scenarios compared on one
// route, flows after assignment (width by volume, colour by v/c), market access change by
// region, and project appraisal. Everything comes from the amur server.
import { Map as MapLibreMap, NavigationControl, Popup, ScaleControl, setWorkerUrl } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import "./style.css";

setWorkerUrl("/static/maplibre-gl-worker.js");

const MODE_COLORS = {
  rail: "#c0392b", road: "#7f8c8d", sea: "#2471a3", river_ferry: "#17a589",
  ice_road: "#85c1e9", pontoon: "#a569bd", pipeline: "#b9770e",
};
const STATUSES = {
  operating: "solid", under_construction: "dashed", planned: "dashed", proposed: "dotted",
  closed: "dotted",
};
const ROUTE_COLORS = ["#e67e22", "#8e44ad", "#16a085", "#2c3e50", "#d35400"];
const SIDE_COLORS = { a: "#2471a3", b: "#e67e22" };
const EMPTY = { type: "FeatureCollection", features: [] };
const $ = (id) => document.getElementById(id);
const state = { places: {}, network: null, routes: [], selected: 0, builtin: [], stored: [], caps: null,
  hidden: { modes: new Set(), statuses: new Set(["closed"]) } };

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const error = new Error(body?.detail ?? `${response.status} ${response.statusText}`);
    error.field = body?.field;
    throw error;
  }
  return body;
}

const map = new MapLibreMap({
  container: "map",
  center: [90, 50],
  zoom: 2,
  attributionControl: { compact: true, customAttribution: "Natural Earth" },
  style: {
    version: 8,
    sources: {
      countries: { type: "geojson", data: "/static/countries.geojson" },
    },
    layers: [
      { id: "ocean", type: "background", paint: { "background-color": "#dfeaf2" } },
      { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f7f5ef" } },
      { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#b8b2a4", "line-width": 0.6 } },
    ],
  },
});
map.addControl(new NavigationControl({ showCompass: false }));
map.addControl(new ScaleControl());
window.amur = { map, state };

map.on("load", async () => {
  const [caps, network, places, builtin] = await Promise.all([
    getJSON("/api/capabilities"), getJSON("/api/network.geojson"), getJSON("/api/places?limit=1000"),
    getJSON("/api/scenarios/builtin"),
  ]);
  state.caps = caps;
  state.builtin = builtin.scenarios;
  $("network-name").textContent = caps.network;
  for (const id of ["compare-month", "flows-month"]) {
    $(id).replaceChildren(...[...$("month").options].map((o) => new Option(o.textContent, o.value)));
  }
  $("flows-panel").hidden = !caps.flows;
  $("appraise-panel").hidden = !caps.appraisal;
  if (caps.appraisal) await loadProjects();
  for (const p of places.places) state.places[p.id] = p;
  state.network = network;
  addNetworkLayers(network);
  buildLegend(network);
  await refreshScenarios();
  document.body.dataset.ready = "true";
});

function addNetworkLayers(network) {
  map.addSource("network", { type: "geojson", data: network });
  const modeColor = ["match", ["get", "mode"], ...Object.entries(MODE_COLORS).flat(), "#555"];
  for (const [status, dash] of Object.entries(STATUSES)) {
    const paint = { "line-color": modeColor, "line-width": 2, "line-opacity": status === "operating" ? 0.85 : 0.6 };
    if (dash === "dashed") paint["line-dasharray"] = [3, 2];
    if (dash === "dotted") paint["line-dasharray"] = [1, 2];
    map.addLayer({ id: `links-${status}`, type: "line", source: "network", filter: linkFilter(status), paint });
  }
  map.addSource("route", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "route-casing", type: "line", source: "route", layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": "#ffffff", "line-width": ["case", ["get", "selected"], 9, 5] } });
  map.addLayer({ id: "route-line", type: "line", source: "route", layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ["get", "color"], "line-width": ["case", ["get", "selected"], 5, 2.5] } });
  map.addSource("compare", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "compare-casing", type: "line", source: "compare", layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": "#ffffff", "line-width": 7, "line-offset": ["case", ["==", ["get", "side"], "a"], -2.5, 2.5] } });
  map.addLayer({ id: "compare-line", type: "line", source: "compare", layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ["get", "color"], "line-width": 4, "line-offset": ["case", ["==", ["get", "side"], "a"], -2.5, 2.5] } });
  map.addSource("flows", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "flows-line", type: "line", source: "flows", layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ["get", "color"], "line-width": ["get", "width"], "line-opacity": 0.85 } });
  map.addLayer({ id: "nodes", type: "circle", source: "network", filter: ["==", ["get", "feature_type"], "node"],
    paint: { "circle-radius": ["match", ["get", "kind"], "city", 4.5, "seaport", 4.5, 3.5],
      "circle-color": ["match", ["get", "kind"], "border_crossing", "#f1c40f", "seaport", "#2471a3", "city", "#2c3e50", "#95a5a6"],
      "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  map.addSource("access", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "access-circles", type: "circle", source: "access",
    paint: { "circle-radius": ["get", "radius"], "circle-color": ["get", "color"], "circle-opacity": 0.55,
      "circle-stroke-color": ["get", "color"], "circle-stroke-width": 1.5 } });
  const popup = new Popup({ closeButton: false, closeOnClick: false });
  map.on("mousemove", "access-circles", (e) => {
    const p = e.features[0].properties;
    map.getCanvas().style.cursor = "pointer";
    popup.setLngLat(e.lngLat).setText(`${p.name}: market access ${signed(p.change_pct, 3)} %`).addTo(map);
  });
  map.on("mouseleave", "access-circles", () => { map.getCanvas().style.cursor = ""; popup.remove(); });
  map.on("mousemove", "flows-line", (e) => {
    const p = e.features[0].properties;
    map.getCanvas().style.cursor = "pointer";
    popup.setLngLat(e.lngLat).setText(`${placeName(p.from)} – ${placeName(p.to)} (${p.mode.replace("_", " ")}): ` +
      `${fmt(p.flow)} t/year, v/c ${fmt(p.v_c, 2)}${p.bottleneck ? ", bottleneck" : ""}`).addTo(map);
  });
  map.on("mouseleave", "flows-line", () => { map.getCanvas().style.cursor = ""; popup.remove(); });
  const layers = ["nodes", ...Object.keys(STATUSES).map((s) => `links-${s}`)];
  for (const layer of layers) {
    map.on("mousemove", layer, (e) => {
      const p = e.features[0].properties;
      const text = p.feature_type === "node"
        ? `${p.name} (${p.kind.replace("_", " ")}, ${p.country})`
        : `${placeName(p.from_node)} – ${placeName(p.to_node)}: ${p.mode.replace("_", " ")}${p.gauge ? ` ${p.gauge} mm` : ""}, ${Math.round(p.length_km)} km, ${p.status.replace("_", " ")}${p.months && p.months !== "all" ? `, months ${p.months}` : ""}`;
      map.getCanvas().style.cursor = "pointer";
      popup.setLngLat(e.lngLat).setText(text).addTo(map);
    });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; popup.remove(); });
  }
}

function linkFilter(status) {
  return ["all", ["==", ["get", "feature_type"], "link"], ["==", ["get", "status"], status],
    ["!", ["in", ["get", "mode"], ["literal", [...state.hidden.modes]]]]];
}

function buildLegend(network) {
  const links = network.features.filter((f) => f.properties.feature_type === "link");
  const modes = [...new Set(links.map((f) => f.properties.mode))].sort();
  const statuses = Object.keys(STATUSES).filter((s) => links.some((f) => f.properties.status === s));
  $("mode-legend").replaceChildren(...modes.map((mode) => legendItem(mode, `swatch-line`, MODE_COLORS[mode] ?? "#555", "solid",
    !state.hidden.modes.has(mode), (on) => { toggle(state.hidden.modes, mode, on); applyFilters(); })));
  $("status-legend").replaceChildren(...statuses.map((status) => legendItem(status, "swatch-line", "#444", STATUSES[status],
    !state.hidden.statuses.has(status), (on) => { toggle(state.hidden.statuses, status, on); applyFilters(); })));
  applyFilters();
}

function legendItem(label, swatchClass, color, dash, checked, onChange) {
  const item = document.createElement("label");
  item.className = "legend-item";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = checked;
  box.dataset.legend = label;
  box.addEventListener("change", () => onChange(box.checked));
  const swatch = document.createElement("span");
  swatch.className = swatchClass;
  swatch.style.borderTop = `3px ${dash} ${color}`;
  item.append(box, swatch, label.replaceAll("_", " "));
  return item;
}

function toggle(set, key, on) { if (on) set.delete(key); else set.add(key); }

function applyFilters() {
  for (const status of Object.keys(STATUSES)) {
    if (!map.getLayer(`links-${status}`)) continue;
    map.setFilter(`links-${status}`, linkFilter(status));
    map.setLayoutProperty(`links-${status}`, "visibility", state.hidden.statuses.has(status) ? "none" : "visible");
  }
}

function placeName(id) { return state.places[id]?.name ?? id; }

// -- place search as you type ---------------------------------------------------------------

let searchTimer;
for (const input of [$("from"), $("to"), $("compare-from"), $("compare-to")]) {
  input.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return;
      const found = await getJSON(`/api/places?q=${encodeURIComponent(q)}&limit=12`);
      $("places-list").replaceChildren(...found.places.map((p) => {
        const option = document.createElement("option");
        option.value = p.name;
        option.label = [p.country, p.kind.replace("_", " "), ...p.aliases].join(" · ");
        return option;
      }));
    }, 120);
  });
}

// -- route ----------------------------------------------------------------------------------

$("route-form").addEventListener("submit", (e) => { e.preventDefault(); findRoute(); });
for (const id of ["month", "by", "alternatives", "scenario"]) {
  $(id).addEventListener("change", () => { if ($("from").value && $("to").value) findRoute(); });
}

// Queries overlap when the month and scenario change in quick succession: only the answer
// to the latest one is shown, whatever order the answers arrive in.
let routeQuery = 0;

async function findRoute() {
  const query = ++routeQuery;
  map.getSource("compare")?.setData(EMPTY);
  const params = new URLSearchParams({ from: $("from").value.trim(), to: $("to").value.trim(), alternatives: $("alternatives").value });
  for (const id of ["by", "month", "scenario"]) if ($(id).value) params.set(id, $(id).value);
  setStatus("Finding routes…");
  document.body.dataset.routeState = "loading";
  try {
    const answer = await getJSON(`/api/route?${params}`);
    if (query !== routeQuery) return;
    state.routes = answer.routes;
    state.selected = 0;
    const month = $("month").selectedOptions[0].textContent;
    setStatus(`${placeName(answer.from)} to ${placeName(answer.to)} by ${answer.by}` +
      `${answer.month ? `, ${month}` : ""}: ${answer.routes.length} route${answer.routes.length > 1 ? "s" : ""}`);
    showRoutes();
    document.body.dataset.routeState = "done";
  } catch (error) {
    if (query !== routeQuery) return;
    state.routes = [];
    showRoutes();
    setStatus(error.message, true);
    if (error.field && $(error.field)) $(error.field).setAttribute("aria-invalid", "true");
    document.body.dataset.routeState = "error";
  }
}

function setStatus(text, isError = false, id = "status") {
  $(id).textContent = text;
  $(id).classList.toggle("error", isError);
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

// Mark the input at fault: `fields` maps an API field name to the id of its input.
function markField(field, fields) {
  const id = fields[field];
  if (id && $(id)) $(id).setAttribute("aria-invalid", "true");
}

function linkGeometries() {
  if (!state.linkGeometry) {
    state.linkGeometry = {};
    for (const f of state.network?.features ?? []) {
      if (f.properties.feature_type === "link") state.linkGeometry[f.properties.id] = f.geometry.coordinates;
    }
  }
  return state.linkGeometry;
}

// The links of a route as line features, each running from its leg's start.
function routeLines(route, properties) {
  const geometry = linkGeometries();
  const features = [];
  for (const leg of route.legs) {
    if (leg.kind !== "link" || !geometry[leg.link_id]) continue;
    let coords = geometry[leg.link_id];
    const start = state.places[leg.from];
    if (start && distance(coords[0], [start.lon, start.lat]) > distance(coords[coords.length - 1], [start.lon, start.lat])) {
      coords = [...coords].reverse();
    }
    features.push({ type: "Feature", geometry: { type: "LineString", coordinates: coords },
      properties: { link_id: leg.link_id, ...properties } });
  }
  return features;
}

function fitTo(coordinates) {
  if (!coordinates.length) return;
  const lons = coordinates.map((c) => c[0]);
  const lats = coordinates.map((c) => c[1]);
  map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
    { padding: 60, duration: 0, maxZoom: 7 });
}

function showRoutes() {
  const features = state.routes.flatMap((r, i) => routeLines(r,
    { rank: r.rank, selected: i === state.selected, color: ROUTE_COLORS[i % ROUTE_COLORS.length] }));
  features.sort((a, b) => Number(a.properties.selected) - Number(b.properties.selected));
  map.getSource("route")?.setData({ type: "FeatureCollection", features });
  $("map").dataset.routeFeatures = String(features.length);
  fillRoutesTable();
  fillLegsTable();
  fitTo(features.flatMap((f) => f.geometry.coordinates));
}

function distance(a, b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); }

const fmt = (value, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (value, digits = 0) => (value > 0 ? "+" : value < 0 ? "−" : "±") + fmt(Math.abs(value), digits);

function fillRoutesTable() {
  const body = $("routes-table").tBodies[0];
  body.replaceChildren(...state.routes.map((r, i) => {
    const row = document.createElement("tr");
    row.className = i === state.selected ? "selected" : "";
    row.style.setProperty("--route-color", ROUTE_COLORS[i % ROUTE_COLORS.length]);
    for (const value of [r.rank, fmt(r.length_km), fmt(r.time_days, 1), fmt(r.cost_usd_per_teu), fmt(r.co2_kg_per_teu), r.via.map(placeName).join(" › ")]) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    row.addEventListener("click", () => { state.selected = i; showRoutes(); });
    return row;
  }));
  $("routes-table").hidden = state.routes.length === 0;
}

function fillLegsTable() {
  const r = state.routes[state.selected];
  const table = $("legs-table");
  table.hidden = !r;
  if (!r) { table.tBodies[0].replaceChildren(); return; }
  table.caption.textContent = `Route ${r.rank}: legs (per TEU)`;
  table.tBodies[0].replaceChildren(...r.legs.map((leg) => {
    const row = document.createElement("tr");
    row.dataset.kind = leg.kind;
    const mode = leg.kind === "link" ? leg.mode.replace("_", " ") : leg.kind.replace("_", " ");
    for (const value of [placeName(leg.from), placeName(leg.to), mode, leg.gauge, fmt(leg.length_km), fmt(leg.time_h, 1), fmt(leg.cost_usd_per_teu), fmt(leg.co2_kg_per_teu, 1)]) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  }));
}

// -- scenarios ------------------------------------------------------------------------------

async function refreshScenarios() {
  const answer = await getJSON("/api/scenarios");
  state.stored = answer.scenarios;
  $("scenarios-note").textContent = answer.note;
  $("scenario").disabled = !answer.applied;
  fillScenarioChoices($("scenario"), true, [new Option("none (base)", "")]);
  fillScenarioChoices($("compare-a"), true, [], state.builtin[0]?.name);
  const latest = state.builtin.find((s) => s.name === "today")?.name ?? state.builtin.at(-1)?.name;
  fillScenarioChoices($("compare-b"), true, [], latest);
  fillScenarioChoices($("flows-scenario"), true, [new Option("base network", "")], latest);
  fillScenarioChoices($("access-a"), true, [], state.builtin[0]?.name);
  fillScenarioChoices($("access-b"), true, [], latest);
  $("compare-panel").hidden = !answer.applied || state.builtin.length + state.stored.length === 0;
  $("access-panel").hidden = !state.caps?.impact || state.builtin.length === 0;
  $("scenarios-list").replaceChildren(...answer.scenarios.map((s) => {
    const item = document.createElement("li");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "delete";
    remove.addEventListener("click", async () => {
      await getJSON(`/api/scenarios/${encodeURIComponent(s.name)}`, { method: "DELETE" });
      await refreshScenarios();
    });
    item.append(`${s.name} `, remove);
    return item;
  }));
}

// A scenario <select>: built-in scenarios (with their year), then the user's stored ones;
// the current choice is kept across refreshes, else `initial`.
function fillScenarioChoices(select, withStored, first, initial) {
  const current = select.value || initial || "";
  const groups = [];
  if (state.builtin.length) {
    const group = document.createElement("optgroup");
    group.label = "built-in";
    group.append(...state.builtin.map((s) => {
      const option = new Option(s.name === String(s.year) || s.year == null ? s.name : `${s.name} (${s.year})`, s.name);
      option.title = s.description;
      return option;
    }));
    groups.push(group);
  }
  if (withStored && state.stored.length) {
    const group = document.createElement("optgroup");
    group.label = "yours";
    group.append(...state.stored.map((s) => new Option(s.name, s.name)));
    groups.push(group);
  }
  select.replaceChildren(...first, ...groups);
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

$("scenario-file").addEventListener("change", async () => {
  const file = $("scenario-file").files[0];
  if (!file) return;
  $("scenario-toml").value = await file.text();
  if (!$("scenario-name").value) $("scenario-name").value = file.name.replace(/\.toml$/i, "");
});

$("scenario-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    await getJSON("/api/scenarios", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: $("scenario-name").value, toml: $("scenario-toml").value }) });
    $("scenario-form").reset();
    await refreshScenarios();
  } catch (error) {
    $("scenarios-note").textContent = error.message;
  }
});

// -- online tiles: opt-in only; by default nothing leaves this machine ---------------------

$("online-tiles").addEventListener("change", () => {
  if ($("online-tiles").checked) {
    map.addSource("osm", { type: "raster", tiles: ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"], tileSize: 256,
      attribution: "© OpenStreetMap contributors" });
    map.addLayer({ id: "osm", type: "raster", source: "osm" }, "countries-line");
  } else {
    map.removeLayer("osm");
    map.removeSource("osm");
  }
});

// -- compare two scenarios on one route ---------------------------------------------------

const COMPARE_FIELDS = { a: "compare-a", b: "compare-b", from: "compare-from", to: "compare-to",
  month: "compare-month", by: "compare-by" };
const COMPARED = [
  ["days", "time_days", 2], ["USD/TEU", "cost_usd_per_teu", 0], ["kg CO2/TEU", "co2_kg_per_teu", 0], ["km", "length_km", 0],
];

$("compare-form").addEventListener("submit", (e) => { e.preventDefault(); compareScenarios(); });

async function compareScenarios() {
  const query = { a: $("compare-a").value, b: $("compare-b").value, from: $("compare-from").value.trim(),
    to: $("compare-to").value.trim(), by: $("compare-by").value };
  if ($("compare-month").value) query.month = $("compare-month").value;
  setStatus("Comparing…", false, "compare-status");
  document.body.dataset.compareState = "loading";
  try {
    const answer = await getJSON(`/api/compare?${new URLSearchParams(query)}`);
    const row = answer.rows[0];
    fillCompareTable(answer, row);
    const month = $("compare-month").selectedOptions[0].textContent;
    setStatus(`${placeName(row.from)} to ${placeName(row.to)} by ${answer.by}${answer.month ? `, ${month}` : ""}: ` +
      `${answer.a} against ${answer.b}`, false, "compare-status");
    await drawCompared(query);
    document.body.dataset.compareState = "done";
  } catch (error) {
    $("compare-table").hidden = true;
    map.getSource("compare")?.setData(EMPTY);
    setStatus(error.message, true, "compare-status");
    markField(error.field, COMPARE_FIELDS);
    document.body.dataset.compareState = "error";
  }
}

function fillCompareTable(answer, row) {
  $("compare-head-a").textContent = answer.a;
  $("compare-head-b").textContent = answer.b;
  const rows = COMPARED.map(([label, key, digits]) => {
    const tr = document.createElement("tr");
    tr.dataset.figure = key;
    const change = row[`${key}_change`];
    const cells = [label, row[`${key}_a`], row[`${key}_b`], change].map((value, i) => {
      const td = document.createElement("td");
      if (i === 0) td.textContent = value;
      else if (value == null) td.textContent = "no route";
      else td.textContent = i === 3 ? signed(value, digits) : fmt(value, digits);
      if (i === 3 && change != null && change !== 0 && key !== "length_km") td.className = change < 0 ? "better" : "worse";
      return td;
    });
    tr.append(...cells);
    return tr;
  });
  for (const side of ["via", "modes"]) {
    const tr = document.createElement("tr");
    tr.className = "via";
    const names = (text) => text.split(" > ").map((p) => (side === "via" ? placeName(p) : p.replace("_", " "))).join(" › ");
    for (const value of [side, names(row[`${side}_a`]), names(row[`${side}_b`]), ""]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    rows.push(tr);
  }
  $("compare-table").tBodies[0].replaceChildren(...rows);
  $("compare-table").hidden = false;
}

// Both best routes on the map, A in blue and B in orange, side by side where they share links.
async function drawCompared(query) {
  const answers = await Promise.all(["a", "b"].map(async (side) => {
    const params = new URLSearchParams({ from: query.from, to: query.to, by: query.by, scenario: query[side] });
    if (query.month) params.set("month", query.month);
    try {
      return (await getJSON(`/api/route?${params}`)).routes[0];
    } catch {
      return null;  // no route in this scenario: the table says so
    }
  }));
  const features = answers.flatMap((r, i) => (r ? routeLines(r, { side: "ab"[i], color: SIDE_COLORS["ab"[i]] }) : []));
  state.routes = [];
  showRoutes();
  map.getSource("compare")?.setData({ type: "FeatureCollection", features });
  for (const side of ["a", "b"]) {
    $("map").dataset[`compare${side.toUpperCase()}Features`] = String(features.filter((f) => f.properties.side === side).length);
  }
  fitTo(features.flatMap((f) => f.geometry.coordinates));
}

// -- market access change by region -------------------------------------------------------

const ACCESS_FIELDS = { a: "access-a", b: "access-b", theta: "access-theta" };

$("access-form").addEventListener("submit", (e) => { e.preventDefault(); measureAccess(); });

async function measureAccess() {
  const query = { a: $("access-a").value, b: $("access-b").value, theta: $("access-theta").value };
  setStatus("Measuring market access…", false, "access-status");
  document.body.dataset.accessState = "loading";
  try {
    state.regions ??= (await getJSON("/api/regions")).regions;
    const answer = await getJSON(`/api/impact?${new URLSearchParams(query)}`);
    fillAccessTable(answer);
    drawAccess(answer);
    setStatus(`${answer.scenario_a} to ${answer.scenario_b}, θ = ${answer.theta}: ${answer.regions.length} regions`,
      false, "access-status");
    document.body.dataset.accessState = "done";
  } catch (error) {
    $("access-table").hidden = true;
    $("access-legend").hidden = true;
    map.getSource("access")?.setData(EMPTY);
    setStatus(error.message, true, "access-status");
    markField(error.field, ACCESS_FIELDS);
    document.body.dataset.accessState = "error";
  }
}

function fillAccessTable(answer) {
  const rows = [...answer.regions].sort((x, y) => (y.market_access_change_pct ?? 0) - (x.market_access_change_pct ?? 0));
  $("access-table").tBodies[0].replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    tr.dataset.region = r.region;
    const change = r.market_access_change_pct;
    const values = [r.name, fmt(r.market_access_a ?? 0), fmt(r.market_access_b ?? 0),
      change == null ? "–" : signed(change, 3), r.trade_change_pct == null ? "–" : signed(r.trade_change_pct, 3)];
    tr.append(...values.map((value, i) => {
      const td = document.createElement("td");
      td.textContent = value;
      if (i === 3 && change) td.className = change > 0 ? "up" : "down";
      return td;
    }));
    return tr;
  }));
  $("access-table").hidden = false;
  $("access-legend").hidden = false;
}

// One circle per region at its place: area by the size of the change, colour by its sign.
function drawAccess(answer) {
  const where = Object.fromEntries(state.regions.map((r) => [r.region, r]));
  const largest = Math.max(...answer.regions.map((r) => Math.abs(r.market_access_change_pct ?? 0)), 1e-12);
  const features = answer.regions.filter((r) => where[r.region]).map((r) => {
    const change = r.market_access_change_pct ?? 0;
    return { type: "Feature", geometry: { type: "Point", coordinates: [where[r.region].lon, where[r.region].lat] },
      properties: { region: r.region, name: r.name, change_pct: change,
        radius: 3 + 22 * Math.sqrt(Math.abs(change) / largest),
        color: change > 0 ? "#1e8449" : change < 0 ? "#c0392b" : "#95a5a6" } };
  });
  map.getSource("access")?.setData({ type: "FeatureCollection", features });
  $("map").dataset.accessFeatures = String(features.length);
  fitTo(features.map((f) => f.geometry.coordinates));
}

// -- flows after assignment: width by volume, colour by v/c --------------------------------

const FLOWS_FIELDS = { scenario: "flows-scenario", month: "flows-month", logit: "flows-logit", system_optimum: "flows-choice" };
const VC_COLORS = { low: "#1e8449", mid: "#f39c12", high: "#c0392b" };
const vcColor = (vc, bottleneck) => (bottleneck || vc >= 0.9 ? VC_COLORS.high : vc >= 0.7 ? VC_COLORS.mid : VC_COLORS.low);
const flowWidth = (flow, largest) => 1.5 + 10.5 * Math.sqrt(flow / largest);

$("flows-form").addEventListener("submit", (e) => { e.preventDefault(); assignFlows(); });
$("flows-choice").addEventListener("change", () => { $("flows-logit").disabled = $("flows-choice").value !== "logit"; });

async function assignFlows() {
  const query = {};
  if ($("flows-scenario").value) query.scenario = $("flows-scenario").value;
  if ($("flows-month").value) query.month = $("flows-month").value;
  if ($("flows-choice").value === "logit") query.logit = $("flows-logit").value;
  if ($("flows-choice").value === "so") query.system_optimum = "true";
  setStatus("Assigning the freight demand…", false, "flows-status");
  document.body.dataset.flowsState = "loading";
  try {
    const answer = await getJSON(`/api/flows?${new URLSearchParams(query)}`);
    const features = await flowFeatures(answer, query.scenario);
    map.getSource("flows")?.setData({ type: "FeatureCollection", features });
    $("map").dataset.flowsFeatures = String(features.length);
    fillFlowsLegend(features);
    fillBottlenecks(answer);
    fillShares(answer);
    const total = answer.corridor_shares.reduce((sum, c) => sum + c.flow_t_per_year, 0);
    const month = $("flows-month").selectedOptions[0].textContent;
    setStatus(`${answer.network}${answer.month ? `, ${month}` : ""}, ${answer.route_choice}: ${answer.algorithm}, ${answer.iterations} iterations, ` +
      `relative gap ${answer.relative_gap == null ? "–" : answer.relative_gap.toExponential(1)}; ${answer.bottlenecks.length} bottleneck` +
      `${answer.bottlenecks.length === 1 ? "" : "s"}; Harbin to Europe ${fmt(total)} t/year`, false, "flows-status");
    fitTo(features.flatMap((f) => f.geometry.coordinates));
    document.body.dataset.flowsState = "done";
  } catch (error) {
    map.getSource("flows")?.setData(EMPTY);
    for (const id of ["flows-legend", "bottlenecks-table", "shares-table"]) $(id).hidden = true;
    setStatus(error.message, true, "flows-status");
    markField(error.field, FLOWS_FIELDS);
    document.body.dataset.flowsState = "error";
  }
}

// One feature per physical link: the flow of both directions together, the higher v/c.
async function flowFeatures(answer, scenario) {
  const bottlenecks = new Set(answer.bottlenecks.map((b) => b.link));
  const byLink = new Map();
  for (const l of answer.links) {
    const seen = byLink.get(l.link);
    if (seen) {
      seen.flow += l.flow_t_per_year;
      seen.v_c = Math.max(seen.v_c, l.v_c ?? 0);
    } else {
      byLink.set(l.link, { link: l.link, from: l.from, to: l.to, mode: l.mode, flow: l.flow_t_per_year, v_c: l.v_c ?? 0 });
    }
  }
  let geometry = linkGeometries();
  if (scenario && [...byLink.keys()].some((id) => !geometry[id])) {
    // The scenario adds links the base network lacks: take its own geometry.
    const own = await getJSON(`/api/network.geojson?${new URLSearchParams({ scenario })}`);
    geometry = { ...geometry };
    for (const f of own.features) if (f.properties.feature_type === "link") geometry[f.properties.id] = f.geometry.coordinates;
  }
  const flowing = [...byLink.values()].filter((l) => l.flow > 0 && geometry[l.link]);
  const largest = Math.max(...flowing.map((l) => l.flow), 1);
  state.flowsLargest = largest;
  return flowing.sort((a, b) => a.flow - b.flow).map((l) => {
    const bottleneck = bottlenecks.has(l.link);
    return { type: "Feature", geometry: { type: "LineString", coordinates: geometry[l.link] },
      properties: { ...l, bottleneck, color: vcColor(l.v_c, bottleneck), width: flowWidth(l.flow, largest) } };
  });
}

function fillFlowsLegend(features) {
  const largest = state.flowsLargest ?? 1;
  const samples = features.length ? [largest / 100, largest / 10, largest] : [];
  $("flows-widths").replaceChildren(...samples.map((flow) => {
    const item = document.createElement("span");
    const line = document.createElement("span");
    line.className = "width-sample";
    line.style.height = `${flowWidth(flow, largest).toFixed(1)}px`;
    item.append(line, `${fmtTonnes(flow)}`);
    return item;
  }), "t/year");
  $("flows-legend").hidden = false;
}

const fmtTonnes = (t) => (t >= 1e6 ? `${fmt(t / 1e6, t >= 1e7 ? 0 : 1)} Mt` : t >= 1e3 ? `${fmt(t / 1e3)} kt` : `${fmt(t)} t`);

function fillBottlenecks(answer) {
  const flows = new Map(answer.links.map((l) => [`${l.link}|${l.from}|${l.to}`, l.flow_t_per_year]));
  $("bottlenecks-table").tBodies[0].replaceChildren(...answer.bottlenecks.map((b) => {
    const tr = document.createElement("tr");
    tr.dataset.link = b.link;
    const flow = flows.get(`${b.link}|${b.from}|${b.to}`);
    const values = [b.link, placeName(b.from), placeName(b.to), flow == null ? "–" : fmt(flow), fmt(b.v_c, 2)];
    tr.append(...values.map((value, i) => {
      const td = document.createElement("td");
      td.textContent = value;
      if (i === 4) td.className = "red";
      return td;
    }));
    return tr;
  }));
  $("bottlenecks-table").hidden = answer.bottlenecks.length === 0;
}

function fillShares(answer) {
  const rows = [...answer.corridor_shares].sort((x, y) => (y.share ?? 0) - (x.share ?? 0));
  $("shares-table").tBodies[0].replaceChildren(...rows.map((c) => {
    const tr = document.createElement("tr");
    tr.dataset.corridor = c.corridor;
    for (const value of [c.corridor_name, fmt(c.flow_t_per_year), c.share == null ? "–" : fmt(100 * c.share, 1)]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  }));
  $("shares-table").hidden = rows.length === 0;
}

// -- project appraisal --------------------------------------------------------------------

const APPRAISE_FIELDS = { project: "appraise-project", draws: "appraise-draws", traffic: "appraise-traffic" };

async function loadProjects() {
  const answer = await getJSON("/api/projects");
  $("appraise-project").replaceChildren(...answer.projects.map((p) => {
    const option = new Option(`${p.name} (${p.opening_year})`, p.id);
    option.title = p.id;
    return option;
  }));
}

$("appraise-form").addEventListener("submit", (e) => { e.preventDefault(); appraiseProject(); });

async function appraiseProject() {
  const query = { project: $("appraise-project").value, draws: $("appraise-draws").value, traffic: $("appraise-traffic").value };
  setStatus("Appraising…", false, "appraise-status");
  document.body.dataset.appraiseState = "loading";
  try {
    const answer = await getJSON(`/api/appraise?${new URLSearchParams(query)}`);
    fillAppraisal(answer);
    const n = answer.draws?.n ?? 0;
    setStatus(`${answer.name}: discount ${answer.discount_pct} % real, ${fmt(n)} draw${n === 1 ? "" : "s"}` +
      `${answer.draws?.seed != null ? ` (seed ${answer.draws.seed})` : ""}; traffic: ${answer.traffic_basis ?? "–"}`,
    false, "appraise-status");
    document.body.dataset.appraiseState = "done";
  } catch (error) {
    $("appraise-table").hidden = true;
    $("appraise-risk").hidden = true;
    setStatus(error.message, true, "appraise-status");
    markField(error.field, APPRAISE_FIELDS);
    document.body.dataset.appraiseState = "error";
  }
}

function fillAppraisal(a) {
  const cell = (value, digits, scale = 1) => (value == null ? "–" : fmt(value * scale, digits));
  const rows = [
    ["npv", "NPV (USD million)", a.npv.value, a.npv.percentiles, 0, 1],
    ["bcr", "BCR", a.bcr.value, a.bcr.percentiles, 2, 1],
    ["irr", "IRR (% a year)", a.irr.value, a.irr.percentiles, 1, 100],
    ["min_dscr", "min DSCR", a.dscr.min, a.dscr.min_percentiles, 2, 1],
    ["min_dscr_operating", "min DSCR, operating years", a.dscr.min_operating, a.dscr.min_operating_percentiles, 2, 1],
  ];
  $("appraise-table").tBodies[0].replaceChildren(...rows.map(([key, label, central, pct, digits, scale]) => {
    const tr = document.createElement("tr");
    tr.dataset.figure = key;
    for (const value of [label, cell(central, digits, scale), cell(pct?.p5, digits, scale), cell(pct?.p50, digits, scale),
      cell(pct?.p95, digits, scale)]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  }));
  const d = a.dscr;
  const covenant = d.covenant == null ? "covenant" : `covenant ${fmt(d.covenant, 2)}`;
  const risks = [
    ["below_1", "P(min DSCR < 1)", d.probability_min_below_1, d.probability_min_operating_below_1],
    ["below_covenant", `P(min DSCR < ${covenant})`, d.probability_min_below_covenant, d.probability_min_operating_below_covenant],
  ];
  $("appraise-risk").tBodies[0].replaceChildren(...risks.map(([key, label, all, operating]) => {
    const tr = document.createElement("tr");
    tr.dataset.risk = key;
    tr.append(...[label, all, operating].map((value, i) => {
      const td = document.createElement("td");
      td.textContent = i === 0 ? value : value == null ? "–" : `${fmt(100 * value, 1)} %`;
      if (i > 0 && value != null && value >= 0.5) td.className = "high";
      return td;
    }));
    return tr;
  }));
  $("appraise-table").hidden = false;
  $("appraise-risk").hidden = false;
}
