import { Input, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { RuleDiagnostic } from '../hooks/useRulePreview';

/**
 * The line of the condition a mistake is on, in three parts: before the mistake, the mistake
 * (to the end of the line at most) and after it. Columns count characters, as the server's do.
 */
function placeOf(value: string, error: RuleDiagnostic): { before: string; at: string; after: string } {
  const line = Array.from(value.split(/\r\n|\r|\n/)[error.line - 1] ?? '');
  const before = line.slice(0, Math.max(0, error.column - 1));
  const found = error.offset >= 0 ? Array.from(value.slice(error.offset, error.offset + error.length).split(/\r\n|\r|\n/)[0] ?? '') : [];
  const at = line.slice(before.length, before.length + found.length);
  return { before: before.join(''), at: at.join(''), after: line.slice(before.length + at.length).join('') };
}

/**
 * A rule value's condition; a mistake is shown under it with its line and column, the line with
 * the mistake underlined and a caret beneath its start. The caret line repeats the text before the
 * mistake unseen, so the caret lands under it whatever the characters' widths (汉字 are wider than
 * the letters of a monospace font).
 */
export function ConditionInput({ testId, value, onChange, errors }: { testId: string; value: string; onChange: (value: string) => void; errors: RuleDiagnostic[] }) {
  const { t } = useSession();
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
      {errors.map((error, index) => {
        const place = placeOf(value, error);
        return (
          <div key={index} data-testid={`${testId}-error`} role="alert">
            <pre style={{ margin: '4px 0 0', fontSize: 12, color: '#cf1322', whiteSpace: 'pre' }}>
              {place.before}
              <span data-testid={`${testId}-error-span`} style={{ textDecoration: 'underline wavy', textUnderlineOffset: 3 }}>
                {place.at}
              </span>
              {place.after}
              {'\n'}
              <span style={{ visibility: 'hidden' }}>{place.before}</span>
              <span data-testid={`${testId}-error-caret`}>^</span>
            </pre>
            <Typography.Text type="danger">{t('expression.at', { line: error.line, column: error.column, message: error.message })}</Typography.Text>
          </div>
        );
      })}
    </div>
  );
}
