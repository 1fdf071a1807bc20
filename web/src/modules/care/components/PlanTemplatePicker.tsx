import { Button, Space, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { CARE_TEMPLATES, templateName, type CareTemplateId } from '../utils/templates';

/** Fills the new plan's form from a common plan in one click, to adjust before saving. */
export function PlanTemplatePicker({ onPick }: { onPick: (id: CareTemplateId) => void }) {
  const { t } = useSession();
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Typography.Text type="secondary">{t('care.plan.fromTemplate')}</Typography.Text>
      {CARE_TEMPLATES.map((id) => (
        <Button key={id} size="small" data-testid={`care-template-${id}`} onClick={() => onPick(id)}>
          {templateName(t, id)}
        </Button>
      ))}
    </Space>
  );
}
