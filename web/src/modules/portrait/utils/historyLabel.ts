// A tag history entry's label as the console shows it: `name: value`, and where a merge dropped
// the merged record's copy of the value, which record it came from, in the reader's language.
// No relative imports: the command line's tests read it under Node's own module resolution.

/** `t` is the session's translator; only the one message is asked of it. */
export function historyLabel(t: (key: 'history.mergedFrom', vars: { id: string }) => string, entry: { label: string; merged_from?: string | null | undefined }): string {
  return entry.merged_from ? `${entry.label}${t('history.mergedFrom', { id: entry.merged_from })}` : entry.label;
}
