import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { ExpressionEditor } from '../../expression/components/ExpressionEditor';
import { useExpressionCount } from '../../expression/hooks/useExpressionCount';

/** Writes an expression with its live count, then saves it under a key and a name. */
export function SegmentBuilder({ onSaved }: { onSaved: () => void }) {
  const { t } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [expression, setExpression] = useState('');
  const counted = useExpressionCount(expression);
  const valid = counted.settled === expression.trim() && counted.count !== undefined;
  const save = async () => {
    try {
      const saved = await api.post<{ name: string; count: number }>('/segments', { key, name, expression });
      message.success(t('segments.saved', { name: saved.name, count: saved.count }));
      setKey('');
      setName('');
      setExpression('');
      onSaved();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Card title={t('segments.builder')}>
      <Form layout="vertical">
        <Form.Item label={t('segments.expression')}>
          <ExpressionEditor testId="segment-expression" value={expression} onChange={setExpression} result={counted} placeholder='rfm >= "重要挽留客户" and city in ("上海", "北京")' />
        </Form.Item>
        {/* Without `write` the builder still counts, which only reads. */}
        {can('write') && (
          <>
            <Form.Item label={t('segments.name')}>
              <Input data-testid="segment-name" value={name} onChange={(event) => setName(event.target.value)} maxLength={64} />
            </Form.Item>
            <Form.Item label={t('segments.key')}>
              <Input data-testid="segment-key" value={key} onChange={(event) => setKey(event.target.value)} maxLength={64} placeholder="high_value_shanghai" />
            </Form.Item>
            <Button data-testid="segment-save" type="primary" disabled={!valid || !key || !name.trim()} onClick={() => void save()}>
              {t('segments.save')}
            </Button>
          </>
        )}
      </Form>
    </Card>
  );
}
