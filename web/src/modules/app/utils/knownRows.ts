// What a table is given to list while its rows may still be on their way.

/**
 * The rows, or none at all while they are loading and none is known yet: antd's table then shows
 * its spinner alone. Given an empty list while it loads, it shows its "nothing here" text under
 * the spinner, which would say a workspace has none before its answer has come.
 */
export function knownRows<Rows extends readonly unknown[]>(rows: Rows | undefined, loading: boolean): Rows | undefined {
  return loading && (rows === undefined || rows.length === 0) ? undefined : rows;
}
