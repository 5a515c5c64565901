// @ts-check
// Numbers as the page shows them: grouped thousands, a sign for changes, tonnes scaled.

/**
 * @param {number} value
 * @param {number} [digits]
 */
export const fmt = (value, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * A change with its sign (+, − or ±).
 * @param {number} value
 * @param {number} [digits]
 */
export const signed = (value, digits = 0) => (value > 0 ? "+" : value < 0 ? "−" : "±") + fmt(Math.abs(value), digits);

/** Tonnes as t, kt or Mt. @param {number} t */
export const fmtTonnes = (t) => (t >= 1e6 ? `${fmt(t / 1e6, t >= 1e7 ? 0 : 1)} Mt` : t >= 1e3 ? `${fmt(t / 1e3)} kt` : `${fmt(t)} t`);

/** An identifier as words ("river_ferry" → "river ferry"). @param {string} name */
export const words = (name) => name.replaceAll("_", " ");
