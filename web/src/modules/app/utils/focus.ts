// Where the keyboard's focus is: on something of the page, or fallen to the page's top (the body,
// or nowhere) because what had it was taken out or greyed out.

/** Whether the element can hold the focus as a place on the page (not the body). */
export const focusable = (element: Element | null): element is HTMLElement => element instanceof HTMLElement && element !== document.body;

/**
 * Whether the focus has fallen to the page's top, or is still on one of `alsoLost` (a button greyed
 * out under it): a part that made it fall hands it on then, and leaves it alone where the user has
 * taken it elsewhere since.
 */
export function focusIsLost(...alsoLost: readonly (Element | null)[]): boolean {
  const active = document.activeElement;
  return !focusable(active) || alsoLost.includes(active);
}

/** A table's rows, each named by its key: what `rows` is unless a list of cards says otherwise. */
const TABLE_ROWS = 'tr.ant-table-row[data-row-key]';

/**
 * After a table's row went, or changed under the focus (a tag archived or restored, a segment
 * deleted): the focus goes to the row of `key` if it is still there, else to the row now in its
 * place (`index`, or the last row), on the first of `controls` (selectors, in order of preference)
 * that row has; with no row left, to `fallback`, the list's heading. A list of cards names its
 * rows by `rows`, a selector of elements with a `data-row-key` each.
 */
export function focusRowControl(table: Element | null, key: string, index: number, controls: readonly string[], fallback: HTMLElement | null, rows = TABLE_ROWS): void {
  const shown = [...(table?.querySelectorAll<HTMLElement>(rows) ?? [])];
  const row = shown.find((candidate) => candidate.dataset.rowKey === key) ?? shown[Math.min(index, shown.length - 1)];
  const control = controls.map((selector) => row?.querySelector<HTMLElement>(selector)).find((found) => found && !found.hasAttribute('disabled'));
  (control ?? fallback)?.focus();
}

/** Where the row of `key` is among a table's rows as shown (sorted and paged as the reader has them). */
export function rowIndexOf(table: Element | null, key: string, rows = TABLE_ROWS): number {
  const shown = [...(table?.querySelectorAll<HTMLElement>(rows) ?? [])];
  return Math.max(0, shown.findIndex((row) => row.dataset.rowKey === key));
}
