import { Alert, Button, Card, Grid, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useEffect, useRef } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { EVERYONE } from '../../customers/utils/expressions';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { formatTime } from '../../app/utils/format';
import { knownRows } from '../../app/utils/knownRows';
import { ExportLogCards } from './ExportLogCards';
import { ExportLogColumns } from './ExportLogColumns';

interface ExportJson {
  actor: string;
  at: string;
  source: 'expression' | 'segment' | 'snapshot' | 'transition';
  target: string;
  format: string;
  rows: number;
  metrics: string[];
  /** The customers' other fields the file added, by key (`birthday`, `email`, a custom field's key). */
  fields: string[];
  /** `in_progress` until it ends: still running, or cut short by a crash, its rows then the members it began with. */
  status: 'in_progress' | 'completed' | 'stopped';
  finished_at: string | null;
}

/**
 * Who exported which customers, when and how many: the export control an operator is asked about.
 * `exported` counts the exports made on this page, each of which reloads the log.
 */
export function ExportLog({ exported }: { exported: number }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const exports = useApiQuery<{ items: ExportJson[] }>('/exports?limit=20');
  // A saved segment is logged by its key; shown by its name while it exists (a snapshot as `key#id`).
  const segments = useApiQuery<{ items: { key: string; name: string }[] }>('/segments');
  // A part of a snapshot compared with now is logged as `key#id joined`: said in words.
  const segmentName = (target: string) => {
    const [key = target, logged] = target.split('#');
    const [snapshot, part] = logged?.split(' ') ?? [];
    const name = segments.data?.items.find((segment) => segment.key === key)?.name;
    const partText = part === 'joined' || part === 'left' || part === 'stayed' ? t(`segments.part.${part}`) : part;
    const id = `${key}${snapshot === undefined ? '' : `#${snapshot}`}`;
    if (name === undefined) return partText === undefined ? target : `${id} ${partText}`;
    return lang === 'zh-CN' ? `${name}（${id}${partText === undefined ? '' : `，${partText}`}）` : `${name} (${id}${partText === undefined ? '' : `, ${partText}`})`;
  };
  const { reload } = exports;
  const reloadSegments = segments.reload;
  useEffect(() => {
    if (exported > 0) {
      reload();
      // The segment exported may have been saved since the names were read.
      reloadSegments();
    }
  }, [exported, reload, reloadSegments]);
  // An export just ended here, a cancelled one above all, can still read as under way for a moment:
  // the server logs it stopped once it sees the download gone (on a busy server, some seconds later).
  // Read again, once a second for up to 20 seconds, till it has ended.
  const settling = useRef(0);
  useEffect(() => {
    settling.current = 20;
  }, [exported]);
  const newest = exports.data?.items[0];
  useEffect(() => {
    if (exported === 0 || exports.loading || newest?.status !== 'in_progress' || settling.current <= 0) return;
    settling.current -= 1;
    const again = setTimeout(reload, 1000);
    return () => clearTimeout(again);
  }, [exported, exports.loading, newest, reload]);
  // What the table's cells and the phone's cards both show of an export.
  const time = (row: ExportJson) => formatTime(row.at, lang, utcOffsetMinutes);
  const actor = (row: ExportJson) => actorLabel(t, row.actor);
  // The console exports everyone as `id exists`: said in words. Under it, the columns the file added.
  const what = (row: ExportJson) => (
    <>
      {row.source === 'expression' && row.target === EVERYONE ? (
        <Tag>{t('exports.everyone')}</Tag>
      ) : (
        <>
          <Tag>{t(`exports.source.${row.source}`)}</Tag>
          <Typography.Text code={row.source === 'expression'}>{row.source === 'segment' || row.source === 'snapshot' ? segmentName(row.target) : row.target}</Typography.Text>
        </>
      )}
      <ExportLogColumns metrics={row.metrics} fields={row.fields} />
    </>
  );
  const rows = (row: ExportJson) => (
    <>
      {row.rows.toLocaleString(lang)}
      {row.status !== 'completed' && (
        // Unfinished, its count is of the members it began with, not of the rows that went out.
        <Tooltip title={t(`exports.status.${row.status}.hint`)}>
          <Tag data-testid="export-log-status" color={row.status === 'in_progress' ? 'warning' : 'default'} style={{ marginInlineStart: 6 }}>
            {t(`exports.status.${row.status}`)}
          </Tag>
        </Tooltip>
      )}
    </>
  );
  const format = (row: ExportJson) => row.format;
  // On a phone each export is a card the screen's width, its count and format in sight under what it was.
  const phone = Grid.useBreakpoint().md === false;
  const empty = exports.error ? t('common.notLoaded') : t('exports.none');
  return (
    <Card
      title={t('exports.title')}
      style={{ marginTop: 16 }}
      extra={
        <Button
          size="small"
          icon={<ReloadOutlined />}
          aria-label={t('exports.reload')}
          onClick={() => {
            exports.reload();
            reloadSegments();
          }}
        />
      }
    >
      {exports.error && <Alert data-testid="export-log-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={exports.error.message} />}
      {phone ? (
        <ExportLogCards
          entries={exports.data?.items.map((entry, place) => ({ ...entry, place }))}
          loading={exports.loading}
          empty={empty}
          time={time}
          actor={actor}
          what={what}
          rows={rows}
          format={format}
        />
      ) : (
        <Table<ExportJson>
          // A minimum width, not max-content: what was exported wraps in its column, so the count and format stay in view on a laptop; a phone shows cards instead.
          scroll={{ x: 560 }}
          data-testid="export-log"
          size="small"
          loading={exports.loading}
          pagination={false}
          rowKey={(row, index) => `${row.at}-${index}`}
          dataSource={knownRows(exports.data?.items, exports.loading)}
          locale={{ emptyText: empty }}
          columns={[
            { title: t('exports.at'), dataIndex: 'at', width: 150, render: (_, row) => time(row) },
            { title: t('exports.actor'), dataIndex: 'actor', width: 120, render: (_, row) => actor(row) },
            { title: t('exports.what'), key: 'what', render: (_, row) => what(row) },
            { title: t('exports.rows'), dataIndex: 'rows', width: 110, render: (_, row) => rows(row) },
            { title: t('exports.format'), dataIndex: 'format', width: 80, render: (_, row) => format(row) },
          ]}
        />
      )}
    </Card>
  );
}
