import { Card, Col, Row, Table, Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { useTagLibrary } from '../hooks/useTagLibrary';
import { TagChip } from './TagChip';
import { TemplateInstaller } from './TemplateInstaller';

/** The tag library, read-only for now, and the templates that fill it. */
export function TagLibraryPage() {
  const { t } = useSession();
  const library = useTagLibrary();
  const groupName = new Map(library.groups.map((group) => [group.key, group.name]));
  return (
    <Row gutter={16}>
      <Col span={17}>
        <Card>
          <Table<TagJson>
            data-testid="tag-library"
            size="small"
            rowKey="key"
            loading={library.loading}
            dataSource={library.tags}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('tags.name'), dataIndex: 'name', width: 140, render: (name: string, row) => `${name}${row.group ? ` · ${groupName.get(row.group) ?? row.group}` : ''}` },
              { title: t('tags.kind'), dataIndex: 'kind', width: 80, render: (kind: string) => <Tag>{kind}</Tag> },
              { title: t('tags.customers'), dataIndex: 'customers', width: 90 },
              { title: t('tags.values'), key: 'values', render: (_, row) => row.values.map((value) => <TagChip key={value.key} label={`${value.name} ${value.customers}`} color={value.color ?? row.color} />) },
            ]}
          />
        </Card>
      </Col>
      <Col span={7}>
        <TemplateInstaller onApplied={library.reload} />
      </Col>
    </Row>
  );
}
