// @ts-check
// The network's places by id, for names in tables and on the map.

/** @typedef {import("./api.js").Place} Place */

/** @type {Map<string, Place>} */
const byId = new Map();

/** @param {Place[]} places */
export function setPlaces(places) {
  byId.clear();
  for (const p of places) byId.set(p.id, p);
}

/** @param {string} id */
export const place = (id) => byId.get(id);

/** A place's name, or its id if unknown. @param {string} id */
export const placeName = (id) => byId.get(id)?.name ?? id;
