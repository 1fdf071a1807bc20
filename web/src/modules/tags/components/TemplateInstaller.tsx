import { App, Button, Card, List, Space } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';

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
  const { t, lang } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const templates = useApiQuery<{ items: TemplateSummary[] }>('/templates');
  // One install at a time: a double click would otherwise send it twice.
  const [installing, setInstalling] = useState<string>();
  const apply = async (template: TemplateSummary) => {
    if (installing !== undefined) return;
    setInstalling(template.key);
    try {
      const result = await api.post<{ created: { tags: number }; conflicts: unknown[] }>(`/templates/${encodeURIComponent(template.key)}/apply`);
      message.success(t('tags.applied', { name: lang === 'en-US' ? template.name_en : template.name, tags: result.created.tags }));
      // What the workspace already had in another shape was left as it was: said, not hidden.
      if (result.conflicts.length > 0) message.info(t('tags.appliedConflicts', { n: result.conflicts.length }));
      onApplied();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setInstalling(undefined);
    }
  };
  return (
    <Card title={t('tags.templates')}>
      <List
        size="small"
        loading={templates.loading}
        dataSource={templates.data?.items ?? []}
        renderItem={(template) => (
          // The button beside the name rather than in a column of its own: in a narrow card the description keeps the full width.
          <List.Item data-testid={`template-${template.key}`}>
            <List.Item.Meta
              title={
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  {lang === 'en-US' ? template.name_en : template.name}
                  <Button data-testid={`template-apply-${template.key}`} size="small" loading={installing === template.key} disabled={installing !== undefined && installing !== template.key} onClick={() => void apply(template)}>
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
