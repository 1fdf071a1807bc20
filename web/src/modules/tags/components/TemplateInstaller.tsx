import { Alert, App, Button, Card, List, Space } from 'antd';
import { useState } from 'react';
import { describeConflict, type TemplateConflict } from '../../../../../src/core/templates/diff';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import { knownRows } from '../../app/utils/knownRows';

interface TemplateSummary {
  key: string;
  name: string;
  name_en: string;
  description: string;
  description_en: string;
  tags: number;
}

/** Installs a starter library; what the workspace already has is left as it is. */
export function TemplateInstaller({ onApplied }: { onApplied: () => void }) {
  const { t, lang, workspace } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const templates = useApiQuery<{ items: TemplateSummary[] }>('/templates');
  // One install at a time: a double click would otherwise send it twice.
  const [installing, setInstalling] = useState<string>();
  // What the last install left as the workspace has it, each said in words: a count alone gave nothing to act on.
  // Kept with the workspace they came from, so that another workspace chosen meanwhile does not show them.
  const [applied, setApplied] = useState<{ workspace: string; conflicts: TemplateConflict[] }>();
  const conflicts = applied?.workspace === workspace ? applied.conflicts : [];
  const apply = async (template: TemplateSummary) => {
    if (installing !== undefined) return;
    setInstalling(template.key);
    setApplied(undefined);
    try {
      const result = await api.post<{ created: { tags: number }; conflicts: TemplateConflict[] }>(`/templates/${encodeURIComponent(template.key)}/apply`);
      message.success(t('tags.applied', { name: lang === 'en-US' ? template.name_en : template.name, tags: result.created.tags }));
      // What the workspace already had in another shape was left as it was: said, not hidden.
      setApplied({ workspace, conflicts: result.conflicts });
      onApplied();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setInstalling(undefined);
    }
  };
  return (
    <Card title={t('tags.templates')}>
      {templates.error && <Alert data-testid="templates-error" type="error" showIcon style={{ marginBottom: 12 }} message={t('common.error')} description={templates.error.message} />}
      {conflicts.length > 0 && (
        <Alert
          data-testid="template-conflicts"
          type="info"
          showIcon
          closable
          onClose={() => setApplied(undefined)}
          style={{ marginBottom: 12 }}
          message={t(pluralKey('tags.appliedConflicts', conflicts.length), { n: conflicts.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 240, overflowY: 'auto', overflowWrap: 'anywhere' }}>
              {conflicts.map((conflict, index) => (
                <li key={index}>{describeConflict(conflict, lang === 'en-US' ? 'en' : 'zh-CN')}</li>
              ))}
            </ul>
          }
        />
      )}
      <List
        size="small"
        loading={templates.loading}
        dataSource={knownRows(templates.data?.items, templates.loading)}
        {...(templates.error ? { locale: { emptyText: t('common.notLoaded') } } : {})}
        renderItem={(template) => (
          // The button beside the name rather than in a column of its own: in a narrow card the description keeps the full width.
          <List.Item data-testid={`template-${template.key}`}>
            <List.Item.Meta
              title={
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  {lang === 'en-US' ? template.name_en : template.name}
                  <Button data-testid={`template-apply-${template.key}`} aria-label={t('tags.applyNamed', { name: lang === 'en-US' ? template.name_en : template.name })} size="small" loading={installing === template.key} disabled={installing !== undefined && installing !== template.key} onClick={() => void apply(template)}>
                    {t('tags.apply')}
                  </Button>
                </Space>
              }
              description={<span data-testid={`template-description-${template.key}`}>{`${template.tags === 1 ? t('tags.templateTag') : t('tags.templateTags', { n: template.tags })} · ${lang === 'en-US' ? template.description_en : template.description}`}</span>}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
