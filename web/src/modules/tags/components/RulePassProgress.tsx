import { Progress, Space, Tooltip, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatNumber } from '../../app/utils/format';
import type { TagJson } from '../../app/utils/types';

type Pass = NonNullable<TagJson['rule_pass']>;

function usePassText(pass: Pass) {
  const { t, lang } = useSession();
  const percent = pass.total === 0 ? 0 : Math.floor((pass.done / pass.total) * 100);
  return { percent, text: t('tags.applying', { done: formatNumber(pass.done, lang), total: formatNumber(pass.total, lang) }) };
}

/** A tag's count with the pass of its rule still going on under it (the tag library's table). */
export function RulePassProgress({ customers, pass }: { customers: number; pass: Pass }) {
  const { lang } = useSession();
  const { percent, text } = usePassText(pass);
  return (
    <Tooltip title={text}>
      <Space direction="vertical" size={0} data-testid="rule-pass" data-done={pass.done} data-total={pass.total}>
        {formatNumber(customers, lang)}
        <Progress style={{ width: 72, margin: 0 }} size="small" percent={percent} status="active" aria-label={text} />
      </Space>
    </Tooltip>
  );
}

/** The same, as a line of its own above what the pass is filling in (a model's distribution). */
export function RulePassLine({ pass }: { pass: Pass }) {
  const { percent, text } = usePassText(pass);
  return (
    <div data-testid="rule-pass" data-done={pass.done} data-total={pass.total}>
      <Typography.Text type="secondary">{text}</Typography.Text>
      <Progress percent={percent} status="active" aria-label={text} />
    </div>
  );
}
