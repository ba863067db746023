// The page's few DOM helpers, shared by its parts.

/** The element with this id. */
export const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
/** The input element with this id. */
export const input = (id: string) => element<HTMLInputElement>(id);
/** The select element with this id. */
export const select = (id: string) => element<HTMLSelectElement>(id);
/** Shows an error at the top of the page, or beside the CSV input; an empty message hides it. Screen readers announce it (role="alert"). */
export function say(message: string, where: 'alert' | 'csv-error' = 'alert'): void {
  const box = element(where);
  box.textContent = message;
  box.hidden = message === '';
}
