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

/**
 * After a table's row went, or changed under the focus (a tag archived or restored, a segment
 * deleted): the focus goes to the row of `key` if it is still there, else to the row now in its
 * place (`index`, or the last row), on the first of `controls` (selectors, in order of preference)
 * that row has; with no row left, to `fallback`, the list's heading.
 */
export function focusRowControl(table: Element | null, key: string, index: number, controls: readonly string[], fallback: HTMLElement | null): void {
  const rows = [...(table?.querySelectorAll<HTMLElement>('tr.ant-table-row[data-row-key]') ?? [])];
  const row = rows.find((candidate) => candidate.dataset.rowKey === key) ?? rows[Math.min(index, rows.length - 1)];
  const control = controls.map((selector) => row?.querySelector<HTMLElement>(selector)).find((found) => found && !found.hasAttribute('disabled'));
  (control ?? fallback)?.focus();
}

/** Where the row of `key` is among a table's rows as shown (sorted and paged as the reader has them). */
export function rowIndexOf(table: Element | null, key: string): number {
  const rows = [...(table?.querySelectorAll<HTMLElement>('tr.ant-table-row[data-row-key]') ?? [])];
  return Math.max(0, rows.findIndex((row) => row.dataset.rowKey === key));
}
