import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ExpressionCount } from '../hooks/useExpressionCount';

/**
 * Problems whose message already ends in "did you mean …" with the name quoted as it is to be
 * typed; a separate suggestion would repeat it, and unquoted (`建议：重要价值客户`), as if to type it bare.
 */
const SUGGESTING_REASONS = new Set(['unknown_name', 'unknown_tag_value', 'unknown_option']);

/** Under an expression: the live count, or where and why the expression is wrong. */
export function ExpressionStatus({ value, result, testId }: { value: string; result: ExpressionCount; testId: string }) {
  const { t, lang } = useSession();
  const bad = result.detail !== undefined && !result.pending;
  // A problem with no place in the text (an expression longer than the server takes, say) is no
  // diagnostic of a line and column: the problem's own words say it.
  const placed = result.diagnostics.filter((diagnostic) => diagnostic.line !== undefined);
  return (
    <div data-testid={`${testId}-status`} style={{ minHeight: 22 }}>
      {bad ? (
        placed.length > 0 ? (
          placed.map((diagnostic, index) => (
            <Typography.Text key={index} type="danger" style={{ display: 'block' }}>
              {t('expression.at', { line: diagnostic.line ?? 1, column: diagnostic.column ?? 1, message: diagnostic.message })}
              {diagnostic.suggestion && !SUGGESTING_REASONS.has(diagnostic.reason ?? '') ? ` ${t('expression.suggestion', { suggestion: diagnostic.suggestion })}` : ''}
            </Typography.Text>
          ))
        ) : (
          <Typography.Text type="danger">{result.detail}</Typography.Text>
        )
      ) : result.count && value.trim() !== '' ? (
        // The count of the text before an edit, until the edited text's comes: dimmed, not read as the new one's.
        <Typography.Text type="secondary" data-testid={`${testId}-count`} data-count={result.count.count} data-stale={result.pending} aria-busy={result.pending} style={result.pending ? { opacity: 0.45 } : undefined}>
          {t('expression.count', { count: result.count.count.toLocaleString(lang), population: result.count.population.toLocaleString(lang), took: result.count.took_ms })}
        </Typography.Text>
      ) : null}
    </div>
  );
}
