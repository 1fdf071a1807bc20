import { Alert, Button, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { downloadResponse } from '../../app/utils/downloadResponse';
import { joinNames } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import { formatUtcOffset } from '../../../../../src/core/time';
import type { ImportResultJson } from '../utils/importTypes';
import { rejectedRowsFile } from '../utils/rejectedRowsFile';
import type { RepeatedId } from '../utils/repeatedIds';

/** How many ids a warning over ids of the file names; the rest are counted. */
const REPEATED_IDS_NAMED = 10;

/**
 * A warning over ids of the file, as the command's: the first `REPEATED_IDS_NAMED` named a line
 * each, the rest counted.
 */
function IdsWarning({ testId, message, lines, more }: { testId: string; message: string; lines: { key: string; text: string }[]; more: (count: number) => string }) {
  const rest = lines.length - REPEATED_IDS_NAMED;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid={testId}
      message={message}
      description={
        <>
          {lines.slice(0, REPEATED_IDS_NAMED).map(({ key, text }) => (
            <div key={key}>{text}</div>
          ))}
          {rest > 0 && <div>{more(rest)}</div>}
        </>
      }
    />
  );
}

/** Ids on more than one row that landed, each with its lines and the one that stands. */
function RepeatedIds({ repeated }: { repeated: RepeatedId[] }) {
  const { t, lang } = useSession();
  return (
    <IdsWarning
      testId="import-repeated"
      message={t(pluralKey('imports.repeatedIds', repeated.length), { count: repeated.length })}
      lines={repeated.map(({ id, lines }) => ({ key: id, text: t('imports.repeatedId', { id, lines: joinNames(lines.map(String), lang), last: String(lines.at(-1) ?? 0) }) }))}
      more={(count) => t('imports.repeatedIdsMore', { count })}
    />
  );
}

/** Customers created under ids a stored customer has with leading zeros (12 beside 00012), as a file re-saved by Excel names them. */
function LostLeadingZeros({ lost }: { lost: NonNullable<ImportResultJson['leading_zeros_lost']> }) {
  const { t } = useSession();
  return (
    <IdsWarning
      testId="import-leading-zeros"
      message={t(pluralKey('imports.leadingZerosLost', lost.length), { count: lost.length })}
      lines={lost.map(({ id, stored, line }) => ({ key: id, text: t('imports.leadingZerosLostId', { id, stored, line }) }))}
      more={(count) => t('imports.leadingZerosLostMore', { count })}
    />
  );
}

/** `会员.csv` → `会员-rejected.csv`. */
function rejectedFileName(name: string): string {
  const base = name.replace(/\.[^.]*$/, '');
  return `${base || 'import'}-rejected.csv`;
}

/**
 * How many rows landed, and each rejected one with its line and reason; the rejected rows as
 * they are in the file, after their lines and reasons, to download, correct and import again.
 */
export function ImportResult({ result, fileName }: { result: ImportResultJson; fileName: string }) {
  const { t, lang } = useSession();
  const pager = usePagerLabels();
  const rejected = result.rejected_rows;
  // With a byte-order mark, so that Excel opens the Chinese in it as UTF-8 (the import page reads it back the same).
  // The reasons in the language shown when it is downloaded, as in the table.
  const download = () => {
    if (!rejected) return;
    const text = `\uFEFF${rejectedRowsFile(rejected, result.rejections, lang)}`;
    void downloadResponse(new Response(new Blob([text], { type: 'text/csv;charset=utf-8' })), rejectedFileName(fileName));
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="import-result">
      <Space size={[48, 16]} wrap>
        <Statistic title={t('imports.rows')} value={result.rows} />
        <Statistic title={t('imports.accepted')} value={result.accepted} valueStyle={{ color: '#389e0d' }} />
        <Statistic title={t('imports.rejected')} value={result.rejected} valueStyle={{ color: result.rejected > 0 ? '#cf1322' : undefined }} />
        {/* Of customers: whether the file brought new ones or refreshed those already here. */}
        {result.created !== undefined && <Statistic data-testid="import-created" title={t('imports.created')} value={result.created} />}
        {result.updated !== undefined && <Statistic data-testid="import-updated" title={t('imports.updated')} value={result.updated} />}
        {/* A file imported again, or an export brought back, changes nobody: said so rather than counted as updated. */}
        {result.unchanged !== undefined && <Statistic data-testid="import-unchanged" title={t('imports.unchanged')} value={result.unchanged} />}
        {/* Of events: a file imported again lands, but stores nothing twice. */}
        {result.duplicates !== undefined && result.duplicates > 0 && <Statistic data-testid="import-duplicates" title={t('imports.duplicates')} value={result.duplicates} />}
      </Space>
      {result.masked_identifiers !== undefined && result.masked_identifiers > 0 && (
        <Alert type="info" showIcon data-testid="import-masked" message={t(pluralKey('imports.maskedIdentifiers', result.masked_identifiers), { count: result.masked_identifiers })} />
      )}
      {result.zoneless_times > 0 && (
        <Alert type="info" showIcon data-testid="import-zoneless" message={t('imports.zonelessTimes', { count: result.zoneless_times, zone: formatUtcOffset(result.utc_offset_minutes) })} />
      )}
      {result.repeated_ids && result.repeated_ids.length > 0 && <RepeatedIds repeated={result.repeated_ids} />}
      {result.leading_zeros_lost && result.leading_zeros_lost.length > 0 && <LostLeadingZeros lost={result.leading_zeros_lost} />}
      {rejected && rejected.rows.length > 0 && (
        <Space wrap>
          <Button data-testid="import-rejected-download" icon={<DownloadOutlined />} onClick={download}>
            {t(pluralKey('imports.downloadRejected', rejected.rows.length), { n: rejected.rows.length })}
          </Button>
          <Typography.Text type="secondary">{t('imports.downloadRejectedHint')}</Typography.Text>
        </Space>
      )}
      {result.rejected > result.rejections.length && <Alert type="warning" showIcon message={t('imports.truncated', { shown: result.rejections.length, total: result.rejected })} />}
      {result.rejections.length > 0 && (
        <Table
          // The page's width, a phone's too: the reason wraps in its column rather than running past
          // the screen's edge into a sideways scroll.
          data-testid="import-rejections"
          size="small"
          tableLayout="fixed"
          // A row can be refused for several reasons of one code (an event missing two properties).
          rowKey={(row) => `${row.line}:${row.code}:${row.reason}`}
          dataSource={result.rejections}
          pagination={result.rejections.length > 10 ? { ...pager, pageSize: 10 } : false}
          columns={[
            { title: t('imports.line'), dataIndex: 'line', width: 72 },
            // What to correct is what the row says; the code, for whoever looks it up, goes small
            // under it (in a column of its own it took the room the reason needs on a phone).
            // In the language shown now, though the rows were rejected before a switch.
            {
              title: t('imports.reason'),
              key: 'reason',
              render: (_, row) => (
                <>
                  <div data-testid="import-rejection-reason" style={{ overflowWrap: 'anywhere' }}>
                    {row.localized?.[lang === 'en-US' ? 'en' : 'zh-CN'] ?? row.reason}
                  </div>
                  <Typography.Text data-testid="import-rejection-code" type="secondary" style={{ fontSize: 12 }}>
                    {t('imports.code', { code: row.code })}
                  </Typography.Text>
                </>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
