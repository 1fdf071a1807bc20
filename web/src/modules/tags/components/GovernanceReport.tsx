import { Button, Card, Empty, List, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';

interface Ref {
  tag: string;
  name: string;
}

interface GovernanceJson {
  findings: number;
  unused_tags: Ref[];
  empty_values: (Ref & { value_name: string; never_matches: boolean })[];
  overlapping_tags: { first: Ref & { customers: number }; second: Ref & { customers: number }; shared: number; jaccard: number }[];
  rules_reading_archived_tags: (Ref & { archived_tags: string[] })[];
  crowded_groups: { name: string; tags: number; budget: number }[];
  promotion_candidates: { names: string[]; owners: string[]; enterprise_tag: string | null }[];
}

interface Finding {
  kind: MessageKey;
  text: string;
}

/** The governance review of the shared library, one finding per line. */
export function GovernanceReport({ generation }: { generation: number }) {
  const { t } = useSession();
  const report = useApiQuery<GovernanceJson>('/governance');
  const { reload } = report;
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);
  const data = report.data;
  const findings: Finding[] = data
    ? [
        ...data.unused_tags.map((entry) => ({ kind: 'governance.unused' as const, text: t('governance.unusedText', { name: entry.name }) })),
        ...data.empty_values.map((entry) => ({ kind: 'governance.empty' as const, text: t(entry.never_matches ? 'governance.neverMatches' : 'governance.emptyText', { name: entry.name, value: entry.value_name }) })),
        ...data.overlapping_tags.map((entry) => ({ kind: 'governance.overlap' as const, text: t('governance.overlapText', { first: entry.first.name, second: entry.second.name, jaccard: Math.round(entry.jaccard * 100) }) })),
        ...data.rules_reading_archived_tags.map((entry) => ({ kind: 'governance.archived' as const, text: t('governance.archivedText', { name: entry.name, tags: entry.archived_tags.join('、') }) })),
        ...data.crowded_groups.map((entry) => ({ kind: 'governance.crowded' as const, text: t('governance.crowdedText', { name: entry.name, tags: entry.tags, budget: entry.budget }) })),
        ...data.promotion_candidates.map((entry) => ({ kind: 'governance.promote' as const, text: t('governance.promoteText', { names: entry.names.join(' / '), owners: entry.owners.length }) })),
      ]
    : [];
  return (
    <Card
      title={data ? t('governance.title', { count: data.findings }) : t('governance.titlePlain')}
      extra={<Button size="small" aria-label={t('governance.reload')} icon={<ReloadOutlined />} onClick={report.reload} />}
    >
      <List
        data-testid="governance-report"
        size="small"
        loading={report.loading}
        {...(report.error ? { header: <Typography.Text type="danger">{report.error.message}</Typography.Text> } : {})}
        dataSource={findings}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('governance.clean')} /> }}
        pagination={findings.length > 8 ? { pageSize: 8, size: 'small' } : false}
        renderItem={(finding) => (
          <List.Item>
            <Typography.Text>
              <Tag>{t(finding.kind)}</Tag>
              {finding.text}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
