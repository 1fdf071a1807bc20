// The export log as cards on a phone, one a screen wide: what its table shows on a wider screen.
import type { ReactNode } from 'react';
import { CardLines } from '../../app/components/CardLines';
import { RowCards } from '../../app/components/RowCards';
import { useSession } from '../../app/hooks/useSession';

/** An export as the log lists it, with its place in the list: two of one moment are two cards. */
export interface ExportLogEntry {
  place: number;
  at: string;
}

interface Props<Entry extends ExportLogEntry> {
  entries: Entry[] | undefined;
  loading: boolean;
  /** What the list says when it has none. */
  empty: ReactNode;
  /** An entry's cells as the table shows them. */
  time: (entry: Entry) => ReactNode;
  actor: (entry: Entry) => ReactNode;
  what: (entry: Entry) => ReactNode;
  rows: (entry: Entry) => ReactNode;
  format: (entry: Entry) => ReactNode;
}

/**
 * The exports on a phone, one card each, the screen's width: what was exported, how many customers
 * (and whether it ended), when, by whom and in which format, each beside its label. In the table the
 * count and format lay past the screen's edge, a sideways scroll away from what was exported.
 */
export function ExportLogCards<Entry extends ExportLogEntry>({ entries, loading, empty, time, actor, what, rows, format }: Props<Entry>) {
  const { t } = useSession();
  return (
    <RowCards<Entry>
      testId="export-log"
      rows={entries}
      rowKey={(entry) => `${entry.at}-${entry.place}`}
      cardClassName="tb-export-card"
      cardTestId={(entry) => `export-log-entry-${entry.place}`}
      loading={loading}
      empty={empty}
    >
      {(entry) => (
        <CardLines
          lines={[
            [t('exports.what'), what(entry)],
            [t('exports.rows'), rows(entry)],
            [t('exports.at'), time(entry)],
            [t('exports.actor'), actor(entry)],
            [t('exports.format'), format(entry)],
          ]}
        />
      )}
    </RowCards>
  );
}
