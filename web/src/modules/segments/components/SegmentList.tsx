import { Alert, App, Button, Card, Grid, Space, Table, Typography } from 'antd';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { ExportColumnsButton } from '../../app/components/ExportColumnsButton';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import type { ApiError } from '../../app/utils/api';
import { formatTime } from '../../app/utils/format';
import { useSegmentSizes } from '../hooks/useSegmentSizes';
import type { SegmentJson } from '../hooks/useSegments';
import { SEGMENT_CARDS, SegmentCards } from './SegmentCards';
import { SegmentExportButton } from './SegmentExportButton';
import { SegmentInsight } from './SegmentInsight';
import { SegmentSnapshots } from './SegmentSnapshots';
import { SizeSparkline } from './SizeSparkline';
import { quoteString } from '../../expression/utils/lexicon';
import { pluralKey } from '../../app/utils/messages';
import { knownRows } from '../../app/utils/knownRows';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';

/** The table's width with the actions side by side, and with them wrapped under each other. */
const WIDE = 560;
const NARROW = 480;
/** The count's column: room for "Members" beside its sort arrows on one line, where 80 px broke it as "Memb-ers" on a phone. */
const COUNT = 96;
/** The column of when each was last saved, shown only where the list has room for it beside the rest. */
const UPDATED = 104;

/** Whether the element is narrower than `width` (false until measured). */
function useNarrowerThan(element: RefObject<HTMLElement | null>, width: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const observer = new ResizeObserver(() => setNarrow(target.clientWidth < width));
    observer.observe(target);
    return () => observer.disconnect();
  }, [element, width]);
  return narrow;
}

interface Props {
  segments: SegmentJson[];
  counts: Map<string, number>;
  /** Why a segment's members could not be counted, by key. */
  countFailures: Map<string, string>;
  loading: boolean;
  /** Why the list could not be read (the database out of reach, say): said instead of "no saved segments yet". */
  error?: ApiError | undefined;
  onEdit: (segment: SegmentJson) => void;
  /** After `key` is deleted. */
  onDeleted: (key: string) => void;
  /** After a segment's members were downloaded, which the export log then lists. */
  onExported: () => void;
  /** The segments listed when a new one was saved, till the list shows it: the one not among them is the new one. */
  savedAfter?: ReadonlySet<string> | undefined;
  /** Once the list shows the segment saved after `savedAfter`. */
  onSavedShown: () => void;
}

export function SegmentList({ segments, counts, countFailures, loading, error, onEdit, onDeleted, onExported, savedAfter, onSavedShown }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const path = (segment: SegmentJson) => `/segments/${encodeURIComponent(segment.key)}`;
  const { sizes, failures } = useSegmentSizes(segments.map((segment) => segment.key), 30);
  const countFailure = countFailures.values().next().value;
  const sizeFailure = failures.values().next().value;
  // The segment whose snapshots are open: taken and downloaded there, with the earlier ones listed.
  const [snapshots, setSnapshots] = useState<SegmentJson>();
  // The segment whose insight is open: what sets it apart, which only reads.
  const [insight, setInsight] = useState<SegmentJson>();
  // Where the table has less room than its columns want (a tablet; a laptop, where the list has part
  // of the page), the actions are narrower and wrap, and where that is not enough they are reached by
  // scrolling sideways: the name stays fixed at the left, so that each row still says which segment they act on.
  // Measured, not read from the window's width: the menu and the builder beside the list take a share of that.
  const room = useRef<HTMLDivElement>(null);
  const narrow = useNarrowerThan(room, WIDE);
  const roomy = !useNarrowerThan(room, WIDE + UPDATED);
  // On a phone each segment is a card the screen's width instead, its buttons in sight under its name.
  const phone = Grid.useBreakpoint().md === false;
  const rows = phone ? SEGMENT_CARDS : undefined;
  // The segment deleted, and its row's place: its 删除 went with the row, and the focus with it to
  // the page's top. Once the list no longer shows it, the focus goes on to 删除 in the row now in
  // its place (or the last), else to the list's heading; unless something has taken it since.
  const card = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLSpanElement>(null);
  const deleted = useRef<{ key: string; index: number }>(undefined);
  useEffect(() => {
    const gone = deleted.current;
    if (!gone || segments.some((segment) => segment.key === gone.key)) return;
    deleted.current = undefined;
    if (focusIsLost()) focusRowControl(card.current, gone.key, gone.index, ['[data-testid^="segment-delete-"]', '[data-testid^="segment-edit-"]', '[data-testid^="segment-insight-open-"]'], heading.current, rows);
  }, [segments, rows]);
  // A new segment saved with the form's button: the form emptied and the button greyed out under the
  // focus, which fell to the page's top. It goes on to the new segment's row, scrolled into sight
  // (on a phone the list is under the form); a focus still in a field (saved with Enter) stays there.
  useEffect(() => {
    const saved = savedAfter && segments.find((segment) => !savedAfter.has(segment.key));
    if (!saved) return;
    onSavedShown();
    if (focusIsLost()) focusRowControl(card.current, saved.key, 0, ['[data-testid^="segment-members-"]', '[data-testid^="segment-insight-open-"]'], heading.current, rows);
  }, [segments, savedAfter, onSavedShown, rows]);
  // Sorted on request only: unsorted, the list keeps the order the segments were saved in.
  const countOf = (segment: SegmentJson) => counts.get(segment.key) ?? -1;
  // What the table's cells and the phone's cards both show of a segment.
  const countCell = (row: SegmentJson) => {
    const count = counts.get(row.key);
    const shown = <span data-testid={`segment-count-${row.key}`}>{count?.toLocaleString(lang) ?? (countFailures.has(row.key) ? '—' : '…')}</span>;
    return count === undefined ? (
      shown
    ) : (
      <Link to={`/customers?${new URLSearchParams({ filter: `segment(${quoteString(row.key)})` }).toString()}`} data-testid={`segment-members-${row.key}`} aria-label={t(pluralKey('segments.membersOf', count), { name: row.name, count: count.toLocaleString(lang) })}>
        {shown}
      </Link>
    );
  };
  const updatedCell = (row: SegmentJson) => <span data-testid={`segment-updated-${row.key}`}>{formatTime(row.updated_at, lang, utcOffsetMinutes)}</span>;
  const trendCell = (row: SegmentJson) => (
    <span data-testid={`segment-trend-${row.key}`}>
      <SizeSparkline segment={row} points={sizes.get(row.key)} failure={failures.get(row.key)} />
    </span>
  );
  const actionsCell = (row: SegmentJson) => (
    <Space size={4} wrap>
      <Button size="small" data-testid={`segment-insight-open-${row.key}`} aria-label={t('segments.insightNamed', { name: row.name })} onClick={() => setInsight(row)}>
        {t('segments.insight')}
      </Button>
      {/* A card has the room a narrow table's column has not: the workbook's button keeps its word there. */}
      {can('export') && <SegmentExportButton segment={row} compact={narrow && !phone} onExported={onExported} />}
      {can('write') && (
        <>
          <Button size="small" data-testid={`segment-snapshots-${row.key}`} aria-label={t('segments.snapshotsTitle', { name: row.name })} onClick={() => setSnapshots(row)}>
            {t('segments.snapshot')}
          </Button>
          <Button size="small" type="link" icon={<EditOutlined />} data-testid={`segment-edit-${row.key}`} aria-label={t('segments.editTitle', { name: row.name })} onClick={() => onEdit(row)}>
            {t('segments.edit')}
          </Button>
          <ConfirmedButton
            label={t('segments.delete')}
            icon={<DeleteOutlined />}
            ariaLabel={t('segments.deleteNamed', { name: row.name })}
            testId={`segment-delete-${row.key}`}
            title={t('segments.deleteConfirm', { name: row.name })}
            description={t('segments.deleteNote')}
            okTestId="segment-delete-ok"
            run={async () => {
              await api.del(path(row));
              deleted.current = { key: row.key, index: rowIndexOf(card.current, row.key, rows) };
              message.success(t('segments.deletedDone', { name: row.name }));
              onDeleted(row.key);
            }}
          />
        </>
      )}
    </Space>
  );
  const empty = error ? t('common.notLoaded') : t('segments.none');
  return (
    <Card
      ref={card}
      // Held by the focus, read out, once the last row it was in is gone.
      title={
        <span ref={heading} tabIndex={-1} data-testid="segment-list-heading">
          {t('segments.list')}
        </span>
      }
      // One choice of the files' columns for every segment's export: beside each, a row outgrew a tablet's width.
      extra={can('export') && segments.length > 0 ? <ExportColumnsButton testId="segment-export" size="small" /> : undefined}
    >
      {error && <Alert data-testid="segment-list-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={error.message} />}
      {countFailure !== undefined && <Alert data-testid="segment-count-error" type="warning" showIcon style={{ marginBottom: 16 }} message={t('segments.countsFailed', { error: countFailure })} />}
      {sizeFailure !== undefined && <Alert data-testid="segment-sizes-error" type="warning" showIcon style={{ marginBottom: 16 }} message={t('segments.sizesFailed', { error: sizeFailure })} />}
      <div ref={room}>
        {phone ? (
          <SegmentCards segments={segments} loading={loading} empty={empty} count={countCell} updated={updatedCell} trend={trendCell} actions={actionsCell} />
        ) : (
          <Table<SegmentJson>
            // Long expressions wrap under their names; only a narrow screen scrolls the table sideways (600 did at 1280 px, by the page's scrollbar).
            scroll={{ x: narrow ? NARROW : roomy ? WIDE + UPDATED : WIDE }}
            data-testid="segment-list"
            size="middle"
            rowKey="key"
            loading={loading}
            dataSource={knownRows(segments, loading)}
            locale={{ emptyText: empty }}
            pagination={false}
            columns={[
              // The expression under the name rather than in a column of its own, so that the count, the trend and the actions fit beside it.
              {
                title: t('segments.name'),
                dataIndex: 'name',
                sorter: (a, b) => a.name.localeCompare(b.name, lang),
                ...(narrow ? { fixed: 'left' as const, width: 136 } : {}),
                render: (name: string, row) => (
                  <Space direction="vertical" size={2}>
                    <span>
                      <Typography.Text strong>{name}</Typography.Text> <Typography.Text type="secondary">{row.key}</Typography.Text>
                    </span>
                    <Typography.Text code>{row.expression}</Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('segments.count'),
                key: 'count',
                width: COUNT,
                sorter: (a, b) => countOf(a) - countOf(b),
                // The count opens its members in the customers list, filtered by the segment: to look through, tag or export there.
                render: (_, row) => countCell(row),
              },
              ...(roomy
                ? [
                    {
                      title: t('segments.updated'),
                      key: 'updated',
                      width: UPDATED,
                      sorter: (a: SegmentJson, b: SegmentJson) => Date.parse(a.updated_at) - Date.parse(b.updated_at),
                      render: (_: unknown, row: SegmentJson) => updatedCell(row),
                    },
                  ]
                : []),
              {
                title: t('segments.trend'),
                key: 'trend',
                width: 120,
                render: (_, row) => trendCell(row),
              },
              {
                title: t('segments.actions'),
                key: 'actions',
                width: narrow ? 128 : 200,
                render: (_, row) => actionsCell(row),
              },
            ]}
          />
        )}
      </div>
      {insight && <SegmentInsight target={{ segment: insight.key, name: insight.name }} onClose={() => setInsight(undefined)} />}
      {snapshots && <SegmentSnapshots segment={snapshots} onClose={() => setSnapshots(undefined)} onExported={onExported} />}
    </Card>
  );
}
