import { Input, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { RuleDiagnostic } from '../hooks/useRulePreview';

/** A rule value's condition; a mistake is shown under it with its line and column and a caret beneath the place. */
export function ConditionInput({ testId, value, onChange, errors }: { testId: string; value: string; onChange: (value: string) => void; errors: RuleDiagnostic[] }) {
  const { t } = useSession();
  const lines = value.split('\n');
  return (
    <div>
      <Input.TextArea
        data-testid={testId}
        aria-label={t('tags.condition')}
        value={value}
        status={errors.length > 0 ? 'error' : undefined}
        autoSize={{ minRows: 1, maxRows: 4 }}
        placeholder="spend_365d >= 1000"
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
        onChange={(event) => onChange(event.target.value)}
      />
      {errors.map((error, index) => (
        <div key={index} data-testid={`${testId}-error`} role="alert">
          <pre style={{ margin: '4px 0 0', fontSize: 12, color: '#cf1322', whiteSpace: 'pre' }}>
            {`${lines[error.line - 1] ?? ''}\n${' '.repeat(Math.max(0, error.column - 1))}^`}
          </pre>
          <Typography.Text type="danger">{t('expression.at', { line: error.line, column: error.column, message: error.message })}</Typography.Text>
        </div>
      ))}
    </div>
  );
}
