import { App, Button, Card, List } from 'antd';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';

interface TemplateSummary {
  key: string;
  name: string;
  name_en: string;
  description: string;
  tags: number;
}

/** Installs a starter library; what the workspace already has is left as it is. */
export function TemplateInstaller({ onApplied }: { onApplied: () => void }) {
  const { t, lang } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const templates = useApiQuery<{ items: TemplateSummary[] }>('/templates');
  const apply = async (template: TemplateSummary) => {
    try {
      const result = await api.post<{ created: { tags: number } }>(`/templates/${encodeURIComponent(template.key)}/apply`);
      message.success(t('tags.applied', { name: template.name, tags: result.created.tags }));
      onApplied();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Card title={t('tags.templates')}>
      <List
        size="small"
        loading={templates.loading}
        dataSource={templates.data?.items ?? []}
        renderItem={(template) => (
          <List.Item actions={[<Button key="apply" data-testid={`template-apply-${template.key}`} size="small" onClick={() => void apply(template)}>{t('tags.apply')}</Button>]}>
            <List.Item.Meta title={lang === 'en-US' ? template.name_en : template.name} description={`${template.tags} · ${template.description}`} />
          </List.Item>
        )}
      />
    </Card>
  );
}
