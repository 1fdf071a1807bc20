// What a screen reader hears for the box that selects one customer of the list, in the table and on its card alike.
// No relative imports: the tests read it under Node's own module resolution.

/** 选择张伟 (C001): the name with the id beside it to tell two 张伟 apart, or the id alone of a customer without a name. */
export function selectBoxLabel(t: (key: 'customers.selectRow', vars: { customer: string }) => string, row: { id: string; name: string | null }): string {
  return t('customers.selectRow', { customer: row.name ? `${row.name} (${row.id})` : row.id });
}
