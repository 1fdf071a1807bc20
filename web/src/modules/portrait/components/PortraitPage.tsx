import { Alert, App, Col, Row, Space, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { actorLabel } from '../../app/utils/actorLabel';
import { formatTime } from '../../app/utils/format';
import { expiresAtAfter } from '../../app/utils/expiry';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { usePortrait, type PortraitTag } from '../hooks/usePortrait';
import { EraseCustomer } from './EraseCustomer';
import { EventTimeline } from './EventTimeline';
import { MergeCustomer } from './MergeCustomer';
import { PortraitCare } from './PortraitCare';
import { PortraitFields } from './PortraitFields';
import { PortraitMetrics } from './PortraitMetrics';
import { PortraitTags } from './PortraitTags';
import { TagHistoryTable } from './TagHistoryTable';
import { identityNoun } from '../utils/fieldLabels';

/** What `POST /customers/{id}/tags` answers: how many of the one customer's tags were added, replaced or already so. */
interface AssignAnswer {
  added: number;
  replaced: number;
  unchanged: number;
}

export function PortraitPage() {
  const { id = '' } = useParams();
  const { t, lang } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const portrait = usePortrait(id);
  const library = useTagLibrary();
  // An old link to a customer erased since finds nothing: whoever may read erasures is told that it was erased, not that there never was such a customer.
  const missing = portrait.error?.problem.status === 404 && portrait.error.problem.code === 'CUSTOMER_NOT_FOUND';
  const erasures = useApiQuery<{ items: { actor: string; at: string }[] }>(missing && can('admin') ? `/erasures?customer=${encodeURIComponent(id)}` : null);
  // Only for the id shown now: the answer for an id looked at before stays until the next one arrives.
  const erased = missing && !erasures.loading ? erasures.data?.items[0] : undefined;
  const path = `/customers/${encodeURIComponent(id)}/tags`;
  /** Runs a change, then says what it did in the words `work` answers. */
  const act = async (work: () => Promise<string>) => {
    try {
      message.success(await work());
      portrait.reload();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };
  const onAdd = (tag: string, values: string[], expiryDays?: number) =>
    act(async () => {
      const definition = library.tags.find((item) => item.key === tag);
      // Labelled as the server labels a held tag: "tag name: value name".
      const labelOf = (value: string) => `${definition?.name ?? tag}: ${definition?.values.find((item) => item.key === value)?.name ?? value}`;
      const added: string[] = [];
      const held: string[] = [];
      for (const value of values) {
        // Only a single-valued tag replaces, so a customer held at most one other value of it.
        const replaced = portrait.data?.tags.find((holding) => holding.tag === tag && holding.value !== value)?.label;
        const answer = await api.post<AssignAnswer>(path, { tag, value, ...(expiryDays === undefined ? {} : { expires_at: expiresAtAfter(expiryDays) }) });
        if (answer.unchanged > 0) held.push(labelOf(value));
        else if (answer.replaced > 0 && replaced !== undefined && values.length === 1) return t('portrait.tagReplaced', { from: replaced, to: labelOf(value) });
        else added.push(labelOf(value));
      }
      const quoted = (labels: string[]) => labels.map((label) => t('portrait.quoted', { label })).join(t('portrait.listSeparator'));
      const said = [added.length > 0 ? t('portrait.tagsAdded', { labels: quoted(added) }) : '', held.length > 0 ? t('portrait.tagsUnchanged', { labels: quoted(held) }) : '']
        .filter(Boolean)
        .join(t('portrait.sentenceSeparator'));
      return said.charAt(0).toUpperCase() + said.slice(1);
    });
  const onRemove = (tag: PortraitTag) =>
    act(async () => {
      await api.del(`${path}/${encodeURIComponent(tag.tag)}?value=${encodeURIComponent(tag.value)}`);
      return t('portrait.tagRemoved', { label: tag.label });
    });

  // The value as the server sent it names the identity, whole or masked (the server finds a masked one by its look).
  const onRemoveIdentity = (identity: { kind: string; value: string }, shown: string) =>
    act(async () => {
      await api.del(`/customers/${encodeURIComponent(id)}/identities/${encodeURIComponent(identity.kind)}/${encodeURIComponent(identity.value)}`);
      return t('portrait.identityRemoved', { kind: identityNoun(t, identity.kind), value: shown });
    });

  if (missing && erasures.loading) return <Spin />;
  // A page with no customer on it still leads somewhere: back to the list the clerk came from.
  const backToList = <Link to="/customers">{t('portrait.backToCustomers')}</Link>;
  if (erased) return <Alert data-testid="portrait-erased" type="warning" showIcon message={t('portrait.erased')} description={t('portrait.erasedAt', { id, at: formatTime(erased.at, lang), actor: actorLabel(t, erased.actor) })} action={backToList} />;
  if (portrait.error) return <Alert type="error" showIcon message={portrait.error.problem.status === 404 ? t('portrait.notFound') : t('common.error')} description={portrait.error.message} action={backToList} />;
  if (!portrait.data) return <Spin />;
  const data = portrait.data;
  return (
    <Row gutter={[16, 16]}>
      {/* A merged record's id finds the customer it was merged into: said, so that the other id on the page is no surprise. */}
      {data.id !== id && (
        <Col span={24}>
          <Alert data-testid="portrait-merged" type="info" showIcon message={t('portrait.mergedInto', { from: id, to: data.id })} />
        </Col>
      )}
      <Col xs={24} lg={12}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <PortraitFields portrait={data} onRemoveIdentity={can('write') ? onRemoveIdentity : undefined} />
          <PortraitTags tags={data.tags} library={library.tags} groups={library.groups} onAdd={onAdd} onRemove={onRemove} editable={can('write')} />
          <PortraitMetrics metrics={data.metrics} />
        </Space>
      </Col>
      <Col xs={24} lg={12}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <PortraitCare customerId={data.id} />
          <TagHistoryTable history={data.recent_history} />
          <EventTimeline events={data.recent_events} />
          {can('write') && <MergeCustomer customerId={data.id} onMerged={portrait.reload} />}
          {can('admin') && <EraseCustomer customerId={data.id} />}
        </Space>
      </Col>
    </Row>
  );
}
