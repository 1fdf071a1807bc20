// A tag history entry's label as the console shows it: `name: value`, and where a merge dropped
// the merged record's copy of the value, which record it came from, in the reader's language.
import type { SessionState } from '../../app/utils/sessionContext';

export function historyLabel(t: SessionState['t'], entry: { label: string; merged_from?: string | null | undefined }): string {
  return entry.merged_from ? `${entry.label}${t('history.mergedFrom', { id: entry.merged_from })}` : entry.label;
}
