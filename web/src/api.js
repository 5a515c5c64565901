// @ts-check
// The client of amur's HTTP API: one function per endpoint, each typed by the server's
// OpenAPI document (api-types.d.ts, generated from /openapi.json by `make web`).

/** @typedef {import("./api-types").components["schemas"]} Schemas */
/** @typedef {Schemas["Capabilities"]} Capabilities */
/** @typedef {Schemas["PlaceOut"]} Place */
/** @typedef {Schemas["PlacesOut"]} Places */
/** @typedef {Schemas["RouteResponse"]} RouteAnswer */
/** @typedef {Schemas["RouteOut"]} Route */
/** @typedef {Schemas["LegOut"]} Leg */
/** @typedef {Schemas["FeatureCollection"]} NetworkGeoJSON */
/** @typedef {Schemas["Feature"]} NetworkFeature */
/** @typedef {Schemas["BuiltinScenariosOut"]} BuiltinScenarios */
/** @typedef {Schemas["BuiltinScenarioOut"]} BuiltinScenario */
/** @typedef {Schemas["ScenariosOut"]} StoredScenarios */
/** @typedef {Schemas["ScenarioOut"]} StoredScenario */
/** @typedef {Schemas["CompareOut"]} CompareAnswer */
/** @typedef {Schemas["CompareRowOut"]} CompareRow */
/** @typedef {Schemas["RegionsOut"]} Regions */
/** @typedef {Schemas["RegionOut"]} Region */
/** @typedef {Schemas["ImpactOut"]} ImpactAnswer */
/** @typedef {Schemas["RegionChangeOut"]} RegionChange */
/** @typedef {Schemas["FlowsOut"]} FlowsAnswer */
/** @typedef {Schemas["FlowMapOut"]} FlowMap */
/** @typedef {Schemas["FlowFeature"]} FlowFeature */
/** @typedef {Schemas["ProjectsOut"]} Projects */
/** @typedef {Schemas["AppraisalOut"]} Appraisal */
/** @typedef {Schemas["ServicesOut"]} ServicesAnswer */
/** @typedef {Record<string, string>} Query */

/** An answer other than 2xx: the server's message, and the input at fault if it names one. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {string | null | undefined} field
   */
  constructor(message, field) {
    super(message);
    /** @type {string | null | undefined} */
    this.field = field;
  }
}

/**
 * @param {string} url
 * @param {RequestInit} [options]
 * @returns {Promise<any>}
 */
async function request(url, options) {
  const response = await fetch(url, options);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new ApiError(body?.detail ?? `${response.status} ${response.statusText}`, body?.field);
  return body;
}

/**
 * @param {string} path
 * @param {Query} [query]
 */
const get = (path, query) => request(query ? `${path}?${new URLSearchParams(query)}` : path);

/** @returns {Promise<Capabilities>} */
export const capabilities = () => get("/api/capabilities");

/**
 * The network as GeoJSON; a scenario's with the links it adds.
 * @param {string} [scenario]
 * @returns {Promise<NetworkGeoJSON>}
 */
export const network = (scenario) => get("/api/network.geojson", scenario ? { scenario } : undefined);

/**
 * The scheduled services (all of them, or those of a scenario's year), with a line each.
 * @param {string} [scenario]
 * @returns {Promise<ServicesAnswer>}
 */
export const services = (scenario) => get("/api/services", scenario ? { scenario } : undefined);

/**
 * Places matching `q` (all of them if empty), best matches first.
 * @param {string} q
 * @param {number} limit
 * @returns {Promise<Places>}
 */
export const places = (q, limit) => get("/api/places", { q, limit: String(limit) });

/**
 * @param {Query} query from, to, and optionally by, month, scenario, alternatives
 * @returns {Promise<RouteAnswer>}
 */
export const route = (query) => get("/api/route", query);

/** @returns {Promise<BuiltinScenarios>} */
export const builtinScenarios = () => get("/api/scenarios/builtin");

/** @returns {Promise<StoredScenarios>} */
export const storedScenarios = () => get("/api/scenarios");

/**
 * @param {string} name
 * @param {string} toml
 * @returns {Promise<StoredScenario>}
 */
export const saveScenario = (name, toml) => request("/api/scenarios", {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, toml }),
});

/**
 * @param {string} name
 * @returns {Promise<null>}
 */
export const deleteScenario = (name) => request(`/api/scenarios/${encodeURIComponent(name)}`, { method: "DELETE" });

/**
 * @param {Query} query a, b, from, to, by and optionally month
 * @returns {Promise<CompareAnswer>}
 */
export const compare = (query) => get("/api/compare", query);

/** @returns {Promise<Regions>} */
export const regions = () => get("/api/regions");

/**
 * @param {Query} query a, b, theta
 * @returns {Promise<ImpactAnswer>}
 */
export const impact = (query) => get("/api/impact", query);

/**
 * @param {Query} query scenario, month, logit, system_optimum (all optional)
 * @returns {Promise<FlowsAnswer>}
 */
export const flows = (query) => get("/api/flows", query);

/**
 * The same assignment as `flows(query)`, for the map: a line per link, directions summed.
 * @param {Query} query
 * @returns {Promise<FlowMap>}
 */
export const flowMap = (query) => get("/api/flows.geojson", query);

/** @returns {Promise<Projects>} */
export const projects = () => get("/api/projects");

/**
 * @param {Query} query project, draws, traffic
 * @returns {Promise<Appraisal>}
 */
export const appraise = (query) => get("/api/appraise", query);
