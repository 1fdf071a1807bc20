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
