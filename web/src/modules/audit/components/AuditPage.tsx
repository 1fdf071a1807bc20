import { Alert, Button, Card, Grid, Input, Space, Table, Tag } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { formatTime } from '../../app/utils/format';
import { useAuditNames } from '../hooks/useAuditNames';
import { useAuditTrail } from '../hooks/useAuditTrail';
import type { AuditEntry } from '../utils/types';
import { AuditResult } from './AuditResult';
import { AuditTarget } from './AuditTarget';
import { knownRows } from '../../app/utils/knownRows';

/** Who changed what and when, refused attempts included: what an administrator is asked to account for. */
export function AuditPage() {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const admin = can('admin');
  // In the address, so that a reload or a link shows the same person's doings.
  const [params, changeParams] = useAddressParams();
  const actor = params.get('actor') ?? '';
  const setActor = (value: string) => changeParams((next) => (value ? next.set('actor', value) : next.delete('actor')));
  const trail = useAuditTrail(actor, admin);
  const names = useAuditNames(admin);
  const phone = Grid.useBreakpoint().md === false;
  if (!admin) return <Alert data-testid="audit-admin-only" type="info" showIcon message={t('audit.adminOnly')} />;
  return (
    <Card
      title={t('audit.title')}
      // On a phone the filter and the button leave the title little room: it wraps rather than reading "审计…".
      styles={{ title: { whiteSpace: 'normal' } }}
      extra={
        <Space wrap>
          <Input.Search
            data-testid="audit-actor"
            allowClear
            defaultValue={actor}
            placeholder={t('audit.actorFilter')}
            aria-label={t('audit.actorFilter')}
            // Named in the console's language: antd's own button is named by its icon, "search".
            enterButton={<Button icon={<SearchOutlined />} aria-label={t('common.search')} />}
            style={{ width: phone ? 150 : 200, maxWidth: '100%' }}
            onSearch={(value) => setActor(value.trim())}
          />
          <Button icon={<ReloadOutlined />} data-testid="audit-reload" aria-label={t('audit.reload')} onClick={trail.reload} />
        </Space>
      }
    >
      {trail.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={trail.error.message} />}
      <Table<AuditEntry>
        data-testid="audit-table"
        scroll={{ x: 'max-content' }}
        size="small"
        loading={trail.loading}
        pagination={false}
        rowKey="id"
        dataSource={knownRows(trail.items, trail.loading)}
        locale={{ emptyText: actor ? t('audit.noneBy', { actor }) : t('audit.none') }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
          {
            title: t('audit.actor'),
            key: 'actor',
            width: 140,
            render: (_, row) => (
              <>
                {/* `cli` is the command line's name for whoever -a does not name: its tag alone says as much. */}
                {row.source === 'cli' && (row.actor === 'cli' || row.actor === null) ? null : actorLabel(t, row.actor)}
                {row.source === 'cli' && (
                  <Tag style={{ marginLeft: 6 }} bordered={false}>
                    CLI
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('audit.what'), dataIndex: 'summary', render: (summary: string, row) => <span title={row.action}>{summary}</span> },
          { title: t('audit.target'), dataIndex: 'target', render: (target: string, row) => <AuditTarget action={row.action} target={target} names={names} /> },
          { title: t('audit.result'), dataIndex: 'status', width: 100, render: (status: number | null) => <AuditResult status={status} /> },
        ]}
      />
      {trail.nextBefore !== null && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button data-testid="audit-more" loading={trail.loading} onClick={trail.loadMore}>
            {t('audit.more')}
          </Button>
        </div>
      )}
    </Card>
  );
}
