// @ts-check
// Typed access to the page's elements, and the status line every panel writes to.

/**
 * The element with this id, of the given type; a missing or mistyped one is a bug of the page.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function element(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return found;
}

/** @param {string} id */
export const byId = (id) => element(id, HTMLElement);
/** @param {string} id */
export const input = (id) => element(id, HTMLInputElement);
/** @param {string} id */
export const select = (id) => element(id, HTMLSelectElement);
/** @param {string} id */
export const textarea = (id) => element(id, HTMLTextAreaElement);
/** @param {string} id */
export const form = (id) => element(id, HTMLFormElement);
/** @param {string} id */
export const table = (id) => element(id, HTMLTableElement);

/** The body of a data table. @param {string} id */
export const tableBody = (id) => table(id).tBodies[0];

/** The text of a select's chosen option. @param {string} id */
export const chosenText = (id) => select(id).selectedOptions[0]?.textContent ?? "";

/**
 * A table row of text cells.
 * @param {Array<string | number | null | undefined>} values
 * @param {(cell: HTMLTableCellElement, index: number) => void} [decorate]
 */
export function row(values, decorate) {
  const tr = document.createElement("tr");
  tr.append(...values.map((value, i) => {
    const td = document.createElement("td");
    td.textContent = value == null ? "" : String(value);
    decorate?.(td, i);
    return td;
  }));
  return tr;
}

/**
 * Show a panel's status line (as an error, or not) and clear the marks of inputs at fault.
 * @param {string} text
 * @param {boolean} [isError]
 * @param {string} [id]
 */
export function setStatus(text, isError = false, id = "status") {
  byId(id).textContent = text;
  byId(id).classList.toggle("error", isError);
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * Mark the input at fault: `fields` maps an API field name to the id of its input.
 * @param {string | null | undefined} field
 * @param {Record<string, string>} fields
 */
export function markField(field, fields) {
  const id = field ? fields[field] : undefined;
  if (id) document.getElementById(id)?.setAttribute("aria-invalid", "true");
}

/**
 * The progress of a panel's request, for the browser tests: body[data-<name>-state].
 * @param {string} name
 * @param {"loading" | "done" | "error"} value
 */
export function setState(name, value) {
  document.body.dataset[`${name}State`] = value;
}

/** An error's message and field, whatever was thrown. @param {unknown} error */
export function describe(error) {
  const message = error instanceof Error ? error.message : String(error);
  const field = error instanceof Error && "field" in error ? /** @type {string | null | undefined} */ (error.field) : null;
  return { message, field };
}
