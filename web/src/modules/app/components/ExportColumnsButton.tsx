import { TableOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Modal, Select, Typography } from 'antd';
import { useId, useState } from 'react';
import { useExportColumnChoices } from '../hooks/useExportColumnChoices';
import { useExportColumns } from '../hooks/useExportColumns';
import { useSession } from '../hooks/useSession';
import { builtInExportFields, keepKnownColumns, type ExportColumns } from '../utils/exportColumns';

interface Props {
  /** The export button's test id: this one's is the same with `-columns`. */
  testId: string;
  size?: 'small' | 'middle';
  /** An icon alone, where the room is narrow (a table's actions column). */
  compact?: boolean;
  disabled?: boolean;
}

/**
 * Beside an export: which metrics and other fields its file adds to the fixed columns. One choice
 * for every export of the workspace, kept in this browser; none (the fixed columns) until made.
 */
export function ExportColumnsButton({ testId, size = 'middle', compact = false, disabled = false }: Props) {
  const { t, lang } = useSession();
  const [chosen, choose] = useExportColumns();
  const [draft, setDraft] = useState<ExportColumns | undefined>();
  const open = draft !== undefined;
  const choices = useExportColumnChoices(open || chosen.metrics.length + chosen.fields.length > 0);
  const known = keepKnownColumns(chosen, choices.metrics?.map((metric) => metric.key), choices.customFields?.map((field) => field.key));
  const count = known.metrics.length + known.fields.length;
  const ids = { metrics: useId(), fields: useId() };
  const builtIn = builtInExportFields(lang);
  const fieldOptions = [
    { label: t('exportColumns.customerFields'), options: builtIn.filter((field) => !field.identity).map((field) => ({ value: field.key, label: field.name })) },
    { label: t('exportColumns.identities'), options: builtIn.filter((field) => field.identity).map((field) => ({ value: field.key, label: field.name })) },
    ...(choices.customFields?.length ? [{ label: t('exportColumns.customFields'), options: choices.customFields.map((field) => ({ value: field.key, label: field.name })) }] : []),
  ];
  const label = count === 0 ? t('exportColumns.button') : t('exportColumns.buttonCount', { count });
  return (
    <>
      <Button data-testid={`${testId}-columns`} size={size} icon={<TableOutlined />} disabled={disabled} aria-label={t('exportColumns.named', { columns: label })} aria-haspopup="dialog" onClick={() => setDraft(known)}>
        {compact ? (count === 0 ? undefined : `+${String(count)}`) : label}
      </Button>
      <Modal
        open={open}
        title={t('exportColumns.title')}
        okText={t('exportColumns.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ ...{ 'data-testid': `${testId}-columns-save` } }}
        onOk={() => {
          if (draft) choose(draft);
          setDraft(undefined);
        }}
        onCancel={() => setDraft(undefined)}
        destroyOnHidden
      >
        <div data-testid="export-columns">
          <Typography.Paragraph type="secondary">{t('exportColumns.hint')}</Typography.Paragraph>
          {choices.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('exportColumns.notLoaded')} />}
          <Form layout="vertical" component="div">
            {(['metrics', 'fields'] as const).map((part) => (
              <Form.Item key={part} label={t(`exportColumns.${part}`)} htmlFor={ids[part]} style={part === 'fields' ? { marginBottom: 0 } : undefined}>
                <Select<string[]>
                  id={ids[part]}
                  data-testid={`export-columns-${part}`}
                  mode="multiple"
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('exportColumns.none')}
                  loading={choices.loading}
                  value={draft?.[part] ?? []}
                  onChange={(keys) => setDraft((now) => now && { ...now, [part]: keys })}
                  options={part === 'metrics' ? (choices.metrics ?? []).map((metric) => ({ value: metric.key, label: metric.name })) : fieldOptions}
                />
              </Form.Item>
            ))}
          </Form>
        </div>
      </Modal>
    </>
  );
}
