import { App, Button, Card, Empty, List, Tag, Typography } from 'antd';
import { MergeOutlined, ReloadOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { useModelWords } from '../../models/hooks/useModelWords';
import { formatList } from '../../app/utils/format';
import type { MessageKey } from '../../app/utils/messages';

interface Ref {
  tag: string;
  name: string;
}

interface ValueRef extends Ref {
  value: string;
  value_name: string;
}

interface GovernanceJson {
  findings: number;
  customers: number;
  unused_tags: (Ref & { kind: string; model: string | null })[];
  empty_values: (ValueRef & { kind: string; model: string | null; never_matches: boolean })[];
  overlapping_tags: { first: ValueRef & { customers: number }; second: ValueRef & { customers: number }; shared: number; jaccard: number }[];
  rules_reading_archived_tags: (Ref & { archived_tags: string[] })[];
  crowded_groups: { name: string; tags: number; budget: number }[];
  duplicate_tags: { normalised_name: string; tags: (Ref & { kind: string; group: string | null })[] }[];
  promotion_candidates: { names: string[]; owners: string[]; enterprise_tag: string | null }[];
  same_phone_two_ways: { customer: string; other: string; phone: string }[];
}

interface Finding {
  kind: MessageKey;
  text: string;
  /** A model's tag is set by its model alone: what to change is the model's parameters, on its page. */
  model?: string;
  /** One phone written two ways: `customer` (00…) can be merged into `other` (+…), which stays. */
  merge?: { customer: string; other: string };
  /** Shared tags whose names read as one: each opens in the editor, to be renamed or archived. */
  tags?: (Ref & { kind: string })[];
}

/**
 * The governance review of the shared library, one finding per line. `onEditTag` opens a tag of
 * the library in its editor, for those who may change it.
 */
export function GovernanceReport({ generation, onEditTag }: { generation: number; onEditTag?: (tag: string) => void }) {
  const { t, lang } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const pager = usePagerLabels();
  // A model's tag and its values in the catalog's English words in English, as the library lists them.
  const words = useModelWords();
  const tagName = (entry: { name: string; kind?: string }) => words.tagName(entry);
  const valueName = (entry: { name: string; kind?: string; value: string; value_name: string }) => words.valueName(entry, { name: entry.value_name, key: entry.value });
  const report = useApiQuery<GovernanceJson>('/governance');
  const { reload } = report;
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);
  const data = report.data;
  const noCustomers = data?.customers === 0;
  const findings: Finding[] = data
    ? [
        ...data.unused_tags.map((entry) =>
          entry.kind === 'model'
            ? { kind: 'governance.unused' as const, text: t('governance.unusedModelText', { name: tagName(entry) }), model: entry.model ?? entry.tag }
            : { kind: 'governance.unused' as const, text: t('governance.unusedText', { name: tagName(entry) }) },
        ),
        ...data.empty_values.map((entry) =>
          entry.kind === 'model'
            ? { kind: 'governance.empty' as const, text: t('governance.emptyModelText', { name: tagName(entry), value: valueName(entry) }), model: entry.model ?? entry.tag }
            : { kind: 'governance.empty' as const, text: t(entry.never_matches ? 'governance.neverMatches' : 'governance.emptyText', { name: tagName(entry), value: valueName(entry) }) },
        ),
        ...data.overlapping_tags.map((entry) => ({
          kind: 'governance.overlap' as const,
          text: t('governance.overlapText', { first: `${tagName(entry.first)}: ${valueName(entry.first)}`, second: `${tagName(entry.second)}: ${valueName(entry.second)}`, jaccard: Math.round(entry.jaccard * 100) }),
        })),
        ...data.rules_reading_archived_tags.map((entry) => ({ kind: 'governance.archived' as const, text: t('governance.archivedText', { name: entry.name, tags: formatList(entry.archived_tags, lang) }) })),
        ...data.crowded_groups.map((entry) => ({ kind: 'governance.crowded' as const, text: t('governance.crowdedText', { name: entry.name, tags: entry.tags, budget: entry.budget }) })),
        // Names as stored, a model's tag's too: the finding is that they read as one as written.
        ...data.duplicate_tags.map((entry) => ({
          kind: 'governance.duplicate' as const,
          text: t('governance.duplicateText', { names: formatList(entry.tags.map((tag) => (lang === 'en-US' ? `“${tag.name}”` : `「${tag.name}」`)), lang) }),
          tags: entry.tags,
        })),
        ...data.promotion_candidates.map((entry) => ({
          kind: 'governance.promote' as const,
          // As tagbase doctor says it: when the shared library already has the tag, that is the way out.
          text: t('governance.promoteText', { names: entry.names.join(' / '), owners: entry.owners.length }) + (entry.enterprise_tag === null ? '' : t('governance.promoteExists', { tag: entry.enterprise_tag })),
        })),
        ...data.same_phone_two_ways.map((entry) => ({ kind: 'governance.samePhone' as const, text: t('governance.samePhoneText', entry), merge: { customer: entry.customer, other: entry.other } })),
      ]
    : [];
  // The record holding the + form stays: the form a phone given as 00… is stored in now.
  const mergeButton = (pair: { customer: string; other: string }) => (
    <ConfirmedButton
      key="merge"
      label={t('governance.merge')}
      icon={<MergeOutlined aria-hidden />}
      ariaLabel={t('governance.mergeLabel', pair)}
      testId={`governance-merge-${pair.customer}`}
      title={t('merge.title', pair)}
      description={<Typography.Paragraph style={{ maxWidth: 360, marginBottom: 0 }}>{t('merge.body', pair)}</Typography.Paragraph>}
      okTestId="governance-merge-confirm"
      run={async () => {
        await api.post(`/customers/${encodeURIComponent(pair.other)}/merge`, { from: pair.customer });
        message.success(t('merge.done', pair));
        report.reload();
      }}
    />
  );
  return (
    <Card
      title={data ? t('governance.title', { count: data.findings }) : t('governance.titlePlain')}
      extra={<Button size="small" aria-label={t('governance.reload')} icon={<ReloadOutlined />} onClick={report.reload} />}
    >
      <List
        data-testid="governance-report"
        size="small"
        loading={report.loading}
        {...(report.error
          ? { header: <Typography.Text type="danger">{report.error.message}</Typography.Text> }
          : noCustomers && findings.length > 0
            ? { header: <Typography.Text type="secondary">{t('governance.noCustomers')}</Typography.Text> }
            : {})}
        dataSource={findings}
        // Said once, where each tag would otherwise be listed as unused.
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(noCustomers ? 'governance.noCustomers' : 'governance.clean')} /> }}
        pagination={findings.length > 8 ? { ...pager, pageSize: 8, size: 'small' } : false}
        renderItem={(finding) => (
          <List.Item actions={finding.merge !== undefined && can('write') ? [mergeButton(finding.merge)] : []}>
            <Typography.Text>
              <Tag>{t(finding.kind)}</Tag>
              {finding.text}
              {/* A model's tag is named by its model: the other one is what to rename. */}
              {finding.tags !== undefined &&
                onEditTag !== undefined &&
                can('write') &&
                finding.tags
                  .filter((tag) => tag.kind !== 'model')
                  .map((tag) => (
                    <span key={tag.tag}>
                      {' — '}
                      <Typography.Link data-testid={`governance-edit-${tag.tag}`} onClick={() => onEditTag(tag.tag)}>
                        {t('governance.editTag', { name: tag.name })}
                      </Typography.Link>
                    </span>
                  ))}
              {finding.model !== undefined && (
                <>
                  {' — '}
                  <Link to={`/models?model=${encodeURIComponent(finding.model)}`} data-testid={`governance-model-${finding.model}`}>
                    {t('governance.changeModel')}
                  </Link>
                </>
              )}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
