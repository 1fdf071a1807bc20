import { Alert, App, Button, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { joinNames } from '../../app/utils/format';
import { fieldKeyFor } from '../utils/undeclared';

const FIELD_TYPES = ['string', 'number', 'date', 'boolean'] as const;
type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Columns that would be read as custom fields nobody declared: every row would be refused for
 * them. Each can be declared here, with the type its cells hold, or left out in the mapping.
 */
export function UndeclaredColumns({ columns, onDeclared }: { columns: { column: string; key: string }[]; onDeclared: (column: string, key: string) => void }) {
  const { t, lang } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const [types, setTypes] = useState<Record<string, FieldType>>({});
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const declare = async (column: string, key: string) => {
    setBusy(column);
    setProblem(undefined);
    const field = fieldKeyFor(key);
    try {
      await api.post('/fields', { key: field, name: column.trim().slice(0, 64) || field, type: types[column] ?? 'string' });
      message.success(t('imports.declared', { name: column }));
      onDeclared(column, field);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Alert
      data-testid="import-undeclared"
      type="warning"
      showIcon
      message={t('imports.undeclared', { columns: joinNames(columns.map((item) => item.column), lang) })}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          {columns.map(({ column, key }) => (
            <Space key={column} wrap>
              <Typography.Text strong>{column}</Typography.Text>
              <Select<FieldType>
                data-testid={`import-declare-type-${column}`}
                aria-label={t('imports.declareType', { column })}
                size="small"
                style={{ minWidth: 110 }}
                value={types[column] ?? 'string'}
                onChange={(type) => setTypes((previous) => ({ ...previous, [column]: type }))}
                options={FIELD_TYPES.map((type) => ({ value: type, label: t(`imports.fieldType.${type}`) }))}
              />
              <Button data-testid={`import-declare-${column}`} size="small" loading={busy === column} onClick={() => void declare(column, key)}>
                {t('imports.declare')}
              </Button>
            </Space>
          ))}
          {problem && <Typography.Text type="danger" data-testid="import-declare-problem">{problem}</Typography.Text>}
        </Space>
      }
    />
  );
}
