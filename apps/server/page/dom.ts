// The page's few DOM helpers, shared by its parts.

/** The element with this id. */
export const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
/** The input element with this id. */
export const input = (id: string) => element<HTMLInputElement>(id);
/** The select element with this id. */
export const select = (id: string) => element<HTMLSelectElement>(id);
/** Shows a message in the status line. */
export const say = (message: string) => (element('status').textContent = message);
