import { Button, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { downloadResponse } from '../../app/utils/downloadResponse';
import type { ImportKind } from '../../../../../src/core/import-columns';

interface Template {
  name: string;
  header: string[];
  example: string[];
}

type TemplateFileFormat = 'csv' | 'xlsx';

/**
 * The file to fill in for an import of `kind`, headed as the importer reads it in the language
 * shown, and the example row beside it: the downloaded file holds the header alone, so that an
 * example left in by mistake does not become a customer.
 */
export function ImportTemplate({ kind, showExample }: { kind: ImportKind; /** Off once a file is loaded: its own preview then takes the place. */ showExample: boolean }) {
  const { t } = useSession();
  const api = useApi();
  const template = useApiQuery<Template>(`/imports/${kind}/template?format=json`);
  const [busy, setBusy] = useState<TemplateFileFormat>();
  const download = async (format: TemplateFileFormat) => {
    setBusy(format);
    try {
      await downloadResponse(await api.raw('GET', `/imports/${kind}/template?format=${format}`), `${template.data?.name ?? kind}.${format}`);
    } finally {
      setBusy(undefined);
    }
  };
  const data = template.data;
  const example = showExample && data && data.example.some((cell) => cell !== '') ? data : undefined;
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="import-template">
      <Space wrap size={8}>
        <Typography.Text>{t('imports.template')}</Typography.Text>
        <Button size="small" icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => void download('csv')} data-testid="import-template-csv">
          CSV
        </Button>
        <Button size="small" icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => void download('xlsx')} data-testid="import-template-xlsx">
          Excel
        </Button>
      </Space>
      {example && (
        <Table<Record<string, string>>
          data-testid="import-template-example"
          size="small"
          bordered
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowKey="__row"
          title={() => <Typography.Text type="secondary">{t('imports.templateExample')}</Typography.Text>}
          columns={example.header.map((heading, index) => ({ title: heading, dataIndex: String(index), key: String(index) }))}
          dataSource={[{ __row: 'example', ...Object.fromEntries(example.example.map((cell, index) => [String(index), cell])) }]}
        />
      )}
    </Space>
  );
}
