import { Alert, Space, Statistic, Table } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatUtcOffset } from '../../../../../src/core/time';
import type { ImportResultJson } from '../hooks/useImport';

/** How many rows landed, and each rejected one with its line and reason. */
export function ImportResult({ result }: { result: ImportResultJson }) {
  const { t, lang } = useSession();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="import-result">
      <Space size={48}>
        <Statistic title={t('imports.rows')} value={result.rows} />
        <Statistic title={t('imports.accepted')} value={result.accepted} valueStyle={{ color: '#389e0d' }} />
        <Statistic title={t('imports.rejected')} value={result.rejected} valueStyle={{ color: result.rejected > 0 ? '#cf1322' : undefined }} />
      </Space>
      {result.zoneless_times > 0 && (
        <Alert type="info" showIcon data-testid="import-zoneless" message={t('imports.zonelessTimes', { count: result.zoneless_times, zone: formatUtcOffset(result.utc_offset_minutes) })} />
      )}
      {result.rejected > result.rejections.length && <Alert type="warning" showIcon message={t('imports.truncated', { shown: result.rejections.length, total: result.rejected })} />}
      {result.rejections.length > 0 && (
        <Table
          scroll={{ x: 'max-content' }}
          data-testid="import-rejections"
          size="small"
          rowKey={(row) => `${row.line}:${row.code}`}
          dataSource={result.rejections}
          pagination={result.rejections.length > 10 ? { pageSize: 10 } : false}
          columns={[
            { title: t('imports.line'), dataIndex: 'line', width: 80 },
            { title: t('imports.code'), dataIndex: 'code', width: 200 },
            // In the language shown now, though the rows were rejected before a switch.
            { title: t('imports.reason'), key: 'reason', render: (_, row) => row.localized?.[lang === 'en-US' ? 'en' : 'zh-CN'] ?? row.reason },
          ]}
        />
      )}
    </Space>
  );
}
