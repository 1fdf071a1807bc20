import { Input, Space } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ExpressionCount } from '../hooks/useExpressionCount';
import { ExpressionStatus } from './ExpressionStatus';

/** The expression box with the live count under it, or where and why the expression is wrong. */
export function ExpressionInput({ value, onChange, result, placeholder, testId }: { value: string; onChange: (value: string) => void; result: ExpressionCount; placeholder: string; testId: string }) {
  const { t } = useSession();
  const bad = result.detail !== undefined && !result.pending;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      <Input.TextArea
        data-testid={testId}
        // Named as what it holds: its placeholder is an example, which a screen reader read out as its name.
        aria-label={t('segments.expression')}
        value={value}
        placeholder={placeholder}
        autoSize={{ minRows: 1, maxRows: 6 }}
        status={bad ? 'error' : undefined}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
        onChange={(event) => onChange(event.target.value)}
      />
      <ExpressionStatus value={value} result={result} testId={testId} />
    </Space>
  );
}
